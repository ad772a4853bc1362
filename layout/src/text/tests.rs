//! Text tests. Expected sizes come from headless Chromium on this machine
//! (fonts-liberation, fonts-noto-mono, fonts-noto-cjk, fonts-noto-color-emoji installed):
//! `display:inline-block` divs, `getBoundingClientRect()`.

// Chromium's sizes are exact multiples of 1/64 px and are kept as printed.
#![allow(clippy::excessive_precision)]

use super::*;
use crate::style::{
    ComputedStyle, LineHeight, TextAlign, TextDecorationLine, TextOverflow, WhiteSpace, WordBreak,
};
use taffy::prelude::{TaffyMaxContent, TaffyMinContent};

fn style(font_size: f32, family: &str) -> ComputedStyle {
    ComputedStyle {
        font_size,
        font_family: vec![family.to_string()],
        ..ComputedStyle::default()
    }
}

fn max_content(text_system: &mut TextSystem, paragraph: &Paragraph) -> Size<f32> {
    text_system.measure(
        paragraph,
        Size {
            width: None,
            height: None,
        },
        Size::MAX_CONTENT,
    )
}

fn at_width(text_system: &mut TextSystem, paragraph: &Paragraph, width: f32) -> Size<f32> {
    text_system.measure(
        paragraph,
        Size {
            width: Some(width),
            height: None,
        },
        Size {
            width: AvailableSpace::Definite(width),
            height: AvailableSpace::MaxContent,
        },
    )
}

fn assert_close(actual: Size<f32>, width: f32, height: f32, what: &str) {
    assert!(
        (actual.width - width).abs() <= 0.5 && (actual.height - height).abs() <= 0.5,
        "{what}: got {}x{}, Chromium {width}x{height}",
        actual.width,
        actual.height
    );
}

#[test]
fn latin_text_matches_chromium_sizes() {
    let mut text = TextSystem::new();
    let cases = [
        (16.0, "sans-serif", "Hello world", 79.140625, 18.0),
        (13.0, "sans-serif", "Hello world", 64.3125, 15.0),
        (20.0, "sans-serif", "Hello world", 98.9375, 23.0),
        (16.0, "serif", "Hello world", 76.875, 18.0),
        (16.0, "monospace", "Hello world", 105.609375, 22.0),
        (16.0, "DejaVu Sans", "Hello world", 89.703125, 19.0),
    ];
    for (size, family, content, width, height) in cases {
        let paragraph = Paragraph::plain(&style(size, family), content);
        assert_close(
            max_content(&mut text, &paragraph),
            width,
            height,
            &format!("{family} {size}px"),
        );
    }
}

#[test]
fn bold_text_is_wider() {
    let mut text = TextSystem::new();
    let bold = ComputedStyle {
        font_weight: 700,
        ..style(14.0, "sans-serif")
    };
    assert_close(
        max_content(&mut text, &Paragraph::plain(&bold, "Hello world")),
        75.453125,
        16.0,
        "bold 14px",
    );
}

#[test]
fn letter_and_word_spacing_add_to_the_width() {
    let mut text = TextSystem::new();
    let spaced = ComputedStyle {
        letter_spacing: 2.0,
        ..style(16.0, "sans-serif")
    };
    assert_close(
        max_content(&mut text, &Paragraph::plain(&spaced, "Hello world")),
        101.140625,
        18.0,
        "letter",
    );
    let words = ComputedStyle {
        word_spacing: 10.0,
        ..style(16.0, "sans-serif")
    };
    assert_close(
        max_content(&mut text, &Paragraph::plain(&words, "Hello world")),
        89.140625,
        18.0,
        "word",
    );
}

#[test]
fn cjk_and_emoji_fall_back_and_grow_the_line() {
    let mut text = TextSystem::new();
    let sans = style(16.0, "sans-serif");
    assert_close(
        max_content(&mut text, &Paragraph::plain(&sans, "中文测试")),
        64.015625,
        24.0,
        "CJK",
    );
    assert_close(
        max_content(&mut text, &Paragraph::plain(&sans, "Hello 中文")),
        72.921875,
        24.0,
        "mixed",
    );
    let emoji = max_content(&mut text, &Paragraph::plain(&sans, "😀"));
    assert!(
        emoji.width > 10.0 && (emoji.height - 19.0).abs() <= 0.5,
        "emoji {emoji:?}"
    );
}

#[test]
fn wraps_at_a_width_and_nowrap_stays_on_one_line() {
    let mut text = TextSystem::new();
    let sans = style(16.0, "sans-serif");
    let content = "Hello world this is a long text that wraps";
    let wrapped = at_width(&mut text, &Paragraph::plain(&sans, content), 100.0);
    assert_close(wrapped, 100.0, 72.0, "4 lines at 100px");

    let nowrap = ComputedStyle {
        white_space: WhiteSpace::NoWrap,
        ..sans.clone()
    };
    let single = at_width(&mut text, &Paragraph::plain(&nowrap, content), 100.0);
    assert_eq!(single.height, 18.0);

    // min-content is the longest word ("Hello"), max-content the whole line.
    let paragraph = Paragraph::plain(&sans, content);
    let min = text.measure(
        &paragraph,
        Size {
            width: None,
            height: None,
        },
        Size::MIN_CONTENT,
    );
    let max = max_content(&mut text, &paragraph);
    assert!(min.width > 20.0 && min.width < 50.0, "min-content {min:?}");
    assert!(
        max.width > 250.0 && max.height == 18.0,
        "max-content {max:?}"
    );
}

#[test]
fn fixed_line_heights() {
    let mut text = TextSystem::new();
    let px = ComputedStyle {
        line_height: LineHeight::Px(30.0),
        ..style(16.0, "sans-serif")
    };
    assert_eq!(
        max_content(&mut text, &Paragraph::plain(&px, "Hi")).height,
        30.0
    );
    let number = ComputedStyle {
        line_height: LineHeight::Number(1.5),
        ..style(16.0, "sans-serif")
    };
    let two_lines = at_width(&mut text, &Paragraph::plain(&number, "Hello world"), 50.0);
    assert_eq!(two_lines.height, 48.0);
}

#[test]
fn white_space_collapses_unless_pre() {
    let mut text = TextSystem::new();
    let sans = style(16.0, "sans-serif");
    let collapsed = max_content(&mut text, &Paragraph::plain(&sans, "  Hello \n\n  world  "));
    let plain = max_content(&mut text, &Paragraph::plain(&sans, "Hello world"));
    assert_eq!(collapsed, plain);
    let pre = ComputedStyle {
        white_space: WhiteSpace::Pre,
        ..sans.clone()
    };
    let three_lines = max_content(&mut text, &Paragraph::plain(&pre, "a\nb\nc"));
    assert_eq!(three_lines.height, 54.0);
    assert!(max_content(&mut text, &Paragraph::plain(&sans, " \n ")).height == 0.0);
}

#[test]
fn break_all_breaks_inside_words() {
    let mut text = TextSystem::new();
    let sans = style(16.0, "sans-serif");
    let word = "Supercalifragilistic";
    let normal = at_width(&mut text, &Paragraph::plain(&sans, word), 60.0);
    assert_eq!(
        normal.height, 18.0,
        "a long word overflows with word-break: normal"
    );
    let break_all = ComputedStyle {
        word_break: WordBreak::BreakAll,
        ..sans
    };
    let broken = at_width(&mut text, &Paragraph::plain(&break_all, word), 60.0);
    assert!(broken.height >= 54.0, "{broken:?}");
}

#[test]
fn second_identical_measure_hits_the_cache() {
    let mut text = TextSystem::new();
    let paragraph = Paragraph::plain(&style(16.0, "sans-serif"), "cache me");
    let first = max_content(&mut text, &paragraph);
    let after_first = text.stats();
    let second = max_content(&mut text, &paragraph);
    let after_second = text.stats();
    assert_eq!(first, second);
    assert_eq!(after_first.measure_misses, 1);
    assert_eq!(after_second.measure_misses, 1);
    assert_eq!(after_second.measure_calls, 2);
    // A new width re-wraps the already shaped paragraph: no new preparation.
    at_width(&mut text, &paragraph, 30.0);
    assert_eq!(text.stats().measure_misses, 2);
    assert_eq!(text.stats().paragraphs_prepared, 1);
    // A colour change is not a layout change.
    let mut recoloured = paragraph.clone();
    recoloured.spans[0].style.color = crate::style::Color::WHITE;
    max_content(&mut text, &recoloured);
    assert_eq!(text.stats().measure_misses, 2);
}

#[test]
fn line_clamp_truncates_with_an_ellipsis() {
    let mut text = TextSystem::new();
    let clamped = ComputedStyle {
        line_clamp: Some(2),
        ..style(16.0, "sans-serif")
    };
    let paragraph = Paragraph::plain(&clamped, "Hello world this is a long text that wraps");
    assert_eq!(at_width(&mut text, &paragraph, 100.0).height, 36.0);
    let shaped = text.shape(&paragraph, 100.0);
    assert!(shaped.ellipsized);
    assert_eq!(shaped.lines.len(), 2);
    assert_eq!(shaped.height, 36.0);
    let last = &shaped.lines[1];
    let ellipsis_glyph = last.glyphs.last().expect("glyphs");
    assert!(ellipsis_glyph.x + ellipsis_glyph.w <= 100.0 + WRAP_SLACK);
    // The ellipsis is the last glyph: its cluster is past the cut text.
    assert!(last.width <= 100.0 + WRAP_SLACK);
    // Shaped output is cached.
    let again = text.shape(&paragraph, 100.0);
    assert!(Arc::ptr_eq(&shaped, &again));
    assert_eq!(text.stats().shape_misses, 1);
}

#[test]
fn nowrap_ellipsis_fits_the_width() {
    let mut text = TextSystem::new();
    let nowrap = ComputedStyle {
        white_space: WhiteSpace::NoWrap,
        text_overflow: TextOverflow::Ellipsis,
        ..style(16.0, "sans-serif")
    };
    let paragraph = Paragraph::plain(&nowrap, "Hello world this is a long text");
    let shaped = text.shape(&paragraph, 80.0);
    assert!(shaped.ellipsized);
    assert_eq!(shaped.lines.len(), 1);
    assert!(
        shaped.width <= 80.0 + WRAP_SLACK && shaped.width > 40.0,
        "{}",
        shaped.width
    );
    let short = text.shape(&Paragraph::plain(&nowrap, "Hi"), 80.0);
    assert!(!short.ellipsized);
}

#[test]
fn shaped_lines_stack_and_carry_span_indices() {
    let mut text = TextSystem::new();
    let sans = style(16.0, "sans-serif");
    let red = TextStyle {
        color: crate::style::Color::rgba8(255, 0, 0, 1.0),
        ..TextStyle::from_computed(&sans)
    };
    let mut underlined = TextStyle::from_computed(&sans);
    underlined.decoration.line = TextDecorationLine {
        underline: true,
        ..Default::default()
    };
    let paragraph = Paragraph::from_computed(
        &sans,
        vec![
            TextSpan::new("Hello ", red),
            TextSpan::new("world again and again", underlined),
        ],
    );
    let shaped = text.shape(&paragraph, 100.0);
    assert!(shaped.lines.len() >= 2);
    for pair in shaped.lines.windows(2) {
        assert_eq!(pair[1].top, pair[0].top + pair[0].height);
    }
    let first = &shaped.lines[0];
    assert!(first.baseline > first.top && first.baseline < first.top + first.height);
    assert_eq!(first.glyphs[0].metadata, 0);
    assert!(shaped
        .lines
        .iter()
        .flat_map(|l| &l.glyphs)
        .any(|g| g.metadata == 1));
    assert!(!shaped.decorations.is_empty());
    for segment in &shaped.decorations {
        assert_eq!(segment.span, 1);
        assert_eq!(segment.kind, DecorationKind::Underline);
        assert!(segment.width > 0.0 && segment.thickness >= 1.0);
    }
    let underline = shaped.decorations[0];
    assert!(underline.y > first.baseline && underline.y < first.top + first.height);
}

#[test]
fn centered_text_is_offset() {
    let mut text = TextSystem::new();
    let centered = ComputedStyle {
        text_align: TextAlign::Center,
        ..style(16.0, "sans-serif")
    };
    let shaped = text.shape(&Paragraph::plain(&centered, "Hi"), 200.0);
    let first_x = shaped.lines[0].glyphs[0].x;
    let expected = (200.0 - shaped.lines[0].width) / 2.0;
    assert!((first_x - expected).abs() < 0.5, "{first_x} vs {expected}");
}

#[test]
fn load_font_rejects_garbage() {
    let mut text = TextSystem::new();
    assert!(matches!(
        text.load_font(vec![1, 2, 3]),
        Err(LayoutError::NoFontFace { len: 3 })
    ));
}

#[test]
fn baselines_match_chromium() {
    // Offsets of the first baseline from the top of the line box, from an
    // empty inline-block placed on the baseline in headless Chromium.
    let mut text = TextSystem::new();
    let cases = [
        (style(16.0, "sans-serif"), "Hxg", 14.0, 18.0),
        (style(13.0, "sans-serif"), "Hxg", 12.0, 15.0),
        (
            ComputedStyle {
                line_height: LineHeight::Px(30.0),
                ..style(16.0, "sans-serif")
            },
            "Hxg",
            20.0,
            30.0,
        ),
        (style(16.0, "DejaVu Sans"), "Hxg", 15.0, 19.0),
        (style(16.0, "sans-serif"), "中文", 19.0, 24.0),
    ];
    for (computed, content, baseline, height) in cases {
        let shaped = text.shape(&Paragraph::plain(&computed, content), 300.0);
        let line = &shaped.lines[0];
        assert_eq!(
            (line.baseline, line.height),
            (baseline, height),
            "{content} {:?}",
            computed.font_family
        );
    }
}

/// The text fixtures of `fixtures/layout/text_*` (Chromium boxes), measured
/// directly, without the cascade.
#[test]
fn text_fixtures_match() {
    let mut text = TextSystem::new();
    let dejavu = |font_size: f32, line_height: LineHeight| ComputedStyle {
        line_height,
        ..style(font_size, "DejaVu Sans")
    };
    let normal = LineHeight::Normal;
    let cases: [(ComputedStyle, &str, Option<f32>, f32, f32); 9] = [
        (dejavu(16.0, normal), "Hello", None, 40.5625, 19.0),
        (dejavu(24.0, normal), "Hello", None, 60.84375, 28.0),
        (
            ComputedStyle {
                letter_spacing: 4.0,
                ..dejavu(16.0, LineHeight::Px(20.0))
            },
            "Hello",
            None,
            60.5625,
            20.0,
        ),
        (
            dejavu(20.0, LineHeight::Number(1.5)),
            "Hello",
            None,
            50.703125,
            30.0,
        ),
        (
            ComputedStyle {
                line_height: LineHeight::Px(30.0),
                ..style(20.0, "Noto Sans CJK SC")
            },
            "你好世界",
            None,
            80.0,
            30.0,
        ),
        (
            ComputedStyle {
                line_height: LineHeight::Px(24.0),
                ..style(16.0, "Noto Sans CJK SC")
            },
            "天地玄黄宇宙洪荒日月盈昃辰宿列张",
            Some(100.0),
            100.0,
            72.0,
        ),
        (
            ComputedStyle {
                white_space: WhiteSpace::NoWrap,
                ..dejavu(16.0, LineHeight::Px(20.0))
            },
            "The quick brown fox jumps over the lazy dog",
            Some(120.0),
            120.0,
            20.0,
        ),
        (
            dejavu(16.0, LineHeight::Px(20.0)),
            "The quick brown fox jumps over the lazy dog",
            Some(150.0),
            150.0,
            60.0,
        ),
        (
            dejavu(16.0, LineHeight::Px(20.0)),
            "Right side",
            None,
            80.0,
            20.0,
        ),
    ];
    for (computed, content, width, expected_width, expected_height) in cases {
        let paragraph = Paragraph::plain(&computed, content);
        let size = match width {
            Some(width) => at_width(&mut text, &paragraph, width),
            None => max_content(&mut text, &paragraph),
        };
        assert_close(size, expected_width, expected_height, content);
    }
    let nowrap = ComputedStyle {
        white_space: WhiteSpace::NoWrap,
        ..dejavu(16.0, LineHeight::Px(20.0))
    };
    let long = Paragraph::plain(&nowrap, "The quick brown fox jumps over the lazy dog");
    assert_close(
        max_content(&mut text, &long),
        359.875,
        20.0,
        "nowrap max-content",
    );
}

/// `text_nested_inline` and `text_align_*`: nested inline boxes.
#[test]
fn nested_inline_fragments_match_chromium() {
    let mut text = TextSystem::new();
    let root = ComputedStyle {
        line_height: LineHeight::Px(30.0),
        ..style(16.0, "DejaVu Sans")
    };
    let big = TextStyle {
        font_size: 24.0,
        ..TextStyle::from_computed(&root)
    };
    let plain = TextStyle::from_computed(&root);
    let paragraph = Paragraph::from_computed(
        &root,
        vec![
            TextSpan::new("Hello ", plain.clone()),
            TextSpan::new("big", big),
            TextSpan::new(" world", plain),
        ],
    );
    assert_close(
        max_content(&mut text, &paragraph),
        131.921875,
        33.0,
        "nested",
    );
    let shaped = text.shape(&paragraph, 131.921875);
    let fragment = shaped
        .fragments
        .iter()
        .find(|f| f.span == 1)
        .copied()
        .expect("fragment of span 1");
    let expected = (45.640625, 1.0, 37.140625, 28.0);
    let actual = (fragment.x, fragment.y, fragment.width, fragment.height);
    assert!(
        (actual.0 - expected.0).abs() < 0.5
            && (actual.1 - expected.1).abs() < 0.5
            && (actual.2 - expected.2).abs() < 0.5
            && (actual.3 - expected.3).abs() < 0.5,
        "{actual:?} vs {expected:?}"
    );

    for (align, expected_x) in [
        (TextAlign::Center, 139.609375),
        (TextAlign::Right, 257.671875),
    ] {
        let root = ComputedStyle {
            text_align: align,
            line_height: LineHeight::Px(24.0),
            ..style(16.0, "DejaVu Sans")
        };
        let span = TextStyle::from_computed(&root);
        let paragraph = Paragraph::from_computed(
            &root,
            vec![
                TextSpan::new("Hi ", span.clone()),
                TextSpan::new("there", span),
            ],
        );
        let shaped = text.shape(&paragraph, 300.0);
        let there = shaped
            .fragments
            .iter()
            .find(|f| f.span == 1)
            .copied()
            .expect("fragment");
        assert!(
            (there.x - expected_x).abs() < 0.5,
            "{align:?}: {} vs {expected_x}",
            there.x
        );
        assert_eq!((there.y, there.height), (2.0, 19.0));
        assert!((there.width - 42.328125).abs() < 0.5);
    }
}

#[test]
fn ellipsized_lines_keep_their_alignment() {
    let mut text = TextSystem::new();
    let centered = ComputedStyle {
        text_align: TextAlign::Center,
        line_clamp: Some(1),
        ..style(16.0, "sans-serif")
    };
    let paragraph = Paragraph::plain(&centered, "Hello world this is a long text that wraps");
    let shaped = text.shape(&paragraph, 100.0);
    assert!(shaped.ellipsized);
    let line = &shaped.lines[0];
    let expected = (100.0 + WRAP_SLACK - line.width) / 2.0;
    assert!(
        (line.glyphs[0].x - expected).abs() < 0.5,
        "{} vs {expected}",
        line.glyphs[0].x
    );
}

#[test]
fn italic_cjk_falls_back_to_an_upright_face_instead_of_missing_glyphs() {
    let mut text = TextSystem::new();
    let italic = ComputedStyle {
        font_style: crate::style::FontStyle::Italic,
        ..style(16.0, "sans-serif")
    };
    let paragraph = Paragraph::plain(&italic, "旅行笔记 notes");
    let shaped = text.shape(&paragraph, 400.0);
    let glyphs: Vec<_> = shaped.lines.iter().flat_map(|l| l.glyphs.iter()).collect();
    assert!(!glyphs.is_empty());
    // Glyph id 0 is .notdef: an empty box on screen.
    assert!(
        glyphs.iter().all(|g| g.glyph_id != 0),
        "some glyphs are .notdef"
    );
    let upright = Paragraph::plain(&style(16.0, "sans-serif"), "旅行笔记 notes");
    let a = max_content(&mut text, &paragraph);
    let b = max_content(&mut text, &upright);
    assert!(
        (a.width - b.width).abs() < 8.0,
        "italic {a:?} vs upright {b:?}"
    );
}

#[test]
fn a_font_loaded_under_a_family_name_is_what_css_naming_it_resolves_to() {
    let Ok(data) = std::fs::read("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf") else {
        panic!("scripts/setup installs fonts-dejavu-core");
    };
    assert_eq!(
        super::families_in_font(&data),
        vec!["DejaVu Sans Mono".to_string()]
    );
    assert!(super::families_in_font(b"not a font").is_empty());
    let mut text = TextSystem::new();
    let families = text.load_font_as("Brand Mono", data).expect("a font");
    assert_eq!(families, vec!["DejaVu Sans Mono".to_string()]);
    assert_eq!(
        text.resolve_family(&["'Brand Mono'".into(), "serif".into()]),
        "DejaVu Sans Mono"
    );
}
