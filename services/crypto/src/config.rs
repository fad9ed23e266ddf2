//! The crypto service's configuration: every limit a client cannot exceed, each read from its
//! environment variable.

use flowforge_kit::config::{Env, bytes_var, var};
use flowforge_kit::{ConfigError, Var};

use crate::cipher::KdfLimits;

/// Limits a client cannot exceed; each from its environment variable.
#[derive(Debug, Clone)]
pub struct Config {
    /// `CRYPTO_JSON_BODY_LIMIT`: largest JSON body (default: the kit's `FLOWFORGE_BODY_LIMIT`).
    pub json_body: usize,
    /// `CRYPTO_STREAM_LIMIT`: largest raw body hashed as it streams in (default 1 GiB).
    pub stream_body: u64,
    /// `CRYPTO_KDF_MAX_MEMORY_KIB`, `CRYPTO_KDF_MAX_ITERATIONS`, `CRYPTO_KDF_MAX_PARALLELISM`:
    /// the most Argon2id cost a request or token may ask for.
    pub kdf: KdfLimits,
    /// `CRYPTO_RANDOM_MAX_BYTES`: most random bytes per request (default 65536).
    pub random_bytes: usize,
    /// `CRYPTO_RANDOM_MAX_COUNT`: most UUIDs, passwords or tokens per request (default 1000).
    pub random_count: usize,
    /// Inputs at least this large are hashed or encrypted on the CPU pool (default 64 KiB).
    pub inline_max: usize,
}

impl Config {
    /// Read from `env`; `json_default` is the kit's body limit.
    pub fn from_env(env: &dyn Env, json_default: u64) -> Result<Self, ConfigError> {
        let d = KdfLimits::default();
        Ok(Config {
            json_body: usize::try_from(bytes_var(env, "CRYPTO_JSON_BODY_LIMIT", json_default)?)
                .unwrap_or(usize::MAX),
            stream_body: bytes_var(env, "CRYPTO_STREAM_LIMIT", 1 << 30)?,
            kdf: KdfLimits {
                max_m: var(
                    env,
                    "CRYPTO_KDF_MAX_MEMORY_KIB",
                    d.max_m,
                    "a memory size in KiB",
                )?,
                max_t: var(env, "CRYPTO_KDF_MAX_ITERATIONS", d.max_t, "a whole number")?,
                max_p: var(env, "CRYPTO_KDF_MAX_PARALLELISM", d.max_p, "a whole number")?,
            },
            random_bytes: var(
                env,
                "CRYPTO_RANDOM_MAX_BYTES",
                65536,
                "a whole number of bytes",
            )?,
            random_count: var(env, "CRYPTO_RANDOM_MAX_COUNT", 1000, "a whole number")?,
            inline_max: 64 << 10,
        })
    }
}

/// The variables [`Config::from_env`] reads, for `--help` and the registry.
pub const VARS: &[Var] = &[
    Var {
        name: "CRYPTO_STREAM_LIMIT",
        default: "1GiB",
        help: "largest raw body hashed as it streams",
    },
    Var {
        name: "CRYPTO_JSON_BODY_LIMIT",
        default: "FLOWFORGE_BODY_LIMIT",
        help: "largest JSON body",
    },
    Var {
        name: "CRYPTO_KDF_MAX_MEMORY_KIB",
        default: "262144",
        help: "most Argon2id memory a request may ask",
    },
    Var {
        name: "CRYPTO_KDF_MAX_ITERATIONS",
        default: "10",
        help: "most Argon2id iterations",
    },
    Var {
        name: "CRYPTO_KDF_MAX_PARALLELISM",
        default: "8",
        help: "most Argon2id lanes",
    },
    Var {
        name: "CRYPTO_RANDOM_MAX_BYTES",
        default: "65536",
        help: "most random bytes per request",
    },
    Var {
        name: "CRYPTO_RANDOM_MAX_COUNT",
        default: "1000",
        help: "most UUIDs, passwords or tokens per call",
    },
];
