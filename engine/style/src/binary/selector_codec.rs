//! The binary form of cirrus-style's own parsed selectors, so loading a
//! precompiled sheet does not re-read selector text.

use super::codec::{codec_enum, codec_struct, Codec, DecodeError, Reader, Writer};
use crate::selector::{AttrOp, AttrSelector, Combinator, ComplexSelector, Compound, PseudoClass};
use crate::selector::{MAX_SELECTOR_COMPOUNDS, MAX_SELECTOR_NESTING};
use crate::Pseudo;

codec_enum!(Combinator {
    0 => Descendant,
    1 => Child,
    2 => NextSibling,
    3 => SubsequentSibling,
});

codec_enum!(AttrOp {
    0 => Exists,
    1 => Equals,
    2 => Includes,
    3 => DashMatch,
    4 => Prefix,
    5 => Suffix,
    6 => Substring,
});

codec_struct!(AttrSelector {
    name,
    op,
    value,
    case_insensitive
});

codec_enum!(PseudoClass {
    0 => FirstChild,
    1 => LastChild,
    2 => OnlyChild,
    3 => Empty,
    4 => Not(list),
    5 => NthChild { a, b, of },
    6 => NthOfType { a, b },
    7 => Host,
    8 => NeverMatches,
    9 => Active,
});

codec_enum!(Pseudo {
    0 => Before,
    1 => After,
});

codec_struct!(Compound {
    tag,
    id,
    classes,
    pseudo_classes,
    attributes,
    pseudo_element,
    never_matches
});

impl Codec for ComplexSelector {
    fn encode(&self, w: &mut Writer) {
        self.parts.encode(w);
        self.combinators.encode(w);
    }

    /// Checks the invariants matching relies on: a subject, one
    /// combinator between each pair of compounds, and the limits the
    /// selector parser keeps (the matcher recurses once per compound).
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let parts = Vec::<Compound>::decode(r)?;
        let combinators = Vec::<Combinator>::decode(r)?;
        if parts.is_empty() || combinators.len() + 1 != parts.len() {
            return Err(r.error("malformed selector"));
        }
        let selector = ComplexSelector { parts, combinators };
        if selector.compound_count() > MAX_SELECTOR_COMPOUNDS {
            return Err(r.error("selector has too many compounds"));
        }
        if selector.nesting_depth() > MAX_SELECTOR_NESTING {
            return Err(r.error("selector arguments nest too deeply"));
        }
        Ok(selector)
    }
}
