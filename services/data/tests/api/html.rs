//! `/api/v1/data/html/*` (and Markdown to HTML).

use axum::http::StatusCode;
use flowforge_testkit::{assert_field as field, post};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn html_and_markdown() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/data/markdown/to-html",
        json!({"markdown":"# Hello\n\n<img src=x onerror=alert(1)>"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let h = v["data"].as_str().unwrap();
    assert!(
        h.starts_with("<h1>Hello</h1>") && h.contains("&lt;img"),
        "{h}"
    );
    let (_, v) = post(
        &app,
        "/api/v1/data/html/to-markdown",
        json!({"html":"<h2>Hi</h2><p>A <b>bold</b> <a href=\"https://x.org\">link</a>.</p>"}),
    )
    .await;
    assert_eq!(v["data"], "## Hi\n\nA **bold** [link](https://x.org).");
    let (_, v) = post(
        &app,
        "/api/v1/data/html/extract",
        json!({"html":"<div class=\"p\"><h3>Lamp</h3><span class=\"price\">€ 20</span></div><div class=\"p\"><h3>Desk</h3><span class=\"price\">€ 90</span></div>",
               "extract":[{"key":"products","selector":"div.p","all":true,"fields":[{"key":"name","selector":"h3"},{"key":"price","selector":".price"}]}]}),
    )
    .await;
    assert_eq!(
        v["data"],
        json!({"products":[{"name":"Lamp","price":"€ 20"},{"name":"Desk","price":"€ 90"}]})
    );
    let (s, v) = post(
        &app,
        "/api/v1/data/html/extract",
        json!({"html":"","extract":[{"key":"a","selector":"p"},{"key":"b","selector":"::nope"}]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "extract[1].selector");
    for (path, body, f) in [
        (
            "/api/v1/data/markdown/to-html",
            json!({"markdown": 3}),
            "markdown",
        ),
        (
            "/api/v1/data/html/to-markdown",
            json!({"html": ["x"]}),
            "html",
        ),
        (
            "/api/v1/data/html/extract",
            json!({"html": "", "extract": [{"key": "a"}]}),
            "extract[0].selector",
        ),
    ] {
        let (s, v) = post(&app, path, body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {v}");
        field(&v, "VALIDATION_ERROR", f);
    }
    // Depth at its edge, from DATA_MAX_DEPTH.
    let shallow = app_with(&[("DATA_MAX_DEPTH", "10")]);
    let (s, _) = post(
        &shallow,
        "/api/v1/data/html/to-markdown",
        json!({"html": "<b>".repeat(5)}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = post(
        &shallow,
        "/api/v1/data/html/to-markdown",
        json!({"html": "<b>".repeat(20)}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "html");
}
