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

/// Keeps Mesa's Vulkan device-selection layer from probing Wayland where
/// no Wayland session can be reached.
///
/// Why: on a machine without a session bus (CI, containers, ssh) every
/// Vulkan instance makes the implicit `VK_LAYER_MESA_device_select` layer
/// call `wl_display_connect`, because wgpu enables `VK_KHR_wayland_surface`
/// on every instance (wgpu offers no option against it, nor against the
/// layer). libwayland-client then prints `error: XDG_RUNTIME_DIR is invalid
/// or not set in the environment.` twice per adapter enumeration. The layer
/// only picks a default GPU among several, using the display server; with
/// no display server reachable it has nothing to pick with, so disabling it
/// through its documented switch (`NODEVICE_SELECT=1`) loses nothing.
///
/// Setting an environment variable races with C code reading the
/// environment on other threads, so this runs at most once per process,
/// only in the no-session case, never overrides a value the user set, and
/// is public so that a program can call it first thing in `main`, before it
/// starts threads (`new_instance` calls it too, for callers that did not).
pub fn quiet_start() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("NODEVICE_SELECT").is_none() && wayland_unreachable() {
            std::env::set_var("NODEVICE_SELECT", "1");
        }
    });
}

/// True when `wl_display_connect(NULL)` can only fail, noisily:
/// libwayland-client needs `WAYLAND_SOCKET`, an absolute `WAYLAND_DISPLAY`,
/// or an absolute `XDG_RUNTIME_DIR` to find a socket, and prints its error
/// when it would need `XDG_RUNTIME_DIR` and that is unset or relative.
fn wayland_unreachable() -> bool {
    use std::path::Path;
    if std::env::var_os("WAYLAND_SOCKET").is_some() {
        return false;
    }
    if std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| Path::new(&d).is_absolute()) {
        return false;
    }
    !std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| Path::new(&d).is_absolute())
}

/// The best hardware adapter (any device type but `Cpu`: llvmpipe, lavapipe
/// and WARP do not count), found without opening a device or building
/// pipelines, so that choosing the CPU backend costs little.
pub fn hardware_adapter() -> Option<wgpu::Adapter> {
    let instance = new_instance();
    let rank = |t: wgpu::DeviceType| match t {
        wgpu::DeviceType::DiscreteGpu => 0,
        wgpu::DeviceType::IntegratedGpu => 1,
        wgpu::DeviceType::VirtualGpu => 2,
        wgpu::DeviceType::Other => 3,
        wgpu::DeviceType::Cpu => 4,
    };
    instance
        .enumerate_adapters(wgpu::Backends::all())
        .into_iter()
        .filter(|a| a.get_info().device_type != wgpu::DeviceType::Cpu)
        .min_by_key(|a| rank(a.get_info().device_type))
}

/// An instance on the native backends (Vulkan, Metal, DX12) when they have
/// an adapter, else on every backend (GL included). Probing GL first would
/// cost start-up time and spurious EGL messages where Vulkan works
/// (lavapipe included). `WGPU_BACKEND` overrides the choice. Where GL is
/// the only backend with an adapter and no Wayland session is reachable,
/// EGL's own Wayland probe still prints one line (wgpu runs it
/// unconditionally); see [`quiet_start`] for the Vulkan case.
pub fn new_instance() -> wgpu::Instance {
    quiet_start();
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
