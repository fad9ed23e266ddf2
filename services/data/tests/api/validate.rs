//! `/api/v1/data/validate`.

use axum::http::StatusCode;
use flowforge_testkit::{assert_field as field, post};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn json_schema_validation() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/data/validate",
        json!({"schema":{"type":"object","required":["email"],"properties":{"age":{"type":"integer","minimum":0}}},"data":{"age":-1}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["schemaPath"], "/required", "{v}");
    assert_eq!(
        v["errors"][1]["schemaPath"], "/properties/age/minimum",
        "{v}"
    );
    let (_, v) = post(
        &app,
        "/api/v1/data/validate",
        json!({"schema":{"type":"string","format":"date"},"data":"2024-13-01","draft":"7"}),
    )
    .await;
    assert_eq!(v["valid"], false, "{v}");
    for (body, f) in [
        (json!({"schema":{"type":"strange"},"data":1}), "schema"),
        (
            json!({"schema":{"$ref":"http://169.254.169.254/latest"},"data":1}),
            "schema",
        ),
        (json!({"schema":{},"data":1,"draft":"3"}), "draft"),
    ] {
        let (s, v) = post(&app, "/api/v1/data/validate", body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body} → {v}");
        field(&v, "VALIDATION_ERROR", f);
    }
}
