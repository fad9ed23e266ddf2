//! `/api/v1/pdf/metadata` and `/metadata/set`: Unicode values, dates, custom keys, removal.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn set_then_read_back() {
    let app = app_with(&[]);
    let body = json!({"data": b64(&pdf("P", 1, false)), "title": "Überweisung 日本", "author": "ACME",
        "creationDate": "2024-01-31T12:00:00Z", "custom": {"OrderId": "A-1009"}, "response": "json"});
    let (s, v) = json_call(&app, "/api/v1/pdf/metadata/set", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let out = unb64(v["data"].as_str().unwrap());
    assert_qpdf_clean(&out);
    let (s, m) = json_call(&app, "/api/v1/pdf/metadata", json!({"data": b64(&out)})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(m["title"], "Überweisung 日本");
    assert_eq!(m["author"], "ACME");
    assert_eq!(m["creationDate"], "2024-01-31T12:00:00Z");
    assert_eq!(m["custom"]["OrderId"], "A-1009");
    // null removes a key; keys left out stay.
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/metadata/set",
        json!({"data": b64(&out), "author": null}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, m) = json_call(&app, "/api/v1/pdf/metadata", json!({"data": v["data"]})).await;
    assert_eq!(m.get("author"), None);
    assert_eq!(m["title"], "Überweisung 日本");
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/metadata/set",
        json!({"data": b64(&out), "modDate": "yesterday"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["details"][0]["field"], "modDate");
}
