//! The math service's configuration: its limits, each read from its environment variable.

use flowforge_kit::config::{Env, var};
use flowforge_kit::{ConfigError, Var};

use crate::expr::ExprLimits;

/// The limits a client cannot exceed.
#[derive(Debug, Clone)]
pub struct Config {
    /// `MATH_MAX_MATRIX_DIM`: the largest matrix side (default 2000).
    pub max_dim: usize,
    /// `MATH_EXPR_MAX_LENGTH` (default 10,000 characters) and `MATH_EXPR_MAX_DEPTH` (default 64
    /// levels): the longest and deepest expression.
    pub expr: ExprLimits,
    /// `MATH_MAX_VARIABLE_SETS`: most variable sets in one evaluate call (default 100,000).
    pub max_sets: usize,
}

impl Config {
    /// Read from `env`.
    pub fn from_env(env: &dyn Env) -> Result<Self, ConfigError> {
        let d = ExprLimits::default();
        Ok(Config {
            max_dim: var(
                env,
                "MATH_MAX_MATRIX_DIM",
                2000,
                "a whole number of rows/columns",
            )?,
            expr: ExprLimits {
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
        })
    }
}

/// The variables [`Config::from_env`] reads, for `--help` and the registry.
pub const VARS: &[Var] = &[
    Var {
        name: "MATH_MAX_MATRIX_DIM",
        default: "2000",
        help: "largest matrix side",
    },
    Var {
        name: "MATH_EXPR_MAX_LENGTH",
        default: "10000",
        help: "longest expression (characters)",
    },
    Var {
        name: "MATH_EXPR_MAX_DEPTH",
        default: "64",
        help: "deepest expression nesting",
    },
    Var {
        name: "MATH_MAX_VARIABLE_SETS",
        default: "100000",
        help: "most variable sets per evaluate call",
    },
];
