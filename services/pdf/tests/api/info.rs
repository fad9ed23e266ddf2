//! `/api/v1/pdf/info`: pages, sizes, text layers, version.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn pages_sizes_and_text_layers() {
    let app = app_with(&[]);
    let i = info(&app, &pdf("P", 2, true)).await;
    assert_eq!(i["pageCount"], 2);
    assert_eq!(i["version"], "1.5");
    assert_eq!(i["encrypted"], false);
    assert_eq!(i["bookmarks"], 2);
    assert_eq!(i["pages"][1]["number"], 2);
    assert_eq!(i["pages"][1]["height"], 842.0);
    assert_eq!(i["pages"][1]["hasText"], true);
    // The raw body works as well, and multipart's `file`.
    let (s, b) = post_pdf(&app, "/api/v1/pdf/info", pdf("P", 1, false)).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
}
