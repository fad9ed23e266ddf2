//! The kit's per-request middleware: CORS, request ids, per-route body and time limits, panics
//! answered as INTERNAL_ERROR, gzip, metrics and the access log; and the JSON 404/405 answers.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;

use crate::error::{ApiError, ErrorCode, ErrorCodeTag};
use crate::extract::payload_too_large;
use crate::request_id::{self, X_REQUEST_ID};
use crate::service::RouteLimits;

/// What the kit's middleware needs: per-route limits, defaults, allowed origins, batch size.
pub(crate) struct Stack {
    pub(crate) routes: HashMap<String, RouteLimits>,
    pub(crate) body: u64,
    pub(crate) timeout: Duration,
    pub(crate) origins: crate::http::Origins,
    pub(crate) batch_max: crate::extract::BatchMax,
}

pub(crate) async fn not_found(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!(
            "no route for {method} {}; see /openapi.json or /docs for the operations",
            uri.path()
        ),
    )
}

pub(crate) async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!(
            "{method} is not allowed on {}; operations are called with POST (see /docs)",
            uri.path()
        ),
    )
}

/// The kit's whole per-request stack in one middleware (each extra tower layer costs a service
/// clone and a boxed future per request): CORS, request id, per-route body limit (checked against
/// Content-Length, then enforced while reading) and time limit (504 TIMEOUT), panics answered as
/// INTERNAL_ERROR, gzip, then metrics and one access-log line.
pub(crate) async fn kit_stack(State(st): State<Arc<Stack>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let origin = req.headers().get(header::ORIGIN).cloned();
    let id = request_id::take_or_make(&req);
    let mut res = match &origin {
        Some(o) if crate::http::is_preflight(&method, req.headers()) => {
            crate::http::preflight(&st.origins, o, req.headers())
        }
        _ => {
            let gzip = crate::http::accepts_gzip(req.headers());
            let res = request_id::scope(id.clone(), guarded(&st, route.as_ref(), req, next)).await;
            if gzip {
                crate::http::gzip(res).await
            } else {
                res
            }
        }
    };
    if let Some(o) = &origin {
        crate::http::add_cors(&st.origins, o, &mut res);
    }
    res.headers_mut().insert(X_REQUEST_ID.clone(), id.clone());
    let status = res.status().as_u16();
    let elapsed = start.elapsed();
    let route = route.as_ref().map_or("unmatched", |m| m.as_str());
    let service = crate::metrics::service_of(route);
    crate::metrics::get().observe(
        service,
        method.as_str(),
        route,
        status,
        elapsed.as_secs_f64(),
    );
    let code = res.extensions().get::<ErrorCodeTag>().map(|t| t.0.as_str());
    crate::telemetry::access(&crate::telemetry::Access {
        request_id: id.to_str().unwrap_or_default(),
        method: method.as_str(),
        route,
        status,
        latency_ms: elapsed.as_secs_f64() * 1000.0,
        error_code: code,
    });
    res
}

/// Limits, time limit and panic guard around the handler (inside the request-id scope, so every
/// envelope made here carries the id).
async fn guarded(
    st: &Stack,
    route: Option<&MatchedPath>,
    mut req: Request,
    next: Next,
) -> Response {
    req.extensions_mut().insert(st.batch_max);
    let lim = route
        .and_then(|m| st.routes.get(m.as_str()))
        .copied()
        .unwrap_or_default();
    let body_limit = lim.body.unwrap_or(st.body);
    let timeout = lim.timeout.unwrap_or(st.timeout);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > body_limit) {
        return payload_too_large(Some(body_limit)).into_response();
    }
    // With a Content-Length within the limit, hyper already refuses a longer body; only bodies of
    // unknown length need counting while they are read.
    let req = if declared.is_some() {
        req
    } else {
        let limit = usize::try_from(body_limit).unwrap_or(usize::MAX);
        req.map(|b| Body::new(http_body_util::Limited::new(b, limit)))
    };
    let run = std::panic::AssertUnwindSafe(next.run(req)).catch_unwind();
    match tokio::time::timeout(timeout, run).await {
        Ok(Ok(res)) => res,
        Ok(Err(_panic)) => ApiError::internal("a handler panicked").into_response(),
        Err(_) => ApiError::new(
            ErrorCode::Timeout,
            format!(
                "the operation took longer than this route's limit of {:.1}s; send less work per call",
                timeout.as_secs_f64()
            ),
        )
        .into_response(),
    }
}
