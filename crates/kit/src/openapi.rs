//! The kit's own endpoints and the base OpenAPI document services are merged into.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as Doc;

use crate::error::{ErrorBody, ErrorCode, ErrorObject, FieldError};
use crate::health::{Health, HealthReport, Status};

/// Health of the process and its dependencies: 200 while healthy or degraded, 503 when it
/// cannot serve.
#[utoipa::path(get, path = "/health", tag = "operations",
    responses(
        (status = 200, description = "Healthy or degraded", body = HealthReport),
        (status = 503, description = "Unhealthy", body = HealthReport),
    ))]
pub async fn get_health(State(h): State<Health>) -> Response {
    crate::health::report_response(h.report().await)
}

/// Liveness probe: the process answers.
#[utoipa::path(get, path = "/health/live", tag = "operations",
    responses((status = 200, description = "Alive")))]
pub async fn get_live() -> &'static str {
    "ok"
}

/// Readiness probe: 200 unless a critical dependency is down.
#[utoipa::path(get, path = "/health/ready", tag = "operations",
    responses((status = 200, description = "Ready"), (status = 503, description = "Not ready")))]
pub async fn get_ready(State(h): State<Health>) -> Response {
    let r = h.report().await;
    (crate::health::status_code(r.status), r.status_text()).into_response()
}

/// Prometheus metrics in the text exposition format (behind `Authorization: Bearer
/// <FLOWFORGE_METRICS_TOKEN>` when that is set).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text", content_type = "text/plain"),
              (status = 401, description = "FLOWFORGE_METRICS_TOKEN is set and the bearer token is missing or wrong", body = ErrorBody)))]
pub async fn get_metrics(
    State(token): State<Option<std::sync::Arc<str>>>,
    headers: axum::http::HeaderMap,
) -> Response {
    if let Some(want) = token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        // Constant-time: compare digests, so neither length nor content leaks through timing.
        use sha2::Digest;
        let a = sha2::Sha256::digest(given.as_bytes());
        let b = sha2::Sha256::digest(want.as_bytes());
        let same = a
            .iter()
            .zip(b.iter())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0;
        if !same {
            return crate::ApiError::new(
                ErrorCode::Unauthorized,
                "/metrics needs Authorization: Bearer <FLOWFORGE_METRICS_TOKEN>",
            )
            .into_response();
        }
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        crate::metrics::get().render(),
    )
        .into_response()
}

impl HealthReport {
    fn status_text(&self) -> &'static str {
        match self.status {
            Status::Healthy => "healthy",
            Status::Degraded => "degraded",
            Status::Unhealthy => "unhealthy",
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    paths(get_health, get_live, get_ready, get_metrics),
    components(schemas(ErrorBody, ErrorObject, ErrorCode, FieldError, HealthReport, Status)),
    tags((name = "operations", description = "Health, metrics and the API description")),
)]
struct KitApi;

/// The base document: title, version, the error envelope schema and the kit's endpoints.
pub fn base(title: &str) -> Doc {
    let mut doc = KitApi::openapi();
    doc.info.title = title.to_string();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc.info.description = Some(
        "FlowForge: computational and AI operations for workflow automation. Every error is \
         the JSON envelope `{\"error\":{\"code\",\"message\",\"details\",\"requestId\"}}`."
            .to_string(),
    );
    doc
}
