//! A page's visible area as the page is shown: its crop box (else media box) and its quarter
//! turns, with the matrices between the page's space and the shown frame (overlays, n-up).

use lopdf::{Document, Object, ObjectId};

use crate::document;
use crate::error::PdfError;

/// A page's visible area: its crop box (else media box) and rotation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// The box's lower-left corner.
    pub x0: f32,
    /// Its lower-left corner.
    pub y0: f32,
    /// Its width, unrotated.
    pub w: f32,
    /// Its height, unrotated.
    pub h: f32,
    /// Clockwise degrees: 0, 90, 180 or 270.
    pub rotate: i64,
}

impl Geometry {
    /// Width and height as the page is shown.
    pub fn shown(&self) -> (f32, f32) {
        if self.rotate % 180 == 0 {
            (self.w, self.h)
        } else {
            (self.h, self.w)
        }
    }

    /// The matrix from shown coordinates (origin at the shown lower left) to the page's.
    pub fn matrix(&self) -> [f32; 6] {
        let (x0, y0, w, h) = (self.x0, self.y0, self.w, self.h);
        match self.rotate {
            90 => [0.0, 1.0, -1.0, 0.0, x0 + w, y0],
            180 => [-1.0, 0.0, 0.0, -1.0, x0 + w, y0 + h],
            270 => [0.0, -1.0, 1.0, 0.0, x0, y0 + h],
            _ => [1.0, 0.0, 0.0, 1.0, x0, y0],
        }
    }
}

/// Paper sizes by the names requests give (Typst's names), portrait, in points.
pub const PAPERS: &[(&str, f32, f32)] = &[
    ("a3", 841.89, 1190.55),
    ("a4", 595.28, 841.89),
    ("a5", 419.53, 595.28),
    ("a6", 297.64, 419.53),
    ("b5", 498.9, 708.66),
    ("us-letter", 612.0, 792.0),
    ("us-legal", 612.0, 1008.0),
    ("us-executive", 522.0, 756.0),
];

/// The paper a client names (any case; `letter` and `legal` are the US ones): its name and
/// size, or an error naming `paper` and listing the names.
pub fn paper(name: &str) -> Result<(&'static str, f32, f32), PdfError> {
    let name = name.trim().to_ascii_lowercase();
    let name = match name.as_str() {
        "letter" => "us-letter",
        "legal" => "us-legal",
        n => n,
    };
    PAPERS
        .iter()
        .find(|(n, ..)| *n == name)
        .copied()
        .ok_or_else(|| {
            let names: Vec<&str> = PAPERS.iter().map(|(n, ..)| *n).collect();
            PdfError::invalid("paper", format!("must be one of {}", names.join(", ")))
        })
}

/// A PDF number (integer or real) as f32.
pub(crate) fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// The visible area of `page`.
pub fn geometry(doc: &Document, page: ObjectId) -> Geometry {
    let rect = |key: &[u8]| -> Option<[f32; 4]> {
        let o = document::inherited(doc, page, key)?;
        let o = match o {
            Object::Reference(r) => doc.get_object(r).ok()?.clone(),
            o => o,
        };
        let a = o.as_array().ok()?;
        let v: Vec<f32> = a.iter().filter_map(number).collect();
        (v.len() == 4).then(|| {
            [
                v[0].min(v[2]),
                v[1].min(v[3]),
                v[0].max(v[2]),
                v[1].max(v[3]),
            ]
        })
    };
    let media = rect(b"MediaBox").unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let b = rect(b"CropBox").unwrap_or(media);
    let rotate = document::inherited(doc, page, b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360);
    let (w, h) = (b[2] - b[0], b[3] - b[1]);
    Geometry {
        x0: b[0],
        y0: b[1],
        w: if w > 0.0 { w } else { 612.0 },
        h: if h > 0.0 { h } else { 792.0 },
        rotate: rotate - rotate % 90,
    }
}

/// A length from `"2cm"`, `"20 mm"`, `"1in"`, `"36pt"` or a number of millimetres, as Typst
/// writes it; at most 10 cm.
pub fn length(v: &serde_json::Value) -> Option<String> {
    parse_length(v).map(|(n, unit, _)| format!("{n}{unit}"))
}

/// As [`length`], in points.
pub fn length_pt(v: &serde_json::Value) -> Option<f32> {
    parse_length(v).map(|(_, _, mm)| (mm * 72.0 / 25.4) as f32)
}

/// The number, its unit and millimetres.
fn parse_length(v: &serde_json::Value) -> Option<(f64, String, f64)> {
    let (n, unit) = match v {
        serde_json::Value::Number(n) => (n.as_f64()?, "mm".to_string()),
        serde_json::Value::String(s) => {
            let s = s.trim();
            let i = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
            let n: f64 = s[..i].trim().parse().ok()?;
            let unit = s[i..].trim().to_ascii_lowercase();
            (n, if unit.is_empty() { "mm".into() } else { unit })
        }
        _ => return None,
    };
    let mm = match unit.as_str() {
        "mm" => n,
        "cm" => n * 10.0,
        "in" => n * 25.4,
        "pt" => n * 25.4 / 72.0,
        _ => return None,
    };
    (n.is_finite() && (0.0..=100.0).contains(&mm)).then_some((n, unit, mm))
}
