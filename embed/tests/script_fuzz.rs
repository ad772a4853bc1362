//! Property-based fuzzing of the `--input` step format (`script::parse`):
//! whatever bytes a step file holds, reading it returns steps or located
//! errors, never a panic, and every well-formed step reads back as itself.
//!
//! The default case count keeps this a few seconds in a debug build; for a
//! longer local run: `PROPTEST_CASES=100000 cargo test -p cirrus-embed --test script_fuzz`.

use cirrus_embed::script::{parse, Step};
use proptest::prelude::*;
use std::time::Duration;

/// Fragments that step files are made of, so random text reaches deep into
/// the reader instead of failing at the first byte.
fn json_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        Just("\n".to_owned()),
        Just("\"wait\"".to_owned()),
        Just("\"tap\"".to_owned()),
        Just("\"drag\"".to_owned()),
        Just("\"pinch\"".to_owned()),
        Just("\"wheel\"".to_owned()),
        Just("\"from\"".to_owned()),
        Just("\"to\"".to_owned()),
        Just("\"ms\"".to_owned()),
        Just("\"at\"".to_owned()),
        Just("\"shot\"".to_owned()),
        Just("\"text\"".to_owned()),
        Just("\"key\"".to_owned()),
        Just("null".to_owned()),
        Just("1e309".to_owned()),
        Just("-0".to_owned()),
        Just("\"\\ud800\"".to_owned()),
        any::<f64>().prop_map(|f| f.to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
        "[a-z\"\\\\ ]{0,6}",
    ]
}

fn point() -> impl Strategy<Value = (f32, f32)> {
    (-5000i32..5000, -5000i32..5000).prop_map(|(x, y)| (x as f32 / 4.0, y as f32 / 4.0))
}

fn millis() -> impl Strategy<Value = u64> {
    0u64..600_000
}

/// A well-formed step and the JSON that writes it.
fn step() -> impl Strategy<Value = (Step, String)> {
    prop_oneof![
        millis().prop_map(|ms| (
            Step::Wait(Duration::from_millis(ms)),
            format!("{{\"wait\": {ms}}}")
        )),
        point().prop_map(|(x, y)| (Step::Tap((x, y)), format!("{{\"tap\": [{x}, {y}]}}"))),
        point().prop_map(|(x, y)| (
            Step::LongPress((x, y)),
            format!("{{\"longpress\": [{x}, {y}]}}")
        )),
        (point(), point(), millis()).prop_map(|(f, t, ms)| (
            Step::Drag {
                from: f,
                to: t,
                duration: Duration::from_millis(ms)
            },
            format!(
                "{{\"drag\": {{\"from\": [{}, {}], \"to\": [{}, {}], \"ms\": {ms}}}}}",
                f.0, f.1, t.0, t.1
            )
        )),
        (point(), -5000i32..5000).prop_map(|(p, d)| (
            Step::Wheel {
                at: p,
                dx: 0.0,
                dy: d as f32
            },
            format!("{{\"wheel\": {{\"at\": [{}, {}], \"dy\": {d}}}}}", p.0, p.1)
        )),
        "[a-zA-Z0-9 ]{0,12}"
            .prop_map(|s| (Step::Text(s.clone()), format!("{{\"text\": \"{s}\"}}"))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_text_reads_to_steps_or_located_errors(parts in prop::collection::vec(json_fragment(), 0..40)) {
        let text = parts.concat();
        if let Err(errors) = parse("steps.json", &text) {
            prop_assert!(!errors.is_empty());
            for e in &errors {
                prop_assert_eq!(&e.file, "steps.json");
                prop_assert!(e.line >= 1, "unlocated: {e}");
                prop_assert!(!e.message.is_empty());
            }
        }
    }

    #[test]
    fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = parse("steps.json", &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn well_formed_steps_read_back_as_written(steps in prop::collection::vec(step(), 0..12)) {
        let text = format!(
            "[\n{}\n]",
            steps.iter().map(|(_, json)| json.as_str()).collect::<Vec<_>>().join(",\n")
        );
        let read = parse("steps.json", &text).map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        let expected: Vec<Step> = steps.into_iter().map(|(s, _)| s).collect();
        prop_assert_eq!(read, expected);
    }
}
