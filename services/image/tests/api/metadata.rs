//! `/api/v1/image/metadata` and `/placeholder`, and EXIF orientation.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn orientation_metadata_and_placeholders() {
    let app = app_with(&[]);
    let (s, ct, b) = raw(
        &app,
        "/api/v1/image/metadata",
        "image/jpeg",
        jpeg_oriented(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert_eq!(ct, "application/json");
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(v["format"], "jpeg");
    assert_eq!(
        (v["width"].as_u64(), v["height"].as_u64()),
        (Some(400), Some(300))
    );
    assert_eq!(v["orientation"], 6);
    assert_eq!(
        (v["uprightWidth"].as_u64(), v["uprightHeight"].as_u64()),
        (Some(300), Some(400))
    );
    assert_eq!(v["channels"], 3);
    assert_eq!(
        v["exif"]["Orientation"],
        "row 0 at right and column 0 at top"
    );
    assert!(v["dominantColor"].as_str().unwrap().starts_with('#'));
    // Auto-orient: the sideways photo is turned upright, then resized.
    let (_, _, b) = raw(
        &app,
        "/api/v1/image/resize?width=150",
        "image/jpeg",
        jpeg_oriented(),
    )
    .await;
    assert_eq!(dims(&b), (150, 200));
    let (_, _, b) = raw(
        &app,
        "/api/v1/image/resize?width=150&autoOrient=false",
        "image/jpeg",
        jpeg_oriented(),
    )
    .await;
    assert_eq!(dims(&b), (150, 113));
    // The output carries no EXIF.
    assert!(!b.windows(4).any(|w| w == b"Exif"));
    let (s, v) = json_call(
        &app,
        "/api/v1/image/placeholder",
        json!({"data": b64(&jpeg())}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["blurhash"].as_str().unwrap().len(),
        28,
        "4 × 3 components"
    );
    assert!(
        v["preview"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,")
    );
    assert!(!v["thumbhash"].as_str().unwrap().is_empty());
}
