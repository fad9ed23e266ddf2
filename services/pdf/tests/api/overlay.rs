//! `/api/v1/pdf/watermark`, `/stamp`, `/page-numbers` and `/header-footer`: Typst overlays laid
//! on pages, read back with pdftotext (text in any script) and PDFium (where it lands).

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

async fn overlay(app: &axum::Router, op: &str, body: Value) -> (StatusCode, Vec<u8>) {
    let (s, _, b) = raw(
        app,
        &format!("/api/v1/pdf/{op}"),
        "application/json",
        body.to_string().into_bytes(),
    )
    .await;
    (s, b)
}

/// Where the red ink is on page `page` of `out` as shown: the share of red pixels in each
/// quarter (top-left, top-right, bottom-left, bottom-right).
async fn red_quarters(app: &axum::Router, out: &[u8], page: usize) -> [usize; 4] {
    let (s, png) = post_pdf(
        app,
        &format!("/api/v1/pdf/render?pages={page}&dpi=36"),
        out.to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&png));
    let img = image::load_from_memory(&png).unwrap().to_rgb8();
    let (w, h) = img.dimensions();
    let mut q = [0usize; 4];
    for (x, y, p) in img.enumerate_pixels() {
        if p.0[0] > 150 && p.0[1] < 100 && p.0[2] < 100 {
            q[usize::from(y >= h / 2) * 2 + usize::from(x >= w / 2)] += 1;
        }
    }
    q
}

#[tokio::test]
async fn a_watermark_in_any_script_on_every_page() {
    let app = app_with(&[]);
    let text = "CONFIDENTIAL 机密 Секретно Εμπιστευτικό";
    let (s, out) = overlay(
        &app,
        "watermark",
        json!({"data": b64(&pdf("Page", 3, true)), "text": text, "angle": 0}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&out));
    assert_qpdf_clean(&out);
    let pages = page_texts(&out);
    assert_eq!(pages.len(), 3);
    for (i, p) in pages.iter().enumerate() {
        assert!(
            p.contains(&format!("Page {}", i + 1)),
            "the page's own text stays: {p}"
        );
        let flat: String = p.split_whitespace().collect();
        for word in ["CONFIDENTIAL", "机密", "Секретно", "Εμπιστευτικό"] {
            assert!(flat.contains(word), "{word} on page {}: {p}", i + 1);
        }
    }
    // Under the content, on chosen pages only.
    let (s, out) = overlay(
        &app,
        "watermark",
        json!({"data": b64(&pdf("Page", 3, false)), "text": "DRAFT", "pages": "2", "layer": "under", "angle": 0}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let pages = page_texts(&out);
    assert!(
        !pages[0].contains("DRAFT") && pages[1].contains("DRAFT") && !pages[2].contains("DRAFT"),
        "{pages:?}"
    );
}

#[tokio::test]
async fn page_numbers_from_a_start_on_chosen_pages() {
    let app = app_with(&[]);
    let (s, out) = overlay(
        &app,
        "page-numbers",
        json!({"data": b64(&pdf("Page", 3, false)), "format": "Page {n} of {total}", "start": 5, "pages": "2-"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&out));
    assert_qpdf_clean(&out);
    let pages = page_texts(&out);
    assert!(!pages[0].contains("of 7"), "{pages:?}");
    assert!(pages[1].contains("Page 6 of 7"), "{pages:?}");
    assert!(pages[2].contains("Page 7 of 7"), "{pages:?}");
    // Bookmarks and the page count survive.
    let v = info(&app, &out).await;
    assert_eq!(v["pageCount"], 3);
}

#[tokio::test]
async fn headers_and_footers_left_centre_right() {
    let app = app_with(&[]);
    let (s, out) = overlay(
        &app,
        "header-footer",
        json!({"data": b64(&pdf("Page", 2, false)), "headerLeft": "ACME — نص", "header": "Quarterly", "footerRight": "{n}/{total}", "footerLeft": "{date}", "color": "#336699"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&out));
    assert_qpdf_clean(&out);
    let pages = page_texts(&out);
    assert!(
        pages[0].contains("Quarterly") && pages[0].contains("1/2"),
        "{pages:?}"
    );
    assert!(pages[1].contains("2/2"), "{pages:?}");
    let year = pages[0]
        .split_whitespace()
        .any(|w| w.len() == 10 && w.starts_with("20") && w.as_bytes()[4] == b'-');
    assert!(year, "a date: {pages:?}");
}

#[tokio::test]
async fn a_stamp_lands_where_asked_on_turned_pages_too() {
    let app = app_with(&[]);
    let (s, out) = overlay(
        &app,
        "stamp",
        json!({"data": b64(&pdf("Page", 1, false)), "text": "PAID", "size": 40}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&out));
    let q = red_quarters(&app, &out, 1).await;
    assert!(
        q[1] > 20 && q[0] + q[2] + q[3] == 0,
        "red ink top right only: {q:?}"
    );
    // A page turned a quarter: the stamp still lands at the top right as the page is shown.
    let (s, turned) = post_pdf(
        &app,
        "/api/v1/pdf/pages?pages=1&action=rotate&angle=90",
        pdf("Page", 1, false),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, out) = overlay(
        &app,
        "stamp",
        json!({"data": b64(&turned), "text": "PAID", "size": 40, "position": "bottom-left"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let q = red_quarters(&app, &out, 1).await;
    assert!(
        q[2] > 20 && q[0] + q[1] + q[3] == 0,
        "red ink bottom left only: {q:?}"
    );
    // An image stamp.
    let img = image::RgbImage::from_pixel(40, 20, image::Rgb([220, 0, 0]));
    let mut png = std::io::Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let (s, out) = overlay(
        &app,
        "stamp",
        json!({"data": b64(&pdf("Page", 1, false)), "image": b64(png.get_ref()), "position": "bottom-right"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&out));
    assert_qpdf_clean(&out);
    let q = red_quarters(&app, &out, 1).await;
    assert!(
        q[3] > 100 && q[0] + q[1] + q[2] == 0,
        "the image bottom right: {q:?}"
    );
}

#[tokio::test]
async fn mistakes_name_the_field() {
    let app = app_with(&[]);
    let file = b64(&pdf("Page", 2, false));
    for (op, body, field) in [
        ("watermark", json!({"data": file}), "text"),
        (
            "watermark",
            json!({"data": file, "text": "x", "color": "ultraviolet"}),
            "color",
        ),
        (
            "watermark",
            json!({"data": file, "text": "x", "position": "middle-earth"}),
            "position",
        ),
        (
            "watermark",
            json!({"data": file, "text": "x", "opacity": 2}),
            "opacity",
        ),
        (
            "watermark",
            json!({"data": file, "text": "x", "font": "Nope Sans"}),
            "font",
        ),
        (
            "watermark",
            json!({"data": file, "text": "x", "layer": "sideways"}),
            "layer",
        ),
        (
            "watermark",
            json!({"data": file, "image": b64(b"not an image")}),
            "image",
        ),
        ("page-numbers", json!({"data": file, "pages": "9"}), "pages"),
        (
            "page-numbers",
            json!({"data": file, "margin": "2 parsecs"}),
            "margin",
        ),
        ("header-footer", json!({"data": file}), "header"),
    ] {
        let (s, v) = json_call(&app, &format!("/api/v1/pdf/{op}"), body.clone()).await;
        assert!(s.is_client_error(), "{op} {body}: {s} {v}");
        let named = v["error"]["details"][0]["field"].as_str().unwrap_or("");
        assert_eq!(named, field, "{op}: {v}");
    }
}
