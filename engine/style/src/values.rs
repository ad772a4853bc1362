//! Conversion of float-pigment value types into the layout contract's
//! types, with relative units resolved.
//!
//! Units: px; rpx (750rpx == viewport width); vw, vh, vmin, vmax; rem
//! (16px root, <https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>); em (not in Skyline's table but parsed by
//! float-pigment: resolved against the element's font size, as CSS does).
//!
//! `calc()` is reduced to `px + percent * basis`. A pure-px result becomes
//! `Px`, a pure-percentage result becomes `Percent`, a mix `Calc`, which
//! layout resolves against the real basis.

use cirrus_layout::style::{Color as LayoutColor, Dimension, LengthPercentage};
use float_pigment_css::typing::{Angle, CalcExpr, Color, Length, LengthExpr, Number};

/// What relative lengths resolve against, for one element.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LengthContext {
    pub(crate) viewport_width: f32,
    pub(crate) viewport_height: f32,
    /// The font size `em` refers to (the element's, or the parent's while
    /// computing `font-size` itself).
    pub(crate) font_size: f32,
}

/// The root font size `rem` refers to.
pub(crate) const ROOT_FONT_SIZE: f32 = 16.0;

/// A length reduced to `px + percent * basis` (percent as a fraction).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Linear {
    pub(crate) px: f32,
    pub(crate) percent: f32,
}

impl Linear {
    fn add(self, o: Linear) -> Linear {
        Linear {
            px: self.px + o.px,
            percent: self.percent + o.percent,
        }
    }
    fn scale(self, k: f32) -> Linear {
        Linear {
            px: self.px * k,
            percent: self.percent * k,
        }
    }
    /// Resolves the percentage part against `basis`.
    pub(crate) fn resolve(self, basis: f32) -> f32 {
        self.px + self.percent * basis
    }
}

impl LengthContext {
    /// `None` for `auto`, undefined and invalid expressions.
    pub(crate) fn linear(&self, length: &Length) -> Option<Linear> {
        let px = |v: f32| {
            Some(Linear {
                px: v,
                percent: 0.0,
            })
        };
        match length {
            Length::Undefined | Length::Auto => None,
            Length::Px(v) => px(*v),
            Length::Vw(v) => px(v * self.viewport_width / 100.0),
            Length::Vh(v) => px(v * self.viewport_height / 100.0),
            Length::Vmin(v) => px(v * self.viewport_width.min(self.viewport_height) / 100.0),
            Length::Vmax(v) => px(v * self.viewport_width.max(self.viewport_height) / 100.0),
            Length::Rem(v) => px(v * ROOT_FONT_SIZE),
            Length::Rpx(v) => px(v * self.viewport_width / 750.0),
            Length::Em(v) => px(v * self.font_size),
            Length::Ratio(v) => Some(Linear {
                px: 0.0,
                percent: *v,
            }),
            Length::Expr(expr) => match &**expr {
                LengthExpr::Invalid => None,
                // Safe-area insets are 0 on desktop; the fallback is used for others.
                LengthExpr::Env(name, fallback) => match name.as_str() {
                    "safe-area-inset-left"
                    | "safe-area-inset-top"
                    | "safe-area-inset-right"
                    | "safe-area-inset-bottom" => px(0.0),
                    _ => self.linear(fallback),
                },
                LengthExpr::Calc(calc) => self.calc_linear(calc),
            },
        }
    }

    fn calc_linear(&self, expr: &CalcExpr) -> Option<Linear> {
        match expr {
            CalcExpr::Length(l) => self.linear(l),
            CalcExpr::Number(_) | CalcExpr::Angle(_) => None,
            CalcExpr::Plus(a, b) => Some(self.calc_linear(a)?.add(self.calc_linear(b)?)),
            CalcExpr::Sub(a, b) => Some(self.calc_linear(a)?.add(self.calc_linear(b)?.scale(-1.0))),
            CalcExpr::Mul(a, b) => match (calc_number(a), calc_number(b)) {
                (Some(k), _) => Some(self.calc_linear(b)?.scale(k)),
                (_, Some(k)) => Some(self.calc_linear(a)?.scale(k)),
                _ => None,
            },
            CalcExpr::Div(a, b) => {
                let k = calc_number(b)?;
                if k == 0.0 {
                    return None;
                }
                Some(self.calc_linear(a)?.scale(1.0 / k))
            }
        }
    }

    /// `<length> | <percentage> | auto`.
    pub(crate) fn dimension(&self, length: &Length) -> Dimension {
        // A literal percentage stays one even at 0: `flex-basis: 0%` and
        // `0px` differ in containers of indefinite size.
        if let Length::Ratio(v) = length {
            return Dimension::Percent(*v);
        }
        match self.linear(length) {
            None => Dimension::Auto,
            Some(l) if l.percent == 0.0 => Dimension::Px(l.px),
            Some(l) if l.px == 0.0 => Dimension::Percent(l.percent),
            Some(l) => Dimension::Calc {
                px: l.px,
                percent: l.percent,
            },
        }
    }

    /// `<length> | <percentage>`; `auto` and invalid become 0.
    pub(crate) fn length_percentage(&self, length: &Length) -> LengthPercentage {
        if let Length::Ratio(v) = length {
            return LengthPercentage::Percent(*v);
        }
        match self.linear(length) {
            None => LengthPercentage::Px(0.0),
            Some(l) if l.percent == 0.0 => LengthPercentage::Px(l.px),
            Some(l) if l.px == 0.0 => LengthPercentage::Percent(l.percent),
            Some(l) => LengthPercentage::Calc {
                px: l.px,
                percent: l.percent,
            },
        }
    }

    /// A plain length in px; percentages resolve against `basis`.
    pub(crate) fn px(&self, length: &Length, basis: f32) -> Option<f32> {
        self.linear(length).map(|l| l.resolve(basis))
    }
}

/// Evaluates a `calc()` that must produce a plain number.
pub(crate) fn calc_number(expr: &CalcExpr) -> Option<f32> {
    match expr {
        CalcExpr::Number(n) => number(n),
        CalcExpr::Length(_) | CalcExpr::Angle(_) => None,
        CalcExpr::Plus(a, b) => Some(calc_number(a)? + calc_number(b)?),
        CalcExpr::Sub(a, b) => Some(calc_number(a)? - calc_number(b)?),
        CalcExpr::Mul(a, b) => Some(calc_number(a)? * calc_number(b)?),
        CalcExpr::Div(a, b) => {
            let d = calc_number(b)?;
            (d != 0.0).then(|| calc_number(a).map(|n| n / d)).flatten()
        }
    }
}

fn calc_angle(expr: &CalcExpr) -> Option<f32> {
    match expr {
        CalcExpr::Angle(a) => Some(degrees(a)),
        CalcExpr::Plus(a, b) => Some(calc_angle(a)? + calc_angle(b)?),
        CalcExpr::Sub(a, b) => Some(calc_angle(a)? - calc_angle(b)?),
        CalcExpr::Mul(a, b) => match (calc_number(a), calc_number(b)) {
            (Some(k), _) => Some(calc_angle(b)? * k),
            (_, Some(k)) => Some(calc_angle(a)? * k),
            _ => None,
        },
        CalcExpr::Div(a, b) => {
            let d = calc_number(b)?;
            (d != 0.0).then(|| calc_angle(a).map(|n| n / d)).flatten()
        }
        CalcExpr::Length(_) | CalcExpr::Number(_) => None,
    }
}

pub(crate) fn number(n: &Number) -> Option<f32> {
    match n {
        Number::F32(v) => Some(*v),
        Number::I32(v) => Some(*v as f32),
        Number::Calc(expr) => calc_number(expr),
    }
}

/// An angle in degrees.
pub(crate) fn degrees(angle: &Angle) -> f32 {
    match angle {
        Angle::Deg(v) => *v,
        Angle::Grad(v) => v * 0.9,
        Angle::Rad(v) => v.to_degrees(),
        Angle::Turn(v) => v * 360.0,
        Angle::Calc(expr) => calc_angle(expr).unwrap_or(0.0),
    }
}

/// A colour; `currentColor` becomes `current`. `None` for undefined.
pub(crate) fn color(c: &Color, current: LayoutColor) -> Option<LayoutColor> {
    match c {
        Color::Undefined => None,
        Color::CurrentColor => Some(current),
        Color::Specified(r, g, b, a) => Some(LayoutColor::rgba8(*r, *g, *b, *a as f32 / 255.0)),
    }
}
