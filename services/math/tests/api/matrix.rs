//! `/api/v1/math/matrix/*`.

use axum::http::StatusCode;
use flowforge_testkit::post;
use serde_json::json;

use crate::support::{app_with, field};

#[tokio::test]
async fn decompositions_properties_and_pinv_shapes() {
    let app = app_with(&[]);
    let (_, v) = post(
        &app,
        "/api/v1/math/matrix/decompose",
        json!({"matrix":[[4,2],[2,3]],"kind":"cholesky"}),
    )
    .await;
    assert_eq!(v["l"][0][0], json!(2));
    let (s, v) = post(
        &app,
        "/api/v1/math/matrix/decompose",
        json!({"matrix":[[1,2],[2,1]],"kind":"cholesky"}),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not positive definite: {v}"
    );
    field(&v, "matrix");
    let (_, v) = post(
        &app,
        "/api/v1/math/matrix/decompose",
        json!({"matrix":[[0,-1],[1,0]],"kind":"eigenvalues"}),
    )
    .await;
    let vals = v["values"].as_array().unwrap();
    assert!(
        vals.iter().all(|z| z[0].as_f64().unwrap().abs() < 1e-12
            && (z[1].as_f64().unwrap().abs() - 1.0).abs() < 1e-12),
        "{v}"
    );
    let (_, v) = post(
        &app,
        "/api/v1/math/matrix/properties",
        json!({"matrix":[[1,2],[2,4]]}),
    )
    .await;
    assert_eq!(v["rank"], json!(1));
    assert_eq!(v["trace"], json!(5));
    let (_, v) = post(
        &app,
        "/api/v1/math/matrix/pinv",
        json!({"matrix":[[1,2],[2,4]]}),
    )
    .await;
    assert!(
        (v["result"][0][0].as_f64().unwrap() - 0.04).abs() < 1e-12,
        "{v}"
    );
    let (s, v) = post(
        &app,
        "/api/v1/math/matrix/decompose",
        json!({"matrix":[[0,-1],[1,0]],"kind":"eig"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Rotation by 90°: eigenvalues ±i, each vector a column of [re, im] pairs.
    let values = v["values"].as_array().unwrap();
    assert_eq!(values.len(), 2);
    assert!(
        values.iter().all(|z| z[0].as_f64().unwrap().abs() < 1e-12
            && (z[1].as_f64().unwrap().abs() - 1.0).abs() < 1e-12),
        "{v}"
    );
    assert_eq!(v["vectors"].as_array().unwrap().len(), 2);
    assert_eq!(v["vectors"][0][0].as_array().unwrap().len(), 2, "{v}");
    let (s, v) = post(
        &app,
        "/api/v1/math/matrix/decompose",
        json!({"matrix":[[1]],"kind":"schur"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "kind");
}

#[tokio::test]
async fn elementwise_scale_and_least_squares_shapes() {
    let app = app_with(&[]);
    let (_, v) = post(
        &app,
        "/api/v1/math/matrix/subtract",
        json!({"a":[[1,2],[3,4]],"b":[[5,6],[7,8]]}),
    )
    .await;
    assert_eq!(v["result"], json!([[-4, -4], [-4, -4]]));
    let (s, v) = post(
        &app,
        "/api/v1/math/matrix/add",
        json!({"a":[[1,2],[3,4]],"b":[[5,6]]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "b");
    let (_, v) = post(
        &app,
        "/api/v1/math/matrix/scale",
        json!({"matrix":[[1,2]],"factor":-2}),
    )
    .await;
    assert_eq!(v["result"], json!([[-2, -4]]));
    let (_, v) = post(
        &app,
        "/api/v1/math/matrix/lstsq",
        json!({"a":[[1,1],[1,2],[1,3]],"b":[1,2,2]}),
    )
    .await;
    assert_eq!(v["rank"], 2);
    assert!(
        (v["result"][1].as_f64().unwrap() - 0.5).abs() < 1e-12,
        "{v}"
    );
    let (s, v) = post(
        &app,
        "/api/v1/math/matrix/lstsq",
        json!({"a":[[1,1],[1,2]],"b":[1,2,3]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "b");
}
