//! Colours and the lessc colour functions, computed exactly as less.js
//! does (HSL round trips in f64, channels rounded only when printed).

use super::named_colors::named_color;
use super::value::format_number;

#[derive(Debug, Clone, PartialEq)]
pub struct Color {
    pub rgb: [f64; 3],
    pub alpha: f64,
    pub format: ColorFormat,
}

/// How a colour prints: as written, or computed in rgb or hsl form.
#[derive(Debug, Clone, PartialEq)]
pub enum ColorFormat {
    Literal(String),
    Rgb,
    Hsl,
}

#[derive(Debug, Clone, Copy)]
pub struct Hsl {
    pub h: f64,
    pub s: f64,
    pub l: f64,
    pub a: f64,
}

fn clamp01(value: f64) -> f64 {
    value.clamp(0.0, 1.0)
}

/// JavaScript's `Math.round` (halves round up).
fn js_round(value: f64) -> f64 {
    (value + 0.5).floor()
}

impl Color {
    pub fn new(rgb: [f64; 3], alpha: f64) -> Color {
        Color {
            rgb,
            alpha,
            format: ColorFormat::Rgb,
        }
    }

    /// Parses `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, a named colour or
    /// `transparent`, remembering the text to print it back unchanged.
    pub fn from_literal(text: &str) -> Option<Color> {
        let lower = text.to_ascii_lowercase();
        if lower == "transparent" {
            return Some(Color {
                rgb: [0.0; 3],
                alpha: 0.0,
                format: ColorFormat::Literal(text.to_string()),
            });
        }
        let hex = match lower.strip_prefix('#') {
            Some(hex) => hex.to_string(),
            None => named_color(&lower)?.trim_start_matches('#').to_string(),
        };
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()?;
        let channels: Vec<f64> = match digits.len() {
            3 | 4 => digits.iter().map(|d| f64::from(d * 17)).collect(),
            6 | 8 => digits
                .chunks(2)
                .map(|pair| f64::from(pair[0] * 16 + pair[1]))
                .collect(),
            _ => return None,
        };
        let alpha = channels.get(3).map_or(1.0, |a| a / 255.0);
        Some(Color {
            rgb: [channels[0], channels[1], channels[2]],
            alpha,
            format: ColorFormat::Literal(text.to_string()),
        })
    }

    pub fn to_css(&self) -> String {
        let alpha = format_number(self.alpha)
            .parse::<f64>()
            .unwrap_or(self.alpha);
        match &self.format {
            ColorFormat::Literal(text) => text.clone(),
            ColorFormat::Hsl => {
                let hsl = self.to_hsl();
                let h = format_number(hsl.h);
                let s = format_number(hsl.s * 100.0);
                let l = format_number(hsl.l * 100.0);
                if alpha < 1.0 {
                    format!("hsla({h}, {s}%, {l}%, {})", format_number(clamp01(alpha)))
                } else {
                    format!("hsl({h}, {s}%, {l}%)")
                }
            }
            ColorFormat::Rgb => {
                let channels = self.rgb.map(|c| js_round(c).clamp(0.0, 255.0) as u8);
                if alpha < 1.0 {
                    format!(
                        "rgba({}, {}, {}, {})",
                        channels[0],
                        channels[1],
                        channels[2],
                        format_number(clamp01(alpha))
                    )
                } else {
                    format!("#{:02x}{:02x}{:02x}", channels[0], channels[1], channels[2])
                }
            }
        }
    }

    pub fn to_hsl(&self) -> Hsl {
        let [r, g, b] = self.rgb.map(|c| c / 255.0);
        let max = r.max(g).max(b);
        let min = r.min(g).min(b);
        let l = (max + min) / 2.0;
        let d = max - min;
        let (mut h, s);
        if max == min {
            h = 0.0;
            s = 0.0;
        } else {
            s = if l > 0.5 {
                d / (2.0 - max - min)
            } else {
                d / (max + min)
            };
            h = if max == r {
                (g - b) / d + if g < b { 6.0 } else { 0.0 }
            } else if max == g {
                (b - r) / d + 2.0
            } else {
                (r - g) / d + 4.0
            };
            h /= 6.0;
        }
        Hsl {
            h: h * 360.0,
            s,
            l,
            a: self.alpha,
        }
    }

    /// less.js `hsla(h, s, l, a)` with h in degrees, s/l/a in 0..1.
    pub fn from_hsl(h: f64, s: f64, l: f64, a: f64) -> Color {
        let h = (h % 360.0) / 360.0;
        let s = clamp01(s);
        let l = clamp01(l);
        let a = clamp01(a);
        let m2 = if l <= 0.5 {
            l * (s + 1.0)
        } else {
            l + s - l * s
        };
        let m1 = l * 2.0 - m2;
        let hue = |h: f64| {
            let h = if h < 0.0 {
                h + 1.0
            } else if h > 1.0 {
                h - 1.0
            } else {
                h
            };
            if h * 6.0 < 1.0 {
                m1 + (m2 - m1) * h * 6.0
            } else if h * 2.0 < 1.0 {
                m2
            } else if h * 3.0 < 2.0 {
                m1 + (m2 - m1) * (2.0 / 3.0 - h) * 6.0
            } else {
                m1
            }
        };
        Color::new(
            [
                hue(h + 1.0 / 3.0) * 255.0,
                hue(h) * 255.0,
                hue(h - 1.0 / 3.0) * 255.0,
            ],
            a,
        )
    }

    /// A colour computed from this one through HSL, printed in this
    /// colour's function form when it had one (less.js `hsla(origColor, hsl)`).
    pub fn with_hsl(&self, hsl: Hsl) -> Color {
        let mut color = Color::from_hsl(hsl.h, hsl.s, hsl.l, hsl.a);
        if self.format == ColorFormat::Hsl {
            color.format = ColorFormat::Hsl;
        }
        color
    }

    pub fn mix(first: &Color, second: &Color, weight_percent: f64) -> Color {
        let p = weight_percent / 100.0;
        let w = p * 2.0 - 1.0;
        let a = first.to_hsl().a - second.to_hsl().a;
        let w1 = (if w * a == -1.0 {
            w
        } else {
            (w + a) / (1.0 + w * a)
        } + 1.0)
            / 2.0;
        let w2 = 1.0 - w1;
        let rgb = [0, 1, 2].map(|i| first.rgb[i] * w1 + second.rgb[i] * w2);
        let alpha = first.alpha * p + second.alpha * (1.0 - p);
        Color::new(rgb, alpha)
    }

    /// `color op color` channel by channel (less.js `Color.operate`).
    pub fn operate(&self, op: char, other: &Color) -> Color {
        let rgb = [0, 1, 2].map(|i| apply(op, self.rgb[i], other.rgb[i]));
        let alpha = self.alpha * (1.0 - other.alpha) + other.alpha;
        Color::new(rgb, alpha)
    }
}

pub fn apply(op: char, left: f64, right: f64) -> f64 {
    match op {
        '+' => left + right,
        '-' => left - right,
        '*' => left * right,
        _ => left / right,
    }
}
