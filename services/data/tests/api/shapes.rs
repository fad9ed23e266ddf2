//! The documented answer shapes across areas.

use axum::http::StatusCode;
use flowforge_testkit::{assert_field as field, post};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn the_documented_shapes() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/data/jq",
        json!({"filter":".[] | .a","input":[{"a":1},{"a":2}]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v, json!({"outputs":[1,2]}));
    let (s, v) = post(&app, "/api/v1/data/jq", json!({"filter":".[","input":{}})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "filter");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("line 1, column"),
        "{v}"
    );
    let (s, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"csv","to":"json","data":"a,b\n1,x\n"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v, json!({"data":[{"a":1,"b":"x"}]}));
    let (_, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"json","to":"csv","data":[{"a":1,"b":"x"}]}),
    )
    .await;
    assert_eq!(v, json!({"data":"a,b\n1,x\n"}));
}
