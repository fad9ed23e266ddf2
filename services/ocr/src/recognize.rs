//! Batched CTC recognition as RapidOCR does it: crops 48 pixels high, sorted by aspect ratio,
//! six to a batch; a batch as wide as `48 × max(320 / 48, its widest ratio)`, each crop scaled
//! to `ceil(48 × ratio)` (at most the batch width) and right-padded with zeros; then per frame the
//! most likely class, repeats merged, blanks dropped, the score the mean of the kept maxima.

use image::RgbImage;

/// Crop height the recognizer takes.
pub const HEIGHT: u32 = 48;
/// Crops per run.
pub const BATCH: usize = 6;

/// The classes: blank, the dictionary's characters, and a space.
#[derive(Debug, Clone)]
pub struct Charset(Vec<String>);

impl Charset {
    /// From a dictionary, one character per line (U+3000 read as a space).
    pub fn from_dictionary(text: &str) -> Charset {
        let mut classes = vec![String::new()];
        classes.extend(text.lines().map(|l| {
            if l == "\u{3000}" {
                " ".to_string()
            } else {
                l.to_string()
            }
        }));
        classes.push(" ".into());
        Charset(classes)
    }

    /// How many classes (the recognizer's last dimension must match).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One crop's text and score.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    /// The text.
    pub text: String,
    /// Mean probability of its characters.
    pub score: f32,
}

/// The batches: crop indices in order of aspect ratio, `BATCH` at a time, with each batch's
/// width.
pub fn batches(crops: &[RgbImage]) -> Vec<(Vec<usize>, u32)> {
    let ratio = |c: &RgbImage| c.width() as f32 / c.height().max(1) as f32;
    let mut order: Vec<usize> = (0..crops.len()).collect();
    order.sort_by(|&a, &b| ratio(&crops[a]).total_cmp(&ratio(&crops[b])));
    order
        .chunks(BATCH)
        .map(|chunk| {
            let widest = chunk
                .iter()
                .map(|&i| ratio(&crops[i]))
                .fold(320.0 / HEIGHT as f32, f32::max);
            (chunk.to_vec(), (HEIGHT as f32 * widest) as u32)
        })
        .collect()
}

/// A batch as the recognizer's input: `[n, 3, 48, width]`, BGR, normalised, right-padded.
pub fn input(crops: &[&RgbImage], width: u32) -> Vec<f32> {
    let plane = (HEIGHT * width) as usize;
    let mut out = vec![0f32; crops.len() * 3 * plane];
    for (n, c) in crops.iter().enumerate() {
        let ratio = c.width() as f32 / c.height().max(1) as f32;
        let w = ((HEIGHT as f32 * ratio).ceil() as u32).clamp(1, width);
        let scaled = image::imageops::resize(*c, w, HEIGHT, image::imageops::FilterType::Triangle);
        let base = n * 3 * plane;
        for (x, y, p) in scaled.enumerate_pixels() {
            let i = (y * width + x) as usize;
            for (ch, channel) in [2usize, 1, 0].into_iter().enumerate() {
                out[base + ch * plane + i] = (f32::from(p.0[channel]) / 255.0 - 0.5) / 0.5;
            }
        }
    }
    out
}

/// CTC decoding of one crop's `frames` × `classes` probabilities.
pub fn decode(probs: &[f32], frames: usize, charset: &Charset) -> Read {
    let classes = charset.len();
    let mut text = String::new();
    let (mut sum, mut kept) = (0f32, 0usize);
    let mut last = usize::MAX;
    for t in 0..frames {
        let Some(row) = probs.get(t * classes..(t + 1) * classes) else {
            break;
        };
        let (best, p) = row
            .iter()
            .copied()
            .enumerate()
            .fold(
                (0, f32::MIN),
                |acc, (i, v)| if v > acc.1 { (i, v) } else { acc },
            );
        if best != 0
            && best != last
            && let Some(s) = charset.0.get(best)
        {
            text.push_str(s);
            sum += p;
            kept += 1;
        }
        last = best;
    }
    Read {
        text,
        score: if kept == 0 { 0.0 } else { sum / kept as f32 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctc_merges_repeats_and_drops_blanks() {
        let cs = Charset::from_dictionary("a\nb\n\u{3000}");
        assert_eq!(cs.len(), 5);
        // Frames: a a blank a b space b
        let frames = [1, 1, 0, 1, 2, 4, 2];
        let mut probs = vec![0f32; frames.len() * cs.len()];
        for (t, c) in frames.iter().enumerate() {
            probs[t * cs.len() + c] = 0.9;
        }
        let r = decode(&probs, frames.len(), &cs);
        assert_eq!(r.text, "aab b");
        assert!((r.score - 0.9).abs() < 1e-6);
    }

    #[test]
    fn batches_by_ratio_with_their_widths() {
        let crops: Vec<RgbImage> = [100u32, 20, 400, 60, 30, 50, 90]
            .iter()
            .map(|&w| RgbImage::new(w, 10))
            .collect();
        let b = batches(&crops);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].0, vec![1, 4, 5, 3, 6, 0]);
        // 48 × max(320/48, 10) = 480.
        assert_eq!(b[0].1, 480);
        assert_eq!(b[1], (vec![2], 1920));
    }
}
