//! `/api/v1/data/json/*`.

use axum::http::StatusCode;
use flowforge_testkit::{assert_field as field, post};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn json_operations_shapes_and_errors() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/data/json/flatten",
        json!({"data":{"a":{"b":1,"c":[10]}},"arrays":"bracketed"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v, json!({"data":{"a.b":1,"a.c[0]":10}}));
    let (_, v) = post(
        &app,
        "/api/v1/data/json/unflatten",
        json!({"data":{"a.b":1,"a.c.0":10}}),
    )
    .await;
    assert_eq!(v, json!({"data":{"a":{"b":1,"c":[10]}}}));
    let (_, v) = post(
        &app,
        "/api/v1/data/json/merge",
        json!({"objects":[{"l":[1]},{"l":[2]}],"arrays":"concat"}),
    )
    .await;
    assert_eq!(v, json!({"data":{"l":[1,2]}}));
    let (_, v) = post(
        &app,
        "/api/v1/data/json/diff",
        json!({"from":{"a":1},"to":{"a":2}}),
    )
    .await;
    assert_eq!(v, json!({"patch":[{"op":"replace","path":"/a","value":2}]}));
    let (s, v) = post(
        &app,
        "/api/v1/data/json/patch",
        json!({"data":{"a":1},"patch":[{"op":"add","path":"/b","value":2},{"op":"test","path":"/a","value":5}]}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["details"][0]["field"], "patch[1]", "{v}");
    let (s, v) = post(
        &app,
        "/api/v1/data/json/patch",
        json!({"data":{},"patch":[{"op":"jump","path":"/a"}]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "patch[0].op");
    let (_, v) = post(
        &app,
        "/api/v1/data/json/merge-patch",
        json!({"data":{"a":1,"b":2},"patch":{"a":null}}),
    )
    .await;
    assert_eq!(v, json!({"data":{"b":2}}));
    let (_, v) = post(
        &app,
        "/api/v1/data/json/pick",
        json!({"data":[{"id":1,"x":2}],"paths":["id"]}),
    )
    .await;
    assert_eq!(v, json!({"data":[{"id":1}]}));
    let (_, v) = post(
        &app,
        "/api/v1/data/json/omit",
        json!({"data":{"id":1,"x":2},"paths":["x"]}),
    )
    .await;
    assert_eq!(v, json!({"data":{"id":1}}));
    let (_, v) = post(
        &app,
        "/api/v1/data/json/rename-keys",
        json!({"data":[{"first_name":"Ada"}],"rename":{"first_name":"firstName"}}),
    )
    .await;
    assert_eq!(v, json!({"data":[{"firstName":"Ada"}]}));
    let (s, v) = post(
        &app,
        "/api/v1/data/json/rename-keys",
        json!({"data":{},"rename":{"a":1}}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "rename.a");
    // Batches work on every JSON operation.
    let (_, v) = post(
        &app,
        "/api/v1/data/json/flatten",
        json!({"items":[{"data":{"a":{"b":1}}},{"data":[1]}]}),
    )
    .await;
    assert_eq!(v["results"][1]["data"], json!({"0":1}), "{v}");
}
