//! `/api/v1/pdf/split`: ranges, every N pages and bookmarks, as a ZIP or JSON.

use std::io::Read;

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

fn unzip(b: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(b)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().to_string(), v)
        })
        .collect()
}

#[tokio::test]
async fn ranges_and_every_n_pages_make_a_zip() {
    let app = app_with(&[]);
    let doc = pdf("Page", 5, true);
    let (s, b) = post_pdf(&app, "/api/v1/pdf/split?ranges=1-2,3-", doc.clone()).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    let parts = unzip(&b);
    assert_eq!(
        parts.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
        ["part-1.pdf", "part-2.pdf"]
    );
    assert_eq!(page_texts(&parts[0].1), ["Page 1", "Page 2"]);
    assert_eq!(page_texts(&parts[1].1), ["Page 3", "Page 4", "Page 5"]);
    for (_, p) in &parts {
        assert_qpdf_clean(p);
    }
    // Each part keeps the bookmarks of its own pages.
    assert_eq!(info(&app, &parts[0].1).await["bookmarks"], 2);
    let (s, b) = post_pdf(&app, "/api/v1/pdf/split?every=2", doc.clone()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(unzip(&b).len(), 3);
    let (s, b) = post_pdf(&app, "/api/v1/pdf/split?by=bookmarks", doc).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(unzip(&b).len(), 5);
}

#[tokio::test]
async fn json_answers_carry_each_part() {
    let app = app_with(&[]);
    let body = json!({"data": b64(&pdf("Page", 3, false)), "every": 2});
    let (s, v) = json_call(&app, "/api/v1/pdf/split", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["files"][0]["name"], "part-1.pdf");
    assert_eq!(v["files"][1]["pages"], 1);
    assert_eq!(
        page_texts(&unb64(v["files"][1]["data"].as_str().unwrap())),
        ["Page 3"]
    );
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/split",
        json!({"data": b64(&pdf("Page", 3, false))}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["details"][0]["field"], "ranges");
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/split",
        json!({"data": b64(&pdf("Page", 3, false)), "by": "bookmarks"}),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "a document without bookmarks: {v}"
    );
}
