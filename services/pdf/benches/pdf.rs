//! Criterion benchmarks of the PDF service's hot paths, on documents written here: opening a
//! 200-page file (parse and page-tree walk), merging 100 five-page files, and extracting every
//! other page of the 200. qpdf's figures for the same merge are in docs/pdf.md
//! (bench/pdf-merge.sh runs both).

#![allow(missing_docs)] // criterion_group! generates an undocumented function
#![allow(clippy::unwrap_used)] // fixed, valid inputs

use criterion::{Criterion, criterion_group, criterion_main};
use flowforge_pdf::document::{self, Limits};
use flowforge_pdf::merge::{self, Part};
use flowforge_pdf::pages::{self, Action};

const LIM: Limits = Limits {
    max_pages: 100_000,
    max_stream: 256 << 20,
};

/// A PDF of `n` pages, each with a line of text, written object by object.
fn sample(n: usize) -> Vec<u8> {
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        String::new(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ];
    let mut kids = Vec::new();
    for k in 1..=n {
        let content = format!("BT /F1 18 Tf 72 720 Td (Line of text on page {k}) Tj ET");
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
        let content_id = objects.len();
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
        ));
        kids.push(format!("{} 0 R", objects.len()));
    }
    objects[1] = format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" "));
    let objects: Vec<&[u8]> = objects.iter().map(String::as_bytes).collect();
    document::from_objects(&objects)
}

fn benches(c: &mut Criterion) {
    let big = sample(200);
    let small = sample(5);
    c.bench_function("open 200 pages", |b| {
        b.iter(|| document::open(&big, None, "file", &LIM).unwrap())
    });
    c.bench_function("merge 100 files of 5 pages", |b| {
        b.iter(|| {
            let parts = (0..100)
                .map(|i| Part {
                    doc: document::open(&small, None, "files", &LIM).unwrap(),
                    title: format!("Document {i}"),
                })
                .collect();
            let mut out = merge::merge(parts, false, &LIM).unwrap();
            document::save(&mut out).unwrap()
        })
    });
    c.bench_function("pages: every other of 200", |b| {
        b.iter(|| {
            let mut doc = document::open(&big, None, "file", &LIM).unwrap();
            let odd: Vec<String> = (1..=200).step_by(2).map(|n| n.to_string()).collect();
            pages::apply(&mut doc, &odd.join(","), Action::Keep, &LIM, "pages").unwrap();
            document::save(&mut doc).unwrap()
        })
    });
    // The invoice template typeset in process (what a worker does per `generate` call).
    let order: serde_json::Value =
        serde_json::from_str(include_str!("../../../bench/invoice.json")).unwrap();
    let layout = flowforge_pdf::generate::Layout::default();
    c.bench_function("typeset the invoice template", |b| {
        b.iter(|| {
            let (job, body) = flowforge_pdf::generate::template(
                flowforge_pdf::generate::Template::Invoice,
                order["data"].clone(),
                &layout,
                Vec::new(),
            );
            flowforge_pdf::typeset::compile(&job, &body).unwrap()
        })
    });
}

criterion_group! {
    name = pdf;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(pdf);
