//! The FlowForge service kit: what every service gets by handing its router and OpenAPI
//! document to [`App`]: typed configuration from the environment, JSON logs, request ids, the
//! error envelope and extractors that produce it, `/health`, `/metrics`, `/openapi.json`,
//! `/docs`, per-route body and time limits, panics answered as INTERNAL_ERROR, CORS,
//! compression, graceful shutdown, and a bounded pool for CPU-heavy work.
//!
//! A service binary is a few lines:
//!
//! ```no_run
//! # fn build(_: &flowforge_kit::Context) -> Result<flowforge_kit::Service, flowforge_kit::ConfigError> { todo!() }
//! fn main() -> std::process::ExitCode {
//!     flowforge_kit::run_single("crypto", 3001, build)
//! }
//! ```

#[cfg(feature = "binary")]
pub mod binary;
pub mod config;
pub mod cpu;
pub mod error;
pub mod extract;
pub mod health;
pub mod http;
pub mod lifecycle;
pub mod metrics;
pub mod openapi;
pub mod redis_conn;
pub mod registry;
pub mod request_id;
pub mod routes;
pub mod service;
mod stack;
pub mod telemetry;
pub mod time;
pub mod wire;

#[doc(hidden)]
pub use serde;

#[doc(hidden)]
pub use utoipa;

pub use config::{ConfigError, Env, KitConfig, ProcessEnv};
pub use cpu::CpuPool;
pub use error::{ApiError, DomainError, ErrorBody, ErrorCode, FieldError, Kind};
pub use extract::{Json, Payload, Query};
pub use health::{HealthCheck, Status};
pub use lifecycle::{run_single, serve, serve_on};
pub use registry::{Descriptor, Var};
pub use routes::Routes;
pub use service::{App, Context, RouteLimits, Service};
