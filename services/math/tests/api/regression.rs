//! `/api/v1/math/regression`.

use axum::http::StatusCode;
use flowforge_testkit::post;
use serde_json::json;

use crate::support::{app_with, field};

#[tokio::test]
async fn regression_fits_and_predicts_and_names_bad_input() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/math/regression",
        json!({"x":[1,2,3,4,5],"y":[3,5,7,9,11],"predict":[6]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!((v["coefficients"][1].as_f64().unwrap() - 2.0).abs() < 1e-12);
    assert!((v["predictions"][0].as_f64().unwrap() - 13.0).abs() < 1e-9);
    let (s, v) = post(
        &app,
        "/api/v1/math/regression",
        json!({"model":"power","x":[0,1,2],"y":[1,2,3]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "x");
    let (s, v) = post(
        &app,
        "/api/v1/math/regression",
        json!({"x":[[1,2],[2,4],[3,6],[4,8]],"y":[1,2,3,4]}),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "collinear predictors: {v}"
    );
    field(&v, "x");
}
