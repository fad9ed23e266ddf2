//! `/api/v1/math/evaluate`.

use axum::http::StatusCode;
use flowforge_testkit::post;
use serde_json::json;

use crate::support::{app_with, field};

#[tokio::test]
async fn expression_limits_hold_at_their_edge() {
    let app = app_with(&[("MATH_EXPR_MAX_LENGTH", "9")]);
    let (s, _) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"1+2+3+4+5"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"1+2+3+4+56"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "expression");
}

#[tokio::test]
async fn units_and_decimal_mode_over_http() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"5 cm + 2 inch in mm"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["unit"], "mm");
    assert!((v["result"].as_f64().unwrap() - 100.8).abs() < 1e-9, "{v}");
    let (_, v) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"60 mph to km/h","precision":6}),
    )
    .await;
    assert_eq!(v["result"], json!(96.5606));
    assert_eq!(v["unit"], "km/h");
    // A variable wins over a unit of the same name; sets work with units.
    let (_, v) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"d * 1 km to m","variableSets":[{"d":1},{"d":2.5}]}),
    )
    .await;
    assert_eq!(v["results"], json!([1000, 2500]), "{v}");
    assert_eq!(v["unit"], "m");
    let (_, v) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"m * 2","variables":{"m":4}}),
    )
    .await;
    assert_eq!(v["result"], json!(8));
    assert!(v.get("unit").is_none(), "{v}");
    let (s, v) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"5 m + 3 s"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "expression");
    // Decimal mode: exact sums of prices, the exact text beside the number.
    let (_, v) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"0.1 + 0.2","mode":"decimal"}),
    )
    .await;
    assert_eq!(v["exact"], "0.3");
    assert_eq!(v["result"], json!(0.3));
    let (_, v) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"price * qty","mode":"decimal",
               "variableSets":[{"price":19.99,"qty":3},{"price":0.1,"qty":7}]}),
    )
    .await;
    assert_eq!(v["exactResults"], json!(["59.97", "0.7"]), "{v}");
    let (s, v) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"5 cm","mode":"decimal"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "mode");
    let (s, v) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"1/0","mode":"decimal"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
}
