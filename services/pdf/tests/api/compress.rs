//! `/api/v1/pdf/compress`: smaller, the same pages, clean for qpdf.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn smaller_with_the_same_pages() {
    let app = app_with(&[]);
    // Uncompressed content streams and many small objects: what compression is for.
    let doc = pdf("Page", 40, true);
    let (s, _, out) = raw(&app, "/api/v1/pdf/compress", "application/pdf", doc.clone()).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&out));
    assert_qpdf_clean(&out);
    let qpdf = qpdf_compressed(&doc);
    assert!(
        out.len() <= qpdf.len() * 11 / 10,
        "{} bytes from {}; qpdf makes {}",
        out.len(),
        doc.len(),
        qpdf.len()
    );
    assert_eq!(page_texts(&out), page_texts(&doc));
    assert_eq!(info(&app, &out).await["bookmarks"], 40);
}

/// One page drawing a 1200 × 1200 RGB image (a smooth gradient, deflated) at 2 × 2 inches, so at
/// 600 DPI.
fn photo_pdf() -> Vec<u8> {
    use lopdf::{Dictionary, Document, Object, Stream};
    let mut px = Vec::with_capacity(1200 * 1200 * 3);
    for y in 0..1200u32 {
        for x in 0..1200u32 {
            px.extend_from_slice(&[(x / 5) as u8, (y / 5) as u8, ((x + y) / 10) as u8]);
        }
    }
    let mut doc = Document::with_version("1.7");
    let mut img = Stream::new(
        Dictionary::from_iter([
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Image".to_vec())),
            ("Width", Object::Integer(1200)),
            ("Height", Object::Integer(1200)),
            ("ColorSpace", Object::Name(b"DeviceRGB".to_vec())),
            ("BitsPerComponent", Object::Integer(8)),
        ]),
        px,
    );
    img.compress().unwrap();
    let img = doc.add_object(img);
    let content = doc.add_object(Stream::new(
        Dictionary::new(),
        b"q 144 0 0 144 72 600 cm /Im0 Do Q".to_vec(),
    ));
    let pages = doc.new_object_id();
    let page = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Page".to_vec())),
        ("Parent", Object::Reference(pages)),
        (
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
        ),
        ("Contents", Object::Reference(content)),
        (
            "Resources",
            Object::Dictionary(Dictionary::from_iter([(
                "XObject",
                Object::Dictionary(Dictionary::from_iter([("Im0", Object::Reference(img))])),
            )])),
        ),
    ]));
    doc.objects.insert(
        pages,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(vec![Object::Reference(page)])),
            ("Count", Object::Integer(1)),
        ])),
    );
    let catalog = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages)),
    ]));
    doc.trailer.set("Root", Object::Reference(catalog));
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[tokio::test]
async fn images_drawn_above_the_dpi_are_scaled_down() {
    let app = app_with(&[]);
    let photo = photo_pdf();
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/compress",
        serde_json::json!({"data": b64(&photo), "response": "json"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["imagesDownsampled"], 0, "lossless leaves images alone");
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/compress",
        serde_json::json!({"data": b64(&photo), "level": "medium", "response": "json"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["imagesDownsampled"], 1, "{v}");
    let small = unb64(v["data"].as_str().unwrap());
    assert!(
        small.len() * 4 < photo.len(),
        "{} → {}",
        photo.len(),
        small.len()
    );
    assert_qpdf_clean(&small);
    // The image is now 300 × 300 (150 DPI over 2 inches), and still shows its gradient.
    let doc = lopdf::Document::load_mem(&small).unwrap();
    let widths: Vec<i64> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|n| n.as_name()).ok() == Some(b"Image"))
        .filter_map(|s| s.dict.get(b"Width").ok().and_then(|w| w.as_i64().ok()))
        .collect();
    assert_eq!(widths, vec![300]);
    let (s, png) = post_pdf(&app, "/api/v1/pdf/render?dpi=72", small).await;
    assert_eq!(s, StatusCode::OK);
    let img = image::load_from_memory(&png).unwrap().to_rgb8();
    // Near the image's top-right corner (x = 72 + 140, y from the top = 842 - 740): red high,
    // green low (the gradient's first rows are at the image's top).
    let p = img.get_pixel(210, 104).0;
    assert!(p[0] > 180 && p[1] < 60, "{p:?}");
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/compress",
        serde_json::json!({"data": b64(&photo), "imageDpi": 10}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["details"][0]["field"], "imageDpi");
}
