//! `/api/v1/pdf/merge`: page order, bookmarks kept and per file, multipart and JSON forms.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn files_merge_in_order_with_their_bookmarks() {
    let app = app_with(&[]);
    let (a, b) = (pdf("Alpha", 2, true), pdf("Beta", 3, false));
    let body = json!({"files":[{"data":b64(&a)},{"data":b64(&b)}]});
    let (s, _, out) = raw(
        &app,
        "/api/v1/pdf/merge",
        "application/json",
        body.to_string().into_bytes(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&out));
    assert_qpdf_clean(&out);
    assert_eq!(
        page_texts(&out),
        ["Alpha 1", "Alpha 2", "Beta 1", "Beta 2", "Beta 3"]
    );
    let i = info(&app, &out).await;
    assert_eq!(i["pageCount"], 5);
    assert_eq!(i["bookmarks"], 2, "Alpha's two bookmarks are kept");
    assert_eq!(
        i["pages"][4]["width"], 595.0,
        "an inherited MediaBox is kept"
    );
}

#[tokio::test]
async fn a_bookmark_per_file_from_multipart_names() {
    let app = app_with(&[]);
    let (a, b) = (pdf("Alpha", 2, true), pdf("Beta", 1, false));
    let (ct, body) = multipart(
        &[("invoice.pdf", &a), ("terms.pdf", &b)],
        &[("bookmarkEachFile", "true")],
    );
    let (s, _, out) = raw(&app, "/api/v1/pdf/merge", &ct, body).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&out));
    assert_qpdf_clean(&out);
    assert_eq!(page_texts(&out), ["Alpha 1", "Alpha 2", "Beta 1"]);
    // invoice (with Alpha's two under it) and terms.
    assert_eq!(info(&app, &out).await["bookmarks"], 4);
}

#[tokio::test]
async fn the_file_at_fault_is_named() {
    let app = app_with(&[]);
    let body = json!({"files":[{"data":b64(&pdf("A", 1, false))},{"data":b64(b"not a pdf")}]});
    let (s, v) = json_call(&app, "/api/v1/pdf/merge", body).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{v}");
    assert_eq!(v["error"]["details"][0]["field"], "files[1]");
    let (s, v) = json_call(&app, "/api/v1/pdf/merge", json!({"files":[]})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["details"][0]["field"], "files");
    let many = app_with(&[("PDF_MAX_FILES", "2")]);
    let one = json!({"data": b64(&pdf("A", 1, false))});
    let (s, v) = json_call(&many, "/api/v1/pdf/merge", json!({"files":[one, one, one]})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at most 2"),
        "{v}"
    );
}
