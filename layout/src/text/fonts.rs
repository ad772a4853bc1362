//! Font family resolution and vertical font metrics, chosen to match
//! Chromium on Linux (the reference the layout fixtures come from).
//!
//! - Generic families resolve the way Chromium's defaults do through
//!   fontconfig: `sans-serif` (Chromium's "Arial") -> Liberation Sans,
//!   `serif` ("Times New Roman") -> Liberation Serif, `monospace` -> Noto Sans
//!   Mono, each with installed fallbacks (DejaVu first among them).
//!   A family list resolves to its first installed entry; if none is
//!   installed, to sans-serif (Skyline's default face is the system sans).
//! - CJK and emoji are not chosen here: cosmic-text's per-glyph fallback
//!   finds Noto Sans CJK and Noto Color Emoji.
//! - Vertical metrics are rounded per font as Blink does
//!   (`FontMetrics::AscentDescentWithHacks`): ascent and descent are rounded
//!   to whole pixels. (Blink's Linux "borrow a pixel for the descent" hack is
//!   not applied: headless Chromium here puts the Liberation Sans 16px
//!   baseline at 14px, which only the plain rounding gives.)
//!   `line-height: normal` is round(ascent) + round(descent) + round(line gap).

use cosmic_text::fontdb;
use cosmic_text::FontSystem;
use std::collections::HashMap;

const SANS_SERIF: &[&str] = &["Liberation Sans", "Arimo", "DejaVu Sans", "Noto Sans"];
const SERIF: &[&str] = &["Liberation Serif", "Tinos", "DejaVu Serif", "Noto Serif"];
const MONOSPACE: &[&str] = &[
    "Noto Sans Mono",
    "DejaVu Sans Mono",
    "Liberation Mono",
    "Cousine",
];
const COURIER: &[&str] = &[
    "Liberation Mono",
    "Cousine",
    "Noto Sans Mono",
    "DejaVu Sans Mono",
];

/// Vertical metrics of one face in em units (positive numbers, y down for
/// the decoration offsets: an underline below the baseline has a positive offset).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct FaceMetrics {
    pub ascent: f32,
    pub descent: f32,
    pub line_gap: f32,
    /// Offset of the underline's top edge below the baseline.
    pub underline_offset: f32,
    pub underline_thickness: f32,
    /// Offset of the strike-through's top edge above the baseline.
    pub strikeout_offset: f32,
    pub strikeout_thickness: f32,
}

/// Font metrics at one size, in px, rounded as Chromium rounds them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct SizedMetrics {
    pub ascent: f32,
    pub descent: f32,
    pub line_gap: f32,
}

impl FaceMetrics {
    pub fn at_size(&self, font_size: f32) -> SizedMetrics {
        let raw_ascent = self.ascent * font_size;
        let raw_descent = self.descent * font_size;
        let mut ascent = raw_ascent.round();
        let mut descent = raw_descent.round();
        // Tiny fonts keep fractional metrics (Blink's subpixel_ascent_descent).
        // Tiny fonts keep fractional metrics (Blink's subpixel_ascent_descent).
        if raw_ascent < 3.0 || raw_ascent + raw_descent < 2.0 {
            ascent = raw_ascent;
            descent = raw_descent;
        }
        SizedMetrics {
            ascent,
            descent,
            line_gap: (self.line_gap * font_size).round(),
        }
    }
}

/// Resolves family names and caches face metrics.
pub(crate) struct FontCatalog {
    /// Lower-cased family name -> name as installed.
    installed: HashMap<String, String>,
    /// Lower-cased names given to loaded fonts (`wx.loadFontFace`'s
    /// `family`, `@font-face`'s `font-family`) -> name as installed. Kept
    /// across `refresh`, and looked up before installed names.
    aliases: HashMap<String, String>,
    metrics: HashMap<fontdb::ID, FaceMetrics>,
    sans_serif: String,
    serif: String,
    monospace: String,
}

impl FontCatalog {
    pub fn new(font_system: &mut FontSystem) -> Self {
        let mut catalog = FontCatalog {
            installed: HashMap::new(),
            aliases: HashMap::new(),
            metrics: HashMap::new(),
            sans_serif: String::new(),
            serif: String::new(),
            monospace: String::new(),
        };
        catalog.refresh(font_system);
        catalog
    }

    /// Makes `alias` (as CSS writes it) name the installed `family`.
    pub fn alias(&mut self, alias: &str, family: &str) {
        let alias = alias
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .to_lowercase();
        self.aliases.insert(alias, family.to_owned());
    }

    /// Re-reads the installed families (after a font was loaded).
    pub fn refresh(&mut self, font_system: &mut FontSystem) {
        self.installed.clear();
        for face in font_system.db().faces() {
            for (name, _) in &face.families {
                self.installed
                    .entry(name.to_lowercase())
                    .or_insert_with(|| name.clone());
            }
        }
        self.sans_serif = self
            .first_installed(SANS_SERIF)
            .unwrap_or("sans-serif")
            .to_string();
        self.serif = self.first_installed(SERIF).unwrap_or("serif").to_string();
        self.monospace = self
            .first_installed(MONOSPACE)
            .unwrap_or("monospace")
            .to_string();
        let db = font_system.db_mut();
        db.set_sans_serif_family(self.sans_serif.clone());
        db.set_serif_family(self.serif.clone());
        db.set_monospace_family(self.monospace.clone());
    }

    fn first_installed(&self, names: &[&str]) -> Option<&str> {
        names
            .iter()
            .find_map(|name| self.installed.get(&name.to_lowercase()).map(String::as_str))
    }

    /// The installed family a CSS `font-family` list resolves to.
    pub fn resolve(&self, families: &[String]) -> &str {
        for family in families {
            let wanted = family
                .trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_lowercase();
            let generic = match wanted.as_str() {
                "sans-serif" | "system-ui" | "-apple-system" | "blinkmacsystemfont" | "cursive"
                | "fantasy" | "arial" | "helvetica" | "helvetica neue" => Some(&self.sans_serif),
                "serif" | "times" | "times new roman" => Some(&self.serif),
                "monospace" => Some(&self.monospace),
                _ => None,
            };
            if let Some(name) = generic {
                return name;
            }
            if let Some(name) = self.aliases.get(&wanted) {
                return name;
            }
            if matches!(wanted.as_str(), "courier" | "courier new") {
                if let Some(name) = self.first_installed(COURIER) {
                    return name;
                }
            }
            if let Some(name) = self.installed.get(&wanted) {
                return name;
            }
        }
        &self.sans_serif
    }

    /// The face a family, weight and style select: the span's primary font.
    pub fn primary_face(
        &self,
        font_system: &FontSystem,
        family: &str,
        weight: u16,
        italic: bool,
    ) -> Option<fontdb::ID> {
        font_system.db().query(&fontdb::Query {
            families: &[fontdb::Family::Name(family)],
            weight: fontdb::Weight(weight),
            stretch: fontdb::Stretch::Normal,
            style: if italic {
                fontdb::Style::Italic
            } else {
                fontdb::Style::Normal
            },
        })
    }

    /// Metrics of a face, read once from its tables.
    pub fn face_metrics(&mut self, font_system: &mut FontSystem, id: fontdb::ID) -> FaceMetrics {
        if let Some(metrics) = self.metrics.get(&id) {
            return *metrics;
        }
        let metrics = font_system
            .get_font(id)
            .map(|font| read_face_metrics(&font))
            .unwrap_or(
                // A face that cannot be read: typical sans proportions.
                FaceMetrics {
                    ascent: 0.9,
                    descent: 0.2,
                    line_gap: 0.0,
                    underline_offset: 0.1,
                    underline_thickness: 0.05,
                    strikeout_offset: 0.3,
                    strikeout_thickness: 0.05,
                },
            );
        self.metrics.insert(id, metrics);
        metrics
    }
}

fn read_face_metrics(font: &cosmic_text::Font) -> FaceMetrics {
    let face = font.rustybuzz();
    let units = face.units_per_em().max(1) as f32;
    let ascent = f32::from(face.ascender()) / units;
    let descent = -f32::from(face.descender()) / units;
    let (underline_position, underline_thickness) = face
        .underline_metrics()
        .map(|m| {
            (
                f32::from(m.position) / units,
                f32::from(m.thickness) / units,
            )
        })
        .unwrap_or((-0.1, 0.05));
    let (strikeout_position, strikeout_thickness) = face
        .strikeout_metrics()
        .map(|m| {
            (
                f32::from(m.position) / units,
                f32::from(m.thickness) / units,
            )
        })
        .unwrap_or((ascent * 0.3, underline_thickness));
    FaceMetrics {
        ascent,
        descent,
        line_gap: f32::from(face.line_gap()).max(0.0) / units,
        // `post.underlinePosition` is the centre of the stroke, negative below the baseline.
        underline_offset: -underline_position - underline_thickness / 2.0,
        underline_thickness: underline_thickness.max(0.0),
        // OS/2 `yStrikeoutPosition` is the top edge of the stroke.
        strikeout_offset: strikeout_position,
        strikeout_thickness: strikeout_thickness.max(0.0),
    }
}
