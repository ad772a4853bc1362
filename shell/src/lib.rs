//! cirrus-shell: the hosts. The `cirrus` CLI (run, shot, bench, check), the
//! desktop window, and the headless API used by tests.

pub mod bench;
pub mod check;
pub mod headless;
pub mod session;
pub mod window;
