//! The route table: every route with its OpenAPI entry (through `utoipa-axum`, so a route cannot
//! exist undocumented) and, beside it, its own limits where it has any.

use std::sync::Arc;
use std::time::Duration;

use flowforge_kit::{RouteLimits, Routes, Service};
use utoipa::OpenApi;
use utoipa_axum::routes;

use crate::handlers::{
    MathState, distributions, evaluate, finance, matrix, regression, statistics, tests,
};

#[derive(OpenApi)]
#[openapi(tags((name = "math", description = "Expressions, statistics, tests, matrices")))]
struct MathApi;

/// The service: its routes, documents and limits, with `state` applied.
pub fn service(state: MathState) -> Service {
    // 2,000 × 2,000 matrices and a million values are tens of MiB of JSON and seconds of work.
    let big = RouteLimits {
        body: Some(crate::MAX_UPLOAD_MB << 20),
        timeout: Some(Duration::from_secs(120)),
    };
    Routes::new(crate::NAME, MathApi::openapi())
        // Expressions, with units and exact decimals; many variable sets in one call.
        .route_with(big, routes!(evaluate::evaluate))
        // Statistics.
        .route_with(big, routes!(statistics::statistics_describe))
        .route_with(big, routes!(statistics::statistics_histogram))
        .route_with(big, routes!(statistics::statistics_outliers))
        .route_with(big, routes!(statistics::statistics_correlation))
        .route(routes!(statistics::statistics_moving_average))
        .route(routes!(statistics::statistics_covariance))
        // Hypothesis tests.
        .route(routes!(tests::tests_ttest))
        .route(routes!(tests::tests_chisquare))
        .route(routes!(tests::tests_anova))
        .route(routes!(tests::tests_mannwhitney))
        .route(routes!(tests::tests_shapiro))
        // Distributions and regression.
        .route(routes!(distributions::distributions))
        .route_with(big, routes!(regression::regression))
        // Finance.
        .route(routes!(finance::finance))
        // Linear algebra.
        .route_with(big, routes!(matrix::matrix_multiply))
        .route_with(big, routes!(matrix::matrix_add))
        .route_with(big, routes!(matrix::matrix_subtract))
        .route_with(big, routes!(matrix::matrix_scale))
        .route_with(big, routes!(matrix::matrix_lstsq))
        .route(routes!(matrix::matrix_transpose))
        .route_with(big, routes!(matrix::matrix_determinant))
        .route_with(big, routes!(matrix::matrix_inverse))
        .route_with(big, routes!(matrix::matrix_solve))
        .route_with(big, routes!(matrix::matrix_properties))
        .route_with(big, routes!(matrix::matrix_pinv))
        .route_with(big, routes!(matrix::matrix_decompose))
        .into_service(Arc::new(state))
}
