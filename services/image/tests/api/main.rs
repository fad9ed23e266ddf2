//! API tests: the image router behind the kit, driven in-process with images made here.

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

use std::io::Cursor;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine;
use flowforge_testkit::assert_field as field;
use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use serde_json::{Value, json};

fn app_with(vars: &[(&str, &str)]) -> Router {
    flowforge_testkit::app_with(flowforge_image::service, flowforge_image::PORT, vars)
}

/// A 400 × 300 photo-like gradient with a bright square at the right.
fn photo() -> RgbImage {
    RgbImage::from_fn(400, 300, |x, y| {
        if (300..360).contains(&x) && (100..160).contains(&y) {
            Rgb([250, 200, 160])
        } else {
            Rgb([(x * 255 / 400) as u8, (y * 255 / 300) as u8, 90])
        }
    })
}

fn encode(img: &DynamicImage, f: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), f).unwrap();
    out
}

fn jpeg() -> Vec<u8> {
    encode(&DynamicImage::ImageRgb8(photo()), ImageFormat::Jpeg)
}

/// The JPEG with an EXIF orientation of 6 (stored sideways: turn 90° clockwise to view).
fn jpeg_oriented() -> Vec<u8> {
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

async fn call(app: &Router, req: Request<Body>) -> (StatusCode, String, Vec<u8>) {
    let (s, h, b) = flowforge_testkit::call(app, req).await;
    let ct = h
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (s, ct, b)
}

async fn raw(
    app: &Router,
    path: &str,
    ctype: &str,
    body: Vec<u8>,
) -> (StatusCode, String, Vec<u8>) {
    let req = Request::post(path)
        .header("content-type", ctype)
        .body(Body::from(body))
        .unwrap();
    call(app, req).await
}

async fn json_call(app: &Router, path: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::post(path)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let (s, _, b) = call(app, req).await;
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

fn dims(b: &[u8]) -> (u32, u32) {
    image::load_from_memory(b).unwrap().dimensions()
}

#[tokio::test]
async fn resize_in_every_input_form() {
    let app = app_with(&[]);
    // Raw body, options in the query string.
    let (s, ct, b) = raw(&app, "/api/v1/image/resize?width=100", "image/jpeg", jpeg()).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert_eq!(ct, "image/jpeg");
    assert_eq!(dims(&b), (100, 75));
    // Multipart: a file part and a width field.
    let boundary = "XyZ";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"width\"\r\n\r\n100\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes());
    body.extend_from_slice(&jpeg());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (s, ct, b) = raw(
        &app,
        "/api/v1/image/resize",
        &format!("multipart/form-data; boundary={boundary}"),
        body,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert_eq!(ct, "image/jpeg");
    assert_eq!(dims(&b), (100, 75));
    // JSON with base64, answered as JSON.
    let (s, v) = json_call(
        &app,
        "/api/v1/image/resize",
        json!({"data": b64(&jpeg()), "height": 150, "format": "png"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["format"], "png");
    assert_eq!(
        (v["width"].as_u64(), v["height"].as_u64()),
        (Some(200), Some(150))
    );
    let png = base64::engine::general_purpose::STANDARD
        .decode(v["data"].as_str().unwrap())
        .unwrap();
    assert_eq!(image::guess_format(&png).unwrap(), ImageFormat::Png);
    // A URL to a private address is refused before any request.
    let (s, v) = json_call(
        &app,
        "/api/v1/image/resize",
        json!({"url": "http://169.254.169.254/latest/meta-data", "width": 10}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
}

#[tokio::test]
async fn fit_modes_and_enlargement() {
    let app = app_with(&[]);
    let cases = [
        ("width=100&height=100", (100, 100)),
        ("width=100&height=100&fit=contain", (100, 100)),
        ("width=100&height=100&fit=fill", (100, 100)),
        ("width=100&height=100&fit=inside", (100, 75)),
        ("width=100&height=100&fit=outside", (133, 100)),
        ("width=100&height=100&position=entropy", (100, 100)),
        (
            "width=100&height=100&position=attention&kernel=mitchell",
            (100, 100),
        ),
        ("width=800", (400, 300)),
        ("width=800&enlarge=true", (800, 600)),
    ];
    for (q, want) in cases {
        let (s, _, b) = raw(
            &app,
            &format!("/api/v1/image/resize?{q}"),
            "image/jpeg",
            jpeg(),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{q}: {}", String::from_utf8_lossy(&b));
        assert_eq!(dims(&b), want, "{q}");
    }
    // Contain pads with the background: the top row of a 100 × 100 box around a 4:3 image.
    let (_, _, b) = raw(
        &app,
        "/api/v1/image/resize?width=100&height=100&fit=contain&background=%23ff0000&format=png",
        "image/jpeg",
        jpeg(),
    )
    .await;
    let img = image::load_from_memory(&b).unwrap().to_rgb8();
    assert_eq!(img.get_pixel(50, 2), &Rgb([255, 0, 0]));
    // Attention keeps the bright square: a 100-wide crop of the 300-high image sits at the right.
    let (_, _, b) = raw(
        &app,
        "/api/v1/image/resize?width=150&height=300&position=attention&format=png",
        "image/jpeg",
        jpeg(),
    )
    .await;
    let img = image::load_from_memory(&b).unwrap().to_rgb8();
    let bright = img.pixels().filter(|p| p[0] > 240 && p[1] > 190).count();
    assert!(bright > 2000, "the salient square is kept: {bright}");
    for (q, f) in [
        ("width=0", "width"),
        ("fit=squash&width=10", "fit"),
        ("widht=10", "widht"),
        ("", "width"),
    ] {
        let (s, _, b) = raw(
            &app,
            &format!("/api/v1/image/resize?{q}"),
            "image/jpeg",
            jpeg(),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}");
        field(&serde_json::from_slice(&b).unwrap(), "VALIDATION_ERROR", f);
    }
}

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

#[tokio::test]
async fn geometry_adjustments_and_formats() {
    let app = app_with(&[]);
    let j = jpeg();
    for (path, want) in [
        ("crop?left=10&top=20&width=50&height=40", (50, 40)),
        ("crop?width=120&height=120&gravity=entropy", (120, 120)),
        ("rotate?angle=90", (300, 400)),
        ("rotate?angle=-90", (300, 400)),
        ("rotate?angle=45&background=white", (495, 495)),
        ("flip", (400, 300)),
        ("flop", (400, 300)),
        (
            "extend?top=5&bottom=5&left=10&right=10&background=transparent&format=png",
            (420, 310),
        ),
        (
            "adjust?blur=2&sharpen=1&brightness=1.2&contrast=10&saturation=0.5&hue=30&gamma=2.2&normalize=true&tint=%23336699",
            (400, 300),
        ),
        ("adjust?grayscale=true&negate=true", (400, 300)),
        ("adjust?threshold=128", (400, 300)),
        ("watermark?text=%C2%A9%20ACME&size=24", (400, 300)),
        (
            "watermark?text=draft&tile=true&opacity=0.3&font=mono",
            (400, 300),
        ),
    ] {
        let (s, _, b) = raw(
            &app,
            &format!("/api/v1/image/{path}"),
            "image/jpeg",
            j.clone(),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{path}: {}", String::from_utf8_lossy(&b));
        assert_eq!(dims(&b), want, "{path}");
    }
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

#[tokio::test]
async fn pipelines() {
    let app = app_with(&[("IMAGE_MAX_OPERATIONS", "3")]);
    let steps = json!([{"op":"resize","width":200},{"op":"rotate","angle":90},{"op":"adjust","grayscale":true}]);
    let (s, v) = json_call(
        &app,
        "/api/v1/image/pipeline",
        json!({"data": b64(&jpeg()), "operations": steps, "format": "webp"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (
            v["width"].as_u64(),
            v["height"].as_u64(),
            v["format"].as_str()
        ),
        (Some(150), Some(200), Some("webp"))
    );
    // The same steps as a query parameter on a raw body.
    let q = serde_json::to_string(&steps).unwrap();
    let path = format!(
        "/api/v1/image/pipeline?operations={}",
        flowforge_kit::http::percent_encode(&q)
    );
    let (s, ct, b) = raw(&app, &path, "image/jpeg", jpeg()).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert_eq!(ct, "image/jpeg");
    assert_eq!(dims(&b), (150, 200));
    // At the step limit, and one over it.
    let four = json!([{"op":"flip"},{"op":"flop"},{"op":"flip"},{"op":"flop"}]);
    let (s, v) = json_call(
        &app,
        "/api/v1/image/pipeline",
        json!({"data": b64(&jpeg()), "operations": four}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "operations");
    let (s, v) = json_call(
        &app,
        "/api/v1/image/pipeline",
        json!({"data": b64(&jpeg()), "operations": [{"op":"resize","width":10},{"op":"spin"}]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        v["error"]["details"][0]["field"]
            .as_str()
            .unwrap()
            .starts_with("operations"),
        "{v}"
    );
    let (s, v) = json_call(&app, "/api/v1/image/pipeline", json!({"data": b64(&jpeg()), "operations": [{"op":"flip"},{"op":"crop","left":399,"top":0,"width":5,"height":5}]})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(
        v["error"]["details"][0]["field"], "operations[1].width",
        "{v}"
    );
}
