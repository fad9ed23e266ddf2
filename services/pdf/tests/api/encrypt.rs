//! `/api/v1/pdf/encrypt`: AES-256 that qpdf opens with the password and not without.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn encrypted_output_opens_with_its_password_only() {
    let app = app_with(&[]);
    let body = json!({"data": b64(&pdf("Secret", 2, false)), "userPassword": "open sesame",
        "ownerPassword": "owner pw", "permissions": ["print"], "response": "json"});
    let (s, v) = json_call(&app, "/api/v1/pdf/encrypt", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let out = unb64(v["data"].as_str().unwrap());
    let (ok, text) = qpdf_check(&out, Some("open sesame"));
    assert!(ok, "{text}");
    assert!(text.contains("R = 6"), "AES-256, revision 6: {text}");
    assert!(
        text.contains("extract for any purpose: not allowed"),
        "{text}"
    );
    let (ok, text) = qpdf_check(&out, Some("owner pw"));
    assert!(ok, "{text}");
    let (ok, text) = qpdf_check(&out, None);
    assert!(!ok && text.contains("invalid password"), "{text}");
    // Our own reader asks for it by name.
    let (s, v) = json_call(&app, "/api/v1/pdf/info", json!({"data": b64(&out)})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["details"][0]["field"], "password");
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/info",
        json!({"data": b64(&out), "password": "wrong"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/info",
        json!({"data": b64(&out), "password": "open sesame"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["encrypted"], true);
    assert_eq!(
        v["encryption"],
        json!({"algorithm": "AES-256", "revision": 6, "permissions": ["print", "accessibility"]})
    );
}

#[tokio::test]
async fn options_are_checked() {
    let app = app_with(&[]);
    let doc = b64(&pdf("P", 1, false));
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/encrypt",
        json!({"data": doc, "userPassword": "x", "permissions": ["fly"]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["details"][0]["field"], "permissions[0]");
    let (s, v) = json_call(&app, "/api/v1/pdf/encrypt", json!({"data": doc})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["details"][0]["field"], "ownerPassword");
}
