//! FlowForge math service (`/api/v1/math/…`, port 3002): expressions, statistics, hypothesis
//! tests, distributions, regression, linear algebra and finance, with NumPy's and SciPy's
//! definitions. Run it alone with `cargo run -p flowforge-math`, or inside `flowforge serve`.

use flowforge_kit::{ConfigError, Context, Descriptor, Service};

pub mod config;
pub mod decimal;
pub mod dist;
pub mod error;
pub mod evaluate;
pub mod expr;
pub mod finance;
pub mod handlers;
pub mod hypothesis;
pub mod linalg;
pub mod matrix;
pub mod quantity;
pub mod regression;
pub mod routes;
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

/// The service as the registry knows it.
pub const DESCRIPTOR: Descriptor = Descriptor {
    name: NAME,
    port: PORT,
    summary: "expressions with units and exact decimals, statistics, tests, distributions, regression, matrices, finance",
    max_upload_mb: MAX_UPLOAD_MB,
    vars: config::VARS,
    build: service,
};

/// Build the service.
pub fn service(ctx: &Context) -> Result<Service, ConfigError> {
    let config = config::Config::from_env(ctx.env.as_ref())?;
    Ok(routes::service(handlers::MathState {
        cpu: ctx.cpu.clone(),
        config,
    }))
}
