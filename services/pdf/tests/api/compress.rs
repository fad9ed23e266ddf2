//! `/api/v1/pdf/compress`: smaller, the same pages, clean for qpdf.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn smaller_with_the_same_pages() {
    let app = app_with(&[]);
    // Uncompressed content streams and many small objects: what compression is for.
    let doc = pdf("Page", 40, true);
    let (s, _, out) = raw(&app, "/api/v1/pdf/compress", "application/pdf", doc.clone()).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&out));
    assert_qpdf_clean(&out);
    let qpdf = qpdf_compressed(&doc);
    assert!(
        out.len() <= qpdf.len() * 11 / 10,
        "{} bytes from {}; qpdf makes {}",
        out.len(),
        doc.len(),
        qpdf.len()
    );
    assert_eq!(page_texts(&out), page_texts(&doc));
    assert_eq!(info(&app, &out).await["bookmarks"], 40);
}
