//! Precompiled WXSS: cirrus-style's own compiled form of one file, so a
//! load does no WXSS parsing and no selector reading, only decoding.
//!
//! Layout: `MAGIC` (8 bytes), `FORMAT_VERSION` (u32 LE), a checksum of the
//! body (u64 LE), then the body: imports (target as written, line,
//! column), rules (total selector and declaration counts, then per rule
//! its media levels, selectors, declarations), `@keyframes`,
//! `@font-face`s. A decoded file keeps all its selectors in one list and
//! all its declarations in one shared list (rules hold ranges): per-rule
//! allocations were most of the load time. Declarations are float-pigment `PropertyMeta`s in their
//! parsed form (units unresolved: rpx and vw resolve at cascade time
//! against the page's viewport), encoded by `fp_codec` (generated from
//! float-pigment's source: every variant of every value type).
//!
//! Invariant: decoding never panics; a foreign, stale, truncated or
//! corrupted binary is a [`StyleError::BadBinary`].

pub(crate) mod codec;
mod fp_codec;
#[cfg(test)]
mod fuzz_tests;
mod selector_codec;

use std::rc::Rc;

use float_pigment_css::sheet::PropertyMeta;

use crate::imports::ImportStatement;
use crate::selector::ComplexSelector;
use crate::sheets::{Keyframe, Keyframes};
use crate::{FontFaceRule, StyleError};
use codec::{codec_enum, codec_struct, Codec, DecodeError, Reader, Writer};

/// Identifies a Cirrus precompiled sheet (float-pigment's own bincode, an
/// earlier Cirrus format, starts differently).
const MAGIC: &[u8; 8] = b"CRSWXSS\0";
/// Bump on any change to the layout or to `fp_codec` (a float-pigment
/// upgrade): old binaries are then refused, never misread.
pub(crate) const FORMAT_VERSION: u32 = 2;
const HEADER_LEN: usize = MAGIC.len() + 4 + 8;

/// One rule as `compile` gathers it.
pub(crate) struct RuleSource {
    pub(crate) media: Vec<String>,
    pub(crate) selectors: Vec<ComplexSelector>,
    pub(crate) declarations: Vec<PropertyMeta>,
}

/// One file as `compile` gathers it, to be encoded.
pub(crate) struct SheetSource {
    pub(crate) imports: Vec<ImportStatement>,
    pub(crate) rules: Vec<RuleSource>,
    pub(crate) keyframes: Vec<Keyframes>,
    pub(crate) font_faces: Vec<FontFaceRule>,
}

/// One file decoded: what the loader and the index consume. A file's
/// selectors and declarations are each one list (two allocations, not two
/// per rule); rules refer to them by position.
pub(crate) struct CompiledSheet {
    pub(crate) imports: Vec<ImportStatement>,
    pub(crate) rules: Vec<CompiledRule>,
    /// Every rule's selectors, rule after rule.
    pub(crate) selectors: Vec<ComplexSelector>,
    pub(crate) keyframes: Vec<Keyframes>,
    pub(crate) font_faces: Vec<FontFaceRule>,
}

/// A decoded rule.
pub(crate) struct CompiledRule {
    /// `@media` conditions, one string per nesting level (see `media`):
    /// kept unevaluated because they depend on the load options.
    pub(crate) media: Vec<String>,
    /// How many of the file's selectors (in order) are this rule's.
    pub(crate) selector_count: u32,
    pub(crate) declarations: SharedDeclarations,
}

/// A rule's declarations: a range of its file's list. Declarations are as
/// float-pigment parsed them: lengths keep their units (rpx, vw...),
/// resolved by the cascade against the viewport.
pub(crate) struct SharedDeclarations {
    list: Rc<Vec<PropertyMeta>>,
    start: u32,
    end: u32,
}

impl SharedDeclarations {
    pub(crate) fn as_slice(&self) -> &[PropertyMeta] {
        // In bounds by construction (`decode_rules`).
        &self.list[self.start as usize..self.end as usize]
    }
}

codec_enum!(PropertyMeta {
    0 => Normal { property },
    1 => Important { property },
    2 => DebugGroup { original_name_value, properties, important, disabled },
});
codec_struct!(ImportStatement {
    target,
    line,
    column
});
codec_struct!(Keyframe {
    offsets,
    declarations
});
codec_struct!(Keyframes { name, frames });
codec_struct!(FontFaceRule { family, sources });

/// Rules section: the total selector and declaration counts (so each list
/// is allocated once, at its size), then per rule its media, selectors and
/// declarations.
fn encode_rules(rules: &[RuleSource], w: &mut Writer) {
    w.len(rules.iter().map(|r| r.selectors.len()).sum());
    w.len(rules.iter().map(|r| r.declarations.len()).sum());
    w.len(rules.len());
    for rule in rules {
        rule.media.encode(w);
        rule.selectors.encode(w);
        rule.declarations.encode(w);
    }
}

struct DecodedRules {
    rules: Vec<CompiledRule>,
    selectors: Vec<ComplexSelector>,
}

fn decode_rules(r: &mut Reader<'_>) -> Result<DecodedRules, DecodeError> {
    let selector_total = r.len()?;
    let declaration_total = r.len()?;
    let rule_count = r.len()?;
    // Exact capacities (one allocation each for a real sheet), but never
    // more items than the bytes left could hold at their smallest encoding
    // (a selector or declaration takes at least 2 bytes, a rule 3).
    let mut selectors = Vec::with_capacity(selector_total.min(r.remaining() / 2));
    let mut declarations = Vec::with_capacity(declaration_total.min(r.remaining() / 2));
    let mut shapes = Vec::with_capacity(rule_count.min(r.remaining() / 3));
    for _ in 0..rule_count {
        let media = Vec::<String>::decode(r)?;
        let selector_count = r.len()?;
        for _ in 0..selector_count {
            selectors.push(ComplexSelector::decode(r)?);
        }
        let start = declarations.len();
        let declaration_count = r.len()?;
        for _ in 0..declaration_count {
            declarations.push(PropertyMeta::decode(r)?);
        }
        shapes.push((media, selector_count, start, declarations.len()));
    }
    if selectors.len() != selector_total || declarations.len() != declaration_total {
        return Err(r.error("rule counts do not add up"));
    }
    let too_many = |_| r.error("too many declarations");
    let list = Rc::new(declarations);
    let rules = shapes
        .into_iter()
        .map(|(media, selector_count, start, end)| {
            Ok(CompiledRule {
                media,
                selector_count: u32::try_from(selector_count).map_err(too_many)?,
                declarations: SharedDeclarations {
                    list: list.clone(),
                    start: u32::try_from(start).map_err(too_many)?,
                    end: u32::try_from(end).map_err(too_many)?,
                },
            })
        })
        .collect::<Result<_, DecodeError>>()?;
    Ok(DecodedRules { rules, selectors })
}

/// FNV-1a over 8-byte words: catches corruption for a few microseconds
/// per 100 KB (the decoder itself only guarantees no panic).
fn checksum(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut word_bytes = [0u8; 8];
        word_bytes.copy_from_slice(word);
        hash = (hash ^ u64::from_le_bytes(word_bytes)).wrapping_mul(PRIME);
    }
    for byte in words.remainder() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(PRIME);
    }
    hash
}

impl SheetSource {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut body = Writer::default();
        self.imports.encode(&mut body);
        encode_rules(&self.rules, &mut body);
        self.keyframes.encode(&mut body);
        self.font_faces.encode(&mut body);
        let mut out = Vec::with_capacity(HEADER_LEN + body.bytes.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&checksum(&body.bytes).to_le_bytes());
        out.extend_from_slice(&body.bytes);
        out
    }
}

fn decode_body(r: &mut Reader<'_>) -> Result<CompiledSheet, DecodeError> {
    let imports = Vec::decode(r)?;
    let DecodedRules { rules, selectors } = decode_rules(r)?;
    Ok(CompiledSheet {
        imports,
        rules,
        selectors,
        keyframes: Vec::decode(r)?,
        font_faces: Vec::decode(r)?,
    })
}

/// Decodes one precompiled file; `path` names it in the error.
pub(crate) fn decode_sheet(path: &str, bytes: &[u8]) -> Result<CompiledSheet, StyleError> {
    let bad = |message: String| StyleError::BadBinary {
        path: path.to_owned(),
        message,
    };
    if bytes.len() < HEADER_LEN || &bytes[..MAGIC.len()] != MAGIC {
        return Err(bad(
            "not a Cirrus precompiled WXSS file (recompile it with this version)".to_owned(),
        ));
    }
    let field = |at: usize| -> [u8; 8] {
        let mut out = [0u8; 8];
        out.copy_from_slice(&bytes[at..at + 8]);
        out
    };
    let version_at = MAGIC.len();
    let version = u32::from_le_bytes([
        bytes[version_at],
        bytes[version_at + 1],
        bytes[version_at + 2],
        bytes[version_at + 3],
    ]);
    if version != FORMAT_VERSION {
        return Err(bad(format!(
            "precompiled WXSS format {version}, this build reads format {FORMAT_VERSION} (recompile it)"
        )));
    }
    let expected = u64::from_le_bytes(field(version_at + 4));
    let body = &bytes[HEADER_LEN..];
    if checksum(body) != expected {
        return Err(bad("the data is corrupted (checksum mismatch)".to_owned()));
    }
    let mut reader = Reader::new(body);
    let located = |e: DecodeError| bad(format!("{e} of the body"));
    let sheet = decode_body(&mut reader).map_err(located)?;
    if !reader.is_at_end() {
        return Err(located(reader.error("trailing data")));
    }
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use float_pigment_css::typing::CalcExpr;

    #[test]
    fn hostile_nesting_is_an_error_not_a_stack_overflow() {
        // `calc(a + (a + (a + ...)))` nested 100,000 times: tag 3 (Plus),
        // then its left operand would follow. Decoding must stop at the
        // depth cap (test threads have small stacks, unoptimized frames).
        let bytes = vec![3u8; 100_000];
        let error = CalcExpr::decode(&mut Reader::new(&bytes)).unwrap_err();
        assert!(error.to_string().contains("nest too deeply"), "{error}");
    }

    #[test]
    fn nested_values_of_real_sheets_decode() {
        let source =
            ".a { width: calc(100% - 20px + 1px * 2 - 3rpx) }\n.b:not(.c:not(.d)) { height: 1px }";
        let (bytes, diagnostics) = crate::compile_binary("x.wxss", source);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let sheet = decode_sheet("x.wxss", &bytes).expect("decodes");
        assert_eq!(sheet.rules.len(), 2);
    }
}
