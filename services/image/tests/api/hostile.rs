//! Hostile and wrong inputs across operations: bombs, truncation, wrong types, limits.

use axum::http::StatusCode;
use image::{DynamicImage, ImageFormat};

use crate::support::*;

#[tokio::test]
async fn hostile_and_wrong_inputs() {
    let app = app_with(&[]);
    let (s, _, b) = raw(
        &app,
        "/api/v1/image/resize?width=10",
        "image/jpeg",
        b"hello, not an image".to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(String::from_utf8_lossy(&b).contains("not an image"));
    let png = encode(&DynamicImage::ImageRgb8(photo()), ImageFormat::Png);
    let (s, _, b) = raw(
        &app,
        "/api/v1/image/resize?width=10",
        "image/jpeg",
        png.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        String::from_utf8_lossy(&b).contains("is a PNG"),
        "{}",
        String::from_utf8_lossy(&b)
    );
    let (s, _, _) = raw(
        &app,
        "/api/v1/image/resize?width=10",
        "application/octet-stream",
        png.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, b) = raw(
        &app,
        "/api/v1/image/resize?width=10",
        "image/png",
        png[..png.len() / 2].to_vec(),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "{}",
        String::from_utf8_lossy(&b)
    );
    assert!(String::from_utf8_lossy(&b).contains("truncated or corrupt PNG"));
    // A decompression bomb: a PNG header claiming 100,000 × 100,000, refused from the header.
    let mut bomb = png.clone();
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let crc = {
        let mut c = 0xffff_ffffu32;
        for &byte in &bomb[12..29] {
            c ^= u32::from(byte);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    (c >> 1) ^ 0xedb8_8320
                } else {
                    c >> 1
                };
            }
        }
        !c
    };
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    let (s, _, b) = raw(&app, "/api/v1/image/metadata", "image/png", bomb).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        String::from_utf8_lossy(&b)
    );
    assert!(String::from_utf8_lossy(&b).contains("IMAGE_MAX_PIXELS"));
    // The pixel limit at its edge: 400 × 300 is 120,000 pixels.
    let at = app_with(&[("IMAGE_MAX_PIXELS", "120000")]);
    let (s, _, b) = raw(&at, "/api/v1/image/metadata", "image/jpeg", jpeg()).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    let under = app_with(&[("IMAGE_MAX_PIXELS", "119999")]);
    assert_eq!(
        raw(&under, "/api/v1/image/metadata", "image/jpeg", jpeg())
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Output pixels at their edge.
    let out = app_with(&[("IMAGE_MAX_OUTPUT_PIXELS", "213200")]);
    assert_eq!(
        raw(
            &out,
            "/api/v1/image/extend?right=133&bottom=100",
            "image/jpeg",
            jpeg()
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        raw(
            &out,
            "/api/v1/image/extend?right=134&bottom=100",
            "image/jpeg",
            jpeg()
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // A watermark text that would render a giant tile is refused before it is drawn.
    let long = "W".repeat(1000);
    let (s, _, b) = raw(
        &out,
        &format!("/api/v1/image/watermark?size=2000&text={long}"),
        "image/jpeg",
        jpeg(),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        String::from_utf8_lossy(&b)
    );
    assert!(String::from_utf8_lossy(&b).contains("IMAGE_MAX_OUTPUT_PIXELS"));
    // Upload size.
    let small = app_with(&[("IMAGE_MAX_INPUT_MB", "1")]);
    let (s, _, _) = raw(
        &small,
        "/api/v1/image/metadata",
        "image/png",
        vec![0u8; (1 << 20) + 1],
    )
    .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
}
