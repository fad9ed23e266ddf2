//! Trim of a framed picture, a watermark's placement and an image overlay, and convert to
//! every output format: the checks that look at the pixels.

use axum::http::StatusCode;
use base64::Engine;
use flowforge_testkit::assert_field as field;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn geometry_adjustments_and_formats() {
    let app = app_with(&[]);
    let j = jpeg();
    // Trim: a picture on a uniform white border loses the border.
    let mut framed = RgbImage::from_pixel(200, 100, Rgb([255, 255, 255]));
    image::imageops::replace(
        &mut framed,
        &RgbImage::from_pixel(50, 30, Rgb([10, 20, 30])),
        70,
        40,
    );
    let (_, _, b) = raw(
        &app,
        "/api/v1/image/trim",
        "image/png",
        encode(&DynamicImage::ImageRgb8(framed), ImageFormat::Png),
    )
    .await;
    assert_eq!(dims(&b), (50, 30));
    // The watermark changes the corner it is placed in and nothing far from it.
    let (_, _, b) = raw(
        &app,
        "/api/v1/image/watermark?text=XXXX&size=40&opacity=1&color=black&format=png",
        "image/png",
        encode(&DynamicImage::ImageRgb8(photo()), ImageFormat::Png),
    )
    .await;
    let out = image::load_from_memory(&b).unwrap().to_rgb8();
    let orig = photo();
    let changed = |x0: u32, y0: u32, x1: u32, y1: u32| {
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| out.get_pixel(x, y) != orig.get_pixel(x, y))
            .count()
    };
    assert!(changed(250, 240, 400, 300) > 100);
    assert_eq!(changed(0, 0, 100, 100), 0);
    // An image overlay, as base64 beside the JSON.
    let logo = encode(
        &DynamicImage::ImageRgba8(RgbaImage::from_pixel(20, 20, Rgba([0, 0, 255, 255]))),
        ImageFormat::Png,
    );
    let (s, v) = json_call(
        &app,
        "/api/v1/image/watermark",
        json!({"data": b64(&j), "overlay": b64(&logo), "gravity": "northwest", "format": "png"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let out = image::load_from_memory(
        &base64::engine::general_purpose::STANDARD
            .decode(v["data"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap()
    .to_rgb8();
    assert_eq!(out.get_pixel(5, 5), &Rgb([0, 0, 255]));
    // Every output format.
    for (f, kind) in [
        ("png", ImageFormat::Png),
        ("webp", ImageFormat::WebP),
        ("gif", ImageFormat::Gif),
        ("tiff", ImageFormat::Tiff),
        ("bmp", ImageFormat::Bmp),
        ("jpeg", ImageFormat::Jpeg),
    ] {
        let (s, ct, b) = raw(
            &app,
            &format!("/api/v1/image/convert?format={f}"),
            "image/jpeg",
            j.clone(),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{f}");
        assert!(ct.starts_with("image/"), "{ct}");
        assert_eq!(image::guess_format(&b).unwrap(), kind, "{f}");
        assert_eq!(dims(&b), (400, 300), "{f}");
    }
    // AVIF: written (the image crate reads no AVIF here, so check the container's brand).
    let (s, ct, avif) = raw(
        &app,
        "/api/v1/image/convert?format=avif&quality=60&speed=10",
        "image/jpeg",
        j.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "image/avif");
    assert_eq!(&avif[4..12], b"ftypavif");
    let (_, _, lossless) = raw(
        &app,
        "/api/v1/image/convert?format=webp&lossless=true",
        "image/png",
        encode(&DynamicImage::ImageRgb8(photo()), ImageFormat::Png),
    )
    .await;
    assert_eq!(
        image::load_from_memory(&lossless).unwrap().to_rgb8(),
        photo()
    );
    let (_, _, pal) = raw(
        &app,
        "/api/v1/image/convert?format=png&palette=true",
        "image/jpeg",
        j.clone(),
    )
    .await;
    assert_eq!(dims(&pal), (400, 300));
    let (_, _, prog) = raw(
        &app,
        "/api/v1/image/convert?format=jpeg&progressive=true&chromaSubsampling=4:4:4&quality=90",
        "image/jpeg",
        j.clone(),
    )
    .await;
    let (_, _, m) = raw(&app, "/api/v1/image/metadata", "image/jpeg", prog).await;
    assert_eq!(
        serde_json::from_slice::<Value>(&m).unwrap()["progressive"],
        true
    );
    let (s, _, b) = raw(
        &app,
        "/api/v1/image/convert?format=ico",
        "image/jpeg",
        j.clone(),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        String::from_utf8_lossy(&b)
    );
    for (path, f) in [
        ("crop?left=390&top=0&width=20&height=10", "width"),
        ("convert?quality=0", "quality"),
        ("convert?format=heic", "format"),
        ("convert?format=avif&speed=11", "speed"),
        ("convert?width=3", "width"),
        ("adjust?blur=0", "blur"),
        ("adjust?sharpen=11", "sharpen"),
        ("adjust?tint=nocolour", "tint"),
        ("watermark?size=20", "text"),
        ("rotate?angle=x", "angle"),
        ("flip?x=1", "x"),
        ("flop?x=1", "x"),
        ("trim?threshold=300", "threshold"),
        ("extend?top=-1", "top"),
        ("metadata?width=1", "width"),
        ("placeholder?componentsX=10", "componentsX"),
        ("placeholder?previewSize=0", "previewSize"),
    ] {
        let (s, _, b) = raw(
            &app,
            &format!("/api/v1/image/{path}"),
            "image/jpeg",
            j.clone(),
        )
        .await;
        assert!(
            s == StatusCode::BAD_REQUEST || s == StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {s}"
        );
        // 400 for a malformed option, 422 for one the image cannot meet; both name the field.
        field(&serde_json::from_slice(&b).unwrap(), "VALIDATION_ERROR", f);
    }
}
