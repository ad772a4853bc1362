//! The shader module, the bind group layouts and the render pipelines (one
//! per target format, created on first use).
//!
//! Invariant: every pipeline uses premultiplied-alpha "over" blending and a
//! 4-vertex triangle strip per instance (see `vs_main`).

use std::collections::HashMap;

use super::instance::{Globals, Instance, ATTRIBUTES};

pub struct Pipelines {
    shader: wgpu::ShaderModule,
    pub globals_layout: wgpu::BindGroupLayout,
    layout: wgpu::PipelineLayout,
    /// Keyed by target format and `Batch::kind` (`KIND_ANY`: generic).
    by_format: HashMap<(wgpu::TextureFormat, u32), wgpu::RenderPipeline>,
    pub blur: BlurPipeline,
}

fn storage_entry(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only: true },
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

impl Pipelines {
    pub fn new(device: &wgpu::Device, texture_layout: &wgpu::BindGroupLayout) -> Pipelines {
        let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("cirrus display item shader"),
            source: wgpu::ShaderSource::Wgsl(include_str!("shader.wgsl").into()),
        });
        let globals_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("cirrus frame tables layout"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: true,
                        min_binding_size: wgpu::BufferSize::new(
                            std::mem::size_of::<Globals>() as u64
                        ),
                    },
                    count: None,
                },
                storage_entry(1),
                storage_entry(2),
                storage_entry(3),
            ],
        });
        let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("cirrus pipeline layout"),
            bind_group_layouts: &[&globals_layout, texture_layout],
            push_constant_ranges: &[],
        });
        let blur = BlurPipeline::new(device, super::textures::TEXTURE_FORMAT);
        Pipelines {
            shader,
            globals_layout,
            layout,
            by_format: HashMap::new(),
            blur,
        }
    }

    /// The pipeline drawing batches of `kind` into targets of `format`.
    pub fn get(
        &mut self,
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
        kind: u32,
    ) -> &wgpu::RenderPipeline {
        let Pipelines {
            shader,
            layout,
            by_format,
            ..
        } = self;
        by_format.entry((format, kind)).or_insert_with(|| {
            let mut constants = HashMap::new();
            constants.insert(
                "SRGB_TARGET".to_string(),
                if format.is_srgb() { 1.0 } else { 0.0 },
            );
            constants.insert("SPECIALISED_KIND".to_string(), kind as f64);
            let compilation_options = wgpu::PipelineCompilationOptions {
                constants: &constants,
                ..Default::default()
            };
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some("cirrus display item pipeline"),
                layout: Some(layout),
                vertex: wgpu::VertexState {
                    module: shader,
                    entry_point: Some("vs_main"),
                    compilation_options: compilation_options.clone(),
                    buffers: &[wgpu::VertexBufferLayout {
                        array_stride: std::mem::size_of::<Instance>() as u64,
                        step_mode: wgpu::VertexStepMode::Instance,
                        attributes: &ATTRIBUTES,
                    }],
                },
                fragment: Some(wgpu::FragmentState {
                    module: shader,
                    entry_point: Some("fs_main"),
                    compilation_options,
                    targets: &[Some(wgpu::ColorTargetState {
                        format,
                        blend: Some(wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING),
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                primitive: wgpu::PrimitiveState {
                    topology: wgpu::PrimitiveTopology::TriangleStrip,
                    cull_mode: None,
                    ..Default::default()
                },
                depth_stencil: None,
                multisample: wgpu::MultisampleState::default(),
                multiview: None,
                cache: None,
            })
        })
    }
}

impl Pipelines {
    /// The pipeline for `format` and `kind` if [`Pipelines::get`] created
    /// it already.
    pub fn cached(&self, format: wgpu::TextureFormat, kind: u32) -> Option<&wgpu::RenderPipeline> {
        self.by_format.get(&(format, kind))
    }
}

/// The separable Gaussian blur used by `filter: blur()` layers.
pub struct BlurPipeline {
    pub layout: wgpu::BindGroupLayout,
    pub pipeline: wgpu::RenderPipeline,
}

impl BlurPipeline {
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> BlurPipeline {
        let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("cirrus blur shader"),
            source: wgpu::ShaderSource::Wgsl(include_str!("blur.wgsl").into()),
        });
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("cirrus blur layout"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Texture {
                        sample_type: wgpu::TextureSampleType::Float { filterable: false },
                        view_dimension: wgpu::TextureViewDimension::D2,
                        multisampled: false,
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("cirrus blur pipeline layout"),
            bind_group_layouts: &[&layout],
            push_constant_ranges: &[],
        });
        let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("cirrus blur pipeline"),
            layout: Some(&pipeline_layout),
            vertex: wgpu::VertexState {
                module: &shader,
                entry_point: Some("vs_main"),
                compilation_options: Default::default(),
                buffers: &[],
            },
            fragment: Some(wgpu::FragmentState {
                module: &shader,
                entry_point: Some("fs_main"),
                compilation_options: Default::default(),
                targets: &[Some(wgpu::ColorTargetState {
                    format,
                    blend: None,
                    write_mask: wgpu::ColorWrites::ALL,
                })],
            }),
            primitive: wgpu::PrimitiveState::default(),
            depth_stencil: None,
            multisample: wgpu::MultisampleState::default(),
            multiview: None,
            cache: None,
        });
        BlurPipeline { layout, pipeline }
    }
}
