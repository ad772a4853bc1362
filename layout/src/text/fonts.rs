//! Font family resolution and vertical font metrics, chosen to match
//! Chromium on Linux (the reference the layout fixtures come from).
//!
//! - Generic families resolve by explicit preference lists
//!   ([`GenericFamily::preferences`]), never by fontconfig's defaults or by
//!   the order fonts were found in: the first entry of each list is the face
//!   `scripts/setup` installs and the Chromium fixtures were made with
//!   (`sans-serif` -> Liberation Sans and `serif` -> Liberation Serif from
//!   fonts-liberation, `monospace` -> Noto Sans Mono from fonts-noto-mono),
//!   so any machine that ran set-up resolves them the same way whatever
//!   else is installed. Later entries are metric-compatible clones, then
//!   the DejaVu faces set-up also installs (fonts-dejavu-core); with none of
//!   a list installed, a deterministic pick among the installed faces of
//!   that kind ([`last_resort`]), else the sans-serif face.
//! - A family list resolves to its first installed entry; if none is
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

/// A CSS generic family (or a name Chromium treats as one) and the
/// installed family it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GenericFamily {
    SansSerif,
    Serif,
    Monospace,
}

impl GenericFamily {
    #[cfg(test)]
    pub(crate) const ALL: [GenericFamily; 3] = [
        GenericFamily::SansSerif,
        GenericFamily::Serif,
        GenericFamily::Monospace,
    ];

    /// The CSS name, and what the catalog falls back to when no face at
    /// all is installed.
    pub(crate) fn css_name(self) -> &'static str {
        match self {
            GenericFamily::SansSerif => "sans-serif",
            GenericFamily::Serif => "serif",
            GenericFamily::Monospace => "monospace",
        }
    }

    /// Installed families to use, best first. The first is the face
    /// `scripts/setup` installs (the one Chromium rendered the fixtures
    /// with); for sans and serif next a clone with the same metrics
    /// (ChromeOS's Arimo, Tinos); then the DejaVu faces set-up installs too
    /// (fontconfig's own first choices), then others. The later entries only
    /// matter on a machine without set-up's first choice: it still renders
    /// text, not with the fixtures' metrics.
    pub(crate) fn preferences(self) -> &'static [&'static str] {
        match self {
            // Chromium asks fontconfig for "Arial": Liberation Sans.
            GenericFamily::SansSerif => &["Liberation Sans", "Arimo", "DejaVu Sans", "Noto Sans"],
            // Chromium asks fontconfig for "Times New Roman": Liberation Serif.
            GenericFamily::Serif => &["Liberation Serif", "Tinos", "DejaVu Serif", "Noto Serif"],
            // fontconfig's monospace on the fixture machine: Noto Sans Mono.
            // (Noto Mono, its older version, has other vertical metrics.)
            GenericFamily::Monospace => &[
                "Noto Sans Mono",
                "DejaVu Sans Mono",
                "Liberation Mono",
                "Noto Mono",
                "Cousine",
            ],
        }
    }

    /// The generic a lower-cased, unquoted CSS family name stands for.
    /// Besides the CSS generics this covers the system-font keywords and the
    /// core fonts Chromium maps through fontconfig's metric aliases (Arial,
    /// Helvetica, Times): they must not depend on whether some machine has
    /// the real Arial installed.
    fn of_css_name(name: &str) -> Option<GenericFamily> {
        match name {
            "sans-serif" | "system-ui" | "-apple-system" | "blinkmacsystemfont" | "cursive"
            | "fantasy" | "arial" | "helvetica" | "helvetica neue" => {
                Some(GenericFamily::SansSerif)
            }
            "serif" | "times" | "times new roman" => Some(GenericFamily::Serif),
            "monospace" => Some(GenericFamily::Monospace),
            _ => None,
        }
    }
}

/// `Courier`/`Courier New`: Chromium gets Liberation Mono (fontconfig's
/// metric alias), not the generic monospace face.
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
        let db = font_system.db();
        self.sans_serif = self
            .resolve_generic(db, GenericFamily::SansSerif)
            .unwrap_or_else(|| GenericFamily::SansSerif.css_name().to_owned());
        // Serif and monospace text without a face of its kind still gets
        // the page's sans face rather than none.
        self.serif = self
            .resolve_generic(db, GenericFamily::Serif)
            .unwrap_or_else(|| self.sans_serif.clone());
        self.monospace = self
            .resolve_generic(db, GenericFamily::Monospace)
            .unwrap_or_else(|| self.sans_serif.clone());
        // cosmic-text's and fontdb's own generic families (used for
        // `Family::SansSerif` etc. and by its monospace fallback) agree with
        // ours; fontdb's built-in defaults ("Arial", "Courier New", ...)
        // would otherwise depend on what happens to be installed.
        let db = font_system.db_mut();
        db.set_sans_serif_family(self.sans_serif.clone());
        db.set_serif_family(self.serif.clone());
        db.set_monospace_family(self.monospace.clone());
        db.set_cursive_family(self.sans_serif.clone());
        db.set_fantasy_family(self.sans_serif.clone());
    }

    /// The installed family `generic` resolves to: the first installed
    /// entry of its preference list, else a deterministic last resort of
    /// its kind; `None` when no installed face is of its kind.
    fn resolve_generic(&self, db: &fontdb::Database, generic: GenericFamily) -> Option<String> {
        self.first_installed(generic.preferences())
            .map(str::to_owned)
            .or_else(|| last_resort(db, generic))
    }

    /// The installed family each generic family resolves to.
    pub fn generic(&self, generic: GenericFamily) -> &str {
        match generic {
            GenericFamily::SansSerif => &self.sans_serif,
            GenericFamily::Serif => &self.serif,
            GenericFamily::Monospace => &self.monospace,
        }
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
            if let Some(generic) = GenericFamily::of_css_name(&wanted) {
                return self.generic(generic);
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

/// The family a generic falls back to when none of its preferences is
/// installed: among the installed faces of the generic's kind (fixed-pitch
/// faces for monospace; names with "Serif" but not "Sans" for serif; other
/// faces for sans-serif; never an emoji face), the family whose name sorts
/// first. Sorting, not load order, so the pick does not depend on the order
/// the font folders were read in. `None` when no face is of that kind.
fn last_resort(db: &fontdb::Database, generic: GenericFamily) -> Option<String> {
    db.faces()
        .filter_map(|face| {
            let (name, _) = face.families.first()?;
            let lower = name.to_lowercase();
            // An emoji face has no letters (and says it is fixed-pitch).
            if lower.contains("emoji") {
                return None;
            }
            let is_serif = lower.contains("serif") && !lower.contains("sans");
            let of_kind = match generic {
                GenericFamily::Monospace => face.monospaced,
                GenericFamily::Serif => is_serif && !face.monospaced,
                GenericFamily::SansSerif => !is_serif && !face.monospaced,
            };
            of_kind.then_some(name)
        })
        .min_by(|a, b| {
            a.to_lowercase()
                .cmp(&b.to_lowercase())
                .then_with(|| a.cmp(b))
        })
        .cloned()
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
