//! cirrus-shell: the hosts. The `cirrus` CLI (run, shot, bench, check), the
//! desktop window, and the headless API used by tests.

pub mod bench;
pub mod check;
pub mod window;

// The headless and session API lives in cirrus-embed; these paths stay.
pub use cirrus_embed::{harness, headless, script, session, AppResources};
