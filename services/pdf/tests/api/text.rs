//! `/api/v1/pdf/text`: PDFium's text per page, with word and line boxes, agreeing with poppler's
//! pdftotext word for word on the test documents.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

/// A page of several lines at known places.
fn lines_pdf() -> Vec<u8> {
    let mut content = String::from("BT /F1 12 Tf 72 760 Td");
    for n in 1..=5 {
        content.push_str(&format!(
            " (Line {n}: the quick brown fox, jumps over 13 lazy dogs.) Tj 0 -20 Td"
        ));
    }
    content.push_str(" ET");
    let stream = format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    );
    flowforge_pdf::document::from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream.as_bytes(),
    ])
}

#[tokio::test]
async fn words_lines_and_boxes_agree_with_pdftotext() {
    let app = app_with(&[]);
    let doc = lines_pdf();
    let (s, v) = json_call(&app, "/api/v1/pdf/text", json!({"data": b64(&doc)})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let page = &v["pages"][0];
    let ours: Vec<&str> = page["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["text"].as_str().unwrap())
        .collect();
    let theirs = page_texts(&doc).join(" ");
    let theirs: Vec<&str> = theirs.split_whitespace().collect();
    assert_eq!(ours, theirs);
    assert_eq!(page["lines"].as_array().unwrap().len(), 5);
    assert_eq!(
        page["lines"][1]["text"],
        "Line 2: the quick brown fox, jumps over 13 lazy dogs."
    );
    // The first word starts at x = 72 and sits 20 points above the second line's word.
    let first = &page["words"][0];
    let x0 = first["box"][0].as_f64().unwrap();
    assert!((x0 - 72.0).abs() < 1.5, "{first}");
    let top = |i: usize| page["lines"][i]["box"][1].as_f64().unwrap();
    assert!(
        (top(1) - top(0) - 20.0).abs() < 1.0,
        "{} {}",
        top(0),
        top(1)
    );
    assert!(first["normalized"][2].as_f64().unwrap() < 1.0);
    assert_eq!(first["fontSize"], 12.0);
    assert_eq!(v["text"], page["text"]);
}

#[tokio::test]
async fn pages_are_selected_and_named() {
    let app = app_with(&[]);
    let (s, b) = post_pdf(&app, "/api/v1/pdf/text?pages=2-3", pdf("Page", 3, false)).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(v["pageCount"], 3);
    assert_eq!(v["text"], "Page 2\n\nPage 3");
    assert_eq!(v["pages"][0]["number"], 2);
    let (s, _) = post_pdf(&app, "/api/v1/pdf/text?pages=9", pdf("Page", 3, false)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn many_pages_are_shared_among_workers_in_order_at_every_detail() {
    let app = app_with(&[]);
    let doc = pdf("Page", 30, false);
    for detail in ["text", "lines", "words"] {
        let (s, b) = post_pdf(
            &app,
            &format!("/api/v1/pdf/text?detail={detail}"),
            doc.clone(),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
        let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
        let pages = v["pages"].as_array().unwrap();
        assert_eq!(pages.len(), 30);
        for (i, p) in pages.iter().enumerate() {
            assert_eq!(p["number"], i + 1);
            assert_eq!(p["text"], format!("Page {}", i + 1));
            assert_eq!(p.get("lines").is_some(), detail != "text", "{detail}: {p}");
            assert_eq!(p.get("words").is_some(), detail == "words", "{detail}: {p}");
        }
        let want: Vec<String> = (1..=30).map(|n| format!("Page {n}")).collect();
        assert_eq!(v["text"], want.join("\n\n"));
    }
    let (s, _) = post_pdf(&app, "/api/v1/pdf/text?detail=everything", doc).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn layout_keeps_columns_in_place() {
    let app = app_with(&[]);
    // Two columns: "Left n" at x = 72 and "Right n" at x = 320, on three rows.
    let mut content = String::from("BT /F1 12 Tf");
    for n in 1..=3 {
        let y = 700 - 20 * n;
        content.push_str(&format!(
            " 1 0 0 1 72 {y} Tm (Left {n}) Tj 1 0 0 1 320 {y} Tm (Right {n}) Tj"
        ));
    }
    content.push_str(" ET");
    let stream = format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    );
    let doc = flowforge_pdf::document::from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream.as_bytes(),
    ]);
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/text",
        json!({"data": b64(&doc), "layout": true, "detail": "text"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = v["pages"][0]["text"].as_str().unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 3, "{text}");
    let right: Vec<usize> = rows.iter().map(|r| r.find("Right").unwrap()).collect();
    assert!(
        right.iter().all(|&c| c == right[0]),
        "the right column lines up: {text}"
    );
    assert!(
        rows[0].starts_with(&" ".repeat(5)) && rows[0].trim_start().starts_with("Left 1"),
        "{text}"
    );
    assert!(right[0] > rows[0].find("Left").unwrap() + 20, "{text}");
    assert!(v["pages"][0].get("words").is_none());
}

#[tokio::test]
async fn boxes_are_where_a_turned_page_shows_them() {
    let app = app_with(&[]);
    let (s, turned) = post_pdf(
        &app,
        "/api/v1/pdf/pages?pages=1&action=rotate&angle=90",
        lines_pdf(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = json_call(&app, "/api/v1/pdf/text", json!({"data": b64(&turned)})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let page = &v["pages"][0];
    assert_eq!(
        (page["width"].as_f64(), page["height"].as_f64()),
        (Some(792.0), Some(612.0))
    );
    // The first word began at x = 72 on the unturned page: a quarter turn clockwise puts that
    // edge 72 points from the top, and the line runs down the page.
    let b: Vec<f64> = page["words"][0]["box"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert!((b[1] - 72.0).abs() < 1.5, "{b:?}");
    assert!(
        b[2] <= 792.0 && b[3] <= 612.0 && b[3] > b[1] && b[2] > b[0],
        "{b:?}"
    );
    assert!(
        b[3] - b[1] > b[2] - b[0],
        "a word of a turned line is taller than wide: {b:?}"
    );
}
