//! Typst as a library: a source, JSON data and files in, a PDF out. It runs in the PDF worker
//! processes (see `worker`), so a template that loops, recurses or asks for gigabytes fails one
//! request under the worker's memory and time limits, never the service.
//!
//! The world a document sees: its source as `/main.typ`; the data as `sys.inputs.data` and as
//! the file `/data.json`; each uploaded file under its own name (`image("logo.png")`); fonts
//! embedded in the binary (Libertinus Serif, New Computer Modern, DejaVu Sans Mono) plus every
//! font under `/usr/share/fonts` and `FLOWFORGE_FONTS_DIR` (DejaVu Sans, Noto CJK, …), with
//! Typst's fallback picking a font that has each glyph. No packages, no network, no file system
//! beyond the fonts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Array, Bytes, Datetime, Dict, Duration, Str, Value};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

/// What to typeset: the header part of a `typeset` job (the files' bytes follow in the body).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Typeset {
    /// Typst markup.
    pub source: String,
    /// The data, as `sys.inputs.data` and `/data.json`.
    pub data: serde_json::Value,
    /// Other inputs by name (`sys.inputs.<name>`), strings.
    #[serde(default)]
    pub inputs: HashMap<String, String>,
    /// Files by name and length, their bytes one after another in the job's body.
    #[serde(default)]
    pub files: Vec<(String, usize)>,
    /// Files whose bytes are also given to the document as `sys.inputs.<name>` (images a
    /// template places, such as a logo).
    #[serde(default)]
    pub byte_inputs: Vec<String>,
    /// Leave out the structure tags (overlays, which become parts of other pages).
    #[serde(default)]
    pub untagged: bool,
    /// No `sys.inputs` at all (the built-in templates read `/data.json` and `/options.json`):
    /// every such document shares one standard library, so Typst's memoised work carries over.
    #[serde(default)]
    pub no_inputs: bool,
}

/// The standard library without inputs, built once.
fn plain_library() -> &'static LazyHash<Library> {
    static LIB: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIB.get_or_init(|| LazyHash::new(Library::default()))
}

/// A failed compilation: the first error, with its line and column in the source, and hints.
#[derive(Debug, Clone, PartialEq)]
pub struct TypesetError {
    /// What went wrong, as Typst says it, with where (`line 3, column 7`) when known.
    pub message: String,
}

struct Slot {
    path: Option<PathBuf>,
    index: u32,
    font: OnceLock<Option<Font>>,
}

struct Fonts {
    book: LazyHash<FontBook>,
    slots: Vec<Slot>,
}

static FONTS_DIR: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Where more fonts are (`FLOWFORGE_FONTS_DIR`), set once before the first document; later
/// calls change nothing.
pub fn use_fonts_dir(dir: Option<PathBuf>) {
    let _ = FONTS_DIR.set(dir);
}

/// Every font a document can use: embedded ones first, then the system's and
/// `FLOWFORGE_FONTS_DIR`'s (read when a document first needs them).
fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut book = FontBook::new();
        let mut slots = Vec::new();
        for data in typst_assets::fonts() {
            for font in Font::iter(Bytes::new(data)) {
                book.push(font.info().clone());
                slots.push(Slot {
                    path: None,
                    index: font.index(),
                    font: OnceLock::from(Some(font)),
                });
            }
        }
        let mut dirs = vec![PathBuf::from("/usr/share/fonts")];
        if let Some(Some(d)) = FONTS_DIR.get() {
            dirs.push(d.clone());
        }
        for dir in dirs {
            let mut files = Vec::new();
            font_files(&dir, 0, &mut files);
            files.sort();
            for path in files {
                let Ok(data) = std::fs::read(&path) else {
                    continue;
                };
                for (index, info) in FontInfo::iter(&data).enumerate() {
                    book.push(info);
                    slots.push(Slot {
                        path: Some(path.clone()),
                        index: index as u32,
                        font: OnceLock::new(),
                    });
                }
            }
        }
        Fonts {
            book: LazyHash::new(book),
            slots,
        }
    })
}

fn font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() && depth < 6 {
            font_files(&path, depth + 1, out);
        } else if path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
            matches!(
                x.to_ascii_lowercase().as_str(),
                "ttf" | "otf" | "ttc" | "otc"
            )
        }) {
            out.push(path);
        }
    }
}

/// The family names of every font a document can use, sorted.
pub fn families() -> Vec<String> {
    let mut v: Vec<String> = fonts()
        .book
        .families()
        .map(|(name, _)| name.to_string())
        .collect();
    v.dedup();
    v
}

/// A `font` option checked: `None` when not given (or blank), the family when this server has
/// it, else an error naming the field.
pub fn checked_font(font: Option<String>) -> Result<Option<String>, crate::error::PdfError> {
    match font.map(|f| f.trim().to_string()).filter(|f| !f.is_empty()) {
        None => Ok(None),
        Some(f) if fonts().book.contains_family(&f.to_lowercase()) => Ok(Some(f)),
        Some(f) => Err(crate::error::PdfError::invalid(
            "font",
            format!("\"{f}\" is not a font this server has (POST /api/v1/pdf/fonts lists them)"),
        )),
    }
}

/// Parsed sources by path, reused while their text is the same (a template is parsed once per
/// worker, not once per document).
fn parsed(id: FileId, text: &str) -> Source {
    static CACHE: OnceLock<std::sync::Mutex<HashMap<FileId, Source>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|p| p.into_inner());
    match map.get(&id) {
        Some(s) if s.text() == text => s.clone(),
        _ => {
            let s = Source::new(id, text.to_string());
            if map.len() < 64 && text.len() < (1 << 20) {
                map.insert(id, s.clone());
            }
            s
        }
    }
}

struct Sandbox {
    library: Option<LazyHash<Library>>,
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: (i32, u8, u8),
}

fn id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl World for Sandbox {
    fn library(&self) -> &LazyHash<Library> {
        self.library.as_ref().unwrap_or_else(|| plain_library())
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(parsed(id, text))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_string()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(PathBuf::from(format!("{:?}", id.vpath()))))
    }

    fn font(&self, index: usize) -> Option<Font> {
        let slot = fonts().slots.get(index)?;
        slot.font
            .get_or_init(|| {
                let data = std::fs::read(slot.path.as_ref()?).ok()?;
                Font::new(Bytes::new(data), slot.index)
            })
            .clone()
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        let _ = offset;
        let (y, m, d) = self.today;
        Datetime::from_ymd(y, m, d)
    }
}

/// Today's date (UTC) from the system clock.
pub fn today() -> (i32, u8, u8) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil((secs / 86_400) as i64)
}

/// The calendar date of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// JSON as a Typst value: objects become dictionaries, whole numbers integers.
pub fn value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::Str(Str::from(s.as_str())),
        serde_json::Value::Array(a) => Value::Array(a.iter().map(value).collect::<Array>()),
        serde_json::Value::Object(o) => {
            let mut d = Dict::new();
            for (k, v) in o {
                d.insert(Str::from(k.as_str()), value(v));
            }
            Value::Dict(d)
        }
    }
}

/// Typeset `job` (its files' bytes one after another in `body`): the PDF and its page count.
pub fn compile(job: &Typeset, body: &[u8]) -> Result<(Vec<u8>, usize), TypesetError> {
    let main_id = id("/main.typ").ok_or_else(|| TypesetError {
        message: "no main file".into(),
    })?;
    let mut files = HashMap::new();
    let mut inputs = Dict::new();
    let mut at = 0usize;
    for (name, len) in &job.files {
        let end = at.checked_add(*len).filter(|&e| e <= body.len());
        let Some(end) = end else {
            return Err(TypesetError {
                message: "the job's files are shorter than their lengths".into(),
            });
        };
        let bytes = Bytes::new(body[at..end].to_vec());
        at = end;
        if job.byte_inputs.iter().any(|b| b == name) {
            inputs.insert(Str::from(name.as_str()), Value::Bytes(bytes.clone()));
        }
        let path = format!("/{}", name.trim_start_matches('/'));
        if let Some(fid) = id(&path) {
            files.insert(fid, bytes);
        }
    }
    if let (Some(fid), Ok(json)) = (id("/data.json"), serde_json::to_vec(&job.data)) {
        files.entry(fid).or_insert_with(|| Bytes::new(json));
    }
    inputs.insert("data".into(), value(&job.data));
    for (k, v) in &job.inputs {
        inputs.insert(Str::from(k.as_str()), Value::Str(Str::from(v.as_str())));
    }
    if job.no_inputs
        && let (Some(fid), Ok(json)) = (id("/options.json"), serde_json::to_vec(&job.inputs))
    {
        files.insert(fid, Bytes::new(json));
    }
    let world = Sandbox {
        library: (!job.no_inputs)
            .then(|| LazyHash::new(Library::builder().with_inputs(inputs).build())),
        main: parsed(main_id, &job.source),
        files,
        today: today(),
    };
    let result = typst::compile::<PagedDocument>(&world).output;
    // Memoised results of older compilations are dropped so a long-lived worker stays small.
    typst::comemo::evict(8);
    let doc = result.map_err(|errors| TypesetError {
        message: describe(&world, &errors),
    })?;
    let pages = doc.pages().len();
    let options = typst_pdf::PdfOptions {
        tagged: !job.untagged,
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&doc, &options).map_err(|errors| TypesetError {
        message: describe(&world, &errors),
    })?;
    Ok((pdf, pages))
}

/// The first error of `errors` in words: its message, where it is in the main source, hints.
fn describe(world: &Sandbox, errors: &[SourceDiagnostic]) -> String {
    let Some(e) = errors
        .iter()
        .find(|e| e.severity == Severity::Error)
        .or(errors.first())
    else {
        return "the document could not be typeset".into();
    };
    let mut msg = e.message.to_string();
    if e.span.id() == Some(world.main.id())
        && let Some(range) = world.range(e.span)
        && let Some((line, col)) = world.main.lines().byte_to_line_column(range.start)
    {
        msg = format!("{msg} (line {}, column {})", line + 1, col + 1);
    }
    for hint in &e.hints {
        msg.push_str("; hint: ");
        msg.push_str(hint.v.as_str());
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(source: &str, data: serde_json::Value) -> Typeset {
        Typeset {
            source: source.into(),
            data,
            ..Default::default()
        }
    }

    #[test]
    fn typesets_data_into_a_pdf() {
        let (pdf, pages) = compile(
            &job(
                "#let d = sys.inputs.data\n= Invoice #d.number\n#for i in d.items [- #i.name: #i.qty]\n#pagebreak()\nTotal",
                serde_json::json!({"number": "A-1", "items": [{"name": "Tea", "qty": 2}]}),
            ),
            &[],
        )
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(pages, 2);
    }

    #[test]
    fn data_is_also_a_file() {
        let (_, pages) = compile(
            &job(
                "#let d = json(\"data.json\")\n#for p in range(d.pages) [x #pagebreak(weak: true)]",
                serde_json::json!({"pages": 3}),
            ),
            &[],
        )
        .unwrap();
        assert_eq!(pages, 3);
    }

    #[test]
    fn an_error_says_what_and_where() {
        let e = compile(&job("Hello\n#let x = (1 +\n", serde_json::Value::Null), &[]).unwrap_err();
        assert!(e.message.contains("line 2"), "{}", e.message);
        let e = compile(
            &job("#image(\"missing.png\")", serde_json::Value::Null),
            &[],
        )
        .unwrap_err();
        assert!(e.message.contains("not found"), "{}", e.message);
        let e = compile(
            &job(
                "#{ let n = 0; while n >= 0 { n += 1 } }",
                serde_json::Value::Null,
            ),
            &[],
        )
        .unwrap_err();
        assert!(e.message.contains("infinite"), "{}", e.message);
    }

    #[test]
    fn files_are_found_by_name() {
        let t = Typeset {
            source: "#read(\"note.txt\")".into(),
            files: vec![("note.txt".into(), 5)],
            ..Default::default()
        };
        assert!(compile(&t, b"hello").is_ok());
        assert!(compile(&t, b"hel").is_err());
    }

    #[test]
    fn dates_are_calendar_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(20_454), (2026, 1, 1));
        assert_eq!(civil(11_016), (2000, 2, 29));
    }
}
