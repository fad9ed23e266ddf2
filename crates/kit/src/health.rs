//! `GET /health` with pluggable dependency checks, and the Kubernetes probes
//! `/health/live` (the process answers) and `/health/ready` (it can serve).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The state of one check or of the whole process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Everything works.
    Healthy,
    /// An optional dependency is down; the service still serves.
    Degraded,
    /// The service cannot serve.
    Unhealthy,
}

/// A boxed future, so checks can be held as trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A dependency check (Redis, PostgreSQL, a model file…).
pub trait HealthCheck: Send + Sync {
    /// The name shown under `checks`.
    fn name(&self) -> &str;
    /// Whether the service can serve without it (a failing optional check means "degraded").
    fn critical(&self) -> bool {
        false
    }
    /// Run the check. It is given at most two seconds.
    fn check(&self) -> BoxFuture<'_, Result<(), String>>;
}

/// The body of `GET /health`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HealthReport {
    /// Overall status.
    pub status: Status,
    /// The version of the binary.
    #[schema(example = "0.1.0")]
    pub version: String,
    /// Seconds since start.
    pub uptime: u64,
    /// Services served by this process.
    pub services: Vec<String>,
    /// Each check by name: `healthy`, `degraded` or `unhealthy`.
    pub checks: std::collections::BTreeMap<String, Status>,
}

/// What `/health` needs: the checks, the services, and the start time.
#[derive(Clone)]
pub struct Health {
    pub(crate) checks: Vec<Arc<dyn HealthCheck>>,
    pub(crate) services: Vec<String>,
    pub(crate) started: Instant,
    pub(crate) version: String,
}

impl Health {
    /// Run every check (concurrently, two seconds each) and build the report.
    pub async fn report(&self) -> HealthReport {
        let runs = self.checks.iter().map(|c| async move {
            let res = tokio::time::timeout(Duration::from_secs(2), c.check()).await;
            let ok = matches!(res, Ok(Ok(())));
            if !ok {
                let why = match res {
                    Ok(Err(e)) => e,
                    Err(_) => "timed out after 2s".into(),
                    Ok(Ok(())) => String::new(),
                };
                tracing::warn!(check = c.name(), reason = %why, "health check failed");
            }
            let status = match (ok, c.critical()) {
                (true, _) => Status::Healthy,
                (false, true) => Status::Unhealthy,
                (false, false) => Status::Degraded,
            };
            (c.name().to_string(), status)
        });
        let checks: std::collections::BTreeMap<_, _> = futures_util::future::join_all(runs)
            .await
            .into_iter()
            .collect();
        let status = if checks.values().any(|s| *s == Status::Unhealthy) {
            Status::Unhealthy
        } else if checks.values().any(|s| *s == Status::Degraded) {
            Status::Degraded
        } else {
            Status::Healthy
        };
        HealthReport {
            status,
            version: self.version.clone(),
            uptime: self.started.elapsed().as_secs(),
            services: self.services.clone(),
            checks,
        }
    }
}

/// 200 while healthy or degraded, 503 when unhealthy.
pub fn status_code(status: Status) -> StatusCode {
    if status == Status::Unhealthy {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    }
}

/// The `/health` answer: the report as JSON with [`status_code`].
pub fn report_response(report: HealthReport) -> Response {
    (status_code(report.status), Json(report)).into_response()
}
