//! FlowForge data-transform service (`/api/v1/data/…`, port 3008): jq filters (on jaq);
//! conversion between JSON, NDJSON, CSV, TSV, YAML, TOML, XML and spreadsheets (XLSX, XLS,
//! ODS); JSON operations (flatten, merge, diff and patch, pick and omit, rename keys); item
//! operations (sort, filter, dedupe, group, split out, chunk, limit, join, compare); JSON Schema
//! validation; Jinja-style templates; date-time arithmetic; Markdown and HTML conversion and
//! CSS-selector extraction; encodings (base64, hex, URL, HTML entities); and text (regular
//! expressions, case, slugs, truncation, HTML to text). Run it alone with
//! `cargo run -p flowforge-data`, or inside `flowforge serve`.

use flowforge_kit::{ConfigError, Context, Descriptor, Service};

pub mod config;
pub mod convert;
pub mod datetime;
pub mod encode;
pub mod error;
pub mod handlers;
pub mod html;
pub mod items;
pub mod jq;
pub mod json_ops;
pub mod routes;
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

/// The service as the registry knows it.
pub const DESCRIPTOR: Descriptor = Descriptor {
    name: NAME,
    port: PORT,
    summary: "jq, format conversion (JSON, CSV, YAML, XML, spreadsheets…), JSON Schema, templates, dates, JSON and item operations, HTML/Markdown, text",
    max_upload_mb: MAX_UPLOAD_MB,
    vars: config::VARS,
    build: service,
};

/// Build the service.
pub fn service(ctx: &Context) -> Result<Service, ConfigError> {
    let config = config::Config::from_env(ctx.env.as_ref())?;
    Ok(routes::service(handlers::DataState {
        cpu: ctx.cpu.clone(),
        config,
    }))
}
