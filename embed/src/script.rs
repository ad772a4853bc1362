//! The `--input STEPS.json` format of `cirrus shot` (a public interface,
//! README "CLI"): a JSON array of steps played in order on the
//! controlled clock ([`crate::harness`]). Coordinates are CSS px in the
//! viewport (the window, bars included).
//!
//! | step | meaning |
//! | --- | --- |
//! | `{"wait": MS}` | advance the clock by MS, frames at 120 Hz |
//! | `{"tap": [X, Y]}` | a touch down and up |
//! | `{"longpress": [X, Y]}` | a touch held past 350 ms |
//! | `{"drag": {"from": [X, Y], "to": [X, Y], "ms": MS}}` | one touch in a straight line at constant speed, 120 moves a second, then lifted |
//! | `{"pinch": {"center": [X, Y], "from": D0, "to": D1, "ms": MS}}` | two touches D0 apart becoming D1 apart, horizontally about the centre |
//! | `{"wheel": {"at": [X, Y], "dx": DX, "dy": DY}}` | a wheel scroll |
//! | `{"text": "…"}` | text typed into the focused element |
//! | `{"key": "Enter"}` | a key, by its W3C name |
//! | `{"shot": "FILE.png", "layout": "FILE.json"}` | writes the frame now and/or its layout file (with `visual` boxes) |
//!
//! Reading never stops at the first problem: every bad step is reported
//! with the file, line and column where it is.

use crate::harness::Harness;
use crate::EmbedError;
use cirrus_engine::diagnostics::line_col_at;
use cirrus_engine::input::InputEvent;
use cirrus_engine::json_locate::{locate, JsonStep};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

/// A step file that cannot be played, located.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ScriptError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// A point in CSS px.
pub type Point = (f32, f32);

/// One step of an input script.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Wait(Duration),
    Tap(Point),
    LongPress(Point),
    Drag {
        from: Point,
        to: Point,
        duration: Duration,
    },
    Pinch {
        center: Point,
        from: f32,
        to: f32,
        duration: Duration,
    },
    Wheel {
        at: Point,
        dx: f32,
        dy: f32,
    },
    Text(String),
    Key(String),
    Shot {
        image: Option<PathBuf>,
        layout: Option<PathBuf>,
    },
}

/// Longest `wait`, drag or pinch one step may ask for (virtual time; a
/// typo of a few zeros must not keep a shot busy for hours).
const MAX_STEP_TIME: Duration = Duration::from_secs(600);

/// Reads a step file. `Err` lists every problem found.
pub fn parse(file: &str, text: &str) -> Result<Vec<Step>, Vec<ScriptError>> {
    let located = |path: &[JsonStep], message: String| {
        let offset = locate(text, path).unwrap_or(0);
        let (line, column) = line_col_at(text, offset);
        ScriptError {
            file: file.to_owned(),
            line,
            column,
            message,
        }
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(vec![ScriptError {
                file: file.to_owned(),
                line: e.line() as u32,
                column: e.column() as u32,
                message: format!("not JSON: {e}"),
            }])
        }
    };
    let Value::Array(items) = value else {
        return Err(vec![located(&[], "the steps must be a JSON array".into())]);
    };
    let mut steps = Vec::new();
    let mut errors = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match step(item) {
            Ok(step) => steps.push(step),
            Err((key, message)) => {
                let mut path = vec![JsonStep::Index(index)];
                if let Some(key) = key.as_deref() {
                    path.push(JsonStep::Key(key));
                }
                errors.push(located(&path, format!("step {}: {message}", index + 1)));
            }
        }
    }
    if errors.is_empty() {
        Ok(steps)
    } else {
        Err(errors)
    }
}

/// A problem with a step: the key it is about (if any) and what is wrong.
type StepProblem = (Option<String>, String);

fn step(item: &Value) -> Result<Step, StepProblem> {
    let Value::Object(map) = item else {
        return Err((
            None,
            "a step is an object such as {\"tap\": [100, 200]}".into(),
        ));
    };
    if map.contains_key("shot") || map.contains_key("layout") {
        if let Some(extra) = map.keys().find(|k| *k != "shot" && *k != "layout") {
            return Err((
                Some(extra.clone()),
                format!("unknown key `{extra}` in a shot step"),
            ));
        }
        let path = |key: &str| -> Result<Option<PathBuf>, StepProblem> {
            match map.get(key) {
                None => Ok(None),
                Some(Value::String(s)) if !s.is_empty() => Ok(Some(PathBuf::from(s))),
                Some(_) => Err((Some(key.into()), format!("`{key}` must be a file name"))),
            }
        };
        return Ok(Step::Shot {
            image: path("shot")?,
            layout: path("layout")?,
        });
    }
    if map.len() != 1 {
        return Err((None, "a step has exactly one kind (wait, tap, longpress, drag, pinch, wheel, text, key, shot)".into()));
    }
    let Some((kind, body)) = map.iter().next() else {
        return Err((None, "an empty step".into()));
    };
    let at = |problem: String| (Some(kind.clone()), problem);
    match kind.as_str() {
        "wait" => Ok(Step::Wait(millis(body).map_err(at)?)),
        "tap" => Ok(Step::Tap(point(body).map_err(at)?)),
        "longpress" => Ok(Step::LongPress(point(body).map_err(at)?)),
        "drag" => Ok(Step::Drag {
            from: point(field(body, "from").map_err(at)?).map_err(at)?,
            to: point(field(body, "to").map_err(at)?).map_err(at)?,
            duration: millis(field(body, "ms").map_err(at)?).map_err(at)?,
        }),
        "pinch" => Ok(Step::Pinch {
            center: point(field(body, "center").map_err(at)?).map_err(at)?,
            from: distance(field(body, "from").map_err(at)?).map_err(at)?,
            to: distance(field(body, "to").map_err(at)?).map_err(at)?,
            duration: millis(field(body, "ms").map_err(at)?).map_err(at)?,
        }),
        "wheel" => Ok(Step::Wheel {
            at: point(field(body, "at").map_err(at)?).map_err(at)?,
            dx: optional_number(body, "dx").map_err(at)?,
            dy: optional_number(body, "dy").map_err(at)?,
        }),
        "text" => match body {
            Value::String(s) => Ok(Step::Text(s.clone())),
            _ => Err(at("`text` must be a string".into())),
        },
        "key" => match body {
            Value::String(s) if !s.is_empty() => Ok(Step::Key(s.clone())),
            _ => Err(at("`key` must be a W3C key name such as \"Enter\"".into())),
        },
        other => Err(at(format!("unknown step `{other}`"))),
    }
}

fn field<'v>(body: &'v Value, key: &str) -> Result<&'v Value, String> {
    body.get(key).ok_or_else(|| format!("`{key}` is missing"))
}

fn finite(value: &Value) -> Option<f32> {
    value
        .as_f64()
        .filter(|v| v.is_finite() && v.abs() < 1e7)
        .map(|v| v as f32)
}

fn point(value: &Value) -> Result<Point, String> {
    match value.as_array().map(Vec::as_slice) {
        Some([x, y]) => match (finite(x), finite(y)) {
            (Some(x), Some(y)) => Ok((x, y)),
            _ => Err("a point is [X, Y] in CSS px".into()),
        },
        _ => Err("a point is [X, Y] in CSS px".into()),
    }
}

fn millis(value: &Value) -> Result<Duration, String> {
    match value.as_f64() {
        Some(ms) if ms.is_finite() && ms >= 0.0 && ms <= MAX_STEP_TIME.as_millis() as f64 => {
            Ok(Duration::from_secs_f64(ms / 1000.0))
        }
        _ => Err(format!(
            "a duration is a number of ms from 0 to {}",
            MAX_STEP_TIME.as_millis()
        )),
    }
}

fn distance(value: &Value) -> Result<f32, String> {
    finite(value)
        .filter(|d| *d >= 0.0)
        .ok_or_else(|| "a distance is a number of CSS px".into())
}

fn optional_number(body: &Value, key: &str) -> Result<f32, String> {
    match body.get(key) {
        None => Ok(0.0),
        Some(v) => finite(v).ok_or_else(|| format!("`{key}` must be a number")),
    }
}

/// Plays `steps` on `harness`. Shot steps write their files; a file that
/// cannot be written stops the script.
pub fn play(harness: &mut Harness, steps: &[Step]) -> Result<(), PlayError> {
    for step in steps {
        match step {
            Step::Wait(duration) => harness.wait(*duration)?,
            Step::Tap((x, y)) => harness.tap(*x, *y)?,
            Step::LongPress((x, y)) => harness.longpress(*x, *y)?,
            Step::Drag { from, to, duration } => harness.gesture(&[(*from, *to)], *duration)?,
            Step::Pinch {
                center,
                from,
                to,
                duration,
            } => {
                let touch = |side: f32| {
                    (
                        (center.0 + side * from / 2.0, center.1),
                        (center.0 + side * to / 2.0, center.1),
                    )
                };
                harness.gesture(&[touch(-1.0), touch(1.0)], *duration)?
            }
            Step::Wheel { at, dx, dy } => harness.input(InputEvent::Wheel {
                x: at.0,
                y: at.1,
                dx: *dx,
                dy: *dy,
            })?,
            Step::Text(text) => harness.input(InputEvent::Text {
                text: text.clone(),
                composing: false,
            })?,
            Step::Key(key) => harness.input(InputEvent::Key { key: key.clone() })?,
            Step::Shot { image, layout } => {
                if let Some(path) = image {
                    let capture = harness.capture()?;
                    capture.image.save(path).map_err(|e| PlayError::Write {
                        path: path.clone(),
                        message: e.to_string(),
                    })?;
                }
                if let Some(path) = layout {
                    let text = serde_json::to_string_pretty(&harness.layout()).map_err(|e| {
                        PlayError::Write {
                            path: path.clone(),
                            message: e.to_string(),
                        }
                    })?;
                    std::fs::write(path, text).map_err(|e| PlayError::Write {
                        path: path.clone(),
                        message: e.to_string(),
                    })?;
                }
            }
        }
    }
    Ok(())
}

/// Why a script stopped.
#[derive(Debug, thiserror::Error)]
pub enum PlayError {
    #[error(transparent)]
    Embed(#[from] EmbedError),
    #[error("cannot write {}: {message}", path.display())]
    Write { path: PathBuf, message: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_kind_reads() {
        let text = r#"[
            {"wait": 100},
            {"tap": [10, 20]},
            {"longpress": [1, 2]},
            {"drag": {"from": [0, 0], "to": [0, 100], "ms": 250}},
            {"pinch": {"center": [100, 100], "from": 50, "to": 150, "ms": 300}},
            {"wheel": {"at": [5, 6], "dy": 120}},
            {"text": "你好"},
            {"key": "Enter"},
            {"shot": "a.png", "layout": "a.json"}
        ]"#;
        let steps = parse("steps.json", text).expect("valid");
        assert_eq!(steps.len(), 9);
        assert_eq!(steps[0], Step::Wait(Duration::from_millis(100)));
        assert_eq!(
            steps[3],
            Step::Drag {
                from: (0.0, 0.0),
                to: (0.0, 100.0),
                duration: Duration::from_millis(250)
            }
        );
        assert_eq!(
            steps[5],
            Step::Wheel {
                at: (5.0, 6.0),
                dx: 0.0,
                dy: 120.0
            }
        );
        assert_eq!(
            steps[8],
            Step::Shot {
                image: Some("a.png".into()),
                layout: Some("a.json".into())
            }
        );
    }

    #[test]
    fn bad_steps_are_all_reported_with_their_place() {
        let text = "[\n  {\"tap\": [1]},\n  {\"wait\": 50},\n  {\"fly\": true}\n]";
        let errors = parse("steps.json", text).expect_err("two bad steps");
        assert_eq!(errors.len(), 2);
        assert_eq!((errors[0].line, errors[0].column), (2, 11));
        assert!(
            errors[0].message.contains("step 1"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[1].line, 4);
        assert!(errors[1].message.contains("unknown step `fly`"));
    }

    #[test]
    fn syntax_errors_and_non_arrays_are_located() {
        let errors = parse("s.json", "[{\"tap\": [1, 2]},").expect_err("truncated");
        assert_eq!(errors[0].line, 1);
        let errors = parse("s.json", "{\"tap\": [1, 2]}").expect_err("not an array");
        assert!(errors[0].message.contains("array"));
    }

    #[test]
    fn absurd_durations_are_refused() {
        let errors = parse("s.json", r#"[{"wait": 1e12}]"#).expect_err("too long");
        assert!(errors[0].message.contains("duration"));
    }
}
