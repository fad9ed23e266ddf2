//! What each service tells the registry about itself: its name, its port when run alone, the
//! largest upload a gateway in front must let through, its environment variables (name,
//! default, help) and how to build it. The all-in-one binary keeps one cfg-gated list of these
//! and drives everything from it: `serve`, `--help`'s variable list, `kong-config`, `openapi`,
//! `services`, and the drift tests of Compose, Kubernetes and the e2e contract check.

use crate::config::{ConfigError, Env};
use crate::service::{Context, Service};

/// One environment variable a service (or the kit, or the gateway) reads.
#[derive(Debug, Clone, Copy)]
pub struct Var {
    /// Its name, e.g. `CRYPTO_STREAM_LIMIT`.
    pub name: &'static str,
    /// Its default as a user would write it (`1GiB`, `30s`, `all cores`), or empty for none.
    pub default: &'static str,
    /// What it sets, in a few words.
    pub help: &'static str,
}

/// A service as the registry knows it.
#[derive(Debug, Clone, Copy)]
pub struct Descriptor {
    /// The name, as in `/api/v1/<name>` (`crypto`).
    pub name: &'static str,
    /// The port it listens on when run alone (and in its container).
    pub port: u16,
    /// What it does, in one line (`flowforge services`).
    pub summary: &'static str,
    /// The largest request body (MiB) a gateway in front must let through to it.
    pub max_upload_mb: u64,
    /// Its environment variables.
    pub vars: &'static [Var],
    /// Build it from the process context.
    pub build: fn(&Context) -> Result<Service, ConfigError>,
}

/// The kit's own variables, read by every process.
pub const KIT_VARS: &[Var] = &[
    Var {
        name: "FLOWFORGE_LISTEN",
        default: "127.0.0.1:8000 (a service alone: its port)",
        help: "address to listen on",
    },
    Var {
        name: "FLOWFORGE_BODY_LIMIT",
        default: "10MiB",
        help: "default request body limit",
    },
    Var {
        name: "FLOWFORGE_REQUEST_TIMEOUT",
        default: "30s",
        help: "default per-request time limit",
    },
    Var {
        name: "FLOWFORGE_CPU_THREADS",
        default: "number of cores",
        help: "threads for CPU-heavy work",
    },
    Var {
        name: "FLOWFORGE_CPU_QUEUE",
        default: "64",
        help: "CPU jobs that may wait before a 503",
    },
    Var {
        name: "FLOWFORGE_BATCH_MAX",
        default: "1000",
        help: "most items in one batch request",
    },
    Var {
        name: "FLOWFORGE_CORS_ORIGINS",
        default: "*",
        help: "`*` or comma-separated allowed origins",
    },
    Var {
        name: "FLOWFORGE_SHUTDOWN_GRACE",
        default: "30s",
        help: "time for requests in flight on stop",
    },
    Var {
        name: "FLOWFORGE_METRICS_TOKEN",
        default: "",
        help: "when set, /metrics needs Authorization: Bearer <token>",
    },
    Var {
        name: "RUST_LOG",
        default: "info",
        help: "log filter",
    },
    Var {
        name: "LOG_FORMAT",
        default: "json",
        help: "json or pretty",
    },
];

/// The variable list for `--help`: one section per group, each line the name, what it sets and
/// its default.
pub fn help_text(groups: &[(&str, &[Var])]) -> String {
    let mut out =
        String::from("Environment variables (all optional; unset means the embedded default):\n");
    for (title, vars) in groups {
        if vars.is_empty() {
            continue;
        }
        out.push_str(title);
        out.push_str(":\n");
        for v in *vars {
            let default = if v.default.is_empty() {
                String::new()
            } else {
                format!(" [default: {}]", v.default)
            };
            out.push_str(&format!("  {:<32} {}{default}\n", v.name, v.help));
        }
    }
    out
}

/// An environment that records every name read from it, so a test can compare what a service
/// reads with what it declares.
pub struct Recording<E> {
    inner: E,
    read: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl<E: Env> Recording<E> {
    /// Record reads of `inner`.
    pub fn new(inner: E) -> Self {
        Recording {
            inner,
            read: Default::default(),
        }
    }

    /// The names read so far.
    pub fn names(&self) -> std::collections::BTreeSet<String> {
        self.read.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl<E: Env> Env for Recording<E> {
    fn get(&self, name: &str) -> Option<String> {
        if let Ok(mut r) = self.read.lock() {
            r.insert(name.to_string());
        }
        self.inner.get(name)
    }
}
