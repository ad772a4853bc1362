//! Generic families resolve to the faces `scripts/setup` installs on any
//! machine that ran it, whatever other fonts are installed and whatever
//! order the font folders are read in (issue 9).
//!
//! Each test builds its own font database from font files, in a chosen
//! order, instead of trusting the machine's: the files are found by family
//! name among the installed fonts, so the tests run wherever set-up's
//! packages put them. Competitors are loaded before the faces that must
//! win, so a resolution that took "the first face found" (or fontconfig's
//! choice) fails here.

use super::fonts::{FontCatalog, GenericFamily};
use super::{Paragraph, TextSystem};
use crate::style::ComputedStyle;
use cosmic_text::{fontdb, FontSystem};
use std::path::{Path, PathBuf};
use taffy::geometry::Size;
use taffy::prelude::TaffyMaxContent;

/// What each generic family must resolve to after set-up: family and the
/// file of its regular face (fonts-liberation, fonts-noto-mono).
const SETUP_FACES: [(GenericFamily, &str, &str); 3] = [
    (
        GenericFamily::SansSerif,
        "Liberation Sans",
        "LiberationSans-Regular.ttf",
    ),
    (
        GenericFamily::Serif,
        "Liberation Serif",
        "LiberationSerif-Regular.ttf",
    ),
    (
        GenericFamily::Monospace,
        "Noto Sans Mono",
        "NotoSansMono-Regular.ttf",
    ),
];

/// Families set-up installs that are not anyone's first choice: they must
/// never win over the faces in `SETUP_FACES`. Always present after set-up,
/// so the tests have competitors even without the DejaVu extra fonts.
const SETUP_COMPETITORS: [&str; 3] = ["Liberation Mono", "Noto Mono", "Liberation Sans Narrow"];

/// The machine's fonts, only to find font files by family name.
fn installed_fonts() -> fontdb::Database {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    db
}

fn face_path(face: &fontdb::FaceInfo) -> Option<&Path> {
    match &face.source {
        fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => Some(path),
        fontdb::Source::Binary(_) => None,
    }
}

/// The files holding a face of a family `wanted` accepts, sorted.
fn files_of(installed: &fontdb::Database, wanted: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = installed
        .faces()
        .filter(|face| face.families.iter().any(|(name, _)| wanted(name)))
        .filter_map(face_path)
        .map(Path::to_path_buf)
        .collect();
    files.sort();
    files.dedup();
    files
}

fn files_of_family(installed: &fontdb::Database, family: &str) -> Vec<PathBuf> {
    let files = files_of(installed, |name| name == family);
    assert!(
        !files.is_empty(),
        "{family} is not installed: run scripts/setup"
    );
    files
}

/// The faces that compete with set-up's first choices: every DejaVu face
/// (core, plus the extra fonts' condensed, light and oblique faces where
/// installed) and `SETUP_COMPETITORS`.
fn competitor_files(installed: &fontdb::Database) -> Vec<PathBuf> {
    let mut files = files_of(installed, |name| name.starts_with("DejaVu"));
    for family in SETUP_COMPETITORS {
        files.extend(files_of_family(installed, family));
    }
    files
}

fn setup_files(installed: &fontdb::Database) -> Vec<PathBuf> {
    SETUP_FACES
        .iter()
        .flat_map(|(_, family, _)| files_of_family(installed, family))
        .collect()
}

fn database_of(files: &[PathBuf]) -> fontdb::Database {
    let mut db = fontdb::Database::new();
    for file in files {
        if let Err(error) = db.load_font_file(file) {
            panic!("loading {}: {error}", file.display());
        }
    }
    db
}

fn font_system_of(db: fontdb::Database) -> FontSystem {
    FontSystem::new_with_locale_and_db("en-US".to_owned(), db)
}

/// The file name of the regular face `family` selects in `font_system`.
fn regular_face_file(catalog: &FontCatalog, font_system: &FontSystem, family: &str) -> String {
    let id = catalog
        .primary_face(font_system, family, 400, false)
        .unwrap_or_else(|| panic!("no regular face of {family}"));
    font_system
        .db()
        .face(id)
        .and_then(face_path)
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| panic!("the face of {family} has no file"))
}

/// The generic families resolve to set-up's faces in `db`.
fn assert_setup_faces_win(db: fontdb::Database, what: &str) {
    let mut font_system = font_system_of(db);
    let catalog = FontCatalog::new(&mut font_system);
    for (generic, family, file) in SETUP_FACES {
        let css = generic.css_name();
        assert_eq!(catalog.generic(generic), family, "{what}: {css}");
        assert_eq!(
            catalog.resolve(&[css.to_owned()]),
            family,
            "{what}: font-family: {css}"
        );
        assert_eq!(
            regular_face_file(&catalog, &font_system, catalog.generic(generic)),
            file,
            "{what}: the face of {css}"
        );
    }
}

#[test]
fn generic_families_pick_setup_faces_whatever_else_is_installed() {
    let installed = installed_fonts();
    let competitors = competitor_files(&installed);
    let setup = setup_files(&installed);

    // Competitors first: a "first face found" pick would take one of them.
    let competitors_first = database_of(&[competitors.clone(), setup.clone()].concat());
    let first_monospaced = competitors_first
        .faces()
        .find(|face| face.monospaced)
        .and_then(|face| face.families.first())
        .map(|(name, _)| name.as_str());
    assert_ne!(
        first_monospaced,
        Some("Noto Sans Mono"),
        "the test needs a monospaced competitor ahead of Noto Sans Mono"
    );
    assert_setup_faces_win(competitors_first, "competitors loaded first");

    let setup_first = database_of(&[setup.clone(), competitors.clone()].concat());
    assert_setup_faces_win(setup_first, "set-up faces loaded first");

    // What a user's machine looks like: every installed font, with the
    // DejaVu and other competing faces found (again) before them.
    let mut everything = database_of(&competitors);
    everything.load_system_fonts();
    assert_setup_faces_win(everything, "all installed fonts");
}

#[test]
fn monospace_measures_as_chromium_with_dejavu_installed() {
    let installed = installed_fonts();
    let files = [competitor_files(&installed), setup_files(&installed)].concat();
    let mut text = TextSystem::with_font_system(font_system_of(database_of(&files)));
    let style = ComputedStyle {
        font_size: 16.0,
        font_family: vec!["monospace".to_owned()],
        ..ComputedStyle::default()
    };
    let size = text.measure(
        &Paragraph::plain(&style, "Hello world"),
        Size {
            width: None,
            height: None,
        },
        Size::MAX_CONTENT,
    );
    // Chromium's Noto Sans Mono box (see `latin_text_matches_chromium_sizes`);
    // DejaVu Sans Mono would be 19px tall.
    assert!(
        (size.width - 105.609375).abs() <= 0.5 && (size.height - 22.0).abs() <= 0.5,
        "monospace 16px: got {}x{}, Chromium 105.609375x22",
        size.width,
        size.height
    );
}

#[test]
fn generic_families_fall_back_to_other_setup_faces_in_preference_order() {
    let installed = installed_fonts();
    // Set-up's first choices missing: the next installed preference wins,
    // whatever the load order.
    let mut files = competitor_files(&installed);
    for order in ["forward", "reversed"] {
        let mut font_system = font_system_of(database_of(&files));
        let catalog = FontCatalog::new(&mut font_system);
        assert_eq!(
            catalog.generic(GenericFamily::SansSerif),
            "DejaVu Sans",
            "{order}"
        );
        assert_eq!(
            catalog.generic(GenericFamily::Serif),
            "DejaVu Serif",
            "{order}"
        );
        assert_eq!(
            catalog.generic(GenericFamily::Monospace),
            "DejaVu Sans Mono",
            "{order}"
        );
        files.reverse();
    }
}

#[test]
fn generic_families_without_a_preferred_face_pick_by_name_not_load_order() {
    let installed = installed_fonts();
    // No family of any preference list: Liberation Sans Narrow, the CJK
    // faces (whose names sort after it) and the emoji face.
    let mut files = files_of_family(&installed, "Liberation Sans Narrow");
    files.extend(files_of(&installed, |name| {
        name.starts_with("Noto Sans CJK") || name == "Noto Color Emoji"
    }));
    let mut picks = Vec::new();
    for _order in ["forward", "reversed"] {
        let mut font_system = font_system_of(database_of(&files));
        let catalog = FontCatalog::new(&mut font_system);
        let pick: Vec<String> = GenericFamily::ALL
            .iter()
            .map(|generic| catalog.generic(*generic).to_owned())
            .collect();
        picks.push(pick);
        files.reverse();
    }
    assert_eq!(picks[0], picks[1], "the pick depends on the load order");
    assert_eq!(picks[0][0], "Liberation Sans Narrow", "sans-serif");
    assert!(
        picks[0].iter().all(|family| !family.contains("Emoji")),
        "an emoji face is no text face: {:?}",
        picks[0]
    );
}

#[test]
fn generic_families_without_any_font_keep_their_css_names() {
    let mut font_system = font_system_of(fontdb::Database::new());
    let catalog = FontCatalog::new(&mut font_system);
    assert_eq!(catalog.resolve(&["monospace".to_owned()]), "sans-serif");
    assert_eq!(catalog.resolve(&["Whatever".to_owned()]), "sans-serif");
}
