//! The PDF service's configuration: its limits and where `url` inputs may come from, each read
//! from its environment variable.

use std::time::Duration;

use flowforge_kit::binary::FetchPolicy;
use flowforge_kit::config::{Env, var};
use flowforge_kit::{ConfigError, Var};

use crate::MAX_UPLOAD_MB;
use crate::document::Limits;

/// The limits a client cannot exceed.
#[derive(Debug, Clone)]
pub struct Config {
    /// `PDF_MAX_INPUT_MB` in bytes (default 100 MiB): the largest upload, all files together.
    pub max_body: usize,
    /// `PDF_TIMEOUT_SECS`: the time limit of every PDF operation (default 60 s).
    pub timeout: Duration,
    /// `PDF_MAX_PAGES` (default 2,000 pages per file) and `PDF_MAX_STREAM_MB` (default 256 MiB
    /// that one stream may decompress to).
    pub limits: Limits,
    /// `PDF_MAX_FILES`: most files in one merge (default 500).
    pub max_files: usize,
    /// `PDF_FETCH_ALLOW_PRIVATE` (default false) and `PDF_FETCH_TIMEOUT_SECS` (default 30): where
    /// `url` inputs may come from.
    pub fetch: FetchPolicy,
    /// `PDF_WORKERS`: PDFium worker processes at most (default 2).
    pub workers: usize,
    /// `PDF_WORKER_MEMORY_MB`: each worker's address-space cap (default 1024 MiB).
    pub worker_memory_mb: u64,
    /// `PDF_WORKER_MAX_JOBS`: jobs a worker serves before it is replaced (default 5,000).
    pub worker_max_jobs: usize,
    /// `PDF_WORKER_BIN`: the worker program (default: this program, run as `pdf-worker`).
    pub worker_bin: Option<String>,
    /// `PDF_RENDER_MAX_PIXELS`: most pixels one rendered page may have (default 40,000,000).
    pub render_max_pixels: u64,
    /// `FLOWFORGE_MODELS_DIR`: where PDFium is (default `./models`; fetched on first need).
    pub models_dir: std::path::PathBuf,
    /// `FLOWFORGE_FONTS_DIR`: more fonts for Typst, besides `/usr/share/fonts`.
    pub fonts_dir: Option<std::path::PathBuf>,
    /// `CHROMIUM_PATH`, `PDF_BROWSER_CONCURRENCY` (default 2), `PDF_BROWSER_MAX_JOBS` (default
    /// 100) and `PDF_BROWSER_TIMEOUT_SECS` (default 30): HTML and web pages to PDF.
    pub browser: crate::browser::BrowserConfig,
    /// `PDF_BROWSER_MAX_REQUESTS`: most requests one printed page may make (default 500).
    pub browser_max_requests: usize,
}

impl Config {
    /// Read from `env`.
    pub fn from_env(env: &dyn Env) -> Result<Self, ConfigError> {
        let max_mb: u64 = var(
            env,
            "PDF_MAX_INPUT_MB",
            MAX_UPLOAD_MB,
            "a whole number of MiB",
        )?;
        let stream_mb: usize = var(env, "PDF_MAX_STREAM_MB", 256, "a whole number of MiB")?;
        Ok(Config {
            max_body: (max_mb as usize) << 20,
            timeout: Duration::from_secs(var(
                env,
                "PDF_TIMEOUT_SECS",
                60,
                "a whole number of seconds",
            )?),
            limits: Limits {
                max_pages: var(env, "PDF_MAX_PAGES", 2000, "a whole number of pages")?,
                max_stream: stream_mb << 20,
            },
            max_files: var(env, "PDF_MAX_FILES", 500, "a whole number of files")?,
            fetch: FetchPolicy {
                allow_private: var(env, "PDF_FETCH_ALLOW_PRIVATE", false, "true or false")?,
                timeout: Duration::from_secs(var(
                    env,
                    "PDF_FETCH_TIMEOUT_SECS",
                    30,
                    "a whole number of seconds",
                )?),
                max_redirects: 5,
            },
            workers: var(env, "PDF_WORKERS", 2, "a whole number of processes")?,
            worker_memory_mb: var(env, "PDF_WORKER_MEMORY_MB", 1024, "a whole number of MiB")?,
            worker_max_jobs: var(
                env,
                "PDF_WORKER_MAX_JOBS",
                crate::worker::JOBS_PER_WORKER,
                "a whole number of jobs",
            )?,
            worker_bin: env.get("PDF_WORKER_BIN").filter(|s| !s.is_empty()),
            render_max_pixels: var(
                env,
                "PDF_RENDER_MAX_PIXELS",
                40_000_000,
                "a whole number of pixels",
            )?,
            models_dir: flowforge_models::models_dir(env.get("FLOWFORGE_MODELS_DIR").as_deref()),
            fonts_dir: env
                .get("FLOWFORGE_FONTS_DIR")
                .filter(|s| !s.is_empty())
                .map(Into::into),
            browser: crate::browser::BrowserConfig {
                program: crate::browser::find_program(env.get("CHROMIUM_PATH").as_deref()),
                concurrency: var(env, "PDF_BROWSER_CONCURRENCY", 2, "a whole number of pages")?,
                max_jobs: var(env, "PDF_BROWSER_MAX_JOBS", 100, "a whole number of pages")?,
                timeout: Duration::from_secs(var(
                    env,
                    "PDF_BROWSER_TIMEOUT_SECS",
                    30,
                    "a whole number of seconds",
                )?),
                no_sandbox: var(env, "CHROMIUM_NO_SANDBOX", false, "true or false")?,
            },
            browser_max_requests: var(
                env,
                "PDF_BROWSER_MAX_REQUESTS",
                500,
                "a whole number of requests",
            )?,
        })
    }
}

/// The variables [`Config::from_env`] reads, for `--help` and the registry.
pub const VARS: &[Var] = &[
    Var {
        name: "PDF_MAX_INPUT_MB",
        default: "100",
        help: "largest PDF upload, all files together (MiB)",
    },
    Var {
        name: "PDF_MAX_PAGES",
        default: "2000",
        help: "most pages a PDF may have",
    },
    Var {
        name: "PDF_MAX_STREAM_MB",
        default: "256",
        help: "most bytes one PDF stream may decompress to (MiB)",
    },
    Var {
        name: "PDF_MAX_FILES",
        default: "500",
        help: "most files in one merge",
    },
    Var {
        name: "PDF_TIMEOUT_SECS",
        default: "60",
        help: "time limit of a PDF operation",
    },
    Var {
        name: "PDF_WORKERS",
        default: "2",
        help: "worker processes (PDFium rendering and text, Typst typesetting)",
    },
    Var {
        name: "PDF_WORKER_MEMORY_MB",
        default: "1024",
        help: "memory cap of each worker (MiB)",
    },
    Var {
        name: "PDF_WORKER_MAX_JOBS",
        default: "5000",
        help: "jobs a worker serves before it is replaced",
    },
    Var {
        name: "PDF_WORKER_BIN",
        default: "this program, as `pdf-worker`",
        help: "the PDFium worker program",
    },
    Var {
        name: "PDF_RENDER_MAX_PIXELS",
        default: "40000000",
        help: "most pixels one rendered page may have",
    },
    Var {
        name: "FLOWFORGE_MODELS_DIR",
        default: "./models",
        help: "where PDFium is (fetched on first need)",
    },
    Var {
        name: "FLOWFORGE_FONTS_DIR",
        default: "(none)",
        help: "more fonts for generate and overlays, besides /usr/share/fonts",
    },
    Var {
        name: "CHROMIUM_PATH",
        default: "chromium or chromium-headless-shell on PATH",
        help: "the browser that prints `html` and `url` to PDF (none: those answer 503)",
    },
    Var {
        name: "CHROMIUM_NO_SANDBOX",
        default: "false (the container image: true)",
        help: "run Chromium without its sandbox, where there are no user namespaces (as root it always is)",
    },
    Var {
        name: "PDF_BROWSER_CONCURRENCY",
        default: "2",
        help: "pages the browser prints at once (the rest queue)",
    },
    Var {
        name: "PDF_BROWSER_MAX_JOBS",
        default: "100",
        help: "pages one browser prints before it is restarted",
    },
    Var {
        name: "PDF_BROWSER_TIMEOUT_SECS",
        default: "30",
        help: "time a page has to load, run its scripts and print",
    },
    Var {
        name: "PDF_BROWSER_MAX_REQUESTS",
        default: "500",
        help: "most requests one printed page may make (their bytes together at most PDF_MAX_INPUT_MB)",
    },
    Var {
        name: "PDF_FETCH_ALLOW_PRIVATE",
        default: "false",
        help: "let `url` reach private addresses",
    },
    Var {
        name: "PDF_FETCH_TIMEOUT_SECS",
        default: "30",
        help: "time to fetch a `url`",
    },
];
