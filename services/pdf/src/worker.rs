//! PDFium in worker processes. PDFium is C++ and not thread-safe, and a hostile file can make it
//! use gigabytes or crash, so it never runs in the service's process: a small pool of children
//! (`pdf-service pdf-worker`, or `flowforge pdf-worker`) each load the library once and serve
//! one job at a time over stdin and stdout. A child caps its own memory (RLIMIT_DATA,
//! `PDF_WORKER_MEMORY_MB`); the parent gives each job a time limit (`PDF_TIMEOUT_SECS`) and kills
//! a child that passes it, crashes or answers nonsense, so one bad file fails one request and the
//! next job gets a fresh child.
//!
//! The protocol: each message is two frames, a JSON header then a body, each frame a
//! little-endian u32 length and its bytes. A job's body is the PDF; a reply's body is the
//! outputs one after another, their lengths in the header.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::{Mutex, Semaphore};

use crate::error::PdfError;

/// The argument that makes a binary a worker.
pub const WORKER_ARG: &str = "pdf-worker";

/// Largest frame either side accepts.
const MAX_FRAME: usize = 1 << 30;

/// A job for a worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    /// `render`.
    pub op: String,
    /// The file's password.
    pub password: Option<String>,
    /// Pages, counted from 0.
    pub pages: Vec<u32>,
    /// render: dots per inch (when no width).
    pub dpi: Option<f32>,
    /// render: the output width in pixels.
    pub width: Option<u32>,
    /// render: `png`, `jpeg` or `webp`; text: `text`, `lines` or `words`.
    pub format: String,
    /// render: JPEG quality.
    pub quality: u8,
    /// Most pixels one rendered page may have.
    pub max_pixels: u64,
    /// text: keep columns (`pdftotext -layout`).
    #[serde(default)]
    pub layout: bool,
    /// typeset: the source, data and files (their bytes are the job's body).
    #[cfg(feature = "generate")]
    #[serde(default)]
    pub typeset: Option<crate::typeset::Typeset>,
}

impl Job {
    /// A job of `op` with nothing else set.
    pub fn new(op: &str) -> Job {
        Job {
            op: op.into(),
            password: None,
            pages: Vec::new(),
            dpi: None,
            width: None,
            format: String::new(),
            quality: 0,
            max_pixels: 0,
            layout: false,
            #[cfg(feature = "generate")]
            typeset: None,
        }
    }

    /// Whether the job needs PDFium (typesetting does not).
    pub fn needs_pdfium(&self) -> bool {
        self.op != "typeset"
    }
}

/// One output of a job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Item {
    /// The page, counted from 0.
    pub page: u32,
    /// The image's width in pixels.
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// Its length in the reply's body.
    pub len: usize,
    /// text: the page's plain text, this many bytes after the item's `len` bytes.
    #[serde(default)]
    pub text_len: usize,
}

/// A worker's reply.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reply {
    /// `None` when the job succeeded; else what went wrong: (`password`|`invalid`|`pages`, message).
    pub error: Option<(String, String)>,
    /// The document's page count.
    pub page_count: u32,
    /// The outputs, in order.
    pub items: Vec<Item>,
    /// The worker leaves after this reply (it has served its share of jobs); the pool starts a
    /// new one for the next job.
    #[serde(default)]
    pub retire: bool,
}

/// Jobs a worker serves before it retires, unless `PDF_WORKER_MAX_JOBS` says otherwise:
/// long-lived processes accumulate state no job frees (Typst interns every file path in a
/// process-wide table of 65,535; caches grow), so each worker is replaced after this many.
pub const JOBS_PER_WORKER: usize = 5000;

fn read_frame(r: &mut impl Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let n = u32::from_le_bytes(len) as usize;
    if n > MAX_FRAME {
        return Err(std::io::Error::other("frame too large"));
    }
    let mut buf = vec![0u8; n];
    r.read_exact(&mut buf)?;
    Ok(Some(buf))
}

fn write_frame(w: &mut impl Write, b: &[u8]) -> std::io::Result<()> {
    let n = u32::try_from(b.len()).map_err(|_| std::io::Error::other("frame too large"))?;
    w.write_all(&n.to_le_bytes())?;
    w.write_all(b)
}

/// The worker process: load PDFium from `PDF_PDFIUM_LIB` (when set: typesetting needs no
/// library), cap memory at `PDF_WORKER_MEMORY_MB`, then answer jobs until stdin closes.
pub fn worker_main() -> std::process::ExitCode {
    let mb: u64 = std::env::var("PDF_WORKER_MEMORY_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let pdfium = match std::env::var_os("PDF_PDFIUM_LIB") {
        Some(lib) => match pdfium_render::prelude::Pdfium::bind_to_library(&lib) {
            Ok(b) => Some(pdfium_render::prelude::Pdfium::new(b)),
            Err(e) => {
                eprintln!("pdf-worker: cannot load {}: {e}", Path::new(&lib).display());
                return std::process::ExitCode::FAILURE;
            }
        },
        None => None,
    };
    #[cfg(feature = "generate")]
    crate::typeset::use_fonts_dir(std::env::var_os("FLOWFORGE_FONTS_DIR").map(PathBuf::from));
    // The cap: `PDF_WORKER_MEMORY_MB` beyond what the worker holds once PDFium is loaded.
    // RLIMIT_DATA counts what the process can write to (heap and private writable mappings), so
    // the cap is on memory the renderer takes, not address space merely reserved.
    let base = data_in_use().unwrap_or(0);
    let cap = base.saturating_add(mb << 20);
    if let Err(e) = rlimit::setrlimit(rlimit::Resource::DATA, cap, cap) {
        eprintln!("pdf-worker: cannot cap memory: {e}");
        return std::process::ExitCode::FAILURE;
    }
    let (mut stdin, mut stdout) = (std::io::stdin().lock(), std::io::stdout().lock());
    let max_jobs: usize = std::env::var("PDF_WORKER_MAX_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(JOBS_PER_WORKER);
    for served in 1.. {
        let (Ok(Some(header)), Ok(Some(body))) = (read_frame(&mut stdin), read_frame(&mut stdin))
        else {
            return std::process::ExitCode::SUCCESS;
        };
        let (mut reply, out) = match serde_json::from_slice::<Job>(&header) {
            #[cfg(feature = "generate")]
            Ok(job) if !job.needs_pdfium() => typeset(&job, &body),
            Ok(job) => match &pdfium {
                Some(pdfium) => crate::render::run(pdfium, &job, &body),
                None => crate::render::failed("invalid", "this worker has no PDFium".into(), 0),
            },
            Err(e) => crate::render::failed("invalid", format!("bad job: {e}"), 0),
        };
        reply.retire = served >= max_jobs;
        let head = serde_json::to_vec(&reply).unwrap_or_default();
        if write_frame(&mut stdout, &head)
            .and_then(|()| write_frame(&mut stdout, &out))
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return std::process::ExitCode::FAILURE;
        }
        if reply.retire {
            break;
        }
    }
    std::process::ExitCode::SUCCESS
}

/// A typeset job: the PDF as the one output, or the reply naming Typst's error.
#[cfg(feature = "generate")]
fn typeset(job: &Job, body: &[u8]) -> (Reply, Vec<u8>) {
    let Some(t) = &job.typeset else {
        return crate::render::failed("invalid", "a typeset job without a source".into(), 0);
    };
    match crate::typeset::compile(t, body) {
        Ok((pdf, pages)) => (
            Reply {
                error: None,
                page_count: u32::try_from(pages).unwrap_or(u32::MAX),
                items: vec![Item {
                    page: 0,
                    width: 0,
                    height: 0,
                    len: pdf.len(),
                    text_len: 0,
                }],
                retire: false,
            },
            pdf,
        ),
        Err(e) => crate::render::failed("typst", e.message, 0),
    }
}

/// Bytes of data segment and private writable mappings in use (`VmData` in /proc/self/status).
fn data_in_use() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmData:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb << 10)
}

/// A running worker.
struct Worker {
    /// Whether it loaded PDFium.
    pdfium: bool,
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
}

/// How to start workers, and the pool of idle ones.
pub struct Pool {
    /// The worker binary and its arguments.
    command: (PathBuf, Vec<String>),
    /// Where the library is (found lazily: fetched on first need).
    models: PathBuf,
    /// More fonts for Typst (`FLOWFORGE_FONTS_DIR`), passed to each worker.
    fonts_dir: Option<PathBuf>,
    /// Jobs a worker serves before it is replaced (`PDF_WORKER_MAX_JOBS`).
    max_jobs: usize,
    lib: std::sync::OnceLock<Result<PathBuf, String>>,
    fetch_lock: std::sync::Mutex<()>,
    memory_mb: u64,
    timeout: Duration,
    size: usize,
    slots: Semaphore,
    idle: Mutex<Vec<Worker>>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("command", &self.command)
            .field("memory_mb", &self.memory_mb)
            .finish_non_exhaustive()
    }
}

impl Pool {
    /// A pool of at most `workers` children of `command`, PDFium from `models`.
    pub fn new(
        command: (PathBuf, Vec<String>),
        models: PathBuf,
        workers: usize,
        memory_mb: u64,
        timeout: Duration,
    ) -> Pool {
        Pool {
            command,
            models,
            fonts_dir: None,
            max_jobs: JOBS_PER_WORKER,
            lib: std::sync::OnceLock::new(),
            fetch_lock: std::sync::Mutex::new(()),
            memory_mb,
            timeout,
            size: workers.max(1),
            slots: Semaphore::new(workers.max(1)),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// How many workers may run at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Each worker is replaced after `n` jobs.
    pub fn with_max_jobs(mut self, n: usize) -> Pool {
        self.max_jobs = n.max(1);
        self
    }

    /// Workers find more fonts in `dir` (`FLOWFORGE_FONTS_DIR`).
    pub fn with_fonts_dir(mut self, dir: Option<PathBuf>) -> Pool {
        self.fonts_dir = dir;
        self
    }

    /// PDFium's verified path: fetched on first need (`flowforge models fetch` ahead of time
    /// saves the wait); an error says what is missing and how to get it.
    fn library(&self) -> Result<PathBuf, String> {
        if let Some(r) = self.lib.get() {
            return r.clone();
        }
        let _one = self.fetch_lock.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(r) = self.lib.get() {
            return r.clone();
        }
        let r = flowforge_models::fetch(&self.models, &["pdf"], &mut |line| {
            tracing::info!(target: "flowforge::models", "{line}");
        })
        .map_err(|e| e.to_string())
        .and_then(|_| {
            let a = flowforge_models::artifact("libpdfium.so").ok_or("no PDFium in the list")?;
            flowforge_models::verified(&self.models, a).map_err(|e| e.to_string())
        });
        // A failure is not kept: the next request tries again (the network may be back).
        if r.is_ok() {
            let _ = self.lib.set(r.clone());
        }
        r
    }

    async fn spawn(&self, lib: Option<&Path>) -> std::io::Result<Worker> {
        let mut command = Command::new(&self.command.0);
        command.args(&self.command.1);
        match lib {
            Some(lib) => command.env("PDF_PDFIUM_LIB", lib),
            None => command.env_remove("PDF_PDFIUM_LIB"),
        };
        match &self.fonts_dir {
            Some(dir) => command.env("FLOWFORGE_FONTS_DIR", dir),
            None => command.env_remove("FLOWFORGE_FONTS_DIR"),
        };
        let mut child = command
            .env("PDF_WORKER_MEMORY_MB", self.memory_mb.to_string())
            .env("PDF_WORKER_MAX_JOBS", self.max_jobs.to_string())
            // Parallelism is the pool's (one job per worker, a worker per core): Typst's own
            // thread pool would only make the workers' threads fight over the same cores.
            .env("RAYON_NUM_THREADS", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .kill_on_drop(true)
            .spawn()?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("no stdin"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| std::io::Error::other("no stdout"))?;
        Ok(Worker {
            pdfium: lib.is_some(),
            child,
            stdin,
            stdout,
        })
    }

    /// Run `job` on `pdf` in a worker: its reply and outputs, or the reason it failed.
    pub async fn run(
        self: &std::sync::Arc<Self>,
        job: &Job,
        pdf: &[u8],
    ) -> Result<(Reply, Vec<u8>), PdfError> {
        // PDFium is looked up (fetched on first need) for jobs that need it; a typesetting job
        // takes any worker, and a new one gets the library when it is already known.
        let lib = if job.needs_pdfium() {
            let me = self.clone();
            let lib = tokio::task::spawn_blocking(move || me.library())
                .await
                .map_err(|e| PdfError::internal("", format!("the library lookup failed: {e}")))?
                .map_err(|m| PdfError::unavailable("", m))?;
            Some(lib)
        } else {
            self.lib.get().and_then(|r| r.clone().ok())
        };
        let _slot = self
            .slots
            .acquire()
            .await
            .map_err(|_| PdfError::internal("", "the worker pool is closed"))?;
        let idle = {
            let mut idle = self.idle.lock().await;
            let found = idle.iter().rposition(|w| w.pdfium || !job.needs_pdfium());
            found.map(|i| idle.swap_remove(i))
        };
        let mut w = match idle {
            Some(w) => w,
            None => self
                .spawn(lib.as_deref())
                .await
                .map_err(|e| PdfError::internal("", format!("cannot start a PDF worker: {e}")))?,
        };
        let header =
            serde_json::to_vec(job).map_err(|e| PdfError::internal("", format!("job: {e}")))?;
        let exchange = async {
            write_async(&mut w.stdin, &header).await?;
            write_async(&mut w.stdin, pdf).await?;
            w.stdin.flush().await?;
            let head = read_async(&mut w.stdout).await?;
            let body = read_async(&mut w.stdout).await?;
            Ok::<_, std::io::Error>((head, body))
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(Ok((head, body))) => {
                let reply: Reply = serde_json::from_slice(&head).map_err(|e| {
                    PdfError::internal("", format!("a worker answered nonsense: {e}"))
                })?;
                if reply.retire {
                    // It leaves on its own; wait for it so no zombie is left.
                    let _ = w.child.wait().await;
                } else {
                    self.idle.lock().await.push(w);
                }
                Ok((reply, body))
            }
            Ok(Err(_)) if !job.needs_pdfium() => {
                let _ = w.child.kill().await;
                Err(PdfError::too_large(
                    "",
                    format!(
                        "the document needs more than {} MiB to typeset (PDF_WORKER_MEMORY_MB); make it smaller",
                        self.memory_mb
                    ),
                ))
            }
            Ok(Err(_)) => {
                // It died mid-job: out of memory (its cap), or PDFium crashed on the file.
                let _ = w.child.kill().await;
                Err(PdfError::invalid(
                    "file",
                    format!(
                        "could not be rendered: the renderer stopped on it (a file that needs more than {} MiB, PDF_WORKER_MEMORY_MB, or one that crashes PDFium)",
                        self.memory_mb
                    ),
                ))
            }
            Err(_) => {
                let _ = w.child.kill().await;
                Err(PdfError::timeout(if job.needs_pdfium() {
                    format!(
                        "rendering took longer than {} s (PDF_TIMEOUT_SECS); render fewer pages at a time, or at a lower DPI",
                        self.timeout.as_secs()
                    )
                } else {
                    format!(
                        "typesetting took longer than {} s (PDF_TIMEOUT_SECS); make the document shorter or simpler",
                        self.timeout.as_secs()
                    )
                }))
            }
        }
    }
}

async fn write_async(w: &mut ChildStdin, b: &[u8]) -> std::io::Result<()> {
    let n = u32::try_from(b.len()).map_err(|_| std::io::Error::other("frame too large"))?;
    w.write_all(&n.to_le_bytes()).await?;
    w.write_all(b).await
}

async fn read_async(r: &mut ChildStdout) -> std::io::Result<Vec<u8>> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len).await?;
    let n = u32::from_le_bytes(len) as usize;
    if n > MAX_FRAME {
        return Err(std::io::Error::other("frame too large"));
    }
    let mut buf = vec![0u8; n];
    r.read_exact(&mut buf).await?;
    Ok(buf)
}
