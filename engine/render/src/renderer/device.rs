//! Adapter and device setup: headless (any adapter, falling back to a
//! software one such as lavapipe) or compatible with a window surface.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::RenderError;

/// What the renderer runs on, for benchmark labels and diagnostics.
#[derive(Clone, Debug)]
pub struct AdapterLabel {
    pub name: String,
    pub backend: String,
    pub device_type: String,
}

pub struct GpuContext {
    /// Kept to answer surface-capability queries for window surfaces.
    pub adapter: wgpu::Adapter,
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    pub adapter_info: wgpu::AdapterInfo,
    /// Set by wgpu's device-lost callback.
    pub lost: Arc<AtomicBool>,
}

impl GpuContext {
    pub fn is_lost(&self) -> bool {
        self.lost.load(Ordering::Relaxed)
    }
}

/// An instance on the native backends (Vulkan, Metal, DX12) when they have
/// an adapter, else on every backend (GL included). Probing GL first would
/// cost start-up time and spurious EGL messages where Vulkan works
/// (lavapipe included). `WGPU_BACKEND` overrides the choice.
pub fn new_instance() -> wgpu::Instance {
    let with = |backends| {
        wgpu::Instance::new(&wgpu::InstanceDescriptor {
            backends,
            ..Default::default()
        })
    };
    if let Some(backends) = wgpu::Backends::from_env() {
        return with(backends);
    }
    let primary = with(wgpu::Backends::PRIMARY);
    if !primary
        .enumerate_adapters(wgpu::Backends::PRIMARY)
        .is_empty()
    {
        return primary;
    }
    with(wgpu::Backends::all())
}

/// Picks an adapter: a hardware one first, then the fallback (software).
pub fn request_adapter(
    instance: &wgpu::Instance,
    surface: Option<&wgpu::Surface<'_>>,
) -> Result<wgpu::Adapter, RenderError> {
    for force_fallback_adapter in [false, true] {
        let adapter = pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            force_fallback_adapter,
            compatible_surface: surface,
        }));
        if let Some(adapter) = adapter {
            return Ok(adapter);
        }
    }
    Err(RenderError::NoAdapter)
}

pub fn open_device(adapter: &wgpu::Adapter) -> Result<GpuContext, RenderError> {
    let adapter_info = adapter.get_info();
    let (device, queue) = pollster::block_on(adapter.request_device(
        &wgpu::DeviceDescriptor {
            label: Some("cirrus render device"),
            required_features: wgpu::Features::empty(),
            // Whatever the adapter offers: lavapipe and old GPUs included.
            required_limits: wgpu::Limits::downlevel_defaults().using_resolution(adapter.limits()),
            memory_hints: wgpu::MemoryHints::Performance,
        },
        None,
    ))
    .map_err(|e| RenderError::RequestDevice(e.to_string()))?;
    let lost = Arc::new(AtomicBool::new(false));
    let flag = lost.clone();
    device.set_device_lost_callback(move |_reason, _message| {
        flag.store(true, Ordering::Relaxed);
    });
    // Validation errors are caught with error scopes around each frame;
    // anything that escapes is reported here instead of panicking.
    device.on_uncaptured_error(Box::new(|error| {
        eprintln!("cirrus-render: uncaptured wgpu error: {error}");
    }));
    Ok(GpuContext {
        adapter: adapter.clone(),
        device,
        queue,
        adapter_info,
        lost,
    })
}
