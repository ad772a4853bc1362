//! cirrus-layout: computed style -> taffy, text shaping and measuring, typed units.
//!
//! Depends on nothing else of Cirrus; the engine builds on it.
//!
//! - [`style`]: the computed style contract (filled by the cascade, read by paint).
//! - [`taffy_style`]: computed style -> `taffy::Style`, and `order` sorting.
//! - [`tree`]: taffy over the engine's own node tree ([`LayoutHost`], [`compute_layout`]).
//! - [`text`]: fonts, paragraph measuring (cached) and shaping for paint.
//! - [`units`]: typed lengths.

pub mod calc;
pub mod error;
pub mod frame_cache;
pub mod geometry;
pub mod style;
pub mod taffy_style;
pub mod text;
pub mod tree;
pub mod units;

pub use error::LayoutError;
pub use geometry::Rect;
pub use style::ComputedStyle;
pub use taffy_style::{sort_by_order, to_taffy};
pub use text::{Paragraph, ShapedParagraph, TextSpan, TextStyle, TextSystem};
pub use tree::{compute_layout, mark_dirty_upwards, LayoutBox, LayoutHost};
pub use units::{DevicePx, Px, Rpx, Viewport};

// Re-exported so every crate above uses the same versions.
pub use cosmic_text;
// Fast hashing for maps keyed by small integers (the engine's node store).
pub use foldhash;
pub use taffy;
