//! Text with coordinates, by PDFium inside a worker process (see `worker`): per page, in
//! PDFium's reading order, the plain text, its lines and words, each with a box in PDF points
//! (origin at the page's top left, y growing down, as images and OCR boxes are) and the same box
//! as fractions of the page, and each word's font size.

use pdfium_render::prelude::{PdfPageRenderRotation, PdfPageTextChar, PdfRect, Pdfium};
use serde::Serialize;

use crate::render::{failed, load};
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
    /// Each line (unless `detail` is `text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<Span>>,
    /// Each word (with `detail` `words`, the default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<Span>>,
}

/// How much a page's text comes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// The text only.
    Text,
    /// The text and its lines with boxes.
    Lines,
    /// The text, lines, and words with boxes and font sizes.
    Words,
}

impl Detail {
    /// From its name in a job.
    pub fn from_name(s: &str) -> Detail {
        match s {
            "text" => Detail::Text,
            "lines" => Detail::Lines,
            _ => Detail::Words,
        }
    }
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
    const ZERO: Grow = Grow {
        l: 0.0,
        b: 0.0,
        r: 0.0,
        t: 0.0,
    };

    fn of(r: &PdfRect) -> Grow {
        Grow {
            l: r.left().value,
            b: r.bottom().value,
            r: r.right().value,
            t: r.top().value,
        }
    }
    /// This box (page space, y up) as the page is shown, turned `quarter` quarter turns
    /// clockwise; `w0` × `h0` is the page unturned.
    fn shown(self, quarter: u8, w0: f32, h0: f32) -> Grow {
        let Grow { l, b, r, t } = self;
        match quarter {
            1 => Grow {
                l: b,
                r: t,
                b: w0 - r,
                t: w0 - l,
            },
            2 => Grow {
                l: w0 - r,
                r: w0 - l,
                b: h0 - t,
                t: h0 - b,
            },
            3 => Grow {
                l: h0 - t,
                r: h0 - b,
                b: l,
                t: r,
            },
            _ => self,
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

/// A page's words and lines, grown character by character in reading order.
struct Builder {
    detail: Detail,
    /// Columns kept: the text is laid out from the words' places (needs their boxes).
    layout: bool,
    w: f32,
    h: f32,
    words: Vec<Span>,
    lines: Vec<Span>,
    word: String,
    word_box: Option<Grow>,
    word_size: f32,
    line: String,
    line_box: Option<Grow>,
}

impl Builder {
    fn new(w: f32, h: f32, detail: Detail, layout: bool) -> Builder {
        Builder {
            detail,
            layout,
            w,
            h,
            words: Vec::new(),
            lines: Vec::new(),
            word: String::new(),
            word_box: None,
            word_size: 0.0,
            line: String::new(),
            line_box: None,
        }
    }

    /// Whether the word being grown is empty (its first character needs a font size).
    fn word_is_empty(&self) -> bool {
        self.word_box.is_none()
    }

    /// A character of the current word, with its box (and the word's font size, given with its
    /// first character).
    fn push(&mut self, ch: char, g: Grow, size: Option<f32>) {
        self.word.push(ch);
        if let Some(size) = size {
            self.word_size = size;
        }
        self.word_box = Some(self.word_box.map_or(g, |b| b.with(g)));
    }

    /// The current word ends (at a space): it joins the line.
    fn end_word(&mut self) {
        if let Some(g) = self.word_box.take() {
            if !self.line.is_empty() {
                self.line.push(' ');
            }
            self.line.push_str(&self.word);
            self.line_box = Some(self.line_box.map_or(g, |l| l.with(g)));
            if self.detail == Detail::Words || self.layout {
                let word = std::mem::take(&mut self.word);
                self.words
                    .push(span(word, g, self.w, self.h, Some(self.word_size)));
            }
        }
        self.word.clear();
    }

    /// The current line ends (at a line break).
    fn end_line(&mut self) {
        self.end_word();
        if let Some(g) = self.line_box.take() {
            let line = std::mem::take(&mut self.line);
            self.lines.push(span(line, g, self.w, self.h, None));
        }
        self.line.clear();
    }

    /// The page, its text the lines joined by newlines.
    fn finish(mut self, number: u32) -> PageText {
        self.end_line();
        let text = if self.layout {
            layout(&self.words)
        } else {
            self.lines
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        };
        PageText {
            number,
            width: self.w,
            height: self.h,
            text,
            lines: (self.detail != Detail::Text).then_some(self.lines),
            words: (self.detail == Detail::Words).then_some(self.words),
        }
    }
}

/// Whether two glyphs with a space between them in the text touch on the page, so the space is
/// not there to see: scanned pages' text layers write a word's pieces with spaces between them
/// ("Th e"), and pdftotext, which breaks words by the gap between glyphs (more than a tenth of
/// the font size) rather than by space characters, reads one word there. Glyphs on different
/// baselines never touch.
fn touching(prev: &PdfPageTextChar, next: &PdfPageTextChar) -> bool {
    let (Ok(a), Ok(b)) = (prev.loose_bounds(), next.loose_bounds()) else {
        return false;
    };
    let size = (a.top().value - a.bottom().value).max(b.top().value - b.bottom().value);
    if size <= 0.0 || (a.bottom().value - b.bottom().value).abs() > size * 0.3 {
        return false;
    }
    let gap = b.left().value - a.right().value;
    gap < size * 0.1 && gap > -size * 0.3
}

/// Text laid out as the page shows it, as `pdftotext -layout` does: words in rows by their
/// baselines, each starting at the column its left edge falls in (one column is the page's
/// typical character width), so columns and tables keep their shape; a blank line where rows
/// are far apart.
pub fn layout(words: &[Span]) -> String {
    if words.is_empty() {
        return String::new();
    }
    let mut widths: Vec<f32> = words
        .iter()
        .filter_map(|w| {
            let n = w.text.chars().count();
            let width = w.r#box[2] - w.r#box[0];
            (n > 0 && width > 0.0).then(|| width / n as f32)
        })
        .collect();
    widths.sort_by(f32::total_cmp);
    let cw = widths
        .get(widths.len() / 2)
        .copied()
        .unwrap_or(5.0)
        .max(1.0);
    // Rows: words sorted by baseline; a word joins the row whose baseline is within half its
    // height.
    let mut order: Vec<&Span> = words.iter().collect();
    order.sort_by(|a, b| a.r#box[3].total_cmp(&b.r#box[3]));
    let mut rows: Vec<Vec<&Span>> = Vec::new();
    for w in order {
        let h = (w.r#box[3] - w.r#box[1]).max(1.0);
        match rows.last_mut() {
            Some(row) if (row[0].r#box[3] - w.r#box[3]).abs() < h * 0.5 => row.push(w),
            _ => rows.push(vec![w]),
        }
    }
    let mut out = String::new();
    let mut last: Option<(f32, f32)> = None;
    for mut row in rows {
        row.sort_by(|a, b| a.r#box[0].total_cmp(&b.r#box[0]));
        let base = row[0].r#box[3];
        let height = (row[0].r#box[3] - row[0].r#box[1]).max(1.0);
        if let Some((prev, prev_h)) = last {
            out.push('\n');
            if base - prev > 2.0 * prev_h.max(height) {
                out.push('\n');
            }
        }
        last = Some((base, height));
        let mut line = String::new();
        let mut len = 0usize;
        for w in row {
            let col = (w.r#box[0] / cw).round().max(0.0) as usize;
            if col > len {
                line.extend(std::iter::repeat_n(' ', col - len));
                len = col;
            } else if len > 0 {
                line.push(' ');
                len += 1;
            }
            line.push_str(&w.text);
            len += w.text.chars().count();
        }
        out.push_str(line.trim_end());
    }
    out
}

/// The text of the job's pages: for each page an item whose bytes are the page as JSON, then
/// its plain text (`text_len` bytes).
pub fn run(pdfium: &Pdfium, job: &Job, body: &[u8]) -> (Reply, Vec<u8>) {
    let doc = match load(pdfium, job, body) {
        Ok(d) => d,
        Err(refused) => return refused,
    };
    let pages = doc.pages();
    let count = u32::try_from(pages.len()).unwrap_or(0);
    let detail = Detail::from_name(&job.format);
    let mut out = Vec::new();
    let mut items = Vec::with_capacity(job.pages.len());
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
        // Boxes are given as the page is shown: PDFium's sizes are turned by the page's
        // /Rotate, its character boxes are not.
        let (w, h) = (page.width().value, page.height().value);
        let quarter = match page.rotation() {
            Ok(PdfPageRenderRotation::Degrees90) => 1,
            Ok(PdfPageRenderRotation::Degrees180) => 2,
            Ok(PdfPageRenderRotation::Degrees270) => 3,
            _ => 0,
        };
        let (w0, h0) = if quarter % 2 == 1 { (h, w) } else { (w, h) };
        let mut b = Builder::new(w, h, detail, job.layout);
        // A page PDFium has no text object for has no text.
        if let Ok(text) = page.text() {
            let chars = text.chars();
            // The last glyph, and whether a space came after it: a space decides nothing until
            // the next glyph shows whether there is room between the two (see `touching`).
            let mut last = None;
            let mut spaced = false;
            for c in chars.iter() {
                let Some(ch) = c.unicode_char() else { continue };
                if ch == '\n' || ch == '\r' || ch == '\u{2}' {
                    b.end_line();
                    (last, spaced) = (None, false);
                    continue;
                }
                if ch.is_whitespace() {
                    spaced = last.is_some();
                    continue;
                }
                if spaced {
                    spaced = false;
                    let joined = last
                        .and_then(|i| chars.get(i).ok())
                        .is_some_and(|prev| touching(&prev, &c));
                    if !joined {
                        b.end_word();
                    }
                }
                last = Some(c.index());
                if detail == Detail::Text && !job.layout {
                    // Plain text needs no boxes: a zero box marks the word as begun.
                    b.push(ch, Grow::ZERO, None);
                } else if let Ok(bounds) = c.loose_bounds() {
                    // One font size per word: its first character's.
                    let size = (detail == Detail::Words && b.word_is_empty())
                        .then(|| c.unscaled_font_size().value);
                    b.push(ch, Grow::of(&bounds).shown(quarter, w0, h0), size);
                }
            }
        }
        let page = b.finish(i + 1);
        let start = out.len();
        if serde_json::to_writer(&mut out, &page).is_err() {
            return failed(
                "invalid",
                "a page's text could not be written".into(),
                count,
            );
        }
        let len = out.len() - start;
        out.extend_from_slice(page.text.as_bytes());
        items.push(Item {
            page: i,
            width: 0,
            height: 0,
            len,
            text_len: page.text.len(),
        });
    }
    (
        Reply {
            error: None,
            page_count: count,
            items,
            retire: false,
        },
        out,
    )
}
