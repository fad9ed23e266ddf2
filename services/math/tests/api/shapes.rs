//! The documented answer shapes across areas, and bad input named in each.

use axum::http::StatusCode;
use flowforge_testkit::post;
use serde_json::{Value, json};

use crate::support::{app_with, field};

#[tokio::test]
async fn the_documented_shapes() {
    let app = app_with(&[]);
    let (_, v) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"2 + 3 * 4"}),
    )
    .await;
    assert_eq!(v["result"], json!(14));
    assert_eq!(v.to_string(), r#"{"result":14,"expression":"2 + 3 * 4"}"#);
    let (_, v) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"x^2 + y","variables":{"x":3,"y":1}}),
    )
    .await;
    assert_eq!(v["result"], json!(10));
    let (s, v) = post(
        &app,
        "/api/v1/math/evaluate",
        json!({"expression":"2 +* 3"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "expression");
    assert!(v["error"]["message"].as_str().unwrap().contains("position"));
    let (_, v) = post(
        &app,
        "/api/v1/math/statistics/describe",
        json!({"values":[1,2,3,4]}),
    )
    .await;
    assert_eq!(
        (
            v["count"].clone(),
            v["mean"].clone(),
            v["median"].clone(),
            v["min"].clone(),
            v["max"].clone()
        ),
        (json!(4), json!(2.5), json!(2.5), json!(1), json!(4))
    );
    assert!((v["std"].as_f64().unwrap() - 1.2909944487358056).abs() < 1e-15);
    assert_eq!(v["populationVariance"], json!(1.25));
    let (_, v) = post(
        &app,
        "/api/v1/math/matrix/multiply",
        json!({"a":[[1,2],[3,4]],"b":[[5,6],[7,8]]}),
    )
    .await;
    assert_eq!(v, json!({"result":[[19,22],[43,50]]}));
    let (_, v) = post(
        &app,
        "/api/v1/math/matrix/determinant",
        json!({"matrix":[[1,2],[3,4]]}),
    )
    .await;
    assert!((v["result"].as_f64().unwrap() + 2.0).abs() < 1e-12);
    let (_, v) = post(
        &app,
        "/api/v1/math/matrix/inverse",
        json!({"matrix":[[4,7],[2,6]]}),
    )
    .await;
    assert!((v["result"][0][0].as_f64().unwrap() - 0.6).abs() < 1e-12);
    let (_, v) = post(
        &app,
        "/api/v1/math/tests/ttest",
        json!({"type":"welch","a":[1,2,3,4,5],"b":[2,4,6,8,10,12]}),
    )
    .await;
    assert!(
        v["statistic"].is_number() && v["pValue"].is_number() && v["df"].is_number(),
        "{v}"
    );
}

#[tokio::test]
async fn bad_input_names_the_field() {
    let app = app_with(&[("MATH_MAX_MATRIX_DIM", "3")]);
    let (s, v) = post(
        &app,
        "/api/v1/math/matrix/inverse",
        json!({"matrix":[[1,2],[2,4]]}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    field(&v, "matrix");
    let (s, v) = post(
        &app,
        "/api/v1/math/matrix/multiply",
        json!({"a":[[1,2],[3]],"b":[[1]]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "a[1]");
    let (s, v) = post(
        &app,
        "/api/v1/math/matrix/determinant",
        json!({"matrix":[[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "over the 3 × 3 limit");
    field(&v, "matrix");
    let (_, v) = post(
        &app,
        "/api/v1/math/matrix/determinant",
        json!({"matrix":[[1,0,0],[0,1,0],[0,0,1]]}),
    )
    .await;
    assert_eq!(v["result"], json!(1), "at the limit");
    let (s, v) = post(
        &app,
        "/api/v1/math/statistics/describe",
        json!({"values":[]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "values");
    let (s, v) = post(
        &app,
        "/api/v1/math/statistics/describe",
        json!({"values":[1,"x"]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "values[1]");
    let (s, v) = post(
        &app,
        "/api/v1/math/tests/ttest",
        json!({"type":"welch","a":[1,2,3]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "b");
    let (s, v) = post(&app, "/api/v1/math/evaluate", json!({"expression":"x + 1"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "variables");
    let (_, v) = post(&app, "/api/v1/math/evaluate", json!({"expression":"1/0"})).await;
    assert_eq!(v["result"], Value::Null, "non-finite results are null");
    let (s, v) = post(&app, "/api/v1/math/evaluate", json!({"expression":"200!"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "expression");
}
