//! `/api/v1/crypto/random/*`.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{app, assert_envelope, post};

#[tokio::test]
async fn random_values_follow_their_options_and_limits() {
    let app = app();
    let (_, v) = post(&app, "/api/v1/crypto/random/bytes", json!({"length":16})).await;
    assert_eq!(v["bytes"].as_str().unwrap().len(), 32);
    let (s, v) = post(&app, "/api/v1/crypto/random/bytes", json!({"length":65537})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "length");
    let (_, v) = post(
        &app,
        "/api/v1/crypto/random/uuid",
        json!({"version":7,"count":3}),
    )
    .await;
    let u: Vec<&str> = v["uuids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(u.len(), 3);
    assert!(u.iter().all(|x| x.as_bytes()[14] == b'7'));
    let (s, v) = post(&app, "/api/v1/crypto/random/uuid", json!({"version":5})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "version");
    let (_, v) = post(
        &app,
        "/api/v1/crypto/random/password",
        json!({"length":16,"symbols":false}),
    )
    .await;
    let pw = v["passwords"][0].as_str().unwrap();
    assert_eq!(pw.len(), 16);
    assert!(pw.chars().all(|c| c.is_ascii_alphanumeric()));
    let (_, v) = post(&app, "/api/v1/crypto/random/token", json!({})).await;
    assert_eq!(v["tokens"][0].as_str().unwrap().len(), 43);
    let (s, v) = post(&app, "/api/v1/crypto/random/token", json!({"count":1001})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "count");
}
