//! The PDF service behind the kit, test documents made with lopdf, and the outside oracles
//! (qpdf, pdftotext) every module uses.

use std::io::Write;
use std::process::Command;

use axum::Router;
use axum::http::StatusCode;
use base64::Engine;
use lopdf::{Dictionary, Document, Object, Stream};
use serde_json::Value;

pub use flowforge_testkit::{json_call, send as raw};

/// The service, with PDFium workers run as this package's `pdf-service pdf-worker` and PDFium
/// fetched once into the target directory.
pub fn app_with(vars: &[(&str, &str)]) -> Router {
    let mut all = vec![
        ("PDF_WORKER_BIN", env!("CARGO_BIN_EXE_pdf-service")),
        (
            "FLOWFORGE_MODELS_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/models"),
        ),
    ];
    all.extend_from_slice(vars);
    flowforge_testkit::app_with(flowforge_pdf::service, flowforge_pdf::PORT, &all)
}

pub fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

pub fn unb64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

/// A PDF of `n` A4 pages, page k showing "<label> k", with a bookmark per page when
/// `bookmarks`. The page tree is two levels deep, so inherited attributes are exercised.
pub fn pdf(label: &str, n: usize, bookmarks: bool) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let font = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type1".to_vec())),
        ("BaseFont", Object::Name(b"Helvetica".to_vec())),
    ]));
    let root = doc.new_object_id();
    let middle = doc.new_object_id();
    let mut pages = Vec::new();
    for k in 1..=n {
        let text = format!("BT /F1 24 Tf 72 700 Td ({label} {k}) Tj ET");
        let content = doc.add_object(Stream::new(Dictionary::new(), text.into_bytes()));
        let page = doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(middle)),
            ("Contents", Object::Reference(content)),
        ]));
        pages.push(page);
    }
    let resources = Dictionary::from_iter([(
        "Font",
        Object::Dictionary(Dictionary::from_iter([("F1", Object::Reference(font))])),
    )]);
    doc.objects.insert(
        middle,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Parent", Object::Reference(root)),
            ("Count", Object::Integer(n as i64)),
            (
                "Kids",
                Object::Array(pages.iter().map(|&p| Object::Reference(p)).collect()),
            ),
        ])),
    );
    doc.objects.insert(
        root,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Count", Object::Integer(n as i64)),
            ("Kids", Object::Array(vec![Object::Reference(middle)])),
            ("Resources", Object::Dictionary(resources)),
            (
                "MediaBox",
                Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
            ),
        ])),
    );
    let mut catalog = Dictionary::from_iter([
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(root)),
    ]);
    if bookmarks {
        let outlines = doc.new_object_id();
        let items: Vec<_> = (0..n).map(|_| doc.new_object_id()).collect();
        for (i, &id) in items.iter().enumerate() {
            let mut d = Dictionary::from_iter([
                (
                    "Title",
                    Object::string_literal(format!("{label} chapter {}", i + 1)),
                ),
                ("Parent", Object::Reference(outlines)),
                (
                    "Dest",
                    Object::Array(vec![
                        Object::Reference(pages[i]),
                        Object::Name(b"Fit".to_vec()),
                    ]),
                ),
            ]);
            if i > 0 {
                d.set("Prev", Object::Reference(items[i - 1]));
            }
            if i + 1 < n {
                d.set("Next", Object::Reference(items[i + 1]));
            }
            doc.objects.insert(id, Object::Dictionary(d));
        }
        doc.objects.insert(
            outlines,
            Object::Dictionary(Dictionary::from_iter([
                ("Type", Object::Name(b"Outlines".to_vec())),
                ("First", Object::Reference(items[0])),
                ("Last", Object::Reference(items[n - 1])),
                ("Count", Object::Integer(n as i64)),
            ])),
        );
        catalog.set("Outlines", Object::Reference(outlines));
    }
    let catalog = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog));
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn temp_file(bytes: &[u8]) -> tempfile_path::TempPath {
    tempfile_path::TempPath::new(bytes)
}

/// A file in the temp directory, removed when dropped.
mod tempfile_path {
    use super::*;
    pub struct TempPath(pub std::path::PathBuf);
    impl TempPath {
        pub fn new(bytes: &[u8]) -> Self {
            static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let p = std::env::temp_dir().join(format!("ff-pdf-{}-{n}.pdf", std::process::id()));
            std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
            TempPath(p)
        }
    }
    impl Drop for TempPath {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

fn tool(name: &str) -> Command {
    if Command::new(name).arg("--version").output().is_err() {
        panic!("{name} is missing: install Debian's qpdf and poppler-utils (.ci/run does)");
    }
    Command::new(name)
}

/// qpdf's verdict on `bytes` (with `password`): whether `qpdf --check` passed, and its output.
pub fn qpdf_check(bytes: &[u8], password: Option<&str>) -> (bool, String) {
    let f = temp_file(bytes);
    let mut c = tool("qpdf");
    if let Some(p) = password {
        c.arg(format!("--password={p}"));
    }
    let out = c.arg("--check").arg(&f.0).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Exit 0 is clean; 3 is "succeeded with warnings".
    (out.status.code() == Some(0), text)
}

/// Assert that qpdf finds nothing wrong with `bytes`.
pub fn assert_qpdf_clean(bytes: &[u8]) {
    let (ok, text) = qpdf_check(bytes, None);
    assert!(ok, "qpdf --check: {text}");
}

/// `bytes` as small as qpdf makes them (object streams, every stream recompressed at level 9).
pub fn qpdf_compressed(bytes: &[u8]) -> Vec<u8> {
    let f = temp_file(bytes);
    let out = std::env::temp_dir().join(format!("ff-pdf-{}-qpdf-out.pdf", std::process::id()));
    let status = tool("qpdf")
        .args([
            "--object-streams=generate",
            "--compress-streams=y",
            "--recompress-flate",
        ])
        .arg("--compression-level=9")
        .arg(&f.0)
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let b = std::fs::read(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    b
}

/// The text of each page, by poppler's pdftotext (an outside reader).
pub fn page_texts(bytes: &[u8]) -> Vec<String> {
    let f = temp_file(bytes);
    let out = tool("pdftotext").arg(&f.0).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext failed");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(|p| p.trim().to_string()).collect();
    if pages.last().is_some_and(String::is_empty) {
        pages.pop();
    }
    pages
}

/// POST a raw PDF to `path_and_query`; the answer's status and bytes.
pub async fn post_pdf(app: &Router, path_and_query: &str, pdf: Vec<u8>) -> (StatusCode, Vec<u8>) {
    let (s, _, b) = raw(app, path_and_query, "application/pdf", pdf).await;
    (s, b)
}

/// `/api/v1/pdf/info` of `pdf`.
pub async fn info(app: &Router, pdf: &[u8]) -> Value {
    let (s, v) = json_call(
        app,
        "/api/v1/pdf/info",
        serde_json::json!({"data": b64(pdf)}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

/// A multipart body with `files` parts and text fields; the content type to send it with.
pub fn multipart(files: &[(&str, &[u8])], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "ffboundary7MA4YWxk";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
        ).as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A one-page form: a text field `name`, a text field `city` under `address` (so
/// `address.city`), and a checkbox `agree` (on-value `Yes`), each with its widget on the page.
pub fn form_pdf() -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let helv = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type1".to_vec())),
        ("BaseFont", Object::Name(b"Helvetica".to_vec())),
        ("Encoding", Object::Name(b"WinAnsiEncoding".to_vec())),
    ]));
    let pages = doc.new_object_id();
    let page = doc.new_object_id();
    let text = |doc: &mut Document, t: &str, y: i64, parent: Option<lopdf::ObjectId>| {
        let mut d = Dictionary::from_iter([
            ("Type", Object::Name(b"Annot".to_vec())),
            ("Subtype", Object::Name(b"Widget".to_vec())),
            ("FT", Object::Name(b"Tx".to_vec())),
            ("T", Object::string_literal(t)),
            (
                "Rect",
                Object::Array(vec![72.into(), y.into(), 300.into(), (y + 20).into()]),
            ),
            ("DA", Object::string_literal("/Helv 12 Tf 0 g")),
            ("P", Object::Reference(page)),
            ("F", Object::Integer(4)),
        ]);
        if let Some(p) = parent {
            d.set("Parent", Object::Reference(p));
        }
        doc.add_object(d)
    };
    let name = text(&mut doc, "name", 700, None);
    let address = doc.new_object_id();
    let city = text(&mut doc, "city", 660, Some(address));
    doc.objects.insert(
        address,
        Object::Dictionary(Dictionary::from_iter([
            ("T", Object::string_literal("address")),
            ("Kids", Object::Array(vec![Object::Reference(city)])),
        ])),
    );
    let on = doc.add_object(Stream::new(
        Dictionary::from_iter([(
            "BBox",
            Object::Array(vec![0.into(), 0.into(), 20.into(), 20.into()]),
        )]),
        b"0 g 4 4 12 12 re f".to_vec(),
    ));
    let off = doc.add_object(Stream::new(
        Dictionary::from_iter([(
            "BBox",
            Object::Array(vec![0.into(), 0.into(), 20.into(), 20.into()]),
        )]),
        Vec::new(),
    ));
    let agree = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Annot".to_vec())),
        ("Subtype", Object::Name(b"Widget".to_vec())),
        ("FT", Object::Name(b"Btn".to_vec())),
        ("T", Object::string_literal("agree")),
        (
            "Rect",
            Object::Array(vec![72.into(), 620.into(), 92.into(), 640.into()]),
        ),
        ("V", Object::Name(b"Off".to_vec())),
        ("AS", Object::Name(b"Off".to_vec())),
        ("P", Object::Reference(page)),
        ("F", Object::Integer(4)),
        (
            "AP",
            Object::Dictionary(Dictionary::from_iter([(
                "N",
                Object::Dictionary(Dictionary::from_iter([
                    ("Yes", Object::Reference(on)),
                    ("Off", Object::Reference(off)),
                ])),
            )])),
        ),
    ]));
    let content = doc.add_object(Stream::new(
        Dictionary::new(),
        b"BT /F1 12 Tf 72 740 Td (Application form) Tj ET".to_vec(),
    ));
    doc.objects.insert(
        page,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages)),
            (
                "MediaBox",
                Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()]),
            ),
            ("Contents", Object::Reference(content)),
            (
                "Resources",
                Object::Dictionary(Dictionary::from_iter([(
                    "Font",
                    Object::Dictionary(Dictionary::from_iter([("F1", Object::Reference(helv))])),
                )])),
            ),
            (
                "Annots",
                Object::Array(vec![
                    Object::Reference(name),
                    Object::Reference(city),
                    Object::Reference(agree),
                ]),
            ),
        ])),
    );
    doc.objects.insert(
        pages,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(vec![Object::Reference(page)])),
            ("Count", Object::Integer(1)),
        ])),
    );
    let form = doc.add_object(Dictionary::from_iter([
        (
            "Fields",
            Object::Array(vec![
                Object::Reference(name),
                Object::Reference(address),
                Object::Reference(agree),
            ]),
        ),
        (
            "DR",
            Object::Dictionary(Dictionary::from_iter([(
                "Font",
                Object::Dictionary(Dictionary::from_iter([("Helv", Object::Reference(helv))])),
            )])),
        ),
        ("DA", Object::string_literal("/Helv 0 Tf 0 g")),
    ]));
    let catalog = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages)),
        ("AcroForm", Object::Reference(form)),
    ]));
    doc.trailer.set("Root", Object::Reference(catalog));
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// How many dark pixels poppler's pdftoppm draws in the box (x, y from the page's top left, in
/// points at 72 DPI) of page 1: what a viewer shows there, form appearances included.
pub fn ink(bytes: &[u8], x: u32, y: u32, w: u32, h: u32) -> usize {
    let f = temp_file(bytes);
    let out = tool("pdftoppm")
        .args(["-r", "72", "-gray", "-f", "1", "-l", "1"])
        .args([
            "-x",
            &x.to_string(),
            "-y",
            &y.to_string(),
            "-W",
            &w.to_string(),
            "-H",
            &h.to_string(),
        ])
        .arg(&f.0)
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftoppm failed");
    // A binary PGM: "P5\n<w> <h>\n255\n" then one byte per pixel.
    let data = &out.stdout;
    let mut fields = 0;
    let mut i = 0;
    while fields < 4 && i < data.len() {
        while i < data.len() && data[i].is_ascii_whitespace() {
            i += 1;
        }
        while i < data.len() && !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields += 1;
    }
    data[i + 1..].iter().filter(|&&p| p < 128).count()
}

/// `generate` with a JSON body: the status and the answer's bytes.
pub async fn generate_pdf(app: &Router, body: Value) -> (StatusCode, Vec<u8>) {
    let (s, _, b) = raw(
        app,
        "/api/v1/pdf/generate",
        "application/json",
        body.to_string().into_bytes(),
    )
    .await;
    (s, b)
}

/// A PDF's text as pdftotext reads it, pages joined.
pub fn text_of(pdf: &[u8]) -> String {
    page_texts(pdf).join("\n")
}
