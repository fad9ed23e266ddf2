//! `/api/v1/data/decode`: each encoding back to text, and text that is not in the encoding named
//! in the envelope.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn decoding_reverses_encoding_and_bad_input_names_the_field() {
    let app = app_with(&[]);
    for (encoding, encoded) in [
        ("base64", "aMOpbGxvIHdvcmxk"),
        ("hex", "68c3a96c6c6f20776f726c64"),
        ("url", "h%C3%A9llo%20world"),
    ] {
        let (s, v) = post(
            &app,
            "/api/v1/data/decode",
            json!({"encoding": encoding, "data": encoded}),
        )
        .await;
        assert_eq!(
            (s, v["data"].clone()),
            (StatusCode::OK, json!("héllo world")),
            "{encoding}: {v}"
        );
    }
    let (s, v) = post(
        &app,
        "/api/v1/data/decode",
        json!({"encoding":"hex","data":"zz"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    field(&v, "VALIDATION_ERROR", "data");
}
