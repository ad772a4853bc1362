// The one "uber" shader behind every display item.
//
// Each instance is a quad (`bounds`, in the item's local coordinates) that is
// moved to device pixels by `transforms[transform_id]`, then shaded by kind.
// Shapes are signed distance fields evaluated in local coordinates, so edges
// stay antialiased under any transform. Every fragment is also multiplied by
// the coverage of `clips[clip_id]`, a rounded rectangle in device pixels.
// Output is premultiplied sRGB (blending happens in sRGB space, as browsers).

struct Globals {
    // Target size in pixels (x, y) and the device position of the target's
    // top-left pixel (z, w): non-zero for offscreen layer textures.
    frame: vec4<f32>,
};

struct Clip {
    rect: vec4<f32>,
    radii_x: vec4<f32>,
    radii_y: vec4<f32>,
    // Device -> clip space affine map: x' = a x + c y + e, y' = b x + d y + f
    inverse_linear: vec4<f32>,
    // e, f, clip-space units per device pixel
    inverse_offset: vec4<f32>,
};

struct Stop {
    color: vec4<f32>,
    offset: vec4<f32>,
};

@group(0) @binding(0) var<uniform> globals: Globals;
@group(0) @binding(1) var<storage, read> transforms: array<mat4x4<f32>>;
@group(0) @binding(2) var<storage, read> clips: array<Clip>;
@group(0) @binding(3) var<storage, read> stops: array<Stop>;
@group(1) @binding(0) var tex: texture_2d<f32>;
@group(1) @binding(1) var samp: sampler;

// True when the target is an sRGB format: the GPU then encodes what we
// write, so we write linear values (blending then happens in linear space,
// slightly unlike browsers; prefer non-sRGB targets).
override SRGB_TARGET: bool = false;
// 255: the instance's own kind (generic pipeline); otherwise the only kind
// this pipeline draws, so the driver can drop every other branch.
override SPECIALISED_KIND: u32 = 255u;

const KIND_RECT: u32 = 0u;
const KIND_BORDER: u32 = 1u;
const KIND_SHADOW: u32 = 2u;
const KIND_LINEAR: u32 = 3u;
const KIND_RADIAL: u32 = 4u;
const KIND_IMAGE: u32 = 5u;
const KIND_GLYPH: u32 = 6u;
const KIND_LAYER: u32 = 7u;
const KIND_LINE: u32 = 8u;

struct Instance {
    @location(0) bounds: vec4<f32>,
    @location(1) shape: vec4<f32>,
    @location(2) radii_x: vec4<f32>,
    @location(3) radii_y: vec4<f32>,
    @location(4) color: vec4<f32>,
    @location(5) p0: vec4<f32>,
    @location(6) p1: vec4<f32>,
    @location(7) p2: vec4<f32>,
    @location(8) p3: vec4<f32>,
    // kind, transform id, clip id, kind-specific integer
    @location(9) ids: vec4<u32>,
};

struct Varyings {
    @builtin(position) position: vec4<f32>,
    @location(0) local: vec2<f32>,
    @location(1) @interpolate(flat) shape: vec4<f32>,
    @location(2) @interpolate(flat) radii_x: vec4<f32>,
    @location(3) @interpolate(flat) radii_y: vec4<f32>,
    @location(4) @interpolate(flat) color: vec4<f32>,
    @location(5) @interpolate(flat) p0: vec4<f32>,
    @location(6) @interpolate(flat) p1: vec4<f32>,
    @location(7) @interpolate(flat) p2: vec4<f32>,
    @location(8) @interpolate(flat) p3: vec4<f32>,
    @location(9) @interpolate(flat) ids: vec4<u32>,
};

@vertex
fn vs_main(@builtin(vertex_index) vertex: u32, inst: Instance) -> Varyings {
    let corner = vec2<f32>(f32(vertex & 1u), f32((vertex >> 1u) & 1u));
    let local = inst.bounds.xy + corner * inst.bounds.zw;
    let m = transforms[inst.ids.y];
    let d = m * vec4<f32>(local, 0.0, 1.0);
    let size = globals.frame.xy;
    let origin = globals.frame.zw;
    var out: Varyings;
    out.position = vec4<f32>(
        2.0 * (d.x - origin.x * d.w) / size.x - d.w,
        d.w - 2.0 * (d.y - origin.y * d.w) / size.y,
        0.0,
        d.w,
    );
    out.local = local;
    out.shape = inst.shape;
    out.radii_x = inst.radii_x;
    out.radii_y = inst.radii_y;
    out.color = inst.color;
    out.p0 = inst.p0;
    out.p1 = inst.p1;
    out.p2 = inst.p2;
    out.p3 = inst.p3;
    out.ids = inst.ids;
    return out;
}

// Signed distance to a rounded rectangle (x, y, w, h) with per-corner
// elliptical radii (tl, tr, br, bl); negative inside.
fn sd_rounded_rect(p: vec2<f32>, rect: vec4<f32>, rx: vec4<f32>, ry: vec4<f32>) -> f32 {
    let half = rect.zw * 0.5;
    let q = p - (rect.xy + half);
    var r: vec2<f32>;
    if (q.x < 0.0) {
        if (q.y < 0.0) { r = vec2<f32>(rx.x, ry.x); } else { r = vec2<f32>(rx.w, ry.w); }
    } else {
        if (q.y < 0.0) { r = vec2<f32>(rx.y, ry.y); } else { r = vec2<f32>(rx.z, ry.z); }
    }
    let a = abs(q);
    let from_center = a - (half - r);
    if (from_center.x > 0.0 && from_center.y > 0.0 && r.x > 0.0 && r.y > 0.0) {
        // Ellipse distance, first-order approximation (exact for circles).
        let k0 = length(from_center / r);
        let k1 = length(from_center / (r * r));
        return k0 * (k0 - 1.0) / max(k1, 1e-6);
    }
    let e = a - half;
    return length(max(e, vec2<f32>(0.0))) + min(max(e.x, e.y), 0.0);
}

fn coverage(distance: f32, aa: f32) -> f32 {
    return clamp(0.5 - distance / max(aa, 1e-4), 0.0, 1.0);
}

fn one_clip(device: vec2<f32>, clip_id: u32) -> f32 {
    if (clip_id == 0u) {
        return 1.0;
    }
    let c = clips[clip_id];
    let l = c.inverse_linear;
    let local = vec2<f32>(l.x * device.x + l.z * device.y, l.y * device.x + l.w * device.y) + c.inverse_offset.xy;
    return coverage(sd_rounded_rect(local, c.rect, c.radii_x, c.radii_y), c.inverse_offset.z);
}

// ids.z packs two clip indices (16 bits each): the innermost clip and an
// enclosing one that could not be merged with it (different spaces).
fn clip_coverage(device: vec2<f32>, packed: u32) -> f32 {
    return one_clip(device, packed & 0xffffu) * one_clip(device, packed >> 16u);
}

fn erf2(x: vec2<f32>) -> vec2<f32> {
    let s = sign(x);
    let a = abs(x);
    var y = 1.0 + (0.278393 + (0.230389 + 0.078108 * (a * a)) * a) * a;
    y = y * y;
    return s - s / (y * y);
}

fn gaussian(x: f32, sigma: f32) -> f32 {
    return exp(-(x * x) / (2.0 * sigma * sigma)) / (2.50662827 * sigma);
}

// Blur of a rounded rectangle with uniform corner radius along x at row y
// (Evan Wallace's analytic approximation, as in gpui and WebRender).
fn blur_along_x(x: f32, y: f32, sigma: f32, corner: f32, half: vec2<f32>) -> f32 {
    let delta = min(half.y - corner - abs(y), 0.0);
    let curved = half.x - corner + sqrt(max(0.0, corner * corner - delta * delta));
    let integral = 0.5 + 0.5 * erf2((x + vec2<f32>(-curved, curved)) * (0.70710678 / sigma));
    return integral.y - integral.x;
}

fn shadow_alpha(p: vec2<f32>, rect: vec4<f32>, rx: vec4<f32>, ry: vec4<f32>, sigma: f32, aa: f32) -> f32 {
    if (sigma < 0.05) {
        return coverage(sd_rounded_rect(p, rect, rx, ry), aa);
    }
    let half = rect.zw * 0.5;
    let point = p - (rect.xy + half);
    var corner: f32;
    if (point.x < 0.0) {
        if (point.y < 0.0) { corner = 0.5 * (rx.x + ry.x); } else { corner = 0.5 * (rx.w + ry.w); }
    } else {
        if (point.y < 0.0) { corner = 0.5 * (rx.y + ry.y); } else { corner = 0.5 * (rx.z + ry.z); }
    }
    corner = min(corner, min(half.x, half.y));
    let low = point.y - half.y;
    let high = point.y + half.y;
    let start = clamp(-3.0 * sigma, low, high);
    let end = clamp(3.0 * sigma, low, high);
    let step = (end - start) / 4.0;
    var y = start + step * 0.5;
    var alpha = 0.0;
    for (var i = 0; i < 4; i = i + 1) {
        alpha = alpha + blur_along_x(point.x, point.y - y, sigma, corner, half) * gaussian(y, sigma) * step;
        y = y + step;
    }
    return clamp(alpha, 0.0, 1.0);
}

// Colour of a gradient at parameter t from stops[first .. first + count].
fn gradient_color(t_in: f32, first: u32, count: u32, repeating: bool) -> vec4<f32> {
    var t = t_in;
    if (count == 0u) {
        return vec4<f32>(0.0);
    }
    let first_offset = stops[first].offset.x;
    let last_offset = stops[first + count - 1u].offset.x;
    if (repeating) {
        let span = last_offset - first_offset;
        if (span > 1e-5) {
            t = first_offset + fract((t - first_offset) / span) * span;
        }
    }
    if (t <= first_offset) {
        return stops[first].color;
    }
    if (t >= last_offset) {
        return stops[first + count - 1u].color;
    }
    for (var i = 1u; i < count; i = i + 1u) {
        let b = stops[first + i];
        if (t <= b.offset.x) {
            let a = stops[first + i - 1u];
            let span = b.offset.x - a.offset.x;
            if (span <= 1e-6) {
                return b.color;
            }
            return mix(a.color, b.color, (t - a.offset.x) / span);
        }
    }
    return stops[first + count - 1u].color;
}

// Which side (0 top, 1 right, 2 bottom, 3 left) a point of a border belongs
// to: corners are split along the line from the outer to the inner corner.
fn border_side(p: vec2<f32>, rect: vec4<f32>, widths: vec4<f32>) -> u32 {
    let rel = p - rect.xy;
    let from_right = rect.z - rel.x;
    let from_bottom = rect.w - rel.y;
    let left_half = rel.x < rect.z * 0.5;
    let top_half = rel.y < rect.w * 0.5;
    // widths: top, right, bottom, left
    if (top_half) {
        if (left_half) {
            if (rel.y * widths.w < rel.x * widths.x) { return 0u; }
            return 3u;
        }
        if (rel.y * widths.y < from_right * widths.x) { return 0u; }
        return 1u;
    }
    if (left_half) {
        if (from_bottom * widths.w < rel.x * widths.z) { return 2u; }
        return 3u;
    }
    if (from_bottom * widths.y < from_right * widths.z) { return 2u; }
    return 1u;
}

// Dash/dot pattern coverage, laid out as Chromium does: a whole dash or
// dot at both ends, gaps stretched to fit. `along` runs along the line,
// `across` is the distance from the line's centre; `width` is the line
// thickness and `line_length` its length. style: 2 dashed, 3 dotted,
// anything else solid.
fn pattern(along: f32, across: f32, width: f32, line_length: f32, style: u32) -> f32 {
    if (style == 2u) {
        // Thin lines: dashes of 3 widths, gaps of 2; else 2 and 1.
        var dash = 2.0 * width;
        var gap = width;
        if (width < 3.0) {
            dash = 3.0 * width;
            gap = 2.0 * width;
        }
        let n = floor((line_length + gap) / (dash + gap));
        if (n < 2.0) {
            return 1.0;
        }
        gap = (line_length - n * dash) / (n - 1.0);
        let period = dash + gap;
        let m = along - floor(along / period) * period;
        let this_dash = clamp(min(dash - m, m) + 0.5, 0.0, 1.0);
        let next_dash = clamp(m - period + 0.5, 0.0, 1.0);
        return max(this_dash, next_dash);
    }
    if (style == 3u) {
        if (width <= 3.0) {
            // Thin (up to 3 px, as Chromium): square dots one width apart.
            let n = max(round((line_length + width) / (2.0 * width)), 2.0);
            let spacing = (line_length - width) / (n - 1.0);
            let m = along - floor(along / spacing) * spacing;
            return clamp(min(width - m, m) + 0.5, 0.0, 1.0);
        }
        // Round dots of the line's width, at least one width apart (the
        // gaps stretch to fit, as Chromium's painter does).
        let n = floor((line_length - width) / (2.0 * width)) + 1.0;
        let spacing = (line_length - width) / max(n - 1.0, 1.0);
        let from_first = along - width * 0.5;
        let m = from_first - round(from_first / spacing) * spacing;
        let d = length(vec2<f32>(m, across)) - width * 0.5;
        return clamp(0.5 - d, 0.0, 1.0);
    }
    return 1.0;
}

// Colour of border side `side`: top in `color`, then right, bottom, left.
fn pick4(side: u32, a: vec4<f32>, b: vec4<f32>, c: vec4<f32>, d: vec4<f32>) -> vec4<f32> {
    if (side == 0u) { return a; }
    if (side == 1u) { return b; }
    if (side == 2u) { return c; }
    return d;
}

fn inner_border_shape(rect: vec4<f32>, w: vec4<f32>) -> vec4<f32> {
    // w: top, right, bottom, left
    return vec4<f32>(rect.x + w.w, rect.y + w.x, max(rect.z - w.w - w.y, 0.0), max(rect.w - w.x - w.z, 0.0));
}

@fragment
fn fs_main(in: Varyings) -> @location(0) vec4<f32> {
    let p = in.local;
    // Local units per device pixel, for antialiasing under transforms.
    // Computed here, in uniform control flow, as WGSL requires.
    let aa = max(0.5 * (length(dpdx(p)) + length(dpdy(p))), 1e-4);
    let device = in.position.xy + globals.frame.zw;
    var kind = in.ids.x;
    if (SPECIALISED_KIND != 255u) {
        kind = SPECIALISED_KIND;
    }
    var color = vec4<f32>(0.0);

    if (kind == KIND_RECT) {
        color = in.color * coverage(sd_rounded_rect(p, in.shape, in.radii_x, in.radii_y), aa);
    } else if (kind == KIND_BORDER) {
        // p0: widths (top, right, bottom, left); color, p1, p2, p3: side
        // colours (top, right, bottom, left); ids.w: styles, 8 bits a side.
        let w = in.p0;
        let outer = coverage(sd_rounded_rect(p, in.shape, in.radii_x, in.radii_y), aa);
        let inner_rx = max(in.radii_x - vec4<f32>(w.w, w.y, w.y, w.w), vec4<f32>(0.0));
        let inner_ry = max(in.radii_y - vec4<f32>(w.x, w.x, w.z, w.z), vec4<f32>(0.0));
        let inner_rect = inner_border_shape(in.shape, w);
        var inner = 0.0;
        if (inner_rect.z > 0.0 && inner_rect.w > 0.0) {
            inner = coverage(sd_rounded_rect(p, inner_rect, inner_rx, inner_ry), aa);
        }
        let side = border_side(p, in.shape, w);
        let style = (in.ids.w >> (side * 8u)) & 0xffu;
        let s = in.shape;
        var along = p.x - s.x;
        var across = p.y - s.y - w.x * 0.5;
        var width = w.x;
        var len = s.z;
        if (side == 1u) {
            along = p.y - s.y;
            across = s.x + s.z - w.y * 0.5 - p.x;
            width = w.y;
            len = s.w;
        } else if (side == 2u) {
            across = s.y + s.w - w.z * 0.5 - p.y;
            width = w.z;
        } else if (side == 3u) {
            along = p.y - s.y;
            across = p.x - s.x - w.w * 0.5;
            width = w.w;
            len = s.w;
        }
        var visible = 1.0;
        if (style == 0u || width <= 0.0) {
            visible = 0.0;
        }
        color = pick4(side, in.color, in.p1, in.p2, in.p3) * outer * (1.0 - inner)
            * pattern(along, across, width, len, style) * visible;
    } else if (kind == KIND_SHADOW) {
        // shape/radii: the shadow's shape before blurring; p0.x sigma,
        // p0.y inset flag; p1: the box (radii p2, p3) that clips the shadow.
        let sigma = in.p0.x;
        let box_cov = coverage(sd_rounded_rect(p, in.p1, in.p2, in.p3), aa);
        if (in.p0.y > 0.5) {
            // Inset: the shape is the hole; shadow is the box minus the blurred hole.
            let hole = shadow_alpha(p, in.shape, in.radii_x, in.radii_y, sigma, aa);
            color = in.color * box_cov * (1.0 - hole);
        } else if (box_cov < 1.0) {
            let blurred = shadow_alpha(p, in.shape, in.radii_x, in.radii_y, sigma, aa);
            color = in.color * blurred * (1.0 - box_cov);
        }
    } else if (kind == KIND_LINEAR || kind == KIND_RADIAL) {
        // p0: start.xy end.xy (linear) or centre.xy radius.xy (radial);
        // p1.x: first stop index; ids.w: stop count | repeating << 16.
        var t: f32;
        if (kind == KIND_LINEAR) {
            let dir = in.p0.zw - in.p0.xy;
            t = dot(p - in.p0.xy, dir) / max(dot(dir, dir), 1e-6);
        } else {
            t = length((p - in.p0.xy) / max(in.p0.zw, vec2<f32>(1e-4)));
        }
        let packed = in.ids.w;
        let g = gradient_color(t, u32(in.p1.x), packed & 0xffffu, (packed >> 16u) != 0u);
        color = g * coverage(sd_rounded_rect(p, in.shape, in.radii_x, in.radii_y), aa);
    } else if (kind == KIND_IMAGE) {
        // shape: destination; p0: uv rect (u, v, du, dv); p1: tile origin
        // and size (zero size = stretch over shape); color.a: opacity.
        var f = (p - in.shape.xy) / max(in.shape.zw, vec2<f32>(1e-4));
        if (in.p1.z > 0.0 && in.p1.w > 0.0) {
            f = fract((p - in.p1.xy) / in.p1.zw);
        }
        // Keep bilinear sampling inside the source rectangle (no bleeding
        // from pixels next to a sprite or crop).
        let half_texel = 0.5 / vec2<f32>(textureDimensions(tex));
        let uv_min = in.p0.xy + min(half_texel, in.p0.zw * 0.5);
        let uv_max = in.p0.xy + in.p0.zw - min(half_texel, in.p0.zw * 0.5);
        let uv = clamp(in.p0.xy + f * in.p0.zw, uv_min, uv_max);
        // Mip level from texels per device pixel (derivatives are not
        // allowed here, in non-uniform control flow; `aa` is local units
        // per device pixel).
        var extent = in.shape.zw;
        if (in.p1.z > 0.0 && in.p1.w > 0.0) {
            extent = in.p1.zw;
        }
        let texels_per_local = in.p0.zw * vec2<f32>(textureDimensions(tex)) / max(extent, vec2<f32>(1e-4));
        let lod = max(log2(max(texels_per_local.x, texels_per_local.y) * aa), 0.0);
        let texel = textureSampleLevel(tex, samp, uv, lod);
        let cov = coverage(sd_rounded_rect(p, in.shape, in.radii_x, in.radii_y), aa);
        color = texel * in.color.a * cov;
    } else if (kind == KIND_GLYPH) {
        // shape: glyph box; p0: uv rect; ids.w: 1 for colour glyphs.
        let f = (p - in.shape.xy) / max(in.shape.zw, vec2<f32>(1e-4));
        let texel = textureSampleLevel(tex, samp, in.p0.xy + f * in.p0.zw, 0.0);
        if (in.ids.w == 1u) {
            color = texel * in.color.a;
        } else {
            color = in.color * texel.a;
        }
    } else if (kind == KIND_LAYER) {
        // p0: the layer texture's device rect; color.a: group opacity;
        // ids.w == 1: apply the colour matrix whose rows are shape, radii_x,
        // radii_y, p1 and whose offsets are p2 (on straight alpha).
        let uv = (device - in.p0.xy) / max(in.p0.zw, vec2<f32>(1.0));
        var texel = textureSampleLevel(tex, samp, uv, 0.0);
        if (in.ids.w == 1u && texel.a > 0.0) {
            let straight = vec4<f32>(texel.rgb / texel.a, texel.a);
            let filtered = clamp(vec4<f32>(
                dot(in.shape, straight),
                dot(in.radii_x, straight),
                dot(in.radii_y, straight),
                dot(in.p1, straight),
            ) + in.p2, vec4<f32>(0.0), vec4<f32>(1.0));
            texel = vec4<f32>(filtered.rgb * filtered.a, filtered.a);
        }
        color = texel * in.color.a;
    } else if (kind == KIND_LINE) {
        // A line along +x in its own frame: shape (0, -w/2, len, w);
        // ids.w: style (2 dashed, 3 dotted, else solid).
        // Style 4 (wavy): a sine of amplitude p0.x and wavelength p0.y
        // around the centre line, clipped to the segment's length.
        if (in.ids.w == 4u) {
            let k = 6.2831853 / max(in.p0.y, 1e-3);
            let centre = in.shape.y + in.shape.w * 0.5;
            let x = p.x - in.shape.x;
            let offset = p.y - centre - in.p0.x * sin(k * x);
            let slope = in.p0.x * k * cos(k * x);
            let d = abs(offset) / sqrt(1.0 + slope * slope) - in.shape.w * 0.5;
            let along = max(in.shape.x - p.x, p.x - (in.shape.x + in.shape.z));
            color = in.color * coverage(max(d, along), aa);
        } else {
            let cov = coverage(sd_rounded_rect(p, in.shape, vec4<f32>(0.0), vec4<f32>(0.0)), aa);
            color = in.color * cov * pattern(p.x - in.shape.x, p.y - (in.shape.y + in.shape.w * 0.5), in.shape.w, in.shape.z, in.ids.w);
        }
    }
    let out = color * clip_coverage(device, in.ids.z);
    if (SRGB_TARGET && out.a > 0.0) {
        let straight = out.rgb / out.a;
        let linear = select(
            pow((straight + 0.055) / 1.055, vec3<f32>(2.4)),
            straight / 12.92,
            straight <= vec3<f32>(0.04045),
        );
        return vec4<f32>(linear * out.a, out.a);
    }
    return out;
}
