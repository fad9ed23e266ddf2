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
    /// Each character: its text, the frame it was read at, its probability.
    pub chars: Vec<(String, usize, f32)>,
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
    let mut chars = Vec::new();
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
            chars.push((s.clone(), t, p));
            sum += p;
            kept += 1;
        }
        last = best;
    }
    Read {
        text,
        score: if kept == 0 { 0.0 } else { sum / kept as f32 },
        chars,
    }
}

/// Where a crop's frames fall in it: a crop `crop_width` wide was scaled to `ceil(48 × ratio)`
/// (at most the batch's `batch_width`), and the recognizer's `frames` span the batch width; so
/// one frame is this many of the crop's pixels.
pub fn pixels_per_frame(crop_width: u32, crop_height: u32, batch_width: u32, frames: usize) -> f32 {
    let ratio = crop_width as f32 / crop_height.max(1) as f32;
    let scaled = (HEIGHT as f32 * ratio)
        .ceil()
        .clamp(1.0, batch_width as f32);
    let content_frames = frames as f32 * scaled / batch_width.max(1) as f32;
    crop_width as f32 / content_frames.max(1e-3)
}

/// The words of a read: split at spaces and where characters are more than five frames apart,
/// each with its text, mean probability and its span `[x0, x1]` in the crop's pixels (each
/// character reaching halfway to its neighbours; the ends as far as the word's mean spacing).
pub fn words(read: &Read, px_per_frame: f32, crop_width: u32) -> Vec<(String, f32, [f32; 2])> {
    let mut groups: Vec<Vec<&(String, usize, f32)>> = vec![Vec::new()];
    for c in &read.chars {
        if c.0.trim().is_empty() {
            groups.push(Vec::new());
            continue;
        }
        if let Some(last) = groups.last().and_then(|g| g.last())
            && c.1 > last.1 + 5
        {
            groups.push(Vec::new());
        }
        if let Some(g) = groups.last_mut() {
            g.push(c);
        }
    }
    let max = crop_width as f32;
    groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|g| {
            let text: String = g.iter().map(|c| c.0.as_str()).collect();
            let score = g.iter().map(|c| c.2).sum::<f32>() / g.len() as f32;
            let (first, last) = (g[0].1 as f32, g[g.len() - 1].1 as f32);
            let spacing = if g.len() > 1 {
                (last - first) / (g.len() - 1) as f32
            } else {
                3.0
            };
            let x0 = ((first - spacing / 2.0 + 0.5) * px_per_frame).clamp(0.0, max);
            let x1 = ((last + spacing / 2.0 + 0.5) * px_per_frame).clamp(0.0, max);
            (text, score, [x0, x1])
        })
        .collect()
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
        // Words at the space, with spans in order: "aab" over frames 0–4, "b" at 6.
        let w = words(&r, 2.0, 100);
        assert_eq!(w.len(), 2);
        assert_eq!((w[0].0.as_str(), w[1].0.as_str()), ("aab", "b"));
        assert!(
            w[0].2[0] < w[0].2[1] && w[0].2[1] <= w[1].2[0] + 2.0,
            "{w:?}"
        );
        // 100 pixels over 4 frames' content: 48 × 100/10 = 480 of a 480 batch, 10 frames.
        assert!((pixels_per_frame(100, 10, 480, 10) - 10.0).abs() < 1e-4);
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
