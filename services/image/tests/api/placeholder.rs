//! `/api/v1/image/placeholder`: BlurHash, ThumbHash and a tiny PNG preview; components out of
//! range name the option.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::{app_with, jpeg, raw, refused};

#[tokio::test]
async fn placeholders_and_their_limits() {
    let (s, _, b) = raw(
        &app_with(&[]),
        "/api/v1/image/placeholder?componentsX=4&componentsY=3",
        "image/jpeg",
        jpeg(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert!(v["blurhash"].as_str().is_some_and(|h| h.len() > 6), "{v}");
    assert!(v["thumbhash"].is_string(), "{v}");
    assert!(
        v["preview"]
            .as_str()
            .is_some_and(|p| p.starts_with("data:image/png;base64,")),
        "{v}"
    );
    refused("placeholder?componentsX=12", "componentsX").await;
}
