//! `/api/v1/math/tests/*`: hypothesis tests.

use axum::http::StatusCode;
use flowforge_testkit::post;
use serde_json::json;

use crate::support::{app_with, field};

#[tokio::test]
async fn chi_square_and_anova_shapes_and_errors() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/math/tests/chisquare",
        json!({"type":"independence","table":[[12,5],[7,15]]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["df"], json!(1));
    let (s, v) = post(
        &app,
        "/api/v1/math/tests/chisquare",
        json!({"observed":[10,20],"expected":[10,10]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "expected");
    let (_, v) = post(
        &app,
        "/api/v1/math/tests/anova",
        json!({"groups":[[4.2,5.1,4.8],[6.0,5.7,6.3],[5.0,5.4,4.9]]}),
    )
    .await;
    assert!(
        v["statistic"].as_f64().unwrap() > 0.0 && v["dfWithin"] == json!(6),
        "{v}"
    );
    let (s, v) = post(&app, "/api/v1/math/tests/anova", json!({"groups":[[1,2]]})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "groups");
}

#[tokio::test]
async fn mann_whitney_shape() {
    let app = app_with(&[]);
    let (_, v) = post(
        &app,
        "/api/v1/math/tests/mannwhitney",
        json!({"a":[1.1,2.3,0.4,5.2,3.3],"b":[4.4,6.1,5.9,7.0,2.2,8.8]}),
    )
    .await;
    assert_eq!(v["method"], "exact");
    assert_eq!(v["statistic"], json!(4));
    let (s, v) = post(
        &app,
        "/api/v1/math/tests/mannwhitney",
        json!({"a":[],"b":[1]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "a");
}

#[tokio::test]
async fn shapiro_wilk_shape_and_errors() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/math/tests/shapiro",
        json!({"values":[2.1,3.4,1.9,5.6,4.4,3.8,2.7,4.1]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["n"], 8);
    let w = v["statistic"].as_f64().unwrap();
    let p = v["pValue"].as_f64().unwrap();
    assert!(w > 0.9 && w < 1.0 && p > 0.5 && p < 1.0, "{v}");
    let (s, v) = post(&app, "/api/v1/math/tests/shapiro", json!({"values":[1, 2]})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "values");
    let (s, v) = post(
        &app,
        "/api/v1/math/tests/shapiro",
        json!({"values":[4, 4, 4, 4]}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
}
