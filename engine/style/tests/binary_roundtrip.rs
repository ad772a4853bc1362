//! Precompiled WXSS (`compile_binary` + `StyleSheets::load_binary`) against
//! loading the same source: identical computed styles, pseudo-elements,
//! keyframes, font faces and diagnostics for every sample and fixture sheet
//! and a generated 2,000-rule sheet; bad binaries are reported, never panic.

mod common;

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use cirrus_layout::Viewport;
use cirrus_style::{compile_binary, NodeStyle, Pseudo, StyleDiagnostic, StyleOptions, StyleSheets};
use common::Tree;

const TAGS: &[&str] = &[
    "view",
    "text",
    "image",
    "button",
    "scroll-view",
    "input",
    "navigator",
    "swiper",
];

/// Option sets that change what load resolves: viewport (rpx, vw, media
/// sizes), dark mode, the renderer flags.
fn option_sets() -> Vec<StyleOptions> {
    vec![
        StyleOptions {
            viewport: Viewport::new(375.0, 667.0, 2.0),
            ..StyleOptions::default()
        },
        StyleOptions {
            viewport: Viewport::new(768.0, 1024.0, 1.0),
            dark_mode: true,
            default_display_block: true,
            default_content_box: true,
        },
    ]
}

/// Class names, ids and attribute names a sheet mentions (over-collecting
/// from values is harmless: the elements just carry extra names).
fn names_in(source: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut classes, mut ids, mut attributes) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let chars: Vec<char> = source.chars().collect();
    let ident_start = |c: char| c.is_alphabetic() || c == '_' || c == '-';
    let ident_char = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '.' | '#' | '[') && chars.get(i + 1).is_some_and(|n| ident_start(*n)) {
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && ident_char(chars[end]) {
                end += 1;
            }
            let name: String = chars[start..end].iter().collect();
            match c {
                '.' => classes.insert(name),
                '#' => ids.insert(name),
                _ => attributes.insert(name),
            };
            i = end;
        } else {
            i += 1;
        }
    }
    (
        classes.into_iter().collect(),
        ids.into_iter().collect(),
        attributes.into_iter().collect(),
    )
}

/// A ternary tree of elements carrying the sheet's names, so simple,
/// compound, descendant, child and sibling selectors all get matches.
fn tree_for(source: &str, max_elements: usize) -> Tree {
    let (classes, ids, attributes) = names_in(source);
    let count = (classes.len() + ids.len() + TAGS.len()).clamp(12, max_elements);
    let mut tree = Tree::new();
    let root = tree.add(None, "page");
    let mut nodes = vec![root];
    for i in 0..count {
        let mut spec = TAGS[i % TAGS.len()].to_owned();
        if !ids.is_empty() && i % 3 == 0 {
            spec.push('#');
            spec.push_str(&ids[(i / 3) % ids.len()]);
        }
        if !classes.is_empty() {
            spec.push('.');
            spec.push_str(&classes[i % classes.len()]);
            if i % 2 == 1 {
                spec.push('.');
                spec.push_str(&classes[(i * 7 + 3) % classes.len()]);
            }
        }
        let parent = nodes[i / 3];
        let node = tree.add(Some(parent), &spec);
        if !attributes.is_empty() && i % 4 == 0 {
            let name = &attributes[i % attributes.len()];
            tree.set_attribute(node, name, &format!("v{}", i % 10));
        }
        if i % 5 == 0 {
            tree.add_text(node);
        }
        nodes.push(node);
    }
    tree
}

/// Everything a page's styles expose, for one tree.
#[derive(Debug, PartialEq)]
struct Observed {
    rule_count: usize,
    font_faces: String,
    keyframes: String,
    nodes: Vec<String>,
}

fn observe(sheets: &StyleSheets, tree: &Tree, keyframe_names: &[String]) -> Observed {
    let count = tree.len();
    let mut styles: Vec<Option<NodeStyle>> = vec![None; count];
    let mut nodes = Vec::with_capacity(count);
    for i in 0..count {
        let parent = tree.parent_of(i).and_then(|p| styles[p].as_ref());
        let style = sheets.compute_node(&tree.el(i), parent);
        let before = sheets.compute_pseudo(&tree.el(i), &style.style, Pseudo::Before);
        let after = sheets.compute_pseudo(&tree.el(i), &style.style, Pseudo::After);
        let mut vars: Vec<_> = style.custom_properties.iter().collect();
        vars.sort();
        nodes.push(format!(
            "{:?}\n{:?}\n{vars:?}\n{before:?}\n{after:?}",
            style.style, style.motion
        ));
        styles[i] = Some(style);
    }
    let keyframes = keyframe_names
        .iter()
        .map(|name| {
            let found = sheets.keyframes(name);
            let frame_styles: Vec<_> = found
                .iter()
                .flat_map(|k| &k.frames)
                .map(|frame| sheets.keyframe_style(frame, sheets.initial_style(), None))
                .collect();
            format!("{found:?}{frame_styles:?}")
        })
        .collect();
    Observed {
        rule_count: sheets.rule_count(),
        font_faces: format!("{:?}", sheets.font_faces()),
        keyframes,
        nodes,
    }
}

fn keyframe_names(source: &str) -> Vec<String> {
    source
        .split("@keyframes")
        .skip(1)
        .filter_map(|rest| {
            rest.split(|c: char| c == '{' || c.is_whitespace())
                .find(|s| !s.is_empty())
        })
        .map(str::to_owned)
        .collect()
}

fn sorted(mut diagnostics: Vec<StyleDiagnostic>) -> Vec<String> {
    let mut out: Vec<String> = diagnostics
        .drain(..)
        .map(|d| {
            format!(
                "{}:{}:{} {} {}",
                d.file, d.line, d.column, d.is_error, d.message
            )
        })
        .collect();
    out.sort();
    out
}

/// Loads `page` from `files` as source and as precompiled binaries and
/// checks they agree.
fn check_page(label: &str, files: &HashMap<String, String>, page: &str, tree: &Tree) {
    let all_sources: String = files.values().cloned().collect();
    let keyframe_names = keyframe_names(&all_sources);
    let read_text = |path: &str| files.get(path).cloned();
    let compile_diagnostics = RefCell::new(Vec::new());
    let read_binary = |path: &str| {
        let source = files.get(path)?;
        let (bytes, diagnostics) = compile_binary(path, source);
        compile_diagnostics.borrow_mut().extend(diagnostics);
        Some(bytes)
    };
    for options in option_sets() {
        compile_diagnostics.borrow_mut().clear();
        let (text, text_diagnostics) = StyleSheets::load(page, &read_text, options);
        let (binary, mut binary_diagnostics) =
            StyleSheets::load_binary(page, &read_binary, options);
        binary_diagnostics.extend(compile_diagnostics.borrow_mut().drain(..));
        assert_eq!(
            sorted(text_diagnostics),
            sorted(binary_diagnostics),
            "{label}: diagnostics (source vs compile + binary load)"
        );
        let from_text = observe(&text, tree, &keyframe_names);
        let from_binary = observe(&binary, tree, &keyframe_names);
        assert_eq!(
            from_text.rule_count, from_binary.rule_count,
            "{label}: rules"
        );
        assert_eq!(
            from_text.font_faces, from_binary.font_faces,
            "{label}: fonts"
        );
        assert_eq!(
            from_text.keyframes, from_binary.keyframes,
            "{label}: keyframes"
        );
        for (i, (a, b)) in from_text.nodes.iter().zip(&from_binary.nodes).enumerate() {
            assert_eq!(a, b, "{label}: element {i} ({options:?})");
        }
    }
}

fn wxss_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            wxss_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "wxss") {
            out.push(path);
        }
    }
}

/// The mini program a file belongs to: the nearest folder with an
/// `app.json`, else the file's own folder.
fn package_root(file: &Path) -> PathBuf {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d.join("app.json").is_file() {
            return d.to_path_buf();
        }
        if d.ends_with("samples") || d.ends_with("fixtures") {
            break;
        }
        dir = d.parent();
    }
    file.parent().map(Path::to_path_buf).unwrap_or_default()
}

#[test]
fn every_sample_and_fixture_sheet_loads_the_same_from_binary() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    wxss_files(&repo.join("samples"), &mut files);
    wxss_files(&repo.join("fixtures"), &mut files);
    assert!(files.len() > 50, "found only {} .wxss files", files.len());
    let mut by_root: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    for file in files {
        by_root.entry(package_root(&file)).or_default().push(file);
    }
    let mut checked = 0;
    for (root, members) in &by_root {
        let sources: HashMap<String, String> = members
            .iter()
            .filter_map(|file| {
                let relative = file.strip_prefix(root).ok()?;
                let path = relative.to_string_lossy().replace('\\', "/");
                Some((path, std::fs::read_to_string(file).ok()?))
            })
            .collect();
        for (path, source) in &sources {
            if path == "app.wxss" {
                continue;
            }
            let page = path.strip_suffix(".wxss").unwrap_or(path);
            let app = sources.get("app.wxss").map_or("", String::as_str);
            let tree = tree_for(&format!("{app}\n{source}"), 120);
            check_page(&format!("{}/{path}", root.display()), &sources, page, &tree);
            checked += 1;
        }
    }
    assert!(checked > 50, "checked only {checked} pages");
}

/// A sheet shaped like `cirrus_benches::gen::wxss_sheet` (cirrus-benches
/// is not a dependency of this crate), plus the constructs it lacks.
fn generated_sheet(rules: usize) -> String {
    let mut state: u64 = 0x5EE7;
    let mut below = |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    let colors = [
        "#333",
        "#fff",
        "rgba(0, 0, 0, 0.5)",
        "red",
        "#07c160",
        "currentColor",
    ];
    let mut out = String::from(
        "@import 'common.wxss';\npage { --gap: 12rpx }\n\
         @font-face { font-family: 'Brand'; src: url('./fonts/brand.ttf'); }\n\
         @keyframes fade { from { opacity: 0 } 50% { opacity: 0.5; transform: translateX(10rpx) } to { opacity: 1 } }\n\
         @media (prefers-color-scheme: dark) { .c1-title { color: #eee } }\n\
         @media (min-width: 500px) { .c2 > view { width: 50vw } }\n\
         .c3::before { content: 'x'; width: calc(100% - 20rpx) } .c3:not(.c4) { margin: var(--gap) }\n\
         .c5 { background-image: linear-gradient(45deg, red 10%, blue); box-shadow: 0 2rpx 4rpx rgba(0,0,0,.3) !important; transition: opacity 0.3s ease-in-out; animation: fade 1s infinite }\n",
    );
    for n in 0..rules {
        let block = n / 8;
        let tag = TAGS[below(TAGS.len())];
        let selector = match below(7) {
            0 => format!(".c{block}-title"),
            1 => format!(".c{block} .c{}-body", below(200)),
            2 => format!("{tag}.c{block}:first-child"),
            3 => format!(".c{block} > {tag}"),
            4 => format!("[data-k{block}=\"v{}\"]", below(10)),
            5 => format!(".c{block} + .c{}:nth-child(2n+1)", below(200)),
            _ => format!("#id{n}, .c{block}-alt"),
        };
        out.push_str(&selector);
        out.push_str(" { ");
        for _ in 0..(2 + below(5)) {
            let declaration = match below(11) {
                0 => format!("width: {}rpx", 10 * (1 + below(70))),
                1 => format!("height: {}rpx", 10 * (1 + below(40))),
                2 => format!("margin: {}rpx {}rpx", 4 * below(10), 4 * below(10)),
                3 => format!("padding: {}px", 2 * below(12)),
                4 => format!("color: {}", colors[below(colors.len())]),
                5 => format!("background-color: {}", colors[below(colors.len())]),
                6 => format!("font-size: {}rpx", 20 + 2 * below(10)),
                7 => "display: flex; flex-direction: column".to_owned(),
                8 => format!("border-radius: {}rpx", 2 * below(20)),
                9 => format!(
                    "border: {}px solid {}",
                    below(4),
                    colors[below(colors.len())]
                ),
                _ => format!("opacity: 0.{}", 1 + below(9)),
            };
            out.push_str(&declaration);
            out.push_str("; ");
        }
        out.push_str("}\n");
    }
    out
}

#[test]
fn generated_two_thousand_rule_sheet_loads_the_same_from_binary() {
    let page_source = generated_sheet(2_000);
    let files: HashMap<String, String> = [
        ("pages/list/list.wxss", page_source.as_str()),
        (
            "pages/list/common.wxss",
            ".c0 { line-height: 1.5; font-family: Brand, sans-serif }",
        ),
        (
            "app.wxss",
            "page { font-size: 28rpx } .c1 { padding: 1vh 2vmin }",
        ),
    ]
    .into_iter()
    .map(|(p, s)| (p.to_owned(), s.to_owned()))
    .collect();
    let tree = tree_for(&page_source, 400);
    check_page("generated", &files, "pages/list/list", &tree);
}

fn compiled_page() -> Vec<u8> {
    let (bytes, diagnostics) = compile_binary("pages/index/index.wxss", &generated_sheet(40));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    bytes
}

fn load_page_binary(bytes: Vec<u8>) -> Vec<StyleDiagnostic> {
    let read = move |path: &str| {
        if path == "pages/index/index.wxss" {
            Some(bytes.clone())
        } else {
            None
        }
    };
    StyleSheets::load_binary("pages/index/index", &read, common::options()).1
}

fn assert_bad_binary(diagnostics: &[StyleDiagnostic], what: &str) {
    assert!(
        diagnostics.iter().any(|d| d.is_error
            && d.file == "pages/index/index.wxss"
            && (d.line, d.column) == (1, 1)
            && d.message.contains("could not be decoded")),
        "{what}: {diagnostics:?}"
    );
}

#[test]
fn truncated_binaries_are_reported_at_every_length() {
    let bytes = compiled_page();
    for len in 0..bytes.len() {
        let diagnostics = load_page_binary(bytes[..len].to_vec());
        assert_bad_binary(&diagnostics, &format!("truncated to {len} bytes"));
    }
}

#[test]
fn foreign_and_stale_binaries_are_reported() {
    let bytes = compiled_page();
    let mut stale = bytes.clone();
    stale[8] = stale[8].wrapping_add(1); // the format version
    let diagnostics = load_page_binary(stale);
    assert_bad_binary(&diagnostics, "other format version");
    assert!(
        diagnostics[0].message.contains("recompile"),
        "{diagnostics:?}"
    );
    assert_bad_binary(
        &load_page_binary(b"not a style sheet at all".to_vec()),
        "text",
    );
    let mut trailing = bytes;
    trailing.push(0);
    assert_bad_binary(&load_page_binary(trailing), "trailing byte");
}

#[test]
fn corrupted_binaries_are_reported_without_panicking() {
    let bytes = compiled_page();
    // Flip each byte in turn (the checksum catches these).
    for at in 0..bytes.len() {
        let mut corrupted = bytes.clone();
        corrupted[at] ^= 0x5a;
        let diagnostics = load_page_binary(corrupted);
        assert_bad_binary(&diagnostics, &format!("byte {at} flipped"));
    }
}

/// The format's body checksum (FNV-1a over 8-byte words), recomputed here
/// so corrupted bodies reach the decoder itself.
fn body_checksum(body: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut words = body.chunks_exact(8);
    for word in &mut words {
        let word = u64::from_le_bytes(word.try_into().expect("8 bytes"));
        hash = (hash ^ word).wrapping_mul(0x0000_0100_0000_01b3);
    }
    for byte in words.remainder() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[test]
fn corrupted_bodies_with_valid_checksums_never_panic() {
    const HEADER: usize = 20;
    let bytes = compiled_page();
    assert_eq!(
        body_checksum(&bytes[HEADER..]).to_le_bytes(),
        bytes[12..HEADER],
        "the test's checksum matches the format's"
    );
    let mut reported = 0;
    for at in HEADER..bytes.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut corrupted = bytes.clone();
            corrupted[at] ^= flip;
            let checksum = body_checksum(&corrupted[HEADER..]);
            corrupted[12..HEADER].copy_from_slice(&checksum.to_le_bytes());
            // Either a diagnostic or some (wrong but well-formed) rules.
            let diagnostics = load_page_binary(corrupted);
            reported += usize::from(!diagnostics.is_empty());
        }
    }
    assert!(reported > 0, "some corruptions must be detected");
}
