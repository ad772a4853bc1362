//! Transitions and animations: the cascaded `transition-*` and
//! `animation-*` longhands combined into lists, as CSS does (the
//! coordinating list is `transition-property` / `animation-name`; the other
//! lists repeat cyclically), plus `@keyframes` blocks.
//!
//! They are not part of the layout contract's `ComputedStyle`, so they are
//! returned beside it in [`crate::NodeStyle::motion`]. None of these
//! properties inherit. `var()` inside them is not substituted (ignored).

use float_pigment_css::property::Property;
use float_pigment_css::typing as fp;

/// A `<easing-function>`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TimingFunction {
    Linear,
    Ease,
    EaseIn,
    EaseOut,
    EaseInOut,
    /// `steps(count, jump-start|jump-end|...)`; `step-start` is 1 step
    /// jumping at the start, `step-end` 1 step jumping at the end.
    Steps {
        count: u32,
        jump_start: bool,
    },
    CubicBezier(f32, f32, f32, f32),
}

/// One entry of the `transition` list.
#[derive(Clone, Debug, PartialEq)]
pub struct Transition {
    /// A property name as written (`opacity`, `transform`) or `all`.
    pub property: String,
    pub duration_ms: u32,
    pub delay_ms: i32,
    pub timing: TimingFunction,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnimationDirection {
    Normal,
    Reverse,
    Alternate,
    AlternateReverse,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FillMode {
    None,
    Forwards,
    Backwards,
    Both,
}

/// One entry of the `animation` list.
#[derive(Clone, Debug, PartialEq)]
pub struct Animation {
    /// The `@keyframes` name.
    pub name: String,
    pub duration_ms: u32,
    pub delay_ms: i32,
    pub timing: TimingFunction,
    /// `None` is `infinite`.
    pub iterations: Option<f32>,
    pub direction: AnimationDirection,
    /// As written; Skyline treats none/backwards as forwards (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>),
    /// which is the animation driver's business.
    pub fill_mode: FillMode,
}

/// The transitions and animations of one element.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Motion {
    pub transitions: Vec<Transition>,
    pub animations: Vec<Animation>,
}

impl Motion {
    pub fn is_empty(&self) -> bool {
        self.transitions.is_empty() && self.animations.is_empty()
    }
}

/// Cascaded longhand lists; `None` is the initial (empty) list.
#[derive(Default)]
pub(crate) struct MotionAccumulator {
    transition_property: Option<Vec<String>>,
    transition_duration: Option<Vec<u32>>,
    transition_timing: Option<Vec<TimingFunction>>,
    transition_delay: Option<Vec<i32>>,
    animation_name: Option<Vec<Option<String>>>,
    animation_duration: Option<Vec<u32>>,
    animation_timing: Option<Vec<TimingFunction>>,
    animation_delay: Option<Vec<i32>>,
    animation_iterations: Option<Vec<Option<f32>>>,
    animation_direction: Option<Vec<AnimationDirection>>,
    animation_fill: Option<Vec<FillMode>>,
}

fn timing(item: &fp::TransitionTimingFnItem) -> TimingFunction {
    match item {
        fp::TransitionTimingFnItem::Linear => TimingFunction::Linear,
        fp::TransitionTimingFnItem::Ease => TimingFunction::Ease,
        fp::TransitionTimingFnItem::EaseIn => TimingFunction::EaseIn,
        fp::TransitionTimingFnItem::EaseOut => TimingFunction::EaseOut,
        fp::TransitionTimingFnItem::EaseInOut => TimingFunction::EaseInOut,
        fp::TransitionTimingFnItem::StepStart => TimingFunction::Steps {
            count: 1,
            jump_start: true,
        },
        fp::TransitionTimingFnItem::StepEnd => TimingFunction::Steps {
            count: 1,
            jump_start: false,
        },
        fp::TransitionTimingFnItem::Steps(count, position) => TimingFunction::Steps {
            count: (*count).max(1) as u32,
            jump_start: matches!(
                position,
                fp::StepPosition::Start | fp::StepPosition::JumpStart
            ),
        },
        fp::TransitionTimingFnItem::CubicBezier(a, b, c, d) => {
            TimingFunction::CubicBezier(*a, *b, *c, *d)
        }
    }
}

fn times_u32(t: &fp::TransitionTime) -> Vec<u32> {
    match t {
        fp::TransitionTime::List(l) => l.iter().copied().collect(),
        fp::TransitionTime::ListI32(l) => l.iter().map(|v| (*v).max(0) as u32).collect(),
    }
}

fn times_i32(t: &fp::TransitionTime) -> Vec<i32> {
    match t {
        fp::TransitionTime::List(l) => l.iter().map(|v| (*v).min(i32::MAX as u32) as i32).collect(),
        fp::TransitionTime::ListI32(l) => l.iter().copied().collect(),
    }
}

/// The inner value, or `None` for keywords and `var()` (both reset the
/// list to its initial value: these properties do not inherit).
macro_rules! inner {
    ($v:expr) => {
        float_pigment_css::property::PropertyValueWithGlobal::to_inner_without_global($v)
    };
}

impl MotionAccumulator {
    /// Whether `p` is one of the properties this accumulates.
    pub(crate) fn handles(p: &Property) -> bool {
        matches!(
            p,
            Property::TransitionProperty(_)
                | Property::TransitionDuration(_)
                | Property::TransitionTimingFunction(_)
                | Property::TransitionDelay(_)
                | Property::AnimationName(_)
                | Property::AnimationDuration(_)
                | Property::AnimationTimingFunction(_)
                | Property::AnimationDelay(_)
                | Property::AnimationIterationCount(_)
                | Property::AnimationDirection(_)
                | Property::AnimationFillMode(_)
        )
    }

    pub(crate) fn apply(&mut self, p: &Property) {
        match p {
            Property::TransitionProperty(v) => {
                self.transition_property = inner!(v).map(|fp::TransitionProperty::List(l)| {
                    l.iter()
                        .filter(|i| !matches!(i, fp::TransitionPropertyItem::None))
                        .map(|i| i.to_string())
                        .collect()
                })
            }
            Property::TransitionDuration(v) => {
                self.transition_duration = inner!(v).map(|t| times_u32(&t))
            }
            Property::TransitionTimingFunction(v) => {
                self.transition_timing =
                    inner!(v).map(|fp::TransitionTimingFn::List(l)| l.iter().map(timing).collect())
            }
            Property::TransitionDelay(v) => {
                self.transition_delay = inner!(v).map(|t| times_i32(&t))
            }
            Property::AnimationName(v) => {
                self.animation_name = inner!(v).map(|fp::AnimationName::List(l)| {
                    l.iter()
                        .map(|n| match n {
                            fp::AnimationNameItem::None => None,
                            fp::AnimationNameItem::CustomIdent(name) => {
                                Some(name.as_str().to_owned())
                            }
                        })
                        .collect()
                })
            }
            Property::AnimationDuration(v) => {
                self.animation_duration = inner!(v).map(|t| times_u32(&t))
            }
            Property::AnimationTimingFunction(v) => {
                self.animation_timing =
                    inner!(v).map(|fp::TransitionTimingFn::List(l)| l.iter().map(timing).collect())
            }
            Property::AnimationDelay(v) => self.animation_delay = inner!(v).map(|t| times_i32(&t)),
            Property::AnimationIterationCount(v) => {
                self.animation_iterations = inner!(v).map(|fp::AnimationIterationCount::List(l)| {
                    l.iter()
                        .map(|c| match c {
                            fp::AnimationIterationCountItem::Infinite => None,
                            fp::AnimationIterationCountItem::Number(n) => Some(n.max(0.0)),
                        })
                        .collect()
                })
            }
            Property::AnimationDirection(v) => {
                self.animation_direction = inner!(v).map(|fp::AnimationDirection::List(l)| {
                    l.iter()
                        .map(|d| match d {
                            fp::AnimationDirectionItem::Normal => AnimationDirection::Normal,
                            fp::AnimationDirectionItem::Reverse => AnimationDirection::Reverse,
                            fp::AnimationDirectionItem::Alternate => AnimationDirection::Alternate,
                            fp::AnimationDirectionItem::AlternateReverse => {
                                AnimationDirection::AlternateReverse
                            }
                        })
                        .collect()
                })
            }
            Property::AnimationFillMode(v) => {
                self.animation_fill = inner!(v).map(|fp::AnimationFillMode::List(l)| {
                    l.iter()
                        .map(|f| match f {
                            fp::AnimationFillModeItem::None => FillMode::None,
                            fp::AnimationFillModeItem::Forwards => FillMode::Forwards,
                            fp::AnimationFillModeItem::Backwards => FillMode::Backwards,
                            fp::AnimationFillModeItem::Both => FillMode::Both,
                        })
                        .collect()
                })
            }
            _ => {}
        }
    }

    /// Combines the lists. Entry `i` of a shorter list is entry
    /// `i % len`; a missing list uses the initial value.
    pub(crate) fn finish(self) -> Motion {
        fn pick<T: Clone>(list: &Option<Vec<T>>, i: usize, initial: T) -> T {
            match list {
                Some(l) if !l.is_empty() => l[i % l.len()].clone(),
                _ => initial,
            }
        }
        let mut motion = Motion::default();
        if let Some(properties) = &self.transition_property {
            for (i, property) in properties.iter().enumerate() {
                let duration_ms = pick(&self.transition_duration, i, 0);
                let delay_ms = pick(&self.transition_delay, i, 0);
                if duration_ms == 0 && delay_ms <= 0 {
                    continue; // nothing to animate
                }
                motion.transitions.push(Transition {
                    property: property.clone(),
                    duration_ms,
                    delay_ms,
                    timing: pick(&self.transition_timing, i, TimingFunction::Ease),
                });
            }
        }
        if let Some(names) = &self.animation_name {
            for (i, name) in names.iter().enumerate() {
                let Some(name) = name else { continue };
                motion.animations.push(Animation {
                    name: name.clone(),
                    duration_ms: pick(&self.animation_duration, i, 0),
                    delay_ms: pick(&self.animation_delay, i, 0),
                    timing: pick(&self.animation_timing, i, TimingFunction::Ease),
                    iterations: pick(&self.animation_iterations, i, Some(1.0)),
                    direction: pick(&self.animation_direction, i, AnimationDirection::Normal),
                    fill_mode: pick(&self.animation_fill, i, FillMode::None),
                });
            }
        }
        motion
    }
}
