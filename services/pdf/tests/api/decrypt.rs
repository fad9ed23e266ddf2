//! `/api/v1/pdf/decrypt`: the password removes encryption; the file then opens anywhere.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn decrypted_output_opens_without_a_password() {
    let app = app_with(&[]);
    let body =
        json!({"data": b64(&pdf("Secret", 2, false)), "userPassword": "pw", "response": "json"});
    let (_, v) = json_call(&app, "/api/v1/pdf/encrypt", body).await;
    let (s, b) = post_pdf(
        &app,
        "/api/v1/pdf/decrypt?password=pw",
        unb64(v["data"].as_str().unwrap()),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    let (ok, text) = qpdf_check(&b, None);
    assert!(ok && text.contains("not encrypted"), "{text}");
    assert_eq!(page_texts(&b), ["Secret 1", "Secret 2"]);
}
