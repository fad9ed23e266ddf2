//! The image service behind the kit, test pictures, and request helpers every module uses.

pub use flowforge_testkit::post;
use std::io::Cursor;

use axum::Router;
use axum::http::StatusCode;
use base64::Engine;
use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage};
use serde_json::Value;

pub fn app_with(vars: &[(&str, &str)]) -> Router {
    flowforge_testkit::app_with(flowforge_image::service, flowforge_image::PORT, vars)
}

/// A 400 × 300 photo-like gradient with a bright square at the right.
pub fn photo() -> RgbImage {
    RgbImage::from_fn(400, 300, |x, y| {
        if (300..360).contains(&x) && (100..160).contains(&y) {
            Rgb([250, 200, 160])
        } else {
            Rgb([(x * 255 / 400) as u8, (y * 255 / 300) as u8, 90])
        }
    })
}

pub fn encode(img: &DynamicImage, f: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), f).unwrap();
    out
}

pub fn jpeg() -> Vec<u8> {
    encode(&DynamicImage::ImageRgb8(photo()), ImageFormat::Jpeg)
}

/// The JPEG with an EXIF orientation of 6 (stored sideways: turn 90° clockwise to view).
pub fn jpeg_oriented() -> Vec<u8> {
    let j = jpeg();
    let tiff: [u8; 26] = [
        0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0,
        0, 0,
    ];
    let mut app1 = vec![0xff, 0xe1, 0, 34];
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    [&j[..2], &app1[..], &j[2..]].concat()
}

pub use flowforge_testkit::{call_typed as call, json_call, send as raw};

pub fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

pub fn dims(b: &[u8]) -> (u32, u32) {
    image::load_from_memory(b).unwrap().dimensions()
}

/// The test photo (400 × 300 JPEG) through `/api/v1/image/<path_and_query>`: the answer's size,
/// after asserting a 200.
pub async fn sized(path_and_query: &str) -> (u32, u32) {
    let (s, _, b) = raw(
        &app_with(&[]),
        &format!("/api/v1/image/{path_and_query}"),
        "image/jpeg",
        jpeg(),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "{path_and_query}: {}",
        String::from_utf8_lossy(&b)
    );
    dims(&b)
}

/// The test photo through `path_and_query`, expecting a 400 whose envelope names `field`.
pub async fn refused(path_and_query: &str, field: &str) {
    let (s, _, b) = raw(
        &app_with(&[]),
        &format!("/api/v1/image/{path_and_query}"),
        "image/jpeg",
        jpeg(),
    )
    .await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(s, StatusCode::BAD_REQUEST, "{path_and_query}: {v}");
    flowforge_testkit::assert_field(&v, "VALIDATION_ERROR", field);
}
