//! The image service's configuration: its limits and where `url` inputs may come from, each
//! read from its environment variable.

use std::time::Duration;

use flowforge_kit::binary::FetchPolicy;
use flowforge_kit::config::{Env, var};
use flowforge_kit::{ConfigError, Var};

use crate::MAX_UPLOAD_MB;
use crate::decode::Limits;

/// The limits a client cannot exceed.
#[derive(Debug, Clone)]
pub struct Config {
    /// `IMAGE_MAX_INPUT_MB` in bytes (default 50 MiB): the largest image upload.
    pub max_body: usize,
    /// `IMAGE_TIMEOUT_SECS`: the time limit of every image operation (default 30 s).
    pub timeout: Duration,
    /// `IMAGE_MAX_PIXELS` and `IMAGE_MAX_OUTPUT_PIXELS` (default 100,000,000 each).
    pub limits: Limits,
    /// `IMAGE_MAX_OPERATIONS`: steps in one pipeline (default 32).
    pub max_operations: usize,
    /// `IMAGE_FETCH_ALLOW_PRIVATE` (default false) and `IMAGE_FETCH_TIMEOUT_SECS` (default 20):
    /// where `url` inputs may come from.
    pub fetch: FetchPolicy,
}

impl Config {
    /// Read from `env`.
    pub fn from_env(env: &dyn Env) -> Result<Self, ConfigError> {
        let max_mb: u64 = var(
            env,
            "IMAGE_MAX_INPUT_MB",
            MAX_UPLOAD_MB,
            "a whole number of MiB",
        )?;
        Ok(Config {
            max_body: (max_mb as usize) << 20,
            timeout: Duration::from_secs(var(
                env,
                "IMAGE_TIMEOUT_SECS",
                30,
                "a whole number of seconds",
            )?),
            limits: Limits {
                max_pixels: var(
                    env,
                    "IMAGE_MAX_PIXELS",
                    100_000_000,
                    "a whole number of pixels",
                )?,
                max_output_pixels: var(
                    env,
                    "IMAGE_MAX_OUTPUT_PIXELS",
                    100_000_000,
                    "a whole number of pixels",
                )?,
            },
            max_operations: var(env, "IMAGE_MAX_OPERATIONS", 32, "a whole number of steps")?,
            fetch: FetchPolicy {
                allow_private: var(env, "IMAGE_FETCH_ALLOW_PRIVATE", false, "true or false")?,
                timeout: Duration::from_secs(var(
                    env,
                    "IMAGE_FETCH_TIMEOUT_SECS",
                    20,
                    "a whole number of seconds",
                )?),
                max_redirects: 5,
            },
        })
    }
}

/// The variables [`Config::from_env`] reads, for `--help` and the registry.
pub const VARS: &[Var] = &[
    Var {
        name: "IMAGE_MAX_INPUT_MB",
        default: "50",
        help: "largest image upload (MiB)",
    },
    Var {
        name: "IMAGE_MAX_PIXELS",
        default: "100000000",
        help: "most pixels an input may have",
    },
    Var {
        name: "IMAGE_MAX_OUTPUT_PIXELS",
        default: "100000000",
        help: "most pixels an output may have",
    },
    Var {
        name: "IMAGE_MAX_OPERATIONS",
        default: "32",
        help: "most steps in one pipeline",
    },
    Var {
        name: "IMAGE_TIMEOUT_SECS",
        default: "30",
        help: "time limit of an image operation",
    },
    Var {
        name: "IMAGE_FETCH_ALLOW_PRIVATE",
        default: "false",
        help: "let `url` reach private addresses",
    },
    Var {
        name: "IMAGE_FETCH_TIMEOUT_SECS",
        default: "20",
        help: "time to fetch a `url`",
    },
];
