//! Logging: JSON lines (or pretty text) through `tracing`, written by a background thread so a
//! request never waits on stdout. Installed once by a binary, never by a service library.
//!
//! Each thread appends its lines to a buffer of its own (an uncontended lock and a copy); a
//! background thread collects them and writes to stdout every 20 ms. Nothing wakes a thread per
//! line and no two request threads share a lock, so one JSON access-log line per request costs
//! little under load. When stdout cannot keep up and a thread holds 4 MiB, its new lines are
//! dropped and counted (reported on the next write) rather than blocking requests.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt;
use tracing_subscriber::prelude::*;

use crate::config::{ConfigError, Env};

/// Log output format (`LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line (the default).
    Json,
    /// Human-readable text.
    Pretty,
}

/// Install the global subscriber from `RUST_LOG` (default `info`) and `LOG_FORMAT`
/// (`json` or `pretty`). Keep the returned guard alive for the life of the process: dropping it
/// flushes the log buffer.
pub fn init(env: &dyn Env) -> Result<FlushGuard, ConfigError> {
    let format = match env.get("LOG_FORMAT").as_deref() {
        None | Some("json") => LogFormat::Json,
        Some("pretty") | Some("text") => LogFormat::Pretty,
        Some(other) => {
            return Err(ConfigError {
                var: "LOG_FORMAT".into(),
                value: other.into(),
                expected: "json or pretty".into(),
            });
        }
    };
    let filter_text = env.get("RUST_LOG").unwrap_or_else(|| "info".into());
    let filter = EnvFilter::try_new(&filter_text).map_err(|e| ConfigError {
        var: "RUST_LOG".into(),
        value: filter_text.clone(),
        expected: format!("a tracing filter such as info or flowforge=debug,info ({e})"),
    })?;
    let (writer, guard) = BufferedStdout::start();
    if format == LogFormat::Json {
        let _ = ACCESS.set(writer.clone());
    }
    let registry = tracing_subscriber::registry().with(filter);
    let res = match format {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(false)
                    .with_span_list(false)
                    .with_writer(writer),
            )
            .try_init(),
        LogFormat::Pretty => registry.with(fmt::layer().with_writer(writer)).try_init(),
    };
    // A subscriber already installed (tests) is fine.
    let _ = res;
    Ok(guard)
}

/// The JSON writer, when JSON logging is installed: the access log writes to it directly.
static ACCESS: std::sync::OnceLock<BufferedStdout> = std::sync::OnceLock::new();

/// One request's access-log fields.
pub struct Access<'a> {
    /// Request id.
    pub request_id: &'a str,
    /// HTTP method.
    pub method: &'a str,
    /// Route template.
    pub route: &'a str,
    /// Status code.
    pub status: u16,
    /// Latency in milliseconds.
    pub latency_ms: f64,
    /// Error code, for error answers.
    pub error_code: Option<&'a str>,
}

/// Write the access-log line. With JSON logs installed, the line is formatted by hand (the same
/// fields and shape as tracing's JSON lines, at a fraction of the cost); otherwise it goes
/// through `tracing` (pretty logs, tests). Honours `RUST_LOG` for target `flowforge::access`.
pub fn access(a: &Access<'_>) {
    if !tracing::enabled!(target: "flowforge::access", tracing::Level::INFO) {
        return;
    }
    let Some(w) = ACCESS.get() else {
        tracing::info!(
            target: "flowforge::access",
            request_id = a.request_id,
            method = a.method,
            route = a.route,
            status = a.status,
            latency_ms = a.latency_ms,
            error_code = a.error_code,
        );
        return;
    };
    let mut line = String::with_capacity(256);
    line.push_str("{\"timestamp\":\"");
    crate::time::rfc3339_micros_now(&mut line);
    line.push_str("\",\"level\":\"INFO\",\"request_id\":");
    json_str(&mut line, a.request_id);
    line.push_str(",\"method\":");
    json_str(&mut line, a.method);
    line.push_str(",\"route\":");
    json_str(&mut line, a.route);
    use std::fmt::Write as _;
    let _ = write!(
        line,
        ",\"status\":{},\"latency_ms\":{:.3}",
        a.status, a.latency_ms
    );
    if let Some(code) = a.error_code {
        line.push_str(",\"error_code\":");
        json_str(&mut line, code);
    }
    line.push_str(",\"target\":\"flowforge::access\"}\n");
    w.append(line.as_bytes());
}

fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Most bytes one thread may hold between two flushes; past that its lines are dropped and
/// counted rather than blocking requests.
const MAX_PER_THREAD: usize = 4 << 20;
/// How often the writer thread collects the threads' lines.
const TICK: Duration = Duration::from_millis(20);

type Local = Arc<Mutex<Vec<u8>>>;

struct Shared {
    /// One buffer per thread that has logged: each thread appends to its own (an uncontended
    /// lock), and the writer thread swaps them out every tick.
    locals: Mutex<Vec<Local>>,
    dropped: AtomicU64,
    stop: AtomicBool,
}

impl Shared {
    /// Move every thread's lines into `out`, forgetting buffers of threads that have ended.
    fn drain_into(&self, out: &mut Vec<u8>) {
        let mut locals = self.locals.lock().unwrap_or_else(|e| e.into_inner());
        locals.retain(|l| {
            let mut b = l.lock().unwrap_or_else(|e| e.into_inner());
            out.extend_from_slice(&b);
            b.clear();
            // Only the registry holds it once the thread is gone.
            Arc::strong_count(l) > 1
        });
    }
}

thread_local! {
    /// This thread's buffer, with the address of the writer it belongs to.
    static LOCAL: std::cell::RefCell<Option<(usize, Local)>> = const { std::cell::RefCell::new(None) };
}

/// A cheap, cloneable writer into the per-thread buffers (a tracing `MakeWriter`).
#[derive(Clone)]
pub struct BufferedStdout {
    shared: Arc<Shared>,
}

/// Flushes what is buffered and stops the writer thread when dropped.
pub struct FlushGuard {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BufferedStdout {
    /// Start the writer thread.
    pub fn start() -> (BufferedStdout, FlushGuard) {
        let shared = Arc::new(Shared {
            locals: Mutex::new(Vec::new()),
            dropped: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        });
        let s = shared.clone();
        let thread = std::thread::Builder::new()
            .name("log-writer".into())
            .spawn(move || writer_loop(&s))
            .ok();
        (
            BufferedStdout {
                shared: shared.clone(),
            },
            FlushGuard { shared, thread },
        )
    }

    fn append(&self, line: &[u8]) {
        let key = Arc::as_ptr(&self.shared) as usize;
        let local = LOCAL.with(|l| {
            let mut l = l.borrow_mut();
            match &*l {
                Some((k, buf)) if *k == key => buf.clone(),
                _ => {
                    let buf: Local = Arc::new(Mutex::new(Vec::with_capacity(64 << 10)));
                    self.shared
                        .locals
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(buf.clone());
                    *l = Some((key, buf.clone()));
                    buf
                }
            }
        });
        let mut b = local.lock().unwrap_or_else(|e| e.into_inner());
        if b.len() + line.len() > MAX_PER_THREAD {
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        b.extend_from_slice(line);
    }
}

fn writer_loop(s: &Shared) {
    let mut out = Vec::with_capacity(256 << 10);
    loop {
        let stopping = s.stop.load(Ordering::Acquire);
        s.drain_into(&mut out);
        let dropped = s.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 || !out.is_empty() {
            let mut stdout = std::io::stdout().lock();
            if dropped > 0 {
                let _ = writeln!(
                    stdout,
                    "{{\"level\":\"WARN\",\"message\":\"log output could not keep up: {dropped} lines dropped\",\"target\":\"flowforge_kit::telemetry\"}}"
                );
            }
            let _ = stdout.write_all(&out);
            let _ = stdout.flush();
            out.clear();
        }
        if stopping {
            return;
        }
        std::thread::park_timeout(TICK);
    }
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

/// One event's line, collected locally and appended to this thread's buffer in one step.
pub struct LineWriter {
    target: BufferedStdout,
    line: Vec<u8>,
}

impl Write for LineWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.line.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LineWriter {
    fn drop(&mut self) {
        if !self.line.is_empty() {
            self.target.append(&self.line);
        }
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for BufferedStdout {
    type Writer = LineWriter;

    fn make_writer(&'a self) -> LineWriter {
        LineWriter {
            target: self.clone(),
            line: Vec::with_capacity(256),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::fmt::MakeWriter;

    #[test]
    fn json_strings_are_escaped_and_timestamps_well_formed() {
        let mut s = String::new();
        json_str(&mut s, "a\"b\\c\n");
        assert_eq!(s, r#""a\"b\\c\u000a""#);
        let mut t = String::new();
        crate::time::rfc3339_micros_now(&mut t);
        assert_eq!(t.len(), 27, "{t}");
        assert!(
            t.starts_with("20") && t.ends_with('Z') && &t[10..11] == "T",
            "{t}"
        );
    }

    #[test]
    fn lines_are_buffered_whole_per_thread_and_drained_in_order() {
        let (w, guard) = BufferedStdout::start();
        let shared = w.shared.clone();
        {
            let mut l = w.make_writer();
            l.write_all(b"{\"a\":").unwrap();
            l.write_all(b"1}\n").unwrap();
        }
        let w2 = w.clone();
        std::thread::spawn(move || {
            let mut l = w2.make_writer();
            l.write_all(b"{\"b\":2}\n").unwrap();
        })
        .join()
        .unwrap();
        let mut out = Vec::new();
        shared.drain_into(&mut out);
        let text = String::from_utf8(out).unwrap();
        // The writer thread may have taken some already; whatever is here is whole lines.
        assert!(
            text.lines().all(|l| l == "{\"a\":1}" || l == "{\"b\":2}"),
            "{text}"
        );
        drop(guard);
        let mut rest = Vec::new();
        shared.drain_into(&mut rest);
        assert!(rest.is_empty());
        // The ended thread's buffer is forgotten.
        assert_eq!(shared.locals.lock().unwrap().len(), 1);
    }
}
