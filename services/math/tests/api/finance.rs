//! `/api/v1/math/finance`.

use axum::http::StatusCode;
use flowforge_testkit::post;
use serde_json::json;

use crate::support::{app_with, field};

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
