//! FlowForge data-transform service (`/api/v1/data/…`, port 3008): jq filters (on jaq);
//! conversion between JSON, NDJSON, CSV, TSV, YAML, TOML, XML and spreadsheets (XLSX, XLS,
//! ODS); JSON operations (flatten, merge, diff and patch, pick and omit, rename keys); item
//! operations (sort, filter, dedupe, group, split out, chunk, limit, join, compare); JSON Schema
//! validation; Jinja-style templates; date-time arithmetic; Markdown and HTML conversion and
//! CSS-selector extraction; encodings (base64, hex, URL, HTML entities); and text (regular
//! expressions, case, slugs, truncation, HTML to text). Run it alone with
//! `cargo run -p flowforge-data`, or inside `flowforge serve`.
//!
//! Issue 5 continues on jq: more jq 1.7 behaviour and a faster evaluator.

use std::time::Duration;

use flowforge_kit::config::var;
use flowforge_kit::{ConfigError, Context, RouteLimits, Service};

pub mod api;
pub mod convert;
pub mod datetime;
pub mod encode;
pub mod html;
pub mod items;
pub mod jq;
pub mod json_ops;
pub mod schema;
pub mod sheet;
pub mod template;
pub mod text;
pub mod xml;

/// The service name (and path segment).
pub const NAME: &str = "data";
/// The port when run alone.
pub const PORT: u16 = 3008;
/// The largest body (MiB) by default: a 100 MB JSON array or CSV file.
pub const MAX_UPLOAD_MB: u64 = 256;

/// Build the service.
pub fn service(ctx: &Context) -> Result<Service, ConfigError> {
    let env = ctx.env.as_ref();
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
    let state = api::DataState {
        cpu: ctx.cpu.clone(),
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
    };
    let (router, openapi) = api::router(state);
    let big = RouteLimits {
        body: Some(max_mb << 20),
        timeout: Some(Duration::from_secs(timeout_s)),
    };
    Ok(Service::new(NAME, router, openapi)
        .limit("/api/v1/data/jq", big)
        .limit("/api/v1/data/convert", big))
}
