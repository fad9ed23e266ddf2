//! Hostile files: each a clear 4xx (or 413) in the envelope, and the service keeps serving.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::*;

async fn refused(app: &axum::Router, bytes: Vec<u8>) -> (StatusCode, Value) {
    let (s, b) = post_pdf(app, "/api/v1/pdf/info", bytes).await;
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

use flowforge_pdf::document::from_objects as handmade;

#[tokio::test]
async fn wrong_truncated_and_looping_files() {
    let app = app_with(&[]);
    let (s, v) = refused(&app, b"GIF89a not a pdf at all".to_vec()).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{v}");
    let whole = pdf("P", 3, false);
    let (s, v) = refused(&app, whole[..whole.len() / 3].to_vec()).await;
    assert!(s.is_client_error(), "a truncated file: {s} {v}");
    // A page tree whose node lists itself among its kids, and claims two billion pages.
    let looping = handmade(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2000000000 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
    ]);
    let (s, v) = refused(&app, looping).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["pageCount"], 1,
        "the loop ends at itself and the /Count lie is not read"
    );
    // A form XObject that draws itself.
    let selfdraw = handmade(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /XObject << /X 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /X 4 0 R >> >> /Length 6 >>\nstream\n/X Do\nendstream",
        b"<< /Length 6 >>\nstream\n/X Do\nendstream",
    ]);
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
