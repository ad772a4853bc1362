//! Starts a headless renderer once and prints what it runs on, so that
//! start-up noise on stderr can be checked by hand:
//! `env -u XDG_RUNTIME_DIR cargo run -p cirrus-render --example quiet_start -- auto`
//! must print the renderer line and nothing else. The argument is a
//! `RendererChoice` ("auto", "cpu" or "gpu"; default "gpu").

use cirrus_render::{Rasterizer, RendererChoice};

fn main() {
    let choice = match std::env::args().nth(1).map(|a| a.parse::<RendererChoice>()) {
        None => RendererChoice::Gpu,
        Some(Ok(choice)) => choice,
        Some(Err(e)) => {
            println!("{e}");
            std::process::exit(2);
        }
    };
    match Rasterizer::new_headless(choice) {
        Ok(rasterizer) => println!("{choice}: {}", rasterizer.label()),
        Err(e) => println!("{choice}: no renderer: {e}"),
    }
}
