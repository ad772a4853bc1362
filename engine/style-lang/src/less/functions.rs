//! lessc's built-in functions used by mini program styles: colour
//! functions, type checks, math. Unknown functions are not errors: they
//! print as CSS functions.

use super::color::{Color, ColorFormat};
use super::value::Value;

/// Calls a built-in; None when `name` is not one (print it as CSS).
pub fn call(name: &str, args: &[Value]) -> Option<Result<Value, String>> {
    let lower = name.to_ascii_lowercase();
    let result = match lower.as_str() {
        "lighten" | "darken" | "saturate" | "desaturate" | "fadein" | "fadeout" | "fade"
        | "spin" => hsl_adjust(&lower, args),
        "mix" => mix(args),
        "tint" | "shade" => (|| {
            let color = color_arg(args, 0, &lower)?;
            let weight = args.get(1).and_then(Value::as_number).map_or(50.0, |n| n.0);
            let base = if lower == "tint" { 255.0 } else { 0.0 };
            Ok(Value::Color(Color::mix(
                &Color::new([base; 3], 1.0),
                color,
                weight,
            )))
        })(),
        "rgb" | "rgba" => rgba(args),
        "hsl" | "hsla" => hsla(args),
        "lightness" | "saturation" | "hue" | "alpha" | "red" | "green" | "blue" => {
            channel(&lower, args)
        }
        "percentage" => {
            number_arg(args, 0, &lower).map(|(n, _)| Value::Number(n * 100.0, "%".into()))
        }
        "round" | "ceil" | "floor" | "abs" | "sqrt" => math(&lower, args),
        "unit" => number_arg(args, 0, &lower).map(|(n, _)| {
            let unit = args.get(1).map(Value::to_interpolated).unwrap_or_default();
            Value::Number(n, unit)
        }),
        "e" | "escape" => Ok(Value::Raw(
            args.first().map(Value::to_interpolated).unwrap_or_default(),
        )),
        "isnumber" => Ok(boolean(matches!(args.first(), Some(Value::Number(..))))),
        "iscolor" => Ok(boolean(matches!(args.first(), Some(Value::Color(..))))),
        "isstring" => Ok(boolean(matches!(args.first(), Some(Value::Quoted { .. })))),
        "iskeyword" => Ok(boolean(matches!(args.first(), Some(Value::Keyword(..))))),
        "isurl" => Ok(boolean(
            args.first().is_some_and(|v| v.to_css().starts_with("url(")),
        )),
        "ispixel" => Ok(boolean(has_unit(args.first(), "px"))),
        "ispercentage" => Ok(boolean(has_unit(args.first(), "%"))),
        "isem" => Ok(boolean(has_unit(args.first(), "em"))),
        "isunit" => {
            let unit = args.get(1).map(Value::to_interpolated).unwrap_or_default();
            Ok(boolean(has_unit(args.first(), &unit)))
        }
        _ => return None,
    };
    Some(result)
}

fn boolean(value: bool) -> Value {
    Value::Keyword(if value { "true" } else { "false" }.to_string())
}

fn has_unit(value: Option<&Value>, unit: &str) -> bool {
    value
        .and_then(Value::as_number)
        .is_some_and(|(_, u)| u.eq_ignore_ascii_case(unit))
}

fn color_arg<'v>(args: &'v [Value], index: usize, function: &str) -> Result<&'v Color, String> {
    args.get(index)
        .and_then(Value::as_color)
        .ok_or_else(|| format!("{function}() expects a colour as argument {}", index + 1))
}

fn number_arg<'v>(
    args: &'v [Value],
    index: usize,
    function: &str,
) -> Result<(f64, &'v str), String> {
    args.get(index)
        .and_then(Value::as_number)
        .ok_or_else(|| format!("{function}() expects a number as argument {}", index + 1))
}

/// less.js `number()`: percentages become fractions.
fn fraction(value: &Value) -> Option<f64> {
    let (number, unit) = value.as_number()?;
    Some(if unit == "%" { number / 100.0 } else { number })
}

fn hsl_adjust(function: &str, args: &[Value]) -> Result<Value, String> {
    let color = color_arg(args, 0, function)?;
    let amount = number_arg(args, 1, function)?.0;
    let relative = args
        .get(2)
        .is_some_and(|m| m.to_interpolated() == "relative");
    let mut hsl = color.to_hsl();
    let change = |current: f64| {
        if relative {
            current * amount / 100.0
        } else {
            amount / 100.0
        }
    };
    match function {
        "lighten" => hsl.l += change(hsl.l),
        "darken" => hsl.l -= change(hsl.l),
        "saturate" => hsl.s += change(hsl.s),
        "desaturate" => hsl.s -= change(hsl.s),
        "fadein" => hsl.a += change(hsl.a),
        "fadeout" => hsl.a -= change(hsl.a),
        "fade" => hsl.a = amount / 100.0,
        _ => {
            let hue = (hsl.h + amount) % 360.0;
            hsl.h = if hue < 0.0 { 360.0 + hue } else { hue };
        }
    }
    hsl.l = hsl.l.clamp(0.0, 1.0);
    hsl.s = hsl.s.clamp(0.0, 1.0);
    hsl.a = hsl.a.clamp(0.0, 1.0);
    Ok(Value::Color(color.with_hsl(hsl)))
}

fn mix(args: &[Value]) -> Result<Value, String> {
    let first = color_arg(args, 0, "mix")?;
    let second = color_arg(args, 1, "mix")?;
    let weight = args.get(2).and_then(Value::as_number).map_or(50.0, |n| n.0);
    Ok(Value::Color(Color::mix(first, second, weight)))
}

fn rgba(args: &[Value]) -> Result<Value, String> {
    if let Some(Value::Color(color)) = args.first() {
        let alpha = args.get(1).and_then(fraction).unwrap_or(color.alpha);
        return Ok(Value::Color(Color::new(color.rgb, alpha)));
    }
    let mut rgb = [0.0; 3];
    for (index, channel) in rgb.iter_mut().enumerate() {
        let (number, unit) = number_arg(args, index, "rgb")?;
        *channel = if unit == "%" {
            number * 255.0 / 100.0
        } else {
            number
        };
    }
    let alpha = args.get(3).and_then(fraction).unwrap_or(1.0);
    Ok(Value::Color(Color::new(rgb, alpha)))
}

fn hsla(args: &[Value]) -> Result<Value, String> {
    let part = |index: usize| {
        args.get(index)
            .and_then(fraction)
            .ok_or_else(|| format!("hsl() expects a number as argument {}", index + 1))
    };
    let alpha = args.get(3).and_then(fraction).unwrap_or(1.0);
    let mut color = Color::from_hsl(part(0)?, part(1)?, part(2)?, alpha);
    color.format = ColorFormat::Hsl;
    Ok(Value::Color(color))
}

fn channel(function: &str, args: &[Value]) -> Result<Value, String> {
    let color = color_arg(args, 0, function)?;
    let hsl = color.to_hsl();
    Ok(match function {
        "lightness" => Value::Number(hsl.l * 100.0, "%".into()),
        "saturation" => Value::Number(hsl.s * 100.0, "%".into()),
        "hue" => Value::Number(hsl.h, String::new()),
        "alpha" => Value::Number(color.alpha, String::new()),
        "red" => Value::Number(color.rgb[0], String::new()),
        "green" => Value::Number(color.rgb[1], String::new()),
        _ => Value::Number(color.rgb[2], String::new()),
    })
}

fn math(function: &str, args: &[Value]) -> Result<Value, String> {
    let (number, unit) = number_arg(args, 0, function)?;
    let result = match function {
        "round" => {
            let places = args
                .get(1)
                .and_then(Value::as_number)
                .map_or(0, |n| n.0.max(0.0) as i32);
            let scale = 10f64.powi(places);
            ((number * scale) + 0.5).floor() / scale
        }
        "ceil" => number.ceil(),
        "floor" => number.floor(),
        "abs" => number.abs(),
        _ => number.sqrt(),
    };
    Ok(Value::Number(result, unit.to_string()))
}
