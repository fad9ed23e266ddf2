//! `/api/v1/data/encode` (and decoding back).

use axum::http::StatusCode;
use flowforge_testkit::{assert_field as field, post};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn encode_and_decode() {
    let app = app_with(&[]);
    let (_, v) = post(
        &app,
        "/api/v1/data/encode",
        json!({"data":"a b&c","encoding":"form"}),
    )
    .await;
    assert_eq!(v, json!({"data":"a+b%26c"}));
    let (_, v) = post(
        &app,
        "/api/v1/data/decode",
        json!({"data":"Zm9vYmFy","encoding":"base64"}),
    )
    .await;
    assert_eq!(v, json!({"data":"foobar"}));
    let (s, v) = post(
        &app,
        "/api/v1/data/decode",
        json!({"data":"%zz","encoding":"url"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "data");
    let (s, v) = post(
        &app,
        "/api/v1/data/encode",
        json!({"data":"x","encoding":"rot13"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "encoding");
}
