//! The properties the engine animates, read from and written into a
//! [`ComputedStyle`], and how each interpolates (CSS Transitions /
//! CSS Values "interpolation" rules, for the value types Skyline supports).

use cirrus_layout::style::{Color, ComputedStyle, Dimension, LengthPercentage, TransformFunction};

/// An animatable longhand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnimatedProperty {
    Opacity,
    Transform,
    BackgroundColor,
    Color,
    BorderColor(Side),
    Width,
    Height,
    Inset(Side),
    Margin(Side),
    Padding(Side),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Top,
    Right,
    Bottom,
    Left,
}

const SIDES: [Side; 4] = [Side::Top, Side::Right, Side::Bottom, Side::Left];

/// A property's value, in the form it interpolates in.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(f32),
    Color(Color),
    Transform(Vec<TransformFunction>),
    Dimension(Dimension),
    LengthPercentage(LengthPercentage),
}

impl AnimatedProperty {
    /// Every animatable property, for `transition-property: all`.
    pub fn all() -> impl Iterator<Item = AnimatedProperty> {
        [
            AnimatedProperty::Opacity,
            AnimatedProperty::Transform,
            AnimatedProperty::BackgroundColor,
            AnimatedProperty::Color,
            AnimatedProperty::Width,
            AnimatedProperty::Height,
        ]
        .into_iter()
        .chain(SIDES.iter().flat_map(|&s| {
            [
                AnimatedProperty::BorderColor(s),
                AnimatedProperty::Inset(s),
                AnimatedProperty::Margin(s),
                AnimatedProperty::Padding(s),
            ]
        }))
    }

    /// The properties a `transition-property` / keyframe name stands for
    /// (shorthands expand to their longhands); empty when the engine does
    /// not animate it.
    pub fn from_name(name: &str) -> Vec<AnimatedProperty> {
        let sides = |f: fn(Side) -> AnimatedProperty| SIDES.iter().map(|&s| f(s)).collect();
        let side = |n: &str| match n {
            "top" => Some(Side::Top),
            "right" => Some(Side::Right),
            "bottom" => Some(Side::Bottom),
            "left" => Some(Side::Left),
            _ => None,
        };
        match name {
            "all" => Self::all().collect(),
            "opacity" => vec![AnimatedProperty::Opacity],
            "transform" => vec![AnimatedProperty::Transform],
            "background-color" | "background" => vec![AnimatedProperty::BackgroundColor],
            "color" => vec![AnimatedProperty::Color],
            "width" => vec![AnimatedProperty::Width],
            "height" => vec![AnimatedProperty::Height],
            "border-color" => sides(AnimatedProperty::BorderColor),
            "margin" => sides(AnimatedProperty::Margin),
            "padding" => sides(AnimatedProperty::Padding),
            "inset" => sides(AnimatedProperty::Inset),
            _ => {
                if let Some(s) = side(name) {
                    return vec![AnimatedProperty::Inset(s)];
                }
                let longhand = |prefix: &str, suffix: &str| {
                    name.strip_prefix(prefix)
                        .and_then(|rest| rest.strip_suffix(suffix))
                        .and_then(side)
                };
                if let Some(s) = longhand("border-", "-color") {
                    vec![AnimatedProperty::BorderColor(s)]
                } else if let Some(s) = longhand("margin-", "") {
                    vec![AnimatedProperty::Margin(s)]
                } else if let Some(s) = longhand("padding-", "") {
                    vec![AnimatedProperty::Padding(s)]
                } else {
                    Vec::new()
                }
            }
        }
    }

    /// The CSS name (for `transitionend`'s `propertyName`).
    pub fn name(self) -> String {
        let side = |s: Side| match s {
            Side::Top => "top",
            Side::Right => "right",
            Side::Bottom => "bottom",
            Side::Left => "left",
        };
        match self {
            AnimatedProperty::Opacity => "opacity".into(),
            AnimatedProperty::Transform => "transform".into(),
            AnimatedProperty::BackgroundColor => "background-color".into(),
            AnimatedProperty::Color => "color".into(),
            AnimatedProperty::Width => "width".into(),
            AnimatedProperty::Height => "height".into(),
            AnimatedProperty::BorderColor(s) => format!("border-{}-color", side(s)),
            AnimatedProperty::Inset(s) => side(s).into(),
            AnimatedProperty::Margin(s) => format!("margin-{}", side(s)),
            AnimatedProperty::Padding(s) => format!("padding-{}", side(s)),
        }
    }

    /// Whether a change of this property needs layout (the others only
    /// repaint: the render thread writes them straight into the style).
    pub fn affects_layout(self) -> bool {
        matches!(
            self,
            AnimatedProperty::Width
                | AnimatedProperty::Height
                | AnimatedProperty::Inset(_)
                | AnimatedProperty::Margin(_)
                | AnimatedProperty::Padding(_)
        )
    }

    /// Whether children inherit it (they must restyle when it moves).
    pub fn inherited(self) -> bool {
        self == AnimatedProperty::Color
    }

    pub fn get(self, style: &ComputedStyle) -> Value {
        match self {
            AnimatedProperty::Opacity => Value::Number(style.opacity),
            AnimatedProperty::Transform => Value::Transform(style.transform.clone()),
            AnimatedProperty::BackgroundColor => Value::Color(style.background_color),
            AnimatedProperty::Color => Value::Color(style.color),
            AnimatedProperty::BorderColor(s) => Value::Color(*side_of(&style.border_color, s)),
            AnimatedProperty::Width => Value::Dimension(style.width),
            AnimatedProperty::Height => Value::Dimension(style.height),
            AnimatedProperty::Inset(s) => Value::Dimension(*side_of(&style.inset, s)),
            AnimatedProperty::Margin(s) => Value::Dimension(*side_of(&style.margin, s)),
            AnimatedProperty::Padding(s) => Value::LengthPercentage(*side_of(&style.padding, s)),
        }
    }

    /// Writes `value` (of the kind [`get`](Self::get) returns) into `style`.
    pub fn set(self, style: &mut ComputedStyle, value: &Value) {
        match (self, value) {
            (AnimatedProperty::Opacity, Value::Number(v)) => style.opacity = v.clamp(0.0, 1.0),
            (AnimatedProperty::Transform, Value::Transform(t)) => style.transform.clone_from(t),
            (AnimatedProperty::BackgroundColor, Value::Color(c)) => style.background_color = *c,
            (AnimatedProperty::Color, Value::Color(c)) => style.color = *c,
            (AnimatedProperty::BorderColor(s), Value::Color(c)) => {
                *side_of_mut(&mut style.border_color, s) = *c
            }
            (AnimatedProperty::Width, Value::Dimension(d)) => style.width = *d,
            (AnimatedProperty::Height, Value::Dimension(d)) => style.height = *d,
            (AnimatedProperty::Inset(s), Value::Dimension(d)) => {
                *side_of_mut(&mut style.inset, s) = *d
            }
            (AnimatedProperty::Margin(s), Value::Dimension(d)) => {
                *side_of_mut(&mut style.margin, s) = *d
            }
            (AnimatedProperty::Padding(s), Value::LengthPercentage(l)) => {
                *side_of_mut(&mut style.padding, s) = *l
            }
            // A value of another kind never comes from `get`.
            _ => {}
        }
    }
}

fn side_of<T>(sides: &cirrus_layout::style::Sides<T>, s: Side) -> &T {
    match s {
        Side::Top => &sides.top,
        Side::Right => &sides.right,
        Side::Bottom => &sides.bottom,
        Side::Left => &sides.left,
    }
}

fn side_of_mut<T>(sides: &mut cirrus_layout::style::Sides<T>, s: Side) -> &mut T {
    match s {
        Side::Top => &mut sides.top,
        Side::Right => &mut sides.right,
        Side::Bottom => &mut sides.bottom,
        Side::Left => &mut sides.left,
    }
}

fn lerp(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

/// The value at progress `t` (eased, may leave 0..=1 with overshooting
/// curves) from `from` to `to`. Values that cannot interpolate (`auto`,
/// transform lists of different shapes) flip at the midpoint, as CSS's
/// discrete animation does.
pub fn interpolate(from: &Value, to: &Value, t: f32) -> Value {
    let discrete = || if t < 0.5 { from.clone() } else { to.clone() };
    match (from, to) {
        (Value::Number(a), Value::Number(b)) => Value::Number(lerp(*a, *b, t)),
        (Value::Color(a), Value::Color(b)) => Value::Color(mix_colors(*a, *b, t)),
        (Value::Dimension(a), Value::Dimension(b)) => dimension(*a, *b, t)
            .map(Value::Dimension)
            .unwrap_or_else(discrete),
        (Value::LengthPercentage(a), Value::LengthPercentage(b)) => {
            Value::LengthPercentage(length_percentage(*a, *b, t))
        }
        (Value::Transform(a), Value::Transform(b)) => transform(a, b, t)
            .map(Value::Transform)
            .unwrap_or_else(discrete),
        _ => discrete(),
    }
}

/// Colours mix premultiplied, so a fade to `transparent` (transparent
/// black) does not darken on the way.
fn mix_colors(a: Color, b: Color, t: f32) -> Color {
    let alpha = lerp(a.a, b.a, t).clamp(0.0, 1.0);
    if alpha <= 0.0 {
        return Color {
            r: 0.0,
            g: 0.0,
            b: 0.0,
            a: 0.0,
        };
    }
    let channel = |x: f32, y: f32| (lerp(x * a.a, y * b.a, t) / alpha).clamp(0.0, 1.0);
    Color {
        r: channel(a.r, b.r),
        g: channel(a.g, b.g),
        b: channel(a.b, b.b),
        a: alpha,
    }
}

/// As `px + percent`, the form `calc()` mixes them in.
fn calc_parts(l: LengthPercentage) -> (f32, f32) {
    match l {
        LengthPercentage::Px(px) => (px, 0.0),
        LengthPercentage::Percent(p) => (0.0, p),
        LengthPercentage::Calc { px, percent } => (px, percent),
    }
}

fn length_percentage(a: LengthPercentage, b: LengthPercentage, t: f32) -> LengthPercentage {
    match (a, b) {
        (LengthPercentage::Px(x), LengthPercentage::Px(y)) => LengthPercentage::Px(lerp(x, y, t)),
        (LengthPercentage::Percent(x), LengthPercentage::Percent(y)) => {
            LengthPercentage::Percent(lerp(x, y, t))
        }
        _ => {
            let ((px0, p0), (px1, p1)) = (calc_parts(a), calc_parts(b));
            LengthPercentage::Calc {
                px: lerp(px0, px1, t),
                percent: lerp(p0, p1, t),
            }
        }
    }
}

fn as_length_percentage(d: Dimension) -> Option<LengthPercentage> {
    match d {
        Dimension::Px(v) => Some(LengthPercentage::Px(v)),
        Dimension::Percent(v) => Some(LengthPercentage::Percent(v)),
        Dimension::Calc { px, percent } => Some(LengthPercentage::Calc { px, percent }),
        Dimension::Auto => None,
    }
}

fn dimension(a: Dimension, b: Dimension, t: f32) -> Option<Dimension> {
    let l = length_percentage(as_length_percentage(a)?, as_length_percentage(b)?, t);
    Some(match l {
        LengthPercentage::Px(v) => Dimension::Px(v),
        LengthPercentage::Percent(v) => Dimension::Percent(v),
        LengthPercentage::Calc { px, percent } => Dimension::Calc { px, percent },
    })
}

/// CSS Transforms 1 §9 for lists: `none` stands for identity functions of
/// the other list's shape; lists of the same shape interpolate function by
/// function. `None` for lists of different shapes (the caller then flips
/// at the midpoint; a matrix decomposition would need the box size).
fn transform(
    a: &[TransformFunction],
    b: &[TransformFunction],
    t: f32,
) -> Option<Vec<TransformFunction>> {
    let identity_of = |list: &[TransformFunction]| list.iter().map(identity).collect::<Vec<_>>();
    let (a, b) = match (a.is_empty(), b.is_empty()) {
        (true, true) => return Some(Vec::new()),
        (true, false) => (identity_of(b), b.to_vec()),
        (false, true) => (a.to_vec(), identity_of(a)),
        (false, false) => (a.to_vec(), b.to_vec()),
    };
    if a.len() != b.len() {
        return None;
    }
    a.iter().zip(&b).map(|(x, y)| function(x, y, t)).collect()
}

fn identity(f: &TransformFunction) -> TransformFunction {
    use TransformFunction as F;
    match *f {
        F::Matrix(_) => F::Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]),
        F::Matrix3d(_) => {
            let mut m = [0.0; 16];
            for i in 0..4 {
                m[i * 5] = 1.0;
            }
            F::Matrix3d(m)
        }
        F::Translate(..) => F::Translate(LengthPercentage::Px(0.0), LengthPercentage::Px(0.0), 0.0),
        F::Scale(..) => F::Scale(1.0, 1.0, 1.0),
        F::Rotate(x, y, z, _) => F::Rotate(x, y, z, 0.0),
        F::Skew(..) => F::Skew(0.0, 0.0),
        // perspective(none): an infinite distance.
        F::Perspective(_) => F::Perspective(f32::INFINITY),
    }
}

fn function(a: &TransformFunction, b: &TransformFunction, t: f32) -> Option<TransformFunction> {
    use TransformFunction as F;
    Some(match (*a, *b) {
        (F::Translate(ax, ay, az), F::Translate(bx, by, bz)) => F::Translate(
            length_percentage(ax, bx, t),
            length_percentage(ay, by, t),
            lerp(az, bz, t),
        ),
        (F::Scale(ax, ay, az), F::Scale(bx, by, bz)) => {
            F::Scale(lerp(ax, bx, t), lerp(ay, by, t), lerp(az, bz, t))
        }
        (F::Rotate(ax, ay, az, aa), F::Rotate(bx, by, bz, ba)) if (ax, ay, az) == (bx, by, bz) => {
            F::Rotate(ax, ay, az, lerp(aa, ba, t))
        }
        (F::Skew(ax, ay), F::Skew(bx, by)) => F::Skew(lerp(ax, bx, t), lerp(ay, by, t)),
        (F::Matrix(m), F::Matrix(n)) => {
            let mut out = [0.0; 6];
            for i in 0..6 {
                out[i] = lerp(m[i], n[i], t);
            }
            F::Matrix(out)
        }
        (F::Perspective(a), F::Perspective(b)) => {
            // Interpolated as 1/d, so `none` (infinity) blends smoothly.
            let inverse = |d: f32| {
                if d.is_finite() && d > 0.0 {
                    1.0 / d
                } else {
                    0.0
                }
            };
            let i = lerp(inverse(a), inverse(b), t);
            F::Perspective(if i > 0.0 { 1.0 / i } else { f32::INFINITY })
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_expand_to_longhands() {
        assert_eq!(
            AnimatedProperty::from_name("opacity"),
            [AnimatedProperty::Opacity]
        );
        assert_eq!(AnimatedProperty::from_name("margin").len(), 4);
        assert_eq!(
            AnimatedProperty::from_name("border-left-color"),
            [AnimatedProperty::BorderColor(Side::Left)]
        );
        assert_eq!(
            AnimatedProperty::from_name("top"),
            [AnimatedProperty::Inset(Side::Top)]
        );
        assert!(AnimatedProperty::from_name("font-family").is_empty());
        for p in AnimatedProperty::all() {
            assert_eq!(AnimatedProperty::from_name(&p.name()), [p], "{p:?}");
        }
    }

    #[test]
    fn get_then_set_round_trips() {
        let mut style = ComputedStyle::default();
        for p in AnimatedProperty::all() {
            let v = p.get(&style);
            p.set(&mut style, &v);
        }
        assert_eq!(style, ComputedStyle::default());
    }

    #[test]
    fn transforms_interpolate_per_function() {
        let a = vec![TransformFunction::Translate(
            LengthPercentage::Px(0.0),
            LengthPercentage::Px(0.0),
            0.0,
        )];
        let b = vec![TransformFunction::Translate(
            LengthPercentage::Px(100.0),
            LengthPercentage::Percent(0.5),
            0.0,
        )];
        let mid = interpolate(&Value::Transform(a), &Value::Transform(b.clone()), 0.5);
        assert_eq!(
            mid,
            Value::Transform(vec![TransformFunction::Translate(
                LengthPercentage::Px(50.0),
                LengthPercentage::Calc {
                    px: 0.0,
                    percent: 0.25
                },
                0.0
            )])
        );
        // From none: identity functions of the other's shape.
        let rotate = vec![TransformFunction::Rotate(0.0, 0.0, 1.0, 90.0)];
        assert_eq!(
            interpolate(&Value::Transform(vec![]), &Value::Transform(rotate), 0.5),
            Value::Transform(vec![TransformFunction::Rotate(0.0, 0.0, 1.0, 45.0)])
        );
        // Different shapes flip at the midpoint.
        let scale = vec![TransformFunction::Scale(2.0, 2.0, 1.0)];
        let from = Value::Transform(b.clone());
        let to = Value::Transform(scale.clone());
        assert_eq!(interpolate(&from, &to, 0.4), from);
        assert_eq!(interpolate(&from, &to, 0.6), to);
    }

    #[test]
    fn colours_mix_premultiplied_and_auto_is_discrete() {
        let red = Color {
            r: 1.0,
            g: 0.0,
            b: 0.0,
            a: 1.0,
        };
        let mid = interpolate(&Value::Color(red), &Value::Color(Color::TRANSPARENT), 0.5);
        // Still pure red, half transparent: no darkening towards black.
        assert_eq!(
            mid,
            Value::Color(Color {
                r: 1.0,
                g: 0.0,
                b: 0.0,
                a: 0.5
            })
        );
        let auto = Value::Dimension(Dimension::Auto);
        let px = Value::Dimension(Dimension::Px(10.0));
        assert_eq!(interpolate(&auto, &px, 0.49), auto);
        assert_eq!(interpolate(&auto, &px, 0.5), px);
        assert_eq!(
            interpolate(&px, &Value::Dimension(Dimension::Px(20.0)), 0.25),
            Value::Dimension(Dimension::Px(12.5))
        );
    }
}
