//! Hostile files: each a clear 4xx (or 413) in the envelope, and the service keeps serving.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::*;

async fn refused(app: &axum::Router, bytes: Vec<u8>) -> (StatusCode, Value) {
    let (s, b) = post_pdf(app, "/api/v1/pdf/info", bytes).await;
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

use flowforge_pdf::document::from_objects as handmade;

/// A page tree whose node lists itself among its kids, and claims two billion pages.
fn looping_tree() -> Vec<u8> {
    handmade(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2000000000 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
    ])
}

/// A form XObject that draws itself.
fn self_drawing() -> Vec<u8> {
    handmade(&[
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /XObject << /X 4 0 R >> >> /Contents 5 0 R >>",
    b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /X 4 0 R >> >> /Length 6 >>\nstream\n/X Do\nendstream",
    b"<< /Length 6 >>\nstream\n/X Do\nendstream",
])
}

#[tokio::test]
async fn wrong_truncated_and_looping_files() {
    let app = app_with(&[]);
    let (s, v) = refused(&app, b"GIF89a not a pdf at all".to_vec()).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{v}");
    let whole = pdf("P", 3, false);
    let (s, v) = refused(&app, whole[..whole.len() / 3].to_vec()).await;
    assert!(s.is_client_error(), "a truncated file: {s} {v}");
    // A page tree whose node lists itself among its kids, and claims two billion pages.
    let looping = looping_tree();
    let (s, v) = refused(&app, looping).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["pageCount"], 1,
        "the loop ends at itself and the /Count lie is not read"
    );
    // A form XObject that draws itself.
    let selfdraw = self_drawing();
    let (s, v) = refused(&app, selfdraw.clone()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, b) = post_pdf(&app, "/api/v1/pdf/pages?pages=1,1", selfdraw).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert_qpdf_clean(&b);
}

#[tokio::test]
async fn page_and_decompression_limits() {
    let few = app_with(&[("PDF_MAX_PAGES", "3")]);
    let (s, v) = refused(&few, pdf("P", 4, false)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("PDF_MAX_PAGES"),
        "{v}"
    );
    let (s, _) = refused(&few, pdf("P", 3, false)).await;
    assert_eq!(s, StatusCode::OK, "at the limit");
    // An object stream that inflates to 4 MiB, over a 1 MiB limit: refused before it is kept.
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![b' '; 4 << 20]).unwrap();
    let bomb = z.finish().unwrap();
    let mut stream = format!(
        "<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
        bomb.len()
    )
    .into_bytes();
    stream.extend_from_slice(&bomb);
    stream.extend_from_slice(b"\nendstream");
    let bomb = handmade(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
        &stream,
    ]);
    let small = app_with(&[("PDF_MAX_STREAM_MB", "1")]);
    let (s, v) = refused(&small, bomb).await;
    assert!(
        s == StatusCode::PAYLOAD_TOO_LARGE || s.is_client_error(),
        "{s} {v}"
    );
    // The service still answers.
    let (s, _) = refused(&small, pdf("P", 1, false)).await;
    assert_eq!(s, StatusCode::OK);
}

/// This process's resident memory, in bytes (Linux).
fn rss() -> usize {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .unwrap_or(0)
        * 1024
}

/// Memory comes back: after every hostile file has been seen once (allocator pools and caches
/// warm), ten more rounds of them leave this process's resident memory where it was. Each
/// round holds a bomb that inflates to 48 MiB (refused at 32), so a leak of what a refused
/// file made would show as hundreds of MiB. nextest runs each test in its own process, so the
/// figure is this test's alone.
#[tokio::test]
async fn memory_returns_to_its_baseline_after_hostile_files() {
    use std::io::Write;
    let app = app_with(&[("PDF_MAX_STREAM_MB", "32"), ("PDF_MAX_PAGES", "50")]);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![b' '; 48 << 20]).unwrap();
    let deflated = z.finish().unwrap();
    let stream = |kind: &str| {
        let mut s = format!(
            "<< {kind} /Filter /FlateDecode /Length {} >>\nstream\n",
            deflated.len()
        )
        .into_bytes();
        s.extend_from_slice(&deflated);
        s.extend_from_slice(b"\nendstream");
        s
    };
    let objstm_bomb = handmade(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
        &stream("/Type /ObjStm /N 1 /First 4"),
    ]);
    let content_bomb = handmade(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>",
        &stream(""),
    ]);
    let looping = looping_tree();
    let selfdraw = self_drawing();
    let whole = pdf("P", 3, false);
    let truncated = whole[..whole.len() / 3].to_vec();
    let too_many = pdf("P", 60, false);
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/encrypt",
        serde_json::json!({"data": b64(&whole), "userPassword": "pw", "response": "json"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let locked = unb64(v["data"].as_str().unwrap());
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("/api/v1/pdf/info", objstm_bomb),
        ("/api/v1/pdf/compress", content_bomb.clone()),
        ("/api/v1/pdf/text", content_bomb),
        ("/api/v1/pdf/info", looping.clone()),
        ("/api/v1/pdf/render?pages=1", looping),
        ("/api/v1/pdf/render?pages=1", selfdraw.clone()),
        ("/api/v1/pdf/pages?pages=1,1", selfdraw),
        ("/api/v1/pdf/info", truncated),
        ("/api/v1/pdf/info", b"GIF89a not a pdf".to_vec()),
        ("/api/v1/pdf/info", too_many),
        ("/api/v1/pdf/text", locked),
    ];
    let round = || async {
        for (path, bytes) in &files {
            let (s, b) = post_pdf(&app, path, bytes.clone()).await;
            assert!(
                s.is_success() || s.is_client_error(),
                "{path}: {s} {}",
                String::from_utf8_lossy(&b[..b.len().min(300)])
            );
        }
    };
    round().await;
    round().await;
    let before = rss();
    for _ in 0..10 {
        round().await;
    }
    let after = rss();
    eprintln!(
        "resident memory: {} MiB before ten rounds, {} MiB after",
        before >> 20,
        after >> 20
    );
    assert!(
        after < before + (64 << 20),
        "resident memory grew from {} MiB to {} MiB over ten rounds of hostile files",
        before >> 20,
        after >> 20
    );
    // And it still works.
    let (s, _) = post_pdf(&app, "/api/v1/pdf/info", pdf("P", 1, false)).await;
    assert_eq!(s, StatusCode::OK);
}
