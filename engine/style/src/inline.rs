//! Inline `style` attributes: parsed with float-pigment's inline parser.
//! [`crate::StyleSheets`] caches the result per distinct string, because
//! setData rewrites the same few style strings over and over.

use float_pigment_css::parser::StyleParsingDebugMode;
use float_pigment_css::property::{Property, PropertyMeta};

use crate::load::{diagnostic_from_warning, guarded, parser_crash, preprocess};
use crate::StyleDiagnostic;

/// The file name inline-style diagnostics carry.
pub const INLINE_STYLE_FILE: &str = "<inline style>";

/// The parsed declarations of one `style` attribute.
#[derive(Clone, Debug)]
pub struct InlineStyle {
    pub(crate) declarations: Vec<PropertyMeta>,
    pub(crate) declares_custom_properties: bool,
}

impl InlineStyle {
    /// Number of declarations after shorthand expansion.
    pub fn len(&self) -> usize {
        self.declarations.iter().map(|pm| pm.iter().count()).sum()
    }

    /// Whether nothing valid was declared.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Parses an inline style. Never fails: invalid declarations are dropped
/// and reported (line and column within the attribute text).
pub fn parse_inline_style(text: &str) -> (InlineStyle, Vec<StyleDiagnostic>) {
    let limited = crate::guard::guard(INLINE_STYLE_FILE, text);
    let prepared = preprocess(&limited.text);
    let parsed = guarded(|| {
        float_pigment_css::parser::parse_inline_style(&prepared, StyleParsingDebugMode::None)
    });
    let mut diagnostics = limited.diagnostics;
    let Some((declarations, warnings)) = parsed else {
        let empty = InlineStyle {
            declarations: Vec::new(),
            declares_custom_properties: false,
        };
        diagnostics.push(parser_crash(INLINE_STYLE_FILE));
        return (empty, diagnostics);
    };
    let declares_custom_properties = declarations
        .iter()
        .any(|pm| pm.iter().any(|p| matches!(p, Property::CustomProperty(_))));
    diagnostics.extend(
        warnings
            .iter()
            .map(|w| diagnostic_from_warning(INLINE_STYLE_FILE, w, None)),
    );
    (
        InlineStyle {
            declarations,
            declares_custom_properties,
        },
        diagnostics,
    )
}
