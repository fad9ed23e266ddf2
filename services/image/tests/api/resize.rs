//! `/api/v1/image/resize`: every input form, fit modes and enlargement.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine;
use flowforge_testkit::assert_field as field;
use image::{ImageFormat, Rgb};
use serde_json::{Value, json};

use crate::support::*;

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

/// The exact Accept headers real clients send decide between the file and JSON: n8n's "File"
/// response format, Make's `*/*` and curl get the image; n8n's "JSON" format and an explicit
/// `response=json` get base64 JSON.
#[tokio::test]
async fn the_answer_is_the_file_for_n8n_make_and_curl_and_json_when_asked() {
    let app = app_with(&[]);
    let send = |accept: Option<&'static str>, query: &'static str| {
        let app = app.clone();
        async move {
            let mut req = Request::post(format!("/api/v1/image/resize?width=40&format=png{query}"))
                .header("content-type", "image/jpeg");
            if let Some(a) = accept {
                req = req.header("accept", a);
            }
            call(&app, req.body(Body::from(jpeg())).unwrap()).await
        }
    };
    let n8n_file = "application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7";
    for accept in [Some(n8n_file), Some("*/*"), None] {
        let (s, ct, b) = send(accept, "").await;
        assert_eq!(
            (s, ct.as_str()),
            (StatusCode::OK, "image/png"),
            "{accept:?}"
        );
        assert_eq!(&b[..4], b"\x89PNG", "{accept:?}");
    }
    for (accept, query) in [
        (Some("application/json,text/*;q=0.99"), ""),
        (Some("application/json"), ""),
        (Some("*/*"), "&response=json"),
    ] {
        let (s, ct, b) = send(accept, query).await;
        assert_eq!(
            (s, ct.as_str()),
            (StatusCode::OK, "application/json"),
            "{accept:?} {query}"
        );
        let v: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(v["contentType"], "image/png");
        assert_eq!(v["width"], 40);
        assert!(v["data"].as_str().unwrap().starts_with("iVBOR"), "{v}");
    }
    let (s, _, b) = send(None, "&response=xml").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(v["error"]["details"][0]["field"], "response", "{v}");
}
