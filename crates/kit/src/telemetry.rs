//! Logging: JSON lines (or pretty text) through `tracing`, written by a background thread so a
//! request never waits on stdout. Installed once by a binary, never by a service library.

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt;
use tracing_subscriber::prelude::*;

use crate::config::{ConfigError, Env};

/// Log output format (`LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line (the default).
    Json,
    /// Human-readable text.
    Pretty,
}

/// Install the global subscriber from `RUST_LOG` (default `info`) and `LOG_FORMAT`
/// (`json` or `pretty`). Keep the returned guard alive for the life of the process: dropping it
/// flushes the log buffer.
pub fn init(env: &dyn Env) -> Result<WorkerGuard, ConfigError> {
    let format = match env.get("LOG_FORMAT").as_deref() {
        None | Some("json") => LogFormat::Json,
        Some("pretty") | Some("text") => LogFormat::Pretty,
        Some(other) => {
            return Err(ConfigError {
                var: "LOG_FORMAT".into(),
                value: other.into(),
                expected: "json or pretty".into(),
            });
        }
    };
    let filter_text = env.get("RUST_LOG").unwrap_or_else(|| "info".into());
    let filter = EnvFilter::try_new(&filter_text).map_err(|e| ConfigError {
        var: "RUST_LOG".into(),
        value: filter_text.clone(),
        expected: format!("a tracing filter such as info or flowforge=debug,info ({e})"),
    })?;
    // Lossy under extreme pressure rather than blocking request handling; the buffer is large.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(256 * 1024)
        .lossy(true)
        .finish(std::io::stdout());
    let registry = tracing_subscriber::registry().with(filter);
    let res = match format {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(false)
                    .with_span_list(false)
                    .with_writer(writer),
            )
            .try_init(),
        LogFormat::Pretty => registry.with(fmt::layer().with_writer(writer)).try_init(),
    };
    // A subscriber already installed (tests) is fine.
    let _ = res;
    Ok(guard)
}
