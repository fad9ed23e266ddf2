//! API tests: the math router behind the kit, driven in-process.

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

use axum::Router;
use axum::http::StatusCode;
use flowforge_testkit::post;
use serde_json::{Value, json};

fn app_with(vars: &[(&str, &str)]) -> Router {
    flowforge_testkit::app_with(flowforge_math::service, flowforge_math::PORT, vars)
}

#[track_caller]
fn field(v: &Value, f: &str) {
    flowforge_testkit::assert_field(v, "VALIDATION_ERROR", f);
}

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
async fn finance_follows_spreadsheet_conventions_and_names_missing_arguments() {
    let app = app_with(&[]);
    let (_, v) = post(
        &app,
        "/api/v1/math/finance",
        json!({"function":"pmt","rate":0.05/12.0,"nper":360,"pv":200000}),
    )
    .await;
    assert!(
        (v["result"].as_f64().unwrap() + 1073.6432460242797).abs() < 1e-9,
        "{v}"
    );
    let (_, v) = post(&app, "/api/v1/math/finance", json!({"function":"xirr","values":[-10000,2750,4250,3250,2750],"dates":["2008-01-01","2008-03-01","2008-10-30","2009-02-15","2009-04-01"]})).await;
    assert!(
        (v["result"].as_f64().unwrap() - 0.373362535).abs() < 1e-8,
        "{v}"
    );
    let (_, v) = post(
        &app,
        "/api/v1/math/finance",
        json!({"function":"amortization","rate":0.01,"nper":12,"pv":1000}),
    )
    .await;
    assert_eq!(v["schedule"].as_array().unwrap().len(), 12);
    let (s, v) = post(
        &app,
        "/api/v1/math/finance",
        json!({"function":"pmt","rate":0.01,"nper":12}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "pv");
    let (s, v) = post(
        &app,
        "/api/v1/math/finance",
        json!({"function":"xnpv","rate":0.1,"values":[-1,2],"dates":["2024-01-01","2024-02-30"]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "dates[1]");
    let (s, v) = post(
        &app,
        "/api/v1/math/finance",
        json!({"function":"irr","values":[1,2,3]}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    field(&v, "values");
}

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
