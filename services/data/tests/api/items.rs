//! `/api/v1/data/items`.

use axum::http::StatusCode;
use flowforge_testkit::{assert_field as field, post};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn item_operations() {
    let app = app_with(&[]);
    let items = json!([{"name":"b","age":30,"city":"Oslo"},{"name":"a","age":40,"city":"Rome"},{"name":"c","age":30,"city":"Oslo"}]);
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"sort","data":items,"by":["-age","name"]}),
    )
    .await;
    assert_eq!(v["data"][0]["name"], "a", "{v}");
    assert_eq!(v["data"][1]["name"], "b", "{v}");
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"filter","data":items,"where":[{"key":"city","test":"eq","value":"Oslo"},{"key":"name","test":"startsWith","value":"c"}]}),
    )
    .await;
    assert_eq!(v["data"], json!([{"name":"c","age":30,"city":"Oslo"}]));
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"group","data":items,"by":["city"],"aggregates":[{"op":"count"},{"op":"sum","key":"age","as":"total"}]}),
    )
    .await;
    assert_eq!(
        v["data"],
        json!([{"city":"Oslo","count":2,"total":60.0},{"city":"Rome","count":1,"total":40.0}])
    );
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"chunk","data":[1,2,3],"size":2}),
    )
    .await;
    assert_eq!(v, json!({"data":[[1,2],[3]]}));
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"limit","data":[1,2,3],"count":2,"fromEnd":true}),
    )
    .await;
    assert_eq!(v, json!({"data":[2,3]}));
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"join","left":[{"id":1,"n":"a"}],"right":[{"id":1,"t":5}],"leftKey":"id"}),
    )
    .await;
    assert_eq!(v, json!({"data":[{"id":1,"n":"a","t":5}]}));
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"compare","a":[{"id":1,"v":1}],"b":[{"id":1,"v":2},{"id":2}],"keys":["id"]}),
    )
    .await;
    assert_eq!(v["added"], json!([{"id":2}]), "{v}");
    assert_eq!(v["changed"][0]["fields"], json!(["v"]), "{v}");
    let (s, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"chunk","data":[1],"size":0}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "size");
    let (s, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"split-out","data":[]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "field");
    let (s, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"group","data":[],"aggregates":[{"op":"sum"}]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "aggregates[0].key");
}
