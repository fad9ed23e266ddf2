//! The data-transform service's configuration: its limits, each read from its environment
//! variable.

use std::time::Duration;

use flowforge_kit::config::{Env, var};
use flowforge_kit::{ConfigError, Var};

use crate::{MAX_UPLOAD_MB, convert, sheet, template};

/// The limits a client cannot exceed.
#[derive(Debug, Clone)]
pub struct Config {
    /// `DATA_TIMEOUT_SECS`: the time limit of jq and convert (default 30 s).
    pub timeout: Duration,
    /// `DATA_MAX_INPUT_MB` in bytes (default 256 MiB): the largest body of jq and convert.
    pub max_body: usize,
    /// `DATA_JQ_MAX_OUTPUTS` (default 1,000,000).
    pub jq_max_outputs: usize,
    /// `DATA_JQ_TIMEOUT_MS` (default 10 s).
    pub jq_timeout: Duration,
    /// `DATA_JQ_THREADS`: threads one jq request may use to read, run and write a large array
    /// (default all cores, clamped to 1..64).
    pub jq_threads: usize,
    /// `DATA_MAX_DEPTH`: deepest JSON nesting accepted (default 512).
    pub max_depth: usize,
    /// `DATA_CSV_MAX_ROWS` (default 5,000,000) and `DATA_CSV_MAX_COLUMNS` (default 10,000).
    pub csv: crate::convert::CsvLimits,
    /// `DATA_REGEX_MAX_SIZE`: compiled size limit of a regular expression, bytes (default 1 MiB).
    pub regex_size: usize,
    /// Spreadsheet limits: rows and columns as CSV's, and `DATA_SHEET_MAX_UNZIPPED_MB` (512).
    pub sheet: crate::sheet::SheetLimits,
    /// `DATA_TEMPLATE_FUEL` (default 50,000,000 instructions), `DATA_TEMPLATE_MAX_OUTPUT`
    /// (16 MiB), `DATA_TEMPLATE_MAX_DEPTH` (100 levels).
    pub template: crate::template::TemplateLimits,
}

impl Config {
    /// Read from `env`.
    pub fn from_env(env: &dyn Env) -> Result<Self, ConfigError> {
        let max_mb: u64 = var(
            env,
            "DATA_MAX_INPUT_MB",
            MAX_UPLOAD_MB,
            "a whole number of MiB",
        )?;
        let timeout_s: u64 = var(env, "DATA_TIMEOUT_SECS", 30, "a whole number of seconds")?;
        let csv = convert::CsvLimits {
            max_rows: var(
                env,
                "DATA_CSV_MAX_ROWS",
                5_000_000,
                "a whole number of rows",
            )?,
            max_columns: var(
                env,
                "DATA_CSV_MAX_COLUMNS",
                10_000,
                "a whole number of columns",
            )?,
        };
        Ok(Config {
            timeout: Duration::from_secs(timeout_s),
            max_body: (max_mb as usize) << 20,
            jq_max_outputs: var(env, "DATA_JQ_MAX_OUTPUTS", 1_000_000, "a whole number")?,
            jq_timeout: Duration::from_millis(var(
                env,
                "DATA_JQ_TIMEOUT_MS",
                10_000,
                "a whole number of milliseconds",
            )?),
            jq_threads: var(
                env,
                "DATA_JQ_THREADS",
                std::thread::available_parallelism().map_or(1, |n| n.get()),
                "a whole number of threads",
            )?
            .clamp(1, 64),
            max_depth: var(env, "DATA_MAX_DEPTH", 512, "a whole number of levels")?,
            csv,
            regex_size: var(
                env,
                "DATA_REGEX_MAX_SIZE",
                1 << 20,
                "a whole number of bytes",
            )?,
            sheet: sheet::SheetLimits {
                max_rows: csv.max_rows,
                max_columns: csv.max_columns,
                max_unzipped: var::<u64>(
                    env,
                    "DATA_SHEET_MAX_UNZIPPED_MB",
                    512,
                    "a whole number of MiB",
                )? << 20,
            },
            template: template::TemplateLimits {
                fuel: var(
                    env,
                    "DATA_TEMPLATE_FUEL",
                    50_000_000,
                    "a whole number of instructions",
                )?,
                max_output: var(
                    env,
                    "DATA_TEMPLATE_MAX_OUTPUT",
                    16 << 20,
                    "a whole number of bytes",
                )?,
                max_depth: var(
                    env,
                    "DATA_TEMPLATE_MAX_DEPTH",
                    100,
                    "a whole number of levels",
                )?,
            },
        })
    }
}

/// The variables [`Config::from_env`] reads, for `--help` and the registry.
pub const VARS: &[Var] = &[
    Var {
        name: "DATA_MAX_INPUT_MB",
        default: "256",
        help: "largest body for jq and convert (MiB)",
    },
    Var {
        name: "DATA_TIMEOUT_SECS",
        default: "30",
        help: "time limit of jq and convert",
    },
    Var {
        name: "DATA_JQ_MAX_OUTPUTS",
        default: "1000000",
        help: "most outputs of one jq filter",
    },
    Var {
        name: "DATA_JQ_TIMEOUT_MS",
        default: "10000",
        help: "time a jq filter may run",
    },
    Var {
        name: "DATA_JQ_THREADS",
        default: "all cores",
        help: "threads one jq request may use",
    },
    Var {
        name: "DATA_MAX_DEPTH",
        default: "512",
        help: "deepest JSON, XML or HTML nesting",
    },
    Var {
        name: "DATA_CSV_MAX_ROWS",
        default: "5000000",
        help: "most CSV or spreadsheet rows",
    },
    Var {
        name: "DATA_CSV_MAX_COLUMNS",
        default: "10000",
        help: "most CSV or spreadsheet columns",
    },
    Var {
        name: "DATA_SHEET_MAX_UNZIPPED_MB",
        default: "512",
        help: "most an XLSX/ODS may decompress to",
    },
    Var {
        name: "DATA_REGEX_MAX_SIZE",
        default: "1048576",
        help: "compiled size of a regex (bytes)",
    },
    Var {
        name: "DATA_TEMPLATE_FUEL",
        default: "50000000",
        help: "instructions one template may run",
    },
    Var {
        name: "DATA_TEMPLATE_MAX_OUTPUT",
        default: "16777216",
        help: "largest rendered template (bytes)",
    },
    Var {
        name: "DATA_TEMPLATE_MAX_DEPTH",
        default: "100",
        help: "deepest include or macro nesting",
    },
];
