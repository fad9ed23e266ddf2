//! Text with coordinates, by PDFium inside a worker process (see `worker`): per page, in
//! PDFium's reading order, the plain text, its lines and words, each with a box in PDF points
//! (origin at the page's top left, y growing down, as images and OCR boxes are) and the same box
//! as fractions of the page, and each word's font size.

use pdfium_render::prelude::{PdfRect, Pdfium, PdfiumError, PdfiumInternalError};
use serde::Serialize;

use crate::render::failed;
use crate::worker::{Item, Job, Reply};

/// A word or a line.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    /// Its text.
    pub text: String,
    /// `[left, top, right, bottom]` in points from the page's top left.
    pub r#box: [f32; 4],
    /// The same box as fractions of the page's width and height (0 to 1).
    pub normalized: [f32; 4],
    /// Words: the font size in points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub font_size: Option<f32>,
}

/// One page's text.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageText {
    /// From 1.
    pub number: u32,
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// The text, lines separated by newlines.
    pub text: String,
    /// Each line.
    pub lines: Vec<Span>,
    /// Each word.
    pub words: Vec<Span>,
}

/// A box being grown from characters, in PDF space (y up).
#[derive(Clone, Copy)]
struct Grow {
    l: f32,
    b: f32,
    r: f32,
    t: f32,
}

impl Grow {
    fn of(r: &PdfRect) -> Grow {
        Grow {
            l: r.left().value,
            b: r.bottom().value,
            r: r.right().value,
            t: r.top().value,
        }
    }
    fn with(self, o: Grow) -> Grow {
        Grow {
            l: self.l.min(o.l),
            b: self.b.min(o.b),
            r: self.r.max(o.r),
            t: self.t.max(o.t),
        }
    }
}

fn span(text: String, g: Grow, w: f32, h: f32, font_size: Option<f32>) -> Span {
    let (top, bottom) = (h - g.t, h - g.b);
    let round = |v: f32| (v * 100.0).round() / 100.0;
    let frac = |v: f32, d: f32| {
        if d > 0.0 {
            (v / d * 10_000.0).round() / 10_000.0
        } else {
            0.0
        }
    };
    Span {
        text,
        r#box: [round(g.l), round(top), round(g.r), round(bottom)],
        normalized: [frac(g.l, w), frac(top, h), frac(g.r, w), frac(bottom, h)],
        font_size: font_size.map(round),
    }
}

/// The text of the job's pages, as one JSON document in the reply's body.
pub fn run(pdfium: &Pdfium, job: &Job, body: &[u8]) -> (Reply, Vec<u8>) {
    let doc = match pdfium.load_pdf_from_byte_slice(body, job.password.as_deref()) {
        Ok(d) => d,
        Err(PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::PasswordError)) => {
            return failed("password", "is not this PDF's password".into(), 0);
        }
        Err(e) => return failed("invalid", format!("PDFium cannot read it ({e:?})"), 0),
    };
    let pages = doc.pages();
    let count = u32::try_from(pages.len()).unwrap_or(0);
    let mut out = Vec::new();
    for &i in &job.pages {
        let page = match i32::try_from(i).ok().and_then(|x| pages.get(x).ok()) {
            Some(p) => p,
            None => {
                return failed(
                    "pages",
                    format!("page {} is not in the document", i + 1),
                    count,
                );
            }
        };
        let (w, h) = (page.width().value, page.height().value);
        let Ok(text) = page.text() else {
            out.push(PageText {
                number: i + 1,
                width: w,
                height: h,
                text: String::new(),
                lines: Vec::new(),
                words: Vec::new(),
            });
            continue;
        };
        let mut words = Vec::new();
        let mut lines = Vec::new();
        let (mut word, mut word_box, mut word_size) = (String::new(), None::<Grow>, 0f32);
        let (mut line, mut line_box) = (String::new(), None::<Grow>);
        let mut end_word = |word: &mut String,
                            word_box: &mut Option<Grow>,
                            size: f32,
                            line: &mut String,
                            line_box: &mut Option<Grow>| {
            if let Some(g) = word_box.take() {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                *line_box = Some(line_box.map_or(g, |l| l.with(g)));
                words.push(span(std::mem::take(word), g, w, h, Some(size)));
            }
            word.clear();
        };
        for c in text.chars().iter() {
            let Some(ch) = c.unicode_char() else { continue };
            if ch == '\n' || ch == '\r' || ch == '\u{2}' {
                end_word(
                    &mut word,
                    &mut word_box,
                    word_size,
                    &mut line,
                    &mut line_box,
                );
                if let Some(g) = line_box.take() {
                    lines.push(span(std::mem::take(&mut line), g, w, h, None));
                }
                line.clear();
                continue;
            }
            if ch.is_whitespace() {
                end_word(
                    &mut word,
                    &mut word_box,
                    word_size,
                    &mut line,
                    &mut line_box,
                );
                continue;
            }
            let Ok(bounds) = c.loose_bounds() else {
                continue;
            };
            let g = Grow::of(&bounds);
            word.push(ch);
            word_size = c.unscaled_font_size().value;
            word_box = Some(word_box.map_or(g, |b| b.with(g)));
        }
        end_word(
            &mut word,
            &mut word_box,
            word_size,
            &mut line,
            &mut line_box,
        );
        if let Some(g) = line_box.take() {
            lines.push(span(line, g, w, h, None));
        }
        let text = lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        out.push(PageText {
            number: i + 1,
            width: w,
            height: h,
            text,
            lines,
            words,
        });
    }
    let body = serde_json::to_vec(&out).unwrap_or_default();
    (
        Reply {
            error: None,
            page_count: count,
            items: vec![Item {
                page: 0,
                width: 0,
                height: 0,
                len: body.len(),
            }],
        },
        body,
    )
}
