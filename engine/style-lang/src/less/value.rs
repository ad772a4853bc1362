//! Evaluated LESS values and how lessc prints them (numbers rounded to 8
//! decimals, colours as written, `#rrggbb` or `rgba(r, g, b, a)`).

use super::color::Color;

#[derive(Debug, Clone)]
pub enum Value {
    Number(f64, String),
    Color(Color),
    Quoted {
        text: String,
        quote: char,
        escaped: bool,
    },
    Keyword(String),
    List(Vec<Value>, Separator),
    Raw(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    Space,
    Comma,
    /// `a/b` and `a / b`, kept by parens-division math.
    Slash {
        spaced: bool,
    },
}

impl Value {
    pub fn to_css(&self) -> String {
        match self {
            Value::Number(number, unit) => format!("{}{unit}", format_number(*number)),
            Value::Color(color) => color.to_css(),
            Value::Quoted {
                text,
                quote,
                escaped,
            } => {
                if *escaped {
                    text.clone()
                } else {
                    format!("{quote}{text}{quote}")
                }
            }
            Value::Keyword(word) | Value::Raw(word) => word.clone(),
            Value::List(items, separator) => {
                let joiner = match separator {
                    Separator::Space => " ",
                    Separator::Comma => ", ",
                    Separator::Slash { spaced: true } => " / ",
                    Separator::Slash { spaced: false } => "/",
                };
                items
                    .iter()
                    .map(Value::to_css)
                    .collect::<Vec<_>>()
                    .join(joiner)
            }
        }
    }

    /// The text used when interpolated into a string or selector:
    /// strings lose their quotes.
    pub fn to_interpolated(&self) -> String {
        match self {
            Value::Quoted { text, .. } => text.clone(),
            other => other.to_css(),
        }
    }

    pub fn as_number(&self) -> Option<(f64, &str)> {
        match self {
            Value::Number(number, unit) => Some((*number, unit)),
            _ => None,
        }
    }

    pub fn as_color(&self) -> Option<&Color> {
        match self {
            Value::Color(color) => Some(color),
            _ => None,
        }
    }
}

/// lessc's number printing: rounded to 8 decimal places, shortest form.
pub fn format_number(number: f64) -> String {
    let rounded = format!("{:.8}", number + 2e-16)
        .parse::<f64>()
        .unwrap_or(number);
    if rounded == 0.0 {
        return "0".to_string();
    }
    format!("{rounded}")
}

#[cfg(test)]
mod tests {
    use super::format_number;

    #[test]
    fn numbers_print_like_lessc() {
        assert_eq!(format_number(1.0 / 3.0), "0.33333333");
        assert_eq!(format_number(20.0), "20");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(0.8), "0.8");
        assert_eq!(format_number(-1.5), "-1.5");
    }
}
