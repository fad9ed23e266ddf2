use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;

use crate::support::{app, assert_envelope, send};

#[tokio::test]
async fn a_wrong_content_type_is_415_in_the_envelope() {
    let req = Request::post("/api/v1/crypto/encrypt")
        .header("content-type", "text/plain")
        .body(Body::from("hello"))
        .unwrap();
    let (s, _, v) = send(&app(), req).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_envelope(&v, "UNSUPPORTED_MEDIA_TYPE", "Content-Type");
}

#[tokio::test]
async fn the_request_id_is_taken_from_the_client_and_returned() {
    let req = Request::post("/api/v1/crypto/hash")
        .header("content-type", "application/json")
        .header("x-request-id", "trace-42")
        .body(Body::from("{}"))
        .unwrap();
    let (_, h, v) = send(&app(), req).await;
    assert_eq!(h["x-request-id"], "trace-42");
    assert_eq!(v["error"]["requestId"], "trace-42");
}

#[tokio::test]
async fn metrics_count_by_route_template() {
    let app = app();
    let _ = send(
        &app,
        Request::post("/api/v1/crypto/hash")
            .header("content-type", "application/json")
            .body(Body::from(r#"{"algorithm":"md5","data":""}"#))
            .unwrap(),
    )
    .await;
    let res =
        tower::ServiceExt::oneshot(app, Request::get("/metrics").body(Body::empty()).unwrap())
            .await
            .unwrap();
    let text = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes();
    let text = String::from_utf8_lossy(&text);
    assert!(text.contains(r#"route="/api/v1/crypto/hash""#), "{text}");
    assert!(
        text.contains(
            r#"flowforge_operations_total{operation="hash",outcome="ok",service="crypto"}"#
        ),
        "{text}"
    );
    let _: Value = Value::Null;
}
