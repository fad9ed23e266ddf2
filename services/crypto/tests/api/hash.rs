//! `/api/v1/crypto/hash`.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

use crate::support::{app, app_with, assert_envelope, post, send};

#[tokio::test]
async fn sha256_of_hello_has_the_documented_shape() {
    let (s, v) = post(
        &app(),
        "/api/v1/crypto/hash",
        json!({"algorithm":"sha256","data":"hello"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["algorithm"], "sha256");
    assert_eq!(
        v["digest"],
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    );
    assert_eq!(v["encoding"], "hex");
}

#[tokio::test]
async fn a_raw_body_is_hashed_with_options_in_the_query() {
    let req = Request::post("/api/v1/crypto/hash?algorithm=sha256&encoding=base64")
        .header("content-type", "application/octet-stream")
        .body(Body::from("hello"))
        .unwrap();
    let (s, _, v) = send(&app(), req).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["digest"], "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
    assert_eq!(v["bytes"], 5);
}

#[tokio::test]
async fn a_raw_body_without_an_algorithm_names_the_parameter() {
    let req = Request::post("/api/v1/crypto/hash?algorithm=sha265")
        .header("content-type", "application/octet-stream")
        .body(Body::from("hello"))
        .unwrap();
    let (s, _, v) = send(&app(), req).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "algorithm");
    let req = Request::post("/api/v1/crypto/hash")
        .header("content-type", "application/octet-stream")
        .body(Body::from("hello"))
        .unwrap();
    let (s, _, v) = send(&app(), req).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "algorithm");
}

#[tokio::test]
async fn an_unknown_algorithm_lists_the_accepted_ones() {
    let (s, v) = post(
        &app(),
        "/api/v1/crypto/hash",
        json!({"algorithm":"sha265","data":"x"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "algorithm");
    let msg = v["error"]["message"].as_str().unwrap();
    assert!(msg.contains("sha256") && msg.contains("blake3"), "{msg}");
    assert!(v["error"]["requestId"].is_string());
}

#[tokio::test]
async fn bad_base64_and_hex_inputs_name_the_field() {
    let app = app();
    let (s, v) = post(
        &app,
        "/api/v1/crypto/hash",
        json!({"algorithm":"sha256","data":"@@@","inputEncoding":"base64"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "data");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/hash",
        json!({"algorithm":"sha256","data":"abc","inputEncoding":"hex"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "data");
}

#[tokio::test]
async fn malformed_json_and_unknown_fields_get_the_envelope() {
    let app = app();
    let req = Request::post("/api/v1/crypto/hash")
        .header("content-type", "application/json")
        .body(Body::from("{\"algorithm\":"))
        .unwrap();
    let (s, _, v) = send(&app, req).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "body");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/hash",
        json!({"algorithm":"sha256","data":"x","algo":"y"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "algo");
    let (s, v) = post(&app, "/api/v1/crypto/hash", json!({"algorithm":"sha256"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "data");
    let (s, v) = post(
        &app,
        "/api/v1/crypto/hash",
        json!({"algorithm":"sha256","data":5}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_envelope(&v, "VALIDATION_ERROR", "data");
}

#[tokio::test]
async fn a_batch_answers_each_item_and_one_bad_item_does_not_fail_the_rest() {
    let (s, v) = post(
        &app(),
        "/api/v1/crypto/hash",
        json!({"algorithm":"sha256","items":[{"data":"hello"},{"data":"x","algorithm":"sha265"},{"data":"abc","algorithm":"md5"}]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["succeeded"], 2);
    assert_eq!(v["failed"], 1);
    assert_eq!(
        v["results"][0]["digest"],
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    );
    assert_eq!(
        v["results"][1]["error"]["details"][0]["field"],
        "items[1].algorithm"
    );
    assert_eq!(
        v["results"][2]["digest"],
        "900150983cd24fb0d6963f7d28e17f72"
    );
}

#[tokio::test]
async fn the_stream_limit_is_enforced_at_its_edge() {
    let app = app_with(&[("CRYPTO_STREAM_LIMIT", "1KiB")]);
    let raw = |n: usize| {
        Request::post("/api/v1/crypto/hash?algorithm=sha256")
            .header("content-type", "application/octet-stream")
            .body(Body::from(vec![b'a'; n]))
            .unwrap()
    };
    let (s, _, v) = send(&app, raw(1024)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["bytes"], 1024);
    let (s, _, v) = send(&app, raw(1025)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(v["error"]["code"], "PAYLOAD_TOO_LARGE");
    // Without a Content-Length the limit is enforced while streaming.
    let stream =
        futures_util::stream::iter((0..3).map(|_| Ok::<_, std::io::Error>(vec![b'a'; 400])));
    let req = Request::post("/api/v1/crypto/hash?algorithm=sha256")
        .header("content-type", "application/octet-stream")
        .body(Body::from_stream(stream))
        .unwrap();
    let (s, _, v) = send(&app, req).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
}

#[tokio::test]
async fn the_json_body_limit_is_enforced_at_its_edge() {
    let app = app_with(&[("CRYPTO_JSON_BODY_LIMIT", "100")]);
    let body = |n: usize| {
        let pad = "a".repeat(n - r#"{"algorithm":"sha256","data":""}"#.len());
        format!(r#"{{"algorithm":"sha256","data":"{pad}"}}"#)
    };
    let req = |b: String| {
        Request::post("/api/v1/crypto/hash")
            .header("content-type", "application/json")
            .body(Body::from(b))
            .unwrap()
    };
    let (s, _, _) = send(&app, req(body(100))).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, v) = send(&app, req(body(101))).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_envelope(&v, "PAYLOAD_TOO_LARGE", "body");
}
