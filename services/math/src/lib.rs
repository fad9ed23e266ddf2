//! FlowForge math service (`/api/v1/math/…`, port 3002): expressions, statistics, hypothesis
//! tests, distributions, regression, linear algebra and finance, with NumPy's and SciPy's
//! definitions. Run it alone with `cargo run -p flowforge-math`, or inside `flowforge serve`.

use std::time::Duration;

use flowforge_kit::config::var;
use flowforge_kit::{ConfigError, Context, RouteLimits, Service};

pub mod api;
pub mod decimal;
pub mod dist;
pub mod error;
pub mod expr;
pub mod finance;
pub mod hypothesis;
pub mod linalg;
pub mod matrix;
pub mod quantity;
pub mod regression;
pub mod sets;
pub mod stats;
pub mod units;

/// The service name.
pub const NAME: &str = "math";
/// The port when run alone.
pub const PORT: u16 = 3002;
/// The largest body (MiB) any route takes: 2,000 × 2,000 matrices and a million values are tens
/// of MiB of JSON. Kong's request-size limit for the service is set from it.
pub const MAX_UPLOAD_MB: u64 = 128;

/// Build the service.
pub fn service(ctx: &Context) -> Result<Service, ConfigError> {
    let env = ctx.env.as_ref();
    let d = expr::ExprLimits::default();
    let state = api::MathState {
        cpu: ctx.cpu.clone(),
        max_dim: var(
            env,
            "MATH_MAX_MATRIX_DIM",
            2000,
            "a whole number of rows/columns",
        )?,
        expr: expr::ExprLimits {
            max_len: var(
                env,
                "MATH_EXPR_MAX_LENGTH",
                d.max_len,
                "a whole number of characters",
            )?,
            max_depth: var(
                env,
                "MATH_EXPR_MAX_DEPTH",
                d.max_depth,
                "a whole number of levels",
            )?,
            max_factorial: d.max_factorial,
        },
        max_sets: var(env, "MATH_MAX_VARIABLE_SETS", 100_000, "a whole number")?,
    };
    let (router, openapi) = api::router(state);
    // Large inputs: 2,000 × 2,000 matrices and a million values are tens of MiB of JSON.
    let big = RouteLimits {
        body: Some(MAX_UPLOAD_MB << 20),
        timeout: Some(Duration::from_secs(120)),
    };
    Ok(Service::new(NAME, router, openapi)
        .limit("/api/v1/math/matrix/multiply", big)
        .limit("/api/v1/math/matrix/inverse", big)
        .limit("/api/v1/math/matrix/determinant", big)
        .limit("/api/v1/math/matrix/solve", big)
        .limit("/api/v1/math/matrix/add", big)
        .limit("/api/v1/math/matrix/subtract", big)
        .limit("/api/v1/math/matrix/scale", big)
        .limit("/api/v1/math/matrix/lstsq", big)
        .limit("/api/v1/math/matrix/properties", big)
        .limit("/api/v1/math/matrix/pinv", big)
        .limit("/api/v1/math/matrix/decompose", big)
        .limit("/api/v1/math/statistics/describe", big)
        .limit("/api/v1/math/statistics/histogram", big)
        .limit("/api/v1/math/statistics/outliers", big)
        .limit("/api/v1/math/statistics/correlation", big)
        .limit("/api/v1/math/evaluate", big)
        .limit("/api/v1/math/regression", big))
}
