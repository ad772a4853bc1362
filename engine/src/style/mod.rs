//! The style step of a frame: the cascade over a page's tree (`pass`),
//! the tree seen by selector matching (`element`), and component style
//! scopes and virtual nodes (`scopes`).

pub mod element;
pub mod pass;
pub mod scopes;
