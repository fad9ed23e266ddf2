//! HTML and web pages to PDF with headless Chromium, the way Gotenberg does it, but with every
//! byte the page loads fetched by this service through the kit's address policy.
//!
//! One browser process serves every request (each in a browser context of its own: no cookies,
//! storage or cache shared between requests), at most `PDF_BROWSER_CONCURRENCY` pages at once
//! (the rest queue), and is replaced after `PDF_BROWSER_MAX_JOBS` pages or when it dies. It is
//! driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`): no debugging port
//! that another process or the page itself could reach, and messages read as plain JSON, so a
//! newer Chromium's extra events cannot break the client (the typed `chromiumoxide` client fails
//! to deserialize them: its issues #167, #229, #243).
//!
//! Egress: the page's requests (the document, subresources, redirects, fetch/XHR) are paused
//! with the Fetch domain and answered by this service, which fetches them itself with
//! [`flowforge_kit::binary::fetch_hop`] (each hop's address checked, the connection pinned to
//! it); anything else (WebSockets, service workers, WebRTC) meets a proxy that does not exist,
//! with loopback no longer exempt from it. So Chromium itself never opens a connection.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use flowforge_kit::binary::{FetchPolicy, fetch_hop};
use flowforge_kit::{ApiError, ErrorCode};
use serde_json::{Value, json};
use tokio::sync::{Notify, Semaphore, mpsc, oneshot};

/// The origin an `html` document is served from: `.invalid` never resolves, so its requests can
/// only be answered here (the document at `/`, the files sent with it by name).
pub const DOCUMENT_ORIGIN: &str = "https://flowforge.invalid/";

/// Largest DevTools message read from the browser (a printed PDF comes as one base64 message).
const MAX_MESSAGE: usize = 512 << 20;

/// Programs tried, in order, when `CHROMIUM_PATH` is not set.
const CANDIDATES: &[&str] = &[
    "chromium",
    "chromium-headless-shell",
    "chromium-browser",
    "google-chrome-stable",
    "google-chrome",
    "chrome-headless-shell",
    "headless_shell",
];

/// How the browser backend is set up (from the PDF service's configuration).
#[derive(Debug, Clone)]
pub struct BrowserConfig {
    /// `CHROMIUM_PATH`, or found on `PATH`.
    pub program: Option<PathBuf>,
    /// Pages printed at once (the rest wait their turn).
    pub concurrency: usize,
    /// Pages one browser prints before it is replaced.
    pub max_jobs: usize,
    /// Time a page has to load, run its scripts and print.
    pub timeout: Duration,
    /// Run Chromium without its sandbox (a container without user namespaces; always as root,
    /// where Chromium will not start with it).
    pub no_sandbox: bool,
}

/// Find Chromium: `CHROMIUM_PATH` if set (a wrong one fails at first use, with a message that
/// names it), else the first of the usual program names on `PATH`. Debian's `/usr/bin/chromium`
/// is a shell wrapper; its program in `/usr/lib/chromium` is used directly.
pub fn find_program(configured: Option<&str>) -> Option<PathBuf> {
    if let Some(p) = configured.filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for name in CANDIDATES {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                let direct = Path::new("/usr/lib/chromium/chromium");
                if *name == "chromium" && direct.is_file() {
                    return Some(direct.to_path_buf());
                }
                return Some(p);
            }
        }
    }
    None
}

/// Why a page could not be printed.
#[derive(Debug)]
pub enum PrintError {
    /// No browser, or it would not start: the message says how to get one.
    Unavailable(String),
    /// Past the time limit: what was still going on.
    Timeout(String),
    /// The page's own fault (its URL, its answer): already in the client's words.
    Api(ApiError),
    /// The browser failed underneath.
    Browser(String),
}

impl From<PrintError> for ApiError {
    fn from(e: PrintError) -> Self {
        match e {
            PrintError::Unavailable(m) => ApiError::unavailable(m, 60),
            PrintError::Timeout(m) => ApiError::new(ErrorCode::Timeout, m),
            PrintError::Api(e) => e,
            PrintError::Browser(m) => ApiError::new(
                ErrorCode::ServiceUnavailable,
                format!("the browser failed while printing: {m}; try again"),
            ),
        }
    }
}

/// What to print.
#[derive(Debug, Clone)]
pub enum Source {
    /// A document, served from [`DOCUMENT_ORIGIN`] with its files beside it.
    Html {
        /// The HTML.
        html: String,
        /// Files it refers to by relative URL (`logo.png`, `css/site.css`).
        files: Vec<(String, Vec<u8>)>,
    },
    /// A web page.
    Url(String),
}

/// How to print it (Chromium's `Page.printToPDF` and the page's surroundings).
#[derive(Debug, Clone)]
pub struct PrintOptions {
    /// Paper width and height in points.
    pub paper: (f32, f32),
    /// Margins (top, right, bottom, left) in points.
    pub margins: [f32; 4],
    /// Pages turned sideways.
    pub landscape: bool,
    /// Background colours and images printed.
    pub print_background: bool,
    /// The page's own CSS `@page` size wins over `paper`.
    pub prefer_css_page_size: bool,
    /// Zoom, 0.1 to 2.
    pub scale: f64,
    /// Page ranges to keep (`1-3,5`), Chromium's syntax.
    pub page_ranges: Option<String>,
    /// Header and footer as Chromium templates.
    pub header: Option<String>,
    /// See `header`.
    pub footer: Option<String>,
    /// Scripts run.
    pub javascript: bool,
    /// `print` (default) or `screen` CSS media.
    pub media: &'static str,
    /// Extra wait after the page settles.
    pub wait_delay: Duration,
    /// A JavaScript expression waited on until it is true.
    pub wait_for: Option<String>,
    /// Where the page's resources may come from.
    pub fetch: FetchPolicy,
    /// Most bytes the page may load, all resources together.
    pub max_bytes: usize,
    /// Most requests the page may make.
    pub max_requests: usize,
}

/// The browser backend: at most one browser process, started on first need.
#[derive(Debug)]
pub struct Chromium {
    config: BrowserConfig,
    turn: Semaphore,
    current: tokio::sync::Mutex<Option<Arc<Browser>>>,
    /// Browsers started so far (tests watch restarts with it).
    pub started: AtomicUsize,
}

impl Chromium {
    /// The backend, with no browser started yet.
    pub fn new(config: BrowserConfig) -> Self {
        Chromium {
            turn: Semaphore::new(config.concurrency.max(1)),
            config,
            current: tokio::sync::Mutex::new(None),
            started: AtomicUsize::new(0),
        }
    }

    /// The program that will be run, if any.
    pub fn program(&self) -> Option<&Path> {
        self.config.program.as_deref()
    }

    /// Print `source` to PDF, waiting for a turn; the whole job (queue included) within
    /// `budget`.
    pub async fn print(
        &self,
        source: Source,
        opts: &PrintOptions,
        budget: Duration,
    ) -> Result<Vec<u8>, PrintError> {
        let Some(program) = self.config.program.clone() else {
            return Err(PrintError::Unavailable(
                "HTML and web pages are printed by Chromium, which this server does not have: install Debian's `chromium` package (apt-get install chromium) or set CHROMIUM_PATH to a Chrome or Chromium program; or send `markdown`, a `template` with `data`, or `typst` instead".into(),
            ));
        };
        let start = Instant::now();
        let _turn = tokio::time::timeout(budget, self.turn.acquire())
            .await
            .map_err(|_| {
                PrintError::Timeout(format!(
                    "every browser page stayed busy for {} s; try again, or raise PDF_BROWSER_CONCURRENCY",
                    budget.as_secs()
                ))
            })?
            .map_err(|_| PrintError::Browser("the browser is shutting down".into()))?;
        // A browser that died since its last page is found out by this one's first command:
        // the page is then tried once more on a new browser.
        let mut tries = 0;
        loop {
            tries += 1;
            let browser = self.browser(&program).await?;
            let limit = self
                .config
                .timeout
                .min(budget.saturating_sub(start.elapsed()));
            let result = browser.print(source.clone(), opts, limit).await;
            let dead = !browser.conn.alive.load(Ordering::Relaxed);
            if dead || browser.broken.load(Ordering::Relaxed) {
                let mut cur = self.current.lock().await;
                if cur.as_ref().is_some_and(|b| Arc::ptr_eq(b, &browser)) {
                    *cur = None;
                }
            }
            if dead && tries < 2 && matches!(result, Err(PrintError::Browser(_))) {
                continue;
            }
            return result;
        }
    }

    /// The running browser, started (or replaced) when there is none, it died, or it has
    /// printed its share.
    async fn browser(&self, program: &Path) -> Result<Arc<Browser>, PrintError> {
        let mut cur = self.current.lock().await;
        if let Some(b) = cur.as_ref()
            && b.conn.alive.load(Ordering::Relaxed)
            && !b.broken.load(Ordering::Relaxed)
            && b.jobs.load(Ordering::Relaxed) < self.config.max_jobs.max(1)
        {
            b.jobs.fetch_add(1, Ordering::Relaxed);
            return Ok(b.clone());
        }
        // The old browser (if any) closes when its last page is done with it.
        *cur = None;
        let b = Arc::new(Browser::launch(program, self.config.no_sandbox).await?);
        self.started.fetch_add(1, Ordering::Relaxed);
        b.jobs.fetch_add(1, Ordering::Relaxed);
        *cur = Some(b.clone());
        Ok(b)
    }
}

/// One Chromium process and its DevTools connection.
#[derive(Debug)]
struct Browser {
    conn: Arc<Conn>,
    child: Mutex<Option<std::process::Child>>,
    profile: PathBuf,
    jobs: AtomicUsize,
    /// A page could not be closed: the browser is replaced.
    broken: AtomicBool,
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Ok(mut c) = self.child.lock()
            && let Some(mut child) = c.take()
        {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

static PROFILES: AtomicU64 = AtomicU64::new(0);

impl Browser {
    async fn launch(program: &Path, no_sandbox: bool) -> Result<Browser, PrintError> {
        use command_fds::{CommandFdExt, FdMapping};
        let profile = std::env::temp_dir().join(format!(
            "flowforge-chromium-{}-{}",
            std::process::id(),
            PROFILES.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&profile).map_err(|e| {
            PrintError::Unavailable(format!("cannot make Chromium's profile folder: {e}"))
        })?;
        // fd 3: what the browser reads (our commands); fd 4: what it writes (replies, events).
        let (to_browser_r, to_browser_w) = std::io::pipe().map_err(|e| {
            PrintError::Unavailable(format!("cannot make a pipe for Chromium: {e}"))
        })?;
        let (from_browser_r, from_browser_w) = std::io::pipe().map_err(|e| {
            PrintError::Unavailable(format!("cannot make a pipe for Chromium: {e}"))
        })?;
        let mut cmd = std::process::Command::new(program);
        cmd.args([
            "--headless",
            "--remote-debugging-pipe",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-gpu",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-sync",
            "--disable-breakpad",
            "--disable-dev-shm-usage",
            "--metrics-recording-only",
            "--mute-audio",
            "--hide-scrollbars",
            "--font-render-hinting=none",
            "--disable-features=Translate,MediaRouter,OptimizationHints,DialMediaRouteProvider,AutofillServerCommunication",
            // Anything not answered through the Fetch domain (WebSockets, service workers'
            // own requests) meets a proxy that is not there; loopback included.
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--js-flags=--max-old-space-size=512",
        ])
        .arg(format!("--user-data-dir={}", profile.display()));
        // Chromium's sandbox needs an unprivileged user; as root it will not start with it.
        if no_sandbox || is_root() {
            cmd.arg("--no-sandbox");
        }
        cmd.arg("about:blank")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        cmd.fd_mappings(vec![
            FdMapping {
                parent_fd: to_browser_r.into(),
                child_fd: 3,
            },
            FdMapping {
                parent_fd: from_browser_w.into(),
                child_fd: 4,
            },
        ])
        .map_err(|e| PrintError::Unavailable(format!("cannot pass pipes to Chromium: {e}")))?;
        let child = cmd.spawn().map_err(|e| {
            PrintError::Unavailable(format!(
                "Chromium ({}) would not start: {e}; install Debian's `chromium` package (apt-get install chromium) or set CHROMIUM_PATH to a Chrome or Chromium program; or send `markdown`, a `template` with `data`, or `typst` instead",
                program.display()
            ))
        })?;
        // The command holds the child's ends; they close in this process when it goes.
        drop(cmd);
        let conn = Conn::start(to_browser_w, from_browser_r);
        let browser = Browser {
            conn,
            child: Mutex::new(Some(child)),
            profile,
            jobs: AtomicUsize::new(0),
            broken: AtomicBool::new(false),
        };
        let version = tokio::time::timeout(
            Duration::from_secs(20),
            browser.conn.call("Browser.getVersion", json!({}), None),
        )
        .await
        .map_err(|_| PrintError::Unavailable("Chromium did not answer within 20 s".into()))?
        .map_err(|e| PrintError::Unavailable(format!("Chromium would not start: {e}")))?;
        tracing::info!(
            program = %program.display(),
            version = version["product"].as_str().unwrap_or("?"),
            "browser started"
        );
        Ok(browser)
    }

    /// One page: a browser context of its own, closed whatever happens.
    async fn print(
        &self,
        source: Source,
        opts: &PrintOptions,
        limit: Duration,
    ) -> Result<Vec<u8>, PrintError> {
        let ctx = self
            .conn
            .call(
                "Target.createBrowserContext",
                json!({"disposeOnDetach": true}),
                None,
            )
            .await
            .map_err(PrintError::Browser)?;
        let ctx = ctx["browserContextId"].as_str().unwrap_or("").to_string();
        let result = tokio::time::timeout(limit, self.page(&ctx, source, opts)).await;
        let closed = tokio::time::timeout(
            Duration::from_secs(5),
            self.conn.call(
                "Target.disposeBrowserContext",
                json!({"browserContextId": ctx}),
                None,
            ),
        )
        .await;
        if !matches!(closed, Ok(Ok(_))) {
            self.broken.store(true, Ordering::Relaxed);
        }
        match result {
            Ok(r) => r,
            Err(_) => Err(PrintError::Timeout(format!(
                "the page did not load and print within {} s (PDF_BROWSER_TIMEOUT_SECS): its scripts kept running or its resources did not arrive",
                limit.as_secs()
            ))),
        }
    }

    async fn page(
        &self,
        ctx: &str,
        source: Source,
        opts: &PrintOptions,
    ) -> Result<Vec<u8>, PrintError> {
        let target = self
            .conn
            .call(
                "Target.createTarget",
                json!({"url": "about:blank", "browserContextId": ctx}),
                None,
            )
            .await
            .map_err(PrintError::Browser)?;
        let target_id = target["targetId"].as_str().unwrap_or("").to_string();
        let attached = self
            .conn
            .call(
                "Target.attachToTarget",
                json!({"targetId": target_id, "flatten": true}),
                None,
            )
            .await
            .map_err(PrintError::Browser)?;
        let session = attached["sessionId"].as_str().unwrap_or("").to_string();
        let events = self.conn.subscribe(&session);
        let s = Some(session.as_str());
        let url = match &source {
            Source::Html { .. } => DOCUMENT_ORIGIN.to_string(),
            Source::Url(u) => u.clone(),
        };
        let page = Arc::new(PageState {
            conn: self.conn.clone(),
            session: session.clone(),
            main_frame: target_id,
            source,
            opts: opts.clone(),
            loaded: Notify::new(),
            is_loaded: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
            requests: AtomicUsize::new(0),
            bytes: AtomicUsize::new(0),
            last_activity: Mutex::new(Instant::now()),
            document_error: Mutex::new(None),
        });
        let pump = tokio::spawn(page.clone().pump(events));
        let _stop = AbortOnDrop(pump);
        let call = |method: &'static str, params: Value| {
            let conn = self.conn.clone();
            let session = session.clone();
            async move {
                conn.call(method, params, Some(&session))
                    .await
                    .map_err(PrintError::Browser)
            }
        };
        call("Fetch.enable", json!({"patterns": [{"urlPattern": "*"}]})).await?;
        call("Page.enable", json!({})).await?;
        if !opts.javascript {
            call(
                "Emulation.setScriptExecutionDisabled",
                json!({"value": true}),
            )
            .await?;
        }
        call("Emulation.setEmulatedMedia", json!({"media": opts.media})).await?;
        let nav = self
            .conn
            .call("Page.navigate", json!({"url": url}), s)
            .await
            .map_err(PrintError::Browser)?;
        if let Some(e) = page.document_error() {
            return Err(PrintError::Api(e));
        }
        if let Some(err) = nav["errorText"].as_str().filter(|e| !e.is_empty()) {
            return Err(PrintError::Api(ApiError::field(
                "url",
                format!("could not be loaded: {err}"),
            )));
        }
        // The load event, then quiet: no request in flight for a moment (scripts that fetch
        // after load), at most a few seconds of it.
        if !page.is_loaded.load(Ordering::Acquire) {
            let notified = page.loaded.notified();
            if !page.is_loaded.load(Ordering::Acquire) {
                notified.await;
            }
        }
        let settle_until = Instant::now() + Duration::from_secs(5);
        loop {
            let quiet = page
                .last_activity
                .lock()
                .map(|t| t.elapsed())
                .unwrap_or_default();
            if page.in_flight.load(Ordering::Acquire) == 0 && quiet >= Duration::from_millis(150)
                || Instant::now() >= settle_until
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        if let Some(expr) = &opts.wait_for {
            loop {
                let r = call(
                    "Runtime.evaluate",
                    json!({"expression": expr, "returnByValue": true}),
                )
                .await?;
                if let Some(ex) = r.get("exceptionDetails") {
                    let text = ex["exception"]["description"]
                        .as_str()
                        .or(ex["text"].as_str())
                        .unwrap_or("an exception");
                    return Err(PrintError::Api(ApiError::field(
                        "waitForExpression",
                        format!("threw {text}"),
                    )));
                }
                if truthy(&r["result"]["value"]) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        if !opts.wait_delay.is_zero() {
            tokio::time::sleep(opts.wait_delay).await;
        }
        let inch = |pt: f32| f64::from(pt) / 72.0;
        let mut params = json!({
            "landscape": opts.landscape,
            "printBackground": opts.print_background,
            "preferCSSPageSize": opts.prefer_css_page_size,
            "paperWidth": inch(opts.paper.0),
            "paperHeight": inch(opts.paper.1),
            "marginTop": inch(opts.margins[0]),
            "marginRight": inch(opts.margins[1]),
            "marginBottom": inch(opts.margins[2]),
            "marginLeft": inch(opts.margins[3]),
            "scale": opts.scale,
            "generateDocumentOutline": true,
            "generateTaggedPDF": true,
            "transferMode": "ReturnAsBase64",
        });
        if opts.header.is_some() || opts.footer.is_some() {
            params["displayHeaderFooter"] = json!(true);
            params["headerTemplate"] = json!(opts.header.clone().unwrap_or("<span></span>".into()));
            params["footerTemplate"] = json!(opts.footer.clone().unwrap_or("<span></span>".into()));
        }
        if let Some(r) = &opts.page_ranges {
            params["pageRanges"] = json!(r);
        }
        let printed = self
            .conn
            .call("Page.printToPDF", params, s)
            .await
            .map_err(|e| {
                if e.contains("Page range") || e.contains("page range") {
                    PrintError::Api(ApiError::field(
                        "pages",
                        "names pages the document does not have",
                    ))
                } else {
                    PrintError::Browser(e)
                }
            })?;
        let data = printed["data"].as_str().unwrap_or("");
        B64.decode(data)
            .map_err(|e| PrintError::Browser(format!("the printed PDF was not base64: {e}")))
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// What one page is doing: its requests, answered here.
struct PageState {
    conn: Arc<Conn>,
    session: String,
    main_frame: String,
    source: Source,
    opts: PrintOptions,
    loaded: Notify,
    is_loaded: AtomicBool,
    in_flight: AtomicUsize,
    requests: AtomicUsize,
    bytes: AtomicUsize,
    last_activity: Mutex<Instant>,
    /// Why the page's own document could not be loaded (the client's error).
    document_error: Mutex<Option<ApiError>>,
}

impl PageState {
    fn document_error(&self) -> Option<ApiError> {
        self.document_error.lock().ok().and_then(|e| e.clone())
    }

    async fn pump(self: Arc<Self>, mut events: mpsc::UnboundedReceiver<Value>) {
        while let Some(ev) = events.recv().await {
            match ev["method"].as_str() {
                Some("Page.loadEventFired") => {
                    self.is_loaded.store(true, Ordering::Release);
                    self.loaded.notify_waiters();
                }
                // alert(), confirm() and prompt() would hold the page forever.
                Some("Page.javascriptDialogOpening") => {
                    let _ = self
                        .conn
                        .call(
                            "Page.handleJavaScriptDialog",
                            json!({"accept": true}),
                            Some(&self.session),
                        )
                        .await;
                }
                Some("Fetch.requestPaused") => {
                    self.in_flight.fetch_add(1, Ordering::AcqRel);
                    self.touch();
                    let me = self.clone();
                    tokio::spawn(async move {
                        me.answer(&ev["params"]).await;
                        me.in_flight.fetch_sub(1, Ordering::AcqRel);
                        me.touch();
                    });
                }
                _ => {}
            }
        }
    }

    fn touch(&self) {
        if let Ok(mut t) = self.last_activity.lock() {
            *t = Instant::now();
        }
    }

    /// Answer one paused request: from the request's own files, through the address policy,
    /// or refused.
    async fn answer(&self, p: &Value) {
        let id = p["requestId"].as_str().unwrap_or("").to_string();
        let url = p["request"]["url"].as_str().unwrap_or("").to_string();
        let method = p["request"]["method"].as_str().unwrap_or("GET");
        let is_document = p["resourceType"].as_str() == Some("Document")
            && p["frameId"].as_str() == Some(self.main_frame.as_str());
        let n = self.requests.fetch_add(1, Ordering::AcqRel);
        let outcome = if n >= self.opts.max_requests {
            Err(ApiError::field(
                "url",
                format!(
                    "the page made more than {} requests",
                    self.opts.max_requests
                ),
            ))
        } else if let Some(path) = url.strip_prefix(DOCUMENT_ORIGIN) {
            Ok(self.own_file(path))
        } else if !matches!(method, "GET" | "HEAD") {
            Err(ApiError::field(
                "url",
                format!("the page sent a {method} request, which is not made when printing"),
            ))
        } else {
            let left = self
                .opts
                .max_bytes
                .saturating_sub(self.bytes.load(Ordering::Acquire));
            fetch_hop(&url, left, &self.opts.fetch).await
        };
        let reply = match outcome {
            Ok(hop) => {
                self.bytes.fetch_add(hop.body.len(), Ordering::AcqRel);
                if is_document && hop.location.is_none() && hop.status >= 400 {
                    self.set_document_error(ApiError::field(
                        "url",
                        format!("answered HTTP {}", hop.status),
                    ));
                }
                let mut headers = vec![];
                if let Some(ct) = &hop.content_type {
                    headers.push(json!({"name": "Content-Type", "value": ct}));
                }
                if let Some(loc) = &hop.location {
                    headers.push(json!({"name": "Location", "value": loc}));
                }
                json!({
                    "requestId": id,
                    "responseCode": hop.status,
                    "responseHeaders": headers,
                    "body": B64.encode(&hop.body),
                })
            }
            Err(e) => {
                if is_document {
                    self.set_document_error(e);
                } else {
                    tracing::debug!(url = %url, error = %e.message, "page resource refused");
                }
                json!({"requestId": id, "errorReason": "BlockedByClient"})
            }
        };
        let method = if reply.get("errorReason").is_some() {
            "Fetch.failRequest"
        } else {
            "Fetch.fulfillRequest"
        };
        let _ = self.conn.call(method, reply, Some(&self.session)).await;
    }

    fn set_document_error(&self, e: ApiError) {
        if let Ok(mut d) = self.document_error.lock()
            && d.is_none()
        {
            *d = Some(e);
        }
    }

    /// `html` mode: the document at `/`, a file sent with it by its name, or a 404.
    fn own_file(&self, path: &str) -> flowforge_kit::binary::Hop {
        let Source::Html { html, files } = &self.source else {
            return not_found();
        };
        let path = path.split(['?', '#']).next().unwrap_or("");
        let path = percent_decode(path);
        if path.is_empty() || path == "index.html" {
            return flowforge_kit::binary::Hop {
                status: 200,
                content_type: Some("text/html; charset=utf-8".into()),
                location: None,
                body: html.clone().into_bytes().into(),
            };
        }
        match files.iter().find(|(name, _)| *name == path) {
            Some((name, bytes)) => flowforge_kit::binary::Hop {
                status: 200,
                content_type: Some(mime_for(name).into()),
                location: None,
                body: bytes.clone().into(),
            },
            None => not_found(),
        }
    }
}

fn not_found() -> flowforge_kit::binary::Hop {
    flowforge_kit::binary::Hop {
        status: 404,
        content_type: Some("text/plain".into()),
        location: None,
        body: bytes::Bytes::from_static(b"not found"),
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The Content-Type of a file the document uses, by its extension.
fn mime_for(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "html" | "htm" => "text/html; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

type Reply = Result<Value, String>;

/// The DevTools connection: commands out on one pipe, replies and events in on the other, each
/// message a JSON text ended by a NUL byte. A thread reads, a thread writes.
#[derive(Debug)]
struct Conn {
    out: mpsc::UnboundedSender<Vec<u8>>,
    next_id: AtomicU64,
    pending: Mutex<HashMap<u64, oneshot::Sender<Reply>>>,
    sessions: Mutex<HashMap<String, mpsc::UnboundedSender<Value>>>,
    alive: AtomicBool,
}

impl Conn {
    fn start(to_browser: std::io::PipeWriter, from_browser: std::io::PipeReader) -> Arc<Conn> {
        let (out, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
        let conn = Arc::new(Conn {
            out,
            next_id: AtomicU64::new(1),
            pending: Mutex::new(HashMap::new()),
            sessions: Mutex::new(HashMap::new()),
            alive: AtomicBool::new(true),
        });
        std::thread::spawn(move || {
            let mut w = to_browser;
            while let Some(msg) = rx.blocking_recv() {
                if w.write_all(&msg).is_err() {
                    break;
                }
            }
        });
        let reader = Arc::downgrade(&conn);
        std::thread::spawn(move || {
            let mut r = BufReader::with_capacity(1 << 16, from_browser);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match (&mut r).take(MAX_MESSAGE as u64).read_until(0, &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
                if buf.last() != Some(&0) {
                    // Too long (or cut off): the connection cannot be trusted further.
                    break;
                }
                buf.pop();
                let Some(conn) = reader.upgrade() else { break };
                if let Ok(msg) = serde_json::from_slice::<Value>(&buf) {
                    conn.dispatch(msg);
                }
            }
            if let Some(conn) = reader.upgrade() {
                conn.alive.store(false, Ordering::Relaxed);
                if let Ok(mut p) = conn.pending.lock() {
                    p.clear();
                }
                if let Ok(mut s) = conn.sessions.lock() {
                    s.clear();
                }
            }
        });
        conn
    }

    fn dispatch(&self, msg: Value) {
        if let Some(id) = msg.get("id").and_then(Value::as_u64) {
            let waiter = self.pending.lock().ok().and_then(|mut p| p.remove(&id));
            if let Some(tx) = waiter {
                let reply = match msg.get("error") {
                    Some(e) => Err(e["message"].as_str().unwrap_or("error").to_string()),
                    None => Ok(msg.get("result").cloned().unwrap_or(Value::Null)),
                };
                let _ = tx.send(reply);
            }
        } else if let Some(session) = msg.get("sessionId").and_then(Value::as_str) {
            let tx = self
                .sessions
                .lock()
                .ok()
                .and_then(|s| s.get(session).cloned());
            if let Some(tx) = tx
                && tx.send(msg).is_err()
                && let Ok(mut s) = self.sessions.lock()
            {
                s.retain(|_, t| !t.is_closed());
            }
        }
    }

    fn subscribe(&self, session: &str) -> mpsc::UnboundedReceiver<Value> {
        let (tx, rx) = mpsc::unbounded_channel();
        if let Ok(mut s) = self.sessions.lock() {
            s.retain(|_, t| !t.is_closed());
            s.insert(session.to_string(), tx);
        }
        rx
    }

    async fn call(&self, method: &str, params: Value, session: Option<&str>) -> Reply {
        if !self.alive.load(Ordering::Relaxed) {
            return Err("the browser has exited".into());
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let (tx, rx) = oneshot::channel();
        if let Ok(mut p) = self.pending.lock() {
            p.insert(id, tx);
        }
        let mut bytes = serde_json::to_vec(&msg).map_err(|e| e.to_string())?;
        bytes.push(0);
        if self.out.send(bytes).is_err() {
            return Err("the browser has exited".into());
        }
        match rx.await {
            Ok(r) => r,
            Err(_) => Err("the browser has exited".into()),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn options() -> PrintOptions {
        PrintOptions {
            paper: (595.28, 841.89),
            margins: [28.0; 4],
            landscape: false,
            print_background: true,
            prefer_css_page_size: true,
            scale: 1.0,
            page_ranges: None,
            header: None,
            footer: None,
            javascript: true,
            media: "print",
            wait_delay: Duration::ZERO,
            wait_for: None,
            fetch: FetchPolicy::default(),
            max_bytes: 1 << 20,
            max_requests: 50,
        }
    }

    fn page(text: &str) -> Source {
        Source::Html {
            html: format!("<p>{text}</p>"),
            files: vec![],
        }
    }

    #[test]
    fn percent_decoding_and_types() {
        assert_eq!(percent_decode("my%20logo.png"), "my logo.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%E2%82%AC%zz"), "€%zz");
        assert_eq!(mime_for("a/B.CSS"), "text/css");
        assert_eq!(mime_for("x.bin"), "application/octet-stream");
    }

    /// The browser is replaced after its share of pages, and when it dies under a page.
    #[tokio::test]
    async fn restarts_after_max_jobs_and_after_a_crash() {
        let Some(program) = find_program(std::env::var("CHROMIUM_PATH").ok().as_deref()) else {
            assert!(std::env::var_os("CI").is_none(), "Chromium is missing");
            eprintln!("skipped: no Chromium here");
            return;
        };
        let c = Chromium::new(BrowserConfig {
            program: Some(program),
            concurrency: 1,
            max_jobs: 2,
            timeout: Duration::from_secs(20),
            no_sandbox: false,
        });
        let budget = Duration::from_secs(30);
        for i in 0..3 {
            let pdf = c.print(page(&format!("n{i}")), &options(), budget).await;
            assert!(pdf.unwrap().starts_with(b"%PDF-"));
        }
        assert_eq!(c.started.load(Ordering::Relaxed), 2);
        // Kill the browser the next page would use: that page is answered by a new one.
        {
            let cur = c.current.lock().await;
            let b = cur.as_ref().unwrap();
            b.child.lock().unwrap().as_mut().unwrap().kill().unwrap();
        }
        let mut ok = false;
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if c.print(page("after"), &options(), budget).await.is_ok() {
                ok = true;
                break;
            }
        }
        assert!(ok, "no page printed after the browser was killed");
        assert_eq!(c.started.load(Ordering::Relaxed), 3);
    }
}
