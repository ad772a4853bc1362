// Separable Gaussian blur of a layer texture: one direction per pass.
// Reads texels with textureLoad (source and target may differ in size;
// texels outside the source are transparent) and writes premultiplied
// colour without blending.

struct Params {
    // direction (1, 0) or (0, 1), sigma, radius in texels
    values: vec4<f32>,
};

@group(0) @binding(0) var source: texture_2d<f32>;
@group(0) @binding(1) var<uniform> params: Params;

@vertex
fn vs_main(@builtin(vertex_index) vertex: u32) -> @builtin(position) vec4<f32> {
    // One triangle covering the target.
    let uv = vec2<f32>(f32((vertex << 1u) & 2u), f32(vertex & 2u));
    return vec4<f32>(uv * 2.0 - 1.0, 0.0, 1.0);
}

@fragment
fn fs_main(@builtin(position) position: vec4<f32>) -> @location(0) vec4<f32> {
    let centre = vec2<i32>(floor(position.xy));
    let dims = vec2<i32>(textureDimensions(source));
    let direction = vec2<i32>(params.values.xy);
    let sigma = max(params.values.z, 1e-3);
    let radius = i32(params.values.w);
    var sum = vec4<f32>(0.0);
    var weights = 0.0;
    for (var i = -radius; i <= radius; i = i + 1) {
        let at = centre + direction * i;
        let w = exp(-f32(i * i) / (2.0 * sigma * sigma));
        weights = weights + w;
        if (all(at >= vec2<i32>(0)) && all(at < dims)) {
            sum = sum + textureLoad(source, at, 0) * w;
        }
    }
    return sum / max(weights, 1e-6);
}
