//! `/api/v1/math/statistics/*`.

use axum::http::StatusCode;
use flowforge_testkit::post;
use serde_json::json;

use crate::support::{app_with, field};

#[tokio::test]
async fn histogram_outliers_and_correlation_shapes() {
    let app = app_with(&[]);
    let (_, v) = post(
        &app,
        "/api/v1/math/statistics/histogram",
        json!({"values":[1,2,2,3,3,3,4,4,4,4],"bins":4}),
    )
    .await;
    assert_eq!(v, json!({"counts":[1,2,3,4],"edges":[1,1.75,2.5,3.25,4]}));
    let (s, v) = post(
        &app,
        "/api/v1/math/statistics/histogram",
        json!({"values":[1,2],"bins":"magic"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "bins");
    let (_, v) = post(
        &app,
        "/api/v1/math/statistics/outliers",
        json!({"values":[10,12,11,13,12,95]}),
    )
    .await;
    assert_eq!(v["outliers"], json!([{"index":5,"value":95}]), "{v}");
    let (_, v) = post(
        &app,
        "/api/v1/math/statistics/correlation",
        json!({"x":[1,2,3,4,5],"y":[2,4,5,4,5]}),
    )
    .await;
    assert!(
        (v["coefficient"].as_f64().unwrap() - 0.7745966692414834).abs() < 1e-12,
        "{v}"
    );
    let (s, v) = post(
        &app,
        "/api/v1/math/statistics/correlation",
        json!({"x":[1,2,3],"y":[1,2]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "y");
}

#[tokio::test]
async fn moving_averages_and_covariance_shapes_and_errors() {
    let app = app_with(&[]);
    let (_, v) = post(
        &app,
        "/api/v1/math/statistics/moving-average",
        json!({"values":[1,2,3,4,5,6],"type":"simple","window":3}),
    )
    .await;
    assert_eq!(v, json!({"values":[2,3,4,5]}));
    let (s, v) = post(
        &app,
        "/api/v1/math/statistics/moving-average",
        json!({"values":[1,2,3],"type":"simple"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "window");
    let (s, v) = post(
        &app,
        "/api/v1/math/statistics/moving-average",
        json!({"values":[1,2,3],"type":"ema","alpha":1.5}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "alpha");
    let (_, v) = post(
        &app,
        "/api/v1/math/statistics/covariance",
        json!({"data":[[1,2],[2,4],[3,6]]}),
    )
    .await;
    assert_eq!(v, json!({"result":[[1,2],[2,4]]}));
    let (s, v) = post(
        &app,
        "/api/v1/math/statistics/covariance",
        json!({"data":[[1,2]]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "data");
}
