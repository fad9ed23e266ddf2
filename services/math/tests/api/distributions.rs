//! `/api/v1/math/distributions`.

use axum::http::StatusCode;
use flowforge_testkit::post;
use serde_json::json;

use crate::support::{app_with, field};

#[tokio::test]
async fn distributions_answer_values_and_name_bad_parameters() {
    let app = app_with(&[]);
    let (s, v) = post(&app, "/api/v1/math/distributions", json!({"distribution":"normal","params":{"mean":0,"std":1},"function":"cdf","x":[-1.96,0,1.96]})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!((v["values"][1].as_f64().unwrap() - 0.5).abs() < 1e-15);
    let (_, v) = post(&app, "/api/v1/math/distributions", json!({"distribution":"poisson","params":{"lambda":3},"function":"sample","count":5,"seed":1})).await;
    let (_, w) = post(&app, "/api/v1/math/distributions", json!({"distribution":"poisson","params":{"lambda":3},"function":"sample","count":5,"seed":1})).await;
    assert_eq!(v, w, "a seed repeats its draws");
    let (s, v) = post(
        &app,
        "/api/v1/math/distributions",
        json!({"distribution":"normal","params":{"mean":0},"function":"pdf","x":0}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "params.std");
    let (s, v) = post(
        &app,
        "/api/v1/math/distributions",
        json!({"distribution":"normal","params":{"mean":0,"std":1},"function":"pfd","x":0}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "function");
    let (s, v) = post(
        &app,
        "/api/v1/math/distributions",
        json!({"distribution":"cauchy","params":{},"function":"pdf","x":0}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "distribution");
}
