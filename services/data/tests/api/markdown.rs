//! `/api/v1/data/markdown/to-html`: Markdown (GitHub's flavour) to safe HTML.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn markdown_becomes_html_with_raw_html_escaped_unless_allowed() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/data/markdown/to-html",
        json!({"markdown":"**done** <script>x</script>"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let h = v["data"].as_str().unwrap();
    assert!(
        h.contains("<strong>done</strong>") && !h.contains("<script>"),
        "{h}"
    );
    let (s, v) = post(&app, "/api/v1/data/markdown/to-html", json!({"md":"x"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "md");
}
