//! `/api/v1/pdf/generate`: templates with data, Typst, Markdown and images, typeset by Typst in
//! the worker processes; outputs checked with qpdf and read back with pdftotext.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

fn order() -> Value {
    json!({
        "number": "INV-2026-0042", "date": "2026-12-04", "dueDate": "2027-01-03", "currency": "EUR",
        "seller": {"name": "Acme GmbH", "address": "Hauptstraße 1\n10115 Berlin", "vatId": "DE123456789"},
        "buyer": {"name": "Jane Roe", "address": {"street": "1 Main Street", "city": "Springfield", "postalCode": "49007"}},
        "items": [
            {"description": "Widget", "quantity": 3, "unitPrice": 19.99, "taxRate": 19},
            {"description": "Support hour", "quantity": 2, "unitPrice": "80", "taxRate": 19},
            {"description": "Book", "quantity": 1, "unitPrice": 25, "taxRate": 7}
        ],
        "paymentDetails": {"iban": "DE02 1203 0000 0000 2020 51"},
        "notes": "Thank you for your business."
    })
}

use crate::support::generate_pdf as generate;

async fn error(app: &axum::Router, body: Value) -> (StatusCode, Value) {
    json_call(app, "/api/v1/pdf/generate", body).await
}

#[tokio::test]
async fn an_invoice_from_order_json() {
    let app = app_with(&[]);
    let (s, pdf) = generate(&app, json!({"template": "invoice", "data": order()})).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    assert_qpdf_clean(&pdf);
    let text = text_of(&pdf);
    for want in [
        "INVOICE",
        "INV-2026-0042",
        "Jane Roe",
        "49007 Springfield",
        "DE123456789",
        "€59.97",
        // 3 × 19.99 + 2 × 80 = 219.97 at 19 % (41.79) and 25 at 7 % (1.75).
        "€244.97",
        "€41.79",
        "€1.75",
        "€288.51",
        "IBAN",
        "Thank you for your business.",
    ] {
        assert!(text.contains(want), "{want:?} missing from:\n{text}");
    }
    // JSON on request, with the page count.
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/generate",
        json!({"template": "invoice", "data": order(), "response": "json"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["pages"], 1);
    assert!(unb64(v["data"].as_str().unwrap()).starts_with(b"%PDF-"));
}

#[tokio::test]
async fn every_template_with_its_data() {
    let app = app_with(&[]);
    let cases = [
        (
            json!({"template": "receipt", "data": {"store": {"name": "Corner Café"}, "number": "R-17",
                "items": [{"name": "Espresso", "quantity": 2, "price": 2.5}, {"name": "Croissant", "price": 3.2}],
                "taxRate": 10, "paymentMethod": "Card"}}),
            vec!["Corner Café", "Espresso", "8.20", "9.02", "Card"],
        ),
        (
            json!({"template": "report", "data": {"title": "Q4 sales", "author": "Ops", "metrics": [{"label": "Revenue", "value": 1234567}],
                "summary": "A good quarter.", "sections": [{"heading": "Regions", "body": "By region.",
                "table": {"rows": [{"region": "EU", "revenue": 1200}, {"region": "US", "revenue": 3400}]}}]}}),
            vec![
                "Q4 sales",
                "1,234,567",
                "A good quarter.",
                "Regions",
                "region",
                "3,400",
            ],
        ),
        (
            json!({"template": "letter", "data": {"sender": {"name": "Acme GmbH"}, "recipient": {"name": "Jane Roe"},
                "subject": "Your order", "body": "We have shipped it.\n\nIt arrives Monday.", "signature": "Max Muster"}}),
            vec![
                "Your order",
                "Dear Jane Roe,",
                "We have shipped it.",
                "It arrives Monday.",
                "Max Muster",
            ],
        ),
    ];
    for (body, wants) in cases {
        let (s, pdf) = generate(&app, body.clone()).await;
        assert_eq!(
            s,
            StatusCode::OK,
            "{body}: {}",
            String::from_utf8_lossy(&pdf)
        );
        assert_qpdf_clean(&pdf);
        let text = text_of(&pdf);
        for want in wants {
            assert!(
                text.contains(want),
                "{want:?} missing from {}:\n{text}",
                body["template"]
            );
        }
    }
}

#[tokio::test]
async fn typst_of_your_own_with_data_and_files() {
    let app = app_with(&[]);
    let source = "#let d = sys.inputs.data\n= Hello #d.name\n#read(\"note.txt\")\n#pagebreak()\n#json(\"data.json\").items.len() items";
    let (ct, body) = multipart(
        &[("note.txt", b"from a file")],
        &[
            ("typst", source),
            ("data", r#"{"name": "Ada", "items": [1, 2, 3]}"#),
        ],
    );
    let (s, _, pdf) = raw(&app, "/api/v1/pdf/generate", &ct, body).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    assert_qpdf_clean(&pdf);
    let pages = page_texts(&pdf);
    assert_eq!(pages.len(), 2);
    assert!(
        pages[0].contains("Hello Ada") && pages[0].contains("from a file"),
        "{pages:?}"
    );
    assert!(pages[1].contains("3 items"), "{pages:?}");
    // Typst's own error, with where it is.
    let (s, v) = error(&app, json!({"typst": "= Title\n#let x = (1 +\n"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["details"][0]["field"], "typst");
    assert!(
        v["error"]["message"].as_str().unwrap().contains("line 2"),
        "{v}"
    );
    let (s, v) = error(&app, json!({"typst": "#image(\"logo.png\")"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not found"),
        "{v}"
    );
}

#[tokio::test]
async fn markdown_with_title_contents_and_numbers() {
    let app = app_with(&[]);
    let md = "# Overview\n\nPlain *text* with **bold**, `code` and a [link](https://example.com).\n\n| Region | Revenue |\n|:--|--:|\n| EU | 1,200 |\n\n- [x] shipped\n- [ ] documented\n\n```\nlet x = 1;\n```\n\nMarkup stays text: #set page(width: 1pt) $x$ <label> @ref\n\n# Details\n\nMore.";
    let (s, pdf) = generate(
        &app,
        json!({"markdown": md, "title": "Handbook", "author": "Ops", "toc": true, "titlePage": true,
            "pageNumbers": true, "header": "ACME {page}/{pages}", "paper": "us-letter", "margin": "1in"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    assert_qpdf_clean(&pdf);
    let pages = page_texts(&pdf);
    assert_eq!(pages.len(), 3, "title page, contents, text: {pages:?}");
    assert!(pages[0].contains("Handbook"));
    assert!(
        pages[1].contains("Contents") && pages[1].contains("Overview"),
        "{pages:?}"
    );
    let body = &pages[2];
    for want in [
        "Overview",
        "1,200",
        "☑ shipped",
        "let x = 1;",
        "#set page(width: 1pt) $x$ <label> @ref",
        "ACME 3/3",
    ] {
        assert!(body.contains(want), "{want:?} missing from {body}");
    }
    let footer: String = body
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(footer, "3/3", "the page number in the footer: {body}");
    // US Letter: 612 × 792 points.
    let v = info(&app, &pdf).await;
    assert_eq!(v["pages"][0]["width"], 612.0, "{v}");
}

#[tokio::test]
async fn images_become_pages() {
    let app = app_with(&[]);
    let png = |w: u32, h: u32| {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let (ct, body) = multipart(&[("a.png", &png(300, 200)), ("b.png", &png(100, 400))], &[]);
    let (s, _, pdf) = raw(&app, "/api/v1/pdf/generate", &ct, body).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    assert_qpdf_clean(&pdf);
    let v = info(&app, &pdf).await;
    assert_eq!(v["pageCount"], 2, "{v}");
    // `original`: each page the image's own shape.
    let (ct, body) = multipart(&[("a.png", &png(300, 200))], &[("fit", "original")]);
    let (s, _, pdf) = raw(&app, "/api/v1/pdf/generate", &ct, body).await;
    assert_eq!(s, StatusCode::OK);
    let v = info(&app, &pdf).await;
    let (w, h) = (
        v["pages"][0]["width"].as_f64().unwrap(),
        v["pages"][0]["height"].as_f64().unwrap(),
    );
    assert!((w / h - 1.5).abs() < 0.01, "{w} × {h}");
    // A file that is not an image is named.
    let (ct, body) = multipart(&[("a.png", &png(10, 10)), ("notes.txt", b"hello")], &[]);
    let (s, _, b) = raw(&app, "/api/v1/pdf/generate", &ct, body).await;
    assert_eq!(
        s,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        String::from_utf8_lossy(&b)
    );
    assert!(String::from_utf8_lossy(&b).contains("files[1]"));
}

#[tokio::test]
async fn mistakes_name_the_field() {
    let app = app_with(&[]);
    for (body, status, field) in [
        (json!({}), StatusCode::BAD_REQUEST, "template"),
        (
            json!({"template": "invoice", "markdown": "x"}),
            StatusCode::BAD_REQUEST,
            "template",
        ),
        (
            json!({"template": "brochure"}),
            StatusCode::BAD_REQUEST,
            "template",
        ),
        (
            json!({"markdown": "x", "paper": "a9"}),
            StatusCode::BAD_REQUEST,
            "paper",
        ),
        (
            json!({"markdown": "x", "margin": "3 furlongs"}),
            StatusCode::BAD_REQUEST,
            "margin",
        ),
        (
            json!({"markdown": "x", "font": "Comic Nonexistent"}),
            StatusCode::BAD_REQUEST,
            "font",
        ),
        (
            json!({"markdown": "x", "fontSize": 500}),
            StatusCode::BAD_REQUEST,
            "fontSize",
        ),
        (
            json!({"markdown": "x", "colour": "red"}),
            StatusCode::BAD_REQUEST,
            "colour",
        ),
        (
            json!({"typst": "x", "files": [{"name": "../x", "data": "aGk="}]}),
            StatusCode::BAD_REQUEST,
            "files[0].name",
        ),
        (
            json!({"markdown": "![x](http://127.0.0.1/x.png)"}),
            StatusCode::FORBIDDEN,
            "markdown",
        ),
    ] {
        let (s, v) = error(&app, body.clone()).await;
        assert_eq!(s, status, "{body}: {v}");
        let named = v["error"]["details"][0]["field"].as_str().unwrap_or("");
        let message = v["error"]["message"].as_str().unwrap_or("");
        assert!(named == field || message.contains(field), "{body}: {v}");
    }
}

#[tokio::test]
async fn runaway_typst_fails_one_request() {
    let app = app_with(&[("PDF_WORKER_MEMORY_MB", "256"), ("PDF_TIMEOUT_SECS", "3")]);
    // A billion-element array: more memory than the worker may have.
    let (s, v) = error(
        &app,
        json!({"typst": "#let a = range(1000000000)\n#a.len()"}),
    )
    .await;
    assert!(
        s == StatusCode::PAYLOAD_TOO_LARGE || s == StatusCode::BAD_REQUEST,
        "{s} {v}"
    );
    // A trillion loop turns: past the time limit.
    let (s, v) = error(
        &app,
        json!({"typst": "#for a in range(10000) { for b in range(10000) { for c in range(10000) { } } }"}),
    )
    .await;
    assert_eq!(s, StatusCode::GATEWAY_TIMEOUT, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("PDF_TIMEOUT_SECS"),
        "{v}"
    );
    // The service goes on.
    let (s, _) = generate(&app, json!({"markdown": "still here"})).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn the_fonts_are_listed() {
    let app = app_with(&[]);
    let (s, _, b) = flowforge_testkit::call(
        &app,
        axum::http::Request::post("/api/v1/pdf/fonts")
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let v: Value = serde_json::from_slice(&b).unwrap();
    let families: Vec<&str> = v["families"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(families.contains(&"Libertinus Serif"), "{families:?}");
}

#[tokio::test]
async fn a_template_shows_the_logo_sent_with_it() {
    let app = app_with(&[]);
    let img = image::RgbImage::from_pixel(120, 40, image::Rgb([10, 80, 200]));
    let mut png = std::io::Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let (s, pdf) = generate(
        &app,
        json!({"template": "invoice", "data": order(), "files": [{"name": "logo", "data": b64(png.get_ref())}]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    assert_qpdf_clean(&pdf);
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let images = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|n| n.as_name()).ok() == Some(b"Image"))
        .count();
    assert_eq!(images, 1, "the logo is on the page");
}
