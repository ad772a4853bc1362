//! The one error type of cirrus-layout. Layout itself never fails (bad
//! values degrade to CSS initial values); only loading resources can.

/// Errors from cirrus-layout.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    /// Font data (e.g. from `@font-face`) held no face fontdb could read.
    #[error("font data of {len} bytes holds no usable font face")]
    NoFontFace { len: usize },
}
