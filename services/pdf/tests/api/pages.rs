//! `/api/v1/pdf/pages`: keep (extract, reorder, duplicate), delete, rotate.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn keep_reorders_and_duplicates() {
    let app = app_with(&[]);
    let (s, b) = post_pdf(&app, "/api/v1/pdf/pages?pages=3,1,1", pdf("Page", 3, true)).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert_qpdf_clean(&b);
    assert_eq!(page_texts(&b), ["Page 3", "Page 1", "Page 1"]);
    // Page 2's bookmark is gone; 1's and 3's stay.
    assert_eq!(info(&app, &b).await["bookmarks"], 2);
}

#[tokio::test]
async fn delete_and_rotate() {
    let app = app_with(&[]);
    let (s, b) = post_pdf(
        &app,
        "/api/v1/pdf/pages?pages=2-3&action=delete",
        pdf("Page", 4, false),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_qpdf_clean(&b);
    assert_eq!(page_texts(&b), ["Page 1", "Page 4"]);
    let body = json!({"data": b64(&pdf("Page", 2, false)), "pages": "2", "action": "rotate", "angle": -90});
    let (s, v) = json_call(&app, "/api/v1/pdf/pages", json!(body)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let out = unb64(v["data"].as_str().unwrap());
    assert_qpdf_clean(&out);
    let i = info(&app, &out).await;
    assert_eq!(i["pages"][0]["rotation"], 0);
    assert_eq!(i["pages"][1]["rotation"], 270);
    assert_eq!(
        i["pages"][1]["width"], 842.0,
        "a turned page is shown landscape"
    );
}

#[tokio::test]
async fn selections_outside_the_document_are_named() {
    let app = app_with(&[]);
    let (s, b) = post_pdf(&app, "/api/v1/pdf/pages?pages=1-9", pdf("Page", 3, false)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(
        v["error"]["message"],
        "pages: page 9 is not in the document, which has 3 pages"
    );
    let (s, _) = post_pdf(
        &app,
        "/api/v1/pdf/pages?pages=all&action=delete",
        pdf("Page", 3, false),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = post_pdf(
        &app,
        "/api/v1/pdf/pages?pages=1&action=rotate&angle=45",
        pdf("Page", 3, false),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn n_up_puts_pages_on_sheets_in_order() {
    let app = app_with(&[]);
    let (s, b) = post_pdf(
        &app,
        "/api/v1/pdf/n-up?perSheet=4&border=true",
        pdf("Page", 6, false),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert_qpdf_clean(&b);
    let sheets = page_texts(&b);
    assert_eq!(sheets.len(), 2, "{sheets:?}");
    // Across, then down: 1 and 2 on top, 3 and 4 under them.
    let flat: Vec<String> = sheets
        .iter()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert!(
        flat[0].contains("Page 1 Page 2") && flat[0].contains("Page 3 Page 4"),
        "{flat:?}"
    );
    assert!(flat[1].contains("Page 5 Page 6"), "{flat:?}");
    let v = info(&app, &b).await;
    // Four A4 pages on an A4 sheet, upright.
    assert_eq!(v["pages"][0]["width"], 595.0, "{v}");
    // Two per sheet on US Letter: turned sideways; a turned page comes out upright.
    let (s, turned) = post_pdf(
        &app,
        "/api/v1/pdf/pages?pages=1&action=rotate&angle=90",
        pdf("Page", 2, false),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, b) = post_pdf(&app, "/api/v1/pdf/n-up?paper=us-letter", turned).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    let v = info(&app, &b).await;
    assert_eq!(
        (
            v["pages"][0]["width"].as_f64(),
            v["pages"][0]["height"].as_f64()
        ),
        (Some(792.0), Some(612.0)),
        "{v}"
    );
    for (q, field) in [
        ("perSheet=5", "perSheet"),
        ("paper=a9", "paper"),
        ("order=spiral", "order"),
        ("margin=20cm", "margin"),
        ("pages=9", "pages"),
    ] {
        let (s, b) = post_pdf(
            &app,
            &format!("/api/v1/pdf/n-up?{q}"),
            pdf("Page", 2, false),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}");
        let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(v["error"]["details"][0]["field"], field, "{q}: {v}");
    }
}
