//! One type over both backends: the wgpu [`Renderer`] and the
//! [`CpuRenderer`], with the methods they share, and the choice between
//! them (`--renderer auto|cpu|gpu` style).
//!
//! `Auto` takes the GPU only when there is a hardware adapter: software
//! adapters (llvmpipe, lavapipe, WARP) are slower than the CPU backend and
//! add seconds of pipeline compilation at start. The probe enumerates
//! adapters without opening a device; the GPU renderer is built only when
//! chosen.

use std::fmt;
use std::str::FromStr;

use cirrus_layout::cosmic_text::FontSystem;

use crate::cpu::CpuRenderer;
use crate::display_list::{Color, DisplayList, ImageKey};
use crate::{FrameStats, RenderError, Renderer};

/// Which backend to draw with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RendererChoice {
    /// The GPU on hardware adapters, else the CPU backend.
    #[default]
    Auto,
    Cpu,
    /// Any wgpu adapter, software ones included.
    Gpu,
}

impl fmt::Display for RendererChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RendererChoice::Auto => "auto",
            RendererChoice::Cpu => "cpu",
            RendererChoice::Gpu => "gpu",
        })
    }
}

/// A renderer name other than "auto", "cpu" or "gpu".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown renderer {0:?} (expected auto, cpu or gpu)")]
pub struct ParseRendererChoiceError(pub String);

impl FromStr for RendererChoice {
    type Err = ParseRendererChoiceError;

    /// "auto", "cpu" or "gpu", in any case, surrounding spaces ignored.
    fn from_str(s: &str) -> Result<RendererChoice, ParseRendererChoiceError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(RendererChoice::Auto),
            "cpu" => Ok(RendererChoice::Cpu),
            "gpu" => Ok(RendererChoice::Gpu),
            _ => Err(ParseRendererChoiceError(s.to_string())),
        }
    }
}

/// Whether the system has a device node a hardware GPU driver would use:
/// on Linux a DRM render node (`/dev/dri/renderD*`) or NVIDIA's
/// `/dev/nvidia*`. Elsewhere assumed true (the adapter probe decides).
fn gpu_device_nodes_present() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    let any_in = |dir: &str, prefix: &str| {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with(prefix))
        })
    };
    any_in("/dev/dri", "renderD") || any_in("/dev", "nvidia")
}

/// A renderer on either backend.
pub enum Rasterizer {
    Gpu(Renderer),
    Cpu(CpuRenderer),
}

impl Rasterizer {
    /// A renderer without a window, as `choice` says. `Gpu` fails with
    /// [`RenderError::NoAdapter`] where there is no adapter at all; `Cpu`
    /// and `Auto` do not fail for want of one.
    pub fn new_headless(choice: RendererChoice) -> Result<Rasterizer, RenderError> {
        match choice {
            RendererChoice::Cpu => Ok(Rasterizer::Cpu(CpuRenderer::new())),
            RendererChoice::Gpu => Renderer::new_headless().map(Rasterizer::Gpu),
            // Without a GPU device node no hardware adapter can exist:
            // skip loading the Vulkan drivers just to learn that (they
            // cost tens of MiB and milliseconds at start).
            RendererChoice::Auto if !gpu_device_nodes_present() => {
                Ok(Rasterizer::Cpu(CpuRenderer::new()))
            }
            RendererChoice::Auto => match crate::renderer::device::hardware_adapter() {
                // A hardware adapter that then fails to open a device is
                // no reason to fail: the CPU backend still works.
                Some(adapter) => Ok(Renderer::from_adapter(&adapter)
                    .map(Rasterizer::Gpu)
                    .unwrap_or_else(|_| Rasterizer::Cpu(CpuRenderer::new()))),
                None => Ok(Rasterizer::Cpu(CpuRenderer::new())),
            },
        }
    }

    /// What draws: "cpu (vello_cpu)", or the adapter as
    /// "name (backend, device type)", e.g. "llvmpipe (LLVM 15.0.6, 256
    /// bits) (Vulkan, Cpu)".
    pub fn label(&self) -> String {
        match self {
            Rasterizer::Cpu(cpu) => cpu.label().to_string(),
            Rasterizer::Gpu(gpu) => {
                let adapter = gpu.adapter_label();
                format!(
                    "{} ({}, {})",
                    adapter.name, adapter.backend, adapter.device_type
                )
            }
        }
    }

    /// True for the CPU backend (not for wgpu's software adapters; see
    /// [`Rasterizer::is_software`]).
    pub fn is_cpu(&self) -> bool {
        matches!(self, Rasterizer::Cpu(_))
    }

    /// True when pixels are computed on the CPU: the CPU backend, or a wgpu
    /// software adapter (llvmpipe, lavapipe, WARP).
    pub fn is_software(&self) -> bool {
        match self {
            Rasterizer::Cpu(_) => true,
            Rasterizer::Gpu(gpu) => gpu.adapter_info().device_type == wgpu::DeviceType::Cpu,
        }
    }

    pub fn register_image(&mut self, key: ImageKey, rgba: &image::RgbaImage) {
        match self {
            Rasterizer::Gpu(gpu) => gpu.register_image(key, rgba),
            Rasterizer::Cpu(cpu) => cpu.register_image(key, rgba),
        }
    }

    pub fn unregister_image(&mut self, key: ImageKey) -> bool {
        match self {
            Rasterizer::Gpu(gpu) => gpu.unregister_image(key),
            Rasterizer::Cpu(cpu) => cpu.unregister_image(key),
        }
    }

    pub fn has_image(&self, key: ImageKey) -> bool {
        match self {
            Rasterizer::Gpu(gpu) => gpu.has_image(key),
            Rasterizer::Cpu(cpu) => cpu.has_image(key),
        }
    }

    /// Draws `list` over `clear` into a new straight-alpha image.
    pub fn render_to_image(
        &mut self,
        list: &DisplayList,
        fonts: &mut FontSystem,
        width: u32,
        height: u32,
        clear: Color,
    ) -> Result<image::RgbaImage, RenderError> {
        match self {
            Rasterizer::Gpu(gpu) => gpu.render_to_image(list, fonts, width, height, clear),
            Rasterizer::Cpu(cpu) => cpu.render_to_image(list, fonts, width, height, clear),
        }
    }

    pub fn last_frame_stats(&self) -> FrameStats {
        match self {
            Rasterizer::Gpu(gpu) => gpu.last_frame_stats(),
            Rasterizer::Cpu(cpu) => cpu.last_frame_stats(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_and_print() {
        for (text, choice) in [
            ("auto", RendererChoice::Auto),
            ("CPU", RendererChoice::Cpu),
            (" gpu ", RendererChoice::Gpu),
        ] {
            assert_eq!(text.parse::<RendererChoice>(), Ok(choice));
            assert_eq!(choice.to_string().parse::<RendererChoice>(), Ok(choice));
        }
        assert!("vulkan".parse::<RendererChoice>().is_err());
    }

    #[test]
    fn cpu_choice_needs_no_adapter() {
        let Ok(rasterizer) = Rasterizer::new_headless(RendererChoice::Cpu) else {
            panic!("the CPU backend always exists")
        };
        assert!(rasterizer.is_cpu() && rasterizer.is_software());
        assert_eq!(rasterizer.label(), "cpu (vello_cpu)");
    }

    #[test]
    fn rasterizer_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<Rasterizer>();
    }
}
