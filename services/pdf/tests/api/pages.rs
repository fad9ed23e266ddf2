//! `/api/v1/pdf/pages`: keep (extract, reorder, duplicate), delete, rotate.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn keep_reorders_and_duplicates() {
    let app = app_with(&[]);
    let (s, b) = post_pdf(&app, "/api/v1/pdf/pages?pages=3,1,1", pdf("Page", 3, true)).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert_qpdf_clean(&b);
    assert_eq!(page_texts(&b), ["Page 3", "Page 1", "Page 1"]);
    // Page 2's bookmark is gone; 1's and 3's stay.
    assert_eq!(info(&app, &b).await["bookmarks"], 2);
}

#[tokio::test]
async fn delete_and_rotate() {
    let app = app_with(&[]);
    let (s, b) = post_pdf(
        &app,
        "/api/v1/pdf/pages?pages=2-3&action=delete",
        pdf("Page", 4, false),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_qpdf_clean(&b);
    assert_eq!(page_texts(&b), ["Page 1", "Page 4"]);
    let body = json!({"data": b64(&pdf("Page", 2, false)), "pages": "2", "action": "rotate", "angle": -90});
    let (s, v) = json_call(&app, "/api/v1/pdf/pages", json!(body)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let out = unb64(v["data"].as_str().unwrap());
    assert_qpdf_clean(&out);
    let i = info(&app, &out).await;
    assert_eq!(i["pages"][0]["rotation"], 0);
    assert_eq!(i["pages"][1]["rotation"], 270);
    assert_eq!(
        i["pages"][1]["width"], 842.0,
        "a turned page is shown landscape"
    );
}

#[tokio::test]
async fn selections_outside_the_document_are_named() {
    let app = app_with(&[]);
    let (s, b) = post_pdf(&app, "/api/v1/pdf/pages?pages=1-9", pdf("Page", 3, false)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(
        v["error"]["message"],
        "pages: page 9 is not in the document, which has 3 pages"
    );
    let (s, _) = post_pdf(
        &app,
        "/api/v1/pdf/pages?pages=all&action=delete",
        pdf("Page", 3, false),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = post_pdf(
        &app,
        "/api/v1/pdf/pages?pages=1&action=rotate&angle=45",
        pdf("Page", 3, false),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
