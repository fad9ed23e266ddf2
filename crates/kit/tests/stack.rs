//! The kit's stack around a toy service: panics, time limits, health checks, 404/405, CORS.

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::post;
use flowforge_kit::health::BoxFuture;
use flowforge_kit::{App, HealthCheck, KitConfig, RouteLimits, Service};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

struct Down;

impl HealthCheck for Down {
    fn name(&self) -> &str {
        "redis"
    }
    fn check(&self) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async { Err("connection refused".to_string()) })
    }
}

struct CriticalDown;

impl HealthCheck for CriticalDown {
    fn name(&self) -> &str {
        "database"
    }
    fn critical(&self) -> bool {
        true
    }
    fn check(&self) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async { Err("gone".to_string()) })
    }
}

async fn boom() -> &'static str {
    panic!("boom")
}

fn app(critical: bool) -> Router {
    let env: std::collections::HashMap<String, String> = Default::default();
    let cfg = KitConfig::from_env(&env, 9999).unwrap();
    let router = Router::new().route("/api/v1/toy/panic", post(boom)).route(
        "/api/v1/toy/slow",
        post(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "late"
        }),
    );
    let mut svc = Service::new("toy", router, utoipa::openapi::OpenApi::default())
        .limit(
            "/api/v1/toy/slow",
            RouteLimits {
                body: Some(10),
                timeout: Some(Duration::from_millis(50)),
            },
        )
        .check(Arc::new(Down));
    if critical {
        svc = svc.check(Arc::new(CriticalDown));
    }
    App::new("toy", cfg).service(svc).into_router()
}

async fn call(app: &Router, req: Request<Body>) -> (StatusCode, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let s = res.status();
    let b = res.into_body().collect().await.unwrap().to_bytes();
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_panicking_handler_is_an_internal_error_and_the_app_keeps_serving() {
    let app = app(false);
    let (s, v) = call(
        &app,
        Request::post("/api/v1/toy/panic")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(v["error"]["code"], "INTERNAL_ERROR");
    assert!(v["error"]["requestId"].is_string());
    assert!(
        !v.to_string().contains("boom"),
        "the panic message is not sent to the client"
    );
    let (s, _) = call(&app, Request::get("/health").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn a_route_over_its_time_or_body_limit_answers_504_or_413() {
    let app = app(false);
    let (s, v) = call(
        &app,
        Request::post("/api/v1/toy/slow")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(v["error"]["code"], "TIMEOUT");
    let (s, v) = call(
        &app,
        Request::post("/api/v1/toy/slow")
            .header("content-length", "11")
            .body(Body::from("0123456789a"))
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(v["error"]["code"], "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn an_optional_dependency_down_is_degraded_and_a_critical_one_unhealthy() {
    let (s, v) = call(
        &app(false),
        Request::get("/health").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["status"], "degraded");
    assert_eq!(v["checks"]["redis"], "degraded");
    let (s, v) = call(
        &app(true),
        Request::get("/health").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(v["status"], "unhealthy");
    let res = app(true)
        .oneshot(Request::get("/health/ready").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let res = app(true)
        .oneshot(Request::get("/health/live").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_the_envelope() {
    let app = app(false);
    let (s, v) = call(
        &app,
        Request::get("/api/v1/toy/nothing")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "NOT_FOUND");
    let (s, v) = call(
        &app,
        Request::get("/api/v1/toy/panic")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(v["error"]["code"], "METHOD_NOT_ALLOWED");
}

#[tokio::test]
async fn browsers_get_cors_headers_and_preflights_are_answered() {
    let app = app(false);
    let res = app
        .clone()
        .oneshot(
            Request::builder()
                .method("OPTIONS")
                .uri("/api/v1/toy/panic")
                .header("origin", "https://n8n.example.com")
                .header("access-control-request-method", "POST")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let res = app
        .oneshot(
            Request::get("/health")
                .header("origin", "https://n8n.example.com")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert!(
        res.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .contains("x-request-id")
    );
}

#[tokio::test]
async fn metrics_need_the_bearer_token_when_one_is_configured() {
    let env: std::collections::HashMap<String, String> =
        [("FLOWFORGE_METRICS_TOKEN".to_string(), "s3cret".to_string())].into();
    let cfg = KitConfig::from_env(&env, 9999).unwrap();
    let app = App::new("toy", cfg).into_router();
    let get = |auth: Option<&str>| {
        let mut b = Request::get("/metrics");
        if let Some(a) = auth {
            b = b.header("authorization", a);
        }
        b.body(Body::empty()).unwrap()
    };
    let (s, v) = call(&app, get(None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(v["error"]["code"], "UNAUTHORIZED");
    let (s, _) = call(&app, get(Some("Bearer wrong"))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let res = app.oneshot(get(Some("Bearer s3cret"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}
