//! Typed configuration from the environment, validated at start. A bad value is an error naming
//! the variable, the value and what was expected; binaries print it and exit.

use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

/// A configuration value that could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{var}={value:?} is invalid: expected {expected}")]
pub struct ConfigError {
    /// The environment variable.
    pub var: String,
    /// The value found.
    pub value: String,
    /// What would have been accepted.
    pub expected: String,
}

/// Source of variables: the process environment, or a map in tests.
pub trait Env {
    /// The value of `name`, if set and not empty.
    fn get(&self, name: &str) -> Option<String>;
}

/// The process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.trim().is_empty())
    }
}

impl Env for std::collections::HashMap<String, String> {
    fn get(&self, name: &str) -> Option<String> {
        std::collections::HashMap::get(self, name).cloned()
    }
}

/// Parse `name` as `T`, or `default` when unset.
pub fn var<T: FromStr>(
    env: &dyn Env,
    name: &str,
    default: T,
    expected: &str,
) -> Result<T, ConfigError> {
    match env.get(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| ConfigError {
            var: name.into(),
            value: v,
            expected: expected.into(),
        }),
    }
}

/// Parse a byte size such as `10MiB`, `512k`, `1G` or a plain number of bytes.
pub fn parse_bytes(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '_')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.replace('_', "").parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// A byte size variable (`10MiB`, `1G`, `4096`).
pub fn bytes_var(env: &dyn Env, name: &str, default: u64) -> Result<u64, ConfigError> {
    match env.get(name) {
        None => Ok(default),
        Some(v) => parse_bytes(&v).ok_or_else(|| ConfigError {
            var: name.into(),
            value: v,
            expected: "a byte size such as 1048576, 512KiB, 10MiB or 1GiB".into(),
        }),
    }
}

/// A duration variable in seconds (fractions allowed) or with a unit (`500ms`, `30s`, `2m`).
pub fn duration_var(env: &dyn Env, name: &str, default: Duration) -> Result<Duration, ConfigError> {
    match env.get(name) {
        None => Ok(default),
        Some(v) => parse_duration(&v).ok_or_else(|| ConfigError {
            var: name.into(),
            value: v,
            expected: "a duration such as 30, 30s, 500ms or 2m".into(),
        }),
    }
}

/// Parse `30`, `30s`, `500ms`, `2m`, `1h`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, mult) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = s.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (s, 1.0)
    };
    let secs: f64 = num.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs * mult))
}

/// What every service process needs, read from the environment.
#[derive(Debug, Clone)]
pub struct KitConfig {
    /// `FLOWFORGE_LISTEN`: address to listen on.
    pub listen: SocketAddr,
    /// `FLOWFORGE_BODY_LIMIT`: default body limit for JSON routes (routes may set their own).
    pub body_limit: u64,
    /// `FLOWFORGE_REQUEST_TIMEOUT`: default time limit per request (routes may set their own).
    pub request_timeout: Duration,
    /// `FLOWFORGE_CPU_THREADS`: threads for CPU-heavy work (default: the number of cores).
    pub cpu_threads: usize,
    /// `FLOWFORGE_CPU_QUEUE`: CPU jobs allowed to wait for a thread before answering 503.
    pub cpu_queue: usize,
    /// `FLOWFORGE_CORS_ORIGINS`: `*` or a comma-separated list of allowed origins.
    pub cors_origins: String,
    /// `FLOWFORGE_SHUTDOWN_GRACE`: how long to let requests in flight finish on SIGTERM.
    pub shutdown_grace: Duration,
    /// `FLOWFORGE_METRICS_TOKEN`: when set, `/metrics` needs `Authorization: Bearer <token>`
    /// (what Prometheus sends with `authorization: {credentials: …}`); open otherwise.
    pub metrics_token: Option<String>,
    /// `FLOWFORGE_BATCH_MAX`: the most items one batch request may hold (default 1000).
    pub batch_max: usize,
}

impl KitConfig {
    /// Read from `env`, with `default_port` used when `FLOWFORGE_LISTEN` is unset.
    pub fn from_env(env: &dyn Env, default_port: u16) -> Result<Self, ConfigError> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let cfg = KitConfig {
            listen: var(
                env,
                "FLOWFORGE_LISTEN",
                SocketAddr::from(([127, 0, 0, 1], default_port)),
                "a socket address such as 127.0.0.1:8000 or 0.0.0.0:8000",
            )?,
            body_limit: bytes_var(env, "FLOWFORGE_BODY_LIMIT", 10 << 20)?,
            request_timeout: duration_var(
                env,
                "FLOWFORGE_REQUEST_TIMEOUT",
                Duration::from_secs(30),
            )?,
            cpu_threads: var(
                env,
                "FLOWFORGE_CPU_THREADS",
                cores,
                "a whole number of threads, at least 1",
            )?,
            cpu_queue: var(
                env,
                "FLOWFORGE_CPU_QUEUE",
                64,
                "a whole number of waiting jobs",
            )?,
            cors_origins: env
                .get("FLOWFORGE_CORS_ORIGINS")
                .unwrap_or_else(|| "*".into()),
            shutdown_grace: duration_var(env, "FLOWFORGE_SHUTDOWN_GRACE", Duration::from_secs(30))?,
            metrics_token: env.get("FLOWFORGE_METRICS_TOKEN"),
            batch_max: var(
                env,
                "FLOWFORGE_BATCH_MAX",
                1000usize,
                "a whole number of items, at least 1",
            )?
            .max(1),
        };
        if cfg.cpu_threads == 0 {
            return Err(ConfigError {
                var: "FLOWFORGE_CPU_THREADS".into(),
                value: "0".into(),
                expected: "a whole number of threads, at least 1".into(),
            });
        }
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let cfg = KitConfig::from_env(&env(&[]), 3001).unwrap();
        assert_eq!(cfg.listen.to_string(), "127.0.0.1:3001");
        assert_eq!(cfg.body_limit, 10 << 20);
    }

    #[test]
    fn a_bad_value_names_the_variable_the_value_and_what_was_expected() {
        let err = KitConfig::from_env(&env(&[("FLOWFORGE_LISTEN", "nowhere")]), 1).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("FLOWFORGE_LISTEN"), "{msg}");
        assert!(msg.contains("nowhere"), "{msg}");
        assert!(msg.contains("expected a socket address"), "{msg}");
        let err = KitConfig::from_env(&env(&[("FLOWFORGE_BODY_LIMIT", "ten")]), 1).unwrap_err();
        assert_eq!(err.var, "FLOWFORGE_BODY_LIMIT");
        let err = KitConfig::from_env(&env(&[("FLOWFORGE_CPU_THREADS", "0")]), 1).unwrap_err();
        assert_eq!(err.var, "FLOWFORGE_CPU_THREADS");
    }

    #[test]
    fn sizes_and_durations_parse_with_units() {
        assert_eq!(parse_bytes("1GiB"), Some(1 << 30));
        assert_eq!(parse_bytes("512k"), Some(512 << 10));
        assert_eq!(parse_bytes("42"), Some(42));
        assert_eq!(parse_bytes("1 parsec"), None);
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("-1"), None);
    }
}
