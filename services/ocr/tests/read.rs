//! The pipeline end to end on real models (fetched with pip into the target directory): text
//! typeset with DejaVu Sans (Debian's fonts-dejavu-core) is read back exactly.

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

use std::path::PathBuf;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use flowforge_ocr::{ModelSet, Ocr};
use image::{DynamicImage, Rgb, RgbImage};

fn models() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_TARGET_TMPDIR"), "/models"))
}

/// `lines` typeset at `px` pixels, black on white, with a margin; and each word's span
/// `[x0, x1]` on its line (from the glyphs' advances).
fn page(lines: &[&str], px: f32) -> (DynamicImage, Vec<Vec<[f32; 2]>>) {
    let bytes = std::fs::read("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        .expect("fonts-dejavu-core (scripts/install-test-tools installs it)");
    let font = FontRef::try_from_slice(&bytes).unwrap();
    let scaled = font.as_scaled(PxScale::from(px));
    let margin = px as u32;
    let line_h = (px * 1.6) as u32;
    let width = lines
        .iter()
        .map(|l| {
            l.chars()
                .map(|c| scaled.h_advance(font.glyph_id(c)))
                .sum::<f32>() as u32
        })
        .max()
        .unwrap_or(0)
        + 2 * margin;
    let height = line_h * lines.len() as u32 + 2 * margin;
    let mut img = RgbImage::from_pixel(width, height, Rgb([255, 255, 255]));
    let mut spans = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let mut x = margin as f32;
        let mut words: Vec<[f32; 2]> = Vec::new();
        let mut start: Option<f32> = None;
        let baseline = (margin + line_h * n as u32) as f32 + scaled.ascent();
        for c in line.chars() {
            let id = font.glyph_id(c);
            let g = id.with_scale_and_position(PxScale::from(px), ab_glyph::point(x, baseline));
            if let Some(o) = font.outline_glyph(g) {
                let b = o.px_bounds();
                o.draw(|gx, gy, cov| {
                    let (px_x, px_y) = (
                        b.min.x as i64 + i64::from(gx),
                        b.min.y as i64 + i64::from(gy),
                    );
                    if px_x >= 0 && px_y >= 0 && (px_x as u32) < width && (px_y as u32) < height {
                        let v = (255.0 * (1.0 - cov.clamp(0.0, 1.0))) as u8;
                        let p = img.get_pixel_mut(px_x as u32, px_y as u32);
                        p.0 = [p.0[0].min(v), p.0[1].min(v), p.0[2].min(v)];
                    }
                });
            }
            if c == ' ' {
                if let Some(s0) = start.take() {
                    words.push([s0, x]);
                }
            } else if start.is_none() {
                start = Some(x);
            }
            x += scaled.h_advance(id);
        }
        if let Some(s0) = start {
            words.push([s0, x]);
        }
        spans.push(words);
    }
    (DynamicImage::ImageRgb8(img), spans)
}

#[test]
fn printed_lines_are_read_back_exactly() {
    let text = [
        "The quick brown fox jumps over the lazy dog.",
        "Invoice INV-2026-0042, total 1,234.56 EUR",
    ];
    let (img, spans) = page(&text, 28.0);
    for set in [ModelSet::Small, ModelSet::Tiny] {
        let ocr = Ocr::load(&models(), None, set, 1, true).unwrap();
        let lines = ocr.read(&img).unwrap();
        let got: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(got, text, "{set:?}: {lines:?}");
        // Each line's box holds its text: the first above the second, both inside the image.
        assert!(
            lines[0].quad[2][1] <= lines[1].quad[0][1] + 4.0,
            "{lines:?}"
        );
        for ((l, want), typeset) in lines.iter().zip(text).zip(&spans) {
            // Its words, with boxes left to right inside the line's.
            let words: Vec<&str> = l.words.iter().map(|w| w.text.as_str()).collect();
            assert_eq!(words, want.split(' ').collect::<Vec<_>>(), "{set:?}");
            let (x0, x1) = (l.quad[0][0] - 2.0, l.quad[1][0] + 2.0);
            let mut right = x0;
            for w in &l.words {
                assert!(
                    w.quad[0][0] >= right - 3.0,
                    "{set:?}: {w:?} overlaps the word before"
                );
                assert!(w.quad[0][0] >= x0 && w.quad[1][0] <= x1, "{set:?}: {w:?}");
                assert!(w.quad[1][0] > w.quad[0][0]);
                right = w.quad[1][0];
            }
            // And where the word was typeset: most of each box's width over the word's glyphs.
            for (w, [t0, t1]) in l.words.iter().zip(typeset) {
                let (b0, b1) = (w.quad[0][0], w.quad[1][0]);
                let overlap = (b1.min(*t1) - b0.max(*t0)).max(0.0);
                let union = b1.max(*t1) - b0.min(*t0);
                assert!(
                    overlap / union > 0.6,
                    "{set:?}: {} at {b0}..{b1}, typeset {t0}..{t1}",
                    w.text
                );
            }
            assert!(l.score > 0.8, "{l:?}");
            for p in l.quad {
                assert!(p[0] >= 0.0 && p[0] <= img.width() as f32);
                assert!(p[1] >= 0.0 && p[1] <= img.height() as f32);
            }
        }
    }
}

#[test]
fn a_blank_page_has_no_lines() {
    let img = DynamicImage::ImageRgb8(RgbImage::from_pixel(300, 200, Rgb([255, 255, 255])));
    let ocr = Ocr::load(&models(), None, ModelSet::Tiny, 1, true).unwrap();
    assert!(ocr.read(&img).unwrap().is_empty());
}

/// A page found turned a quarter, half or three quarters is read upright, its boxes in the
/// turned image's own pixels.
#[test]
fn turned_pages_are_read_upright() {
    let text = [
        "Orientation is found by its own model.",
        "Second line of the page, 2026.",
    ];
    let (img, _) = page(&text, 28.0);
    let rgb = img.to_rgb8();
    let ocr = Ocr::load(&models(), None, ModelSet::Small, 1, true).unwrap();
    for deg in [0u16, 90, 180, 270] {
        let found = match deg {
            90 => image::imageops::rotate90(&rgb),
            180 => image::imageops::rotate180(&rgb),
            270 => image::imageops::rotate270(&rgb),
            _ => rgb.clone(),
        };
        let (w, h) = (found.width() as f32, found.height() as f32);
        let (got, lines) = ocr.read_upright(&DynamicImage::ImageRgb8(found)).unwrap();
        assert_eq!(got, deg);
        let read: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(read, text, "{deg}");
        for l in &lines {
            let xs: Vec<f32> = l.quad.iter().map(|p| p[0]).collect();
            let ys: Vec<f32> = l.quad.iter().map(|p| p[1]).collect();
            let span = |v: &[f32]| {
                v.iter().copied().fold(f32::MIN, f32::max)
                    - v.iter().copied().fold(f32::MAX, f32::min)
            };
            // A line runs across a page found at 0 or 180, down one found at 90 or 270.
            if deg % 180 == 0 {
                assert!(span(&xs) > 3.0 * span(&ys), "{deg}: {l:?}");
            } else {
                assert!(span(&ys) > 3.0 * span(&xs), "{deg}: {l:?}");
            }
            assert!(
                xs.iter().all(|x| (-1.0..=w + 1.0).contains(x))
                    && ys.iter().all(|y| (-1.0..=h + 1.0).contains(y))
            );
        }
    }
}
