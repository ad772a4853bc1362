//! A page's document on the render side: the node tree the ops build
//! (`tree`) and a page on the stack with its style sheets (`page`).

pub mod page;
pub mod tree;
