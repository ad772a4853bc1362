//! The glyph atlas: glyph images rasterised by swash (through cosmic-text's
//! `SwashCache`) and packed into RGBA pages with a shelf packer.
//!
//! Invariants: an entry, once packed, never moves, and pages are only
//! dropped all at once between frames (`trim`, past a memory budget), so an
//! entry's page and texel rectangle stay valid for the frame being built. Mask glyphs are stored as white with coverage in every
//! channel; colour glyphs (emoji) premultiplied. Glyphs are 1 texel apart so
//! that linear sampling never bleeds a neighbour in.

use std::collections::HashMap;

use cirrus_layout::cosmic_text::{CacheKey, FontSystem, SwashCache, SwashContent};

use super::textures::{GpuTexture, TextureBinder};

/// Side of one atlas page in texels.
const PAGE_SIZE: u32 = 1024;
/// Gap between glyphs, in texels.
const PADDING: u32 = 1;
/// Past this many pages (64 MiB of RGBA) the atlas starts over at the next
/// frame: glyphs seen since are rasterised again, lazily.
const MAX_PAGES: usize = 16;

/// Where a glyph lives in the atlas and how it is placed around the pen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GlyphEntry {
    pub page: u32,
    /// Texel rectangle in the page.
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// Offset of the image's left edge from the pen x, in pixels.
    pub left: i32,
    /// Offset of the image's top edge above the baseline, in pixels.
    pub top: i32,
    pub is_color: bool,
}

struct Shelf {
    y: u32,
    height: u32,
    next_x: u32,
}

struct Page {
    texture: GpuTexture,
    shelves: Vec<Shelf>,
    next_shelf_y: u32,
}

impl Page {
    /// Finds room for a `width` x `height` block, or `None` when full.
    fn allocate(&mut self, width: u32, height: u32) -> Option<(u32, u32)> {
        let (w, h) = (width + PADDING, height + PADDING);
        if w > PAGE_SIZE || h > PAGE_SIZE {
            return None;
        }
        // Best fit: the lowest shelf tall enough with room left.
        let mut best: Option<usize> = None;
        for (index, shelf) in self.shelves.iter().enumerate() {
            if shelf.height >= h && PAGE_SIZE - shelf.next_x >= w {
                let better = match best {
                    Some(b) => shelf.height < self.shelves[b].height,
                    None => true,
                };
                // Avoid wasting a tall shelf on a tiny glyph.
                if better && shelf.height <= h * 2 {
                    best = Some(index);
                }
            }
        }
        if let Some(index) = best {
            let shelf = &mut self.shelves[index];
            let position = (shelf.next_x, shelf.y);
            shelf.next_x += w;
            return Some(position);
        }
        if PAGE_SIZE - self.next_shelf_y < h {
            return None;
        }
        let y = self.next_shelf_y;
        self.next_shelf_y += h;
        self.shelves.push(Shelf {
            y,
            height: h,
            next_x: w,
        });
        Some((0, y))
    }
}

pub struct GlyphAtlas {
    swash: SwashCache,
    pages: Vec<Page>,
    /// `None`: the glyph has no image (a space, or rasterisation failed).
    entries: HashMap<CacheKey, Option<GlyphEntry>>,
}

impl GlyphAtlas {
    pub fn new() -> GlyphAtlas {
        GlyphAtlas {
            swash: SwashCache::new(),
            pages: Vec::new(),
            entries: HashMap::new(),
        }
    }

    pub fn page_size(&self) -> u32 {
        PAGE_SIZE
    }

    pub fn page(&self, index: u32) -> Option<&GpuTexture> {
        self.pages.get(index as usize).map(|p| &p.texture)
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Drops every page and entry when the atlas has grown past its budget.
    /// Only call between frames: entries handed out stay valid until then.
    pub fn trim(&mut self) {
        if self.pages.len() > MAX_PAGES {
            self.pages.clear();
            self.entries.clear();
        }
    }

    /// The atlas entry of `key`, rasterising and uploading it on a miss.
    /// Returns the entry and whether this was a miss.
    pub fn lookup(
        &mut self,
        binder: &TextureBinder,
        queue: &wgpu::Queue,
        fonts: &mut FontSystem,
        key: CacheKey,
    ) -> (Option<GlyphEntry>, bool) {
        if let Some(entry) = self.entries.get(&key) {
            return (*entry, false);
        }
        let entry = self.rasterise(binder, queue, fonts, key);
        self.entries.insert(key, entry);
        (entry, true)
    }

    fn rasterise(
        &mut self,
        binder: &TextureBinder,
        queue: &wgpu::Queue,
        fonts: &mut FontSystem,
        key: CacheKey,
    ) -> Option<GlyphEntry> {
        let image = self.swash.get_image_uncached(fonts, key)?;
        let (width, height) = (image.placement.width, image.placement.height);
        if width == 0 || height == 0 {
            return None;
        }
        let pixel_count = (width * height) as usize;
        let (rgba, is_color) = match image.content {
            SwashContent::Mask => {
                let mut out = Vec::with_capacity(pixel_count * 4);
                for &coverage in image.data.iter().take(pixel_count) {
                    out.extend_from_slice(&[255, 255, 255, coverage]);
                }
                (out, false)
            }
            SwashContent::SubpixelMask => {
                // Collapse per-channel coverage to one alpha: grey AA.
                let mut out = Vec::with_capacity(pixel_count * 4);
                for px in image.data.chunks_exact(4).take(pixel_count) {
                    let a = ((px[0] as u32 + px[1] as u32 + px[2] as u32) / 3) as u8;
                    out.extend_from_slice(&[255, 255, 255, a]);
                }
                (out, false)
            }
            SwashContent::Color => {
                let mut out = Vec::with_capacity(pixel_count * 4);
                for px in image.data.chunks_exact(4).take(pixel_count) {
                    let a = px[3] as u32;
                    let pm = |c: u8| ((c as u32 * a + 127) / 255) as u8;
                    out.extend_from_slice(&[pm(px[0]), pm(px[1]), pm(px[2]), px[3]]);
                }
                (out, true)
            }
        };
        if rgba.len() < pixel_count * 4 {
            return None;
        }
        let (page_index, x, y) = self.allocate(binder, width, height)?;
        let page = &self.pages[page_index as usize];
        page.texture.write(queue, x, y, width, height, &rgba);
        Some(GlyphEntry {
            page: page_index,
            x,
            y,
            width,
            height,
            left: image.placement.left,
            top: image.placement.top,
            is_color,
        })
    }

    fn allocate(
        &mut self,
        binder: &TextureBinder,
        width: u32,
        height: u32,
    ) -> Option<(u32, u32, u32)> {
        // Only the newest page can have room worth looking for: older pages
        // were full for some glyph, and glyph sizes in a frame are similar.
        if let Some(page) = self.pages.last_mut() {
            if let Some((x, y)) = page.allocate(width, height) {
                return Some(((self.pages.len() - 1) as u32, x, y));
            }
        }
        let texture = binder.create_texture("cirrus glyph atlas page", PAGE_SIZE, PAGE_SIZE);
        self.pages.push(Page {
            texture,
            shelves: Vec::new(),
            next_shelf_y: 0,
        });
        let index = self.pages.len() - 1;
        let (x, y) = self.pages[index].allocate(width, height)?;
        Some((index as u32, x, y))
    }
}
