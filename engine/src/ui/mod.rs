//! What the engine draws itself, over and around pages: the navigation
//! and tab bars (`chrome`), `wx.showToast`/`showModal`/`showActionSheet`
//! (`dialogs`), and the error overlay (`overlay`); `truncate` caps the
//! strings they shape.

pub mod chrome;
pub mod dialogs;
pub mod overlay;
pub mod truncate;
