//! Logging: JSON lines (or pretty text) through `tracing`, written by a background thread so a
//! request never waits on stdout. Installed once by a binary, never by a service library.
//!
//! Lines go into a shared in-memory buffer (a short lock and a copy); a background thread swaps
//! the buffer out and writes it to stdout every 50 ms, or as soon as it holds 256 KiB. Nothing
//! wakes a thread per line, so one JSON access-log line per request costs little under load.
//! When stdout cannot keep up and the buffer reaches 16 MiB, new lines are dropped and counted
//! (reported on the next write) rather than blocking requests.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
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
    let mut lw = tracing_subscriber::fmt::MakeWriter::make_writer(w);
    lw.line = line.into_bytes();
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

const FLUSH_AT: usize = 256 << 10;
const MAX_BUFFER: usize = 16 << 20;

struct Shared {
    buf: Mutex<Vec<u8>>,
    wake: Condvar,
    dropped: AtomicU64,
    stop: AtomicBool,
}

/// A cheap, cloneable writer into the shared buffer (a tracing `MakeWriter`).
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
            buf: Mutex::new(Vec::with_capacity(FLUSH_AT * 2)),
            wake: Condvar::new(),
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
}

fn writer_loop(s: &Shared) {
    let mut out = Vec::with_capacity(FLUSH_AT * 2);
    loop {
        let stopping = s.stop.load(Ordering::Acquire);
        {
            let guard = s.buf.lock().unwrap_or_else(|e| e.into_inner());
            let mut guard = if guard.is_empty() && !stopping {
                s.wake
                    .wait_timeout(guard, Duration::from_millis(50))
                    .map(|(g, _)| g)
                    .unwrap_or_else(|e| e.into_inner().0)
            } else {
                guard
            };
            std::mem::swap(&mut *guard, &mut out);
        }
        let dropped = s.dropped.swap(0, Ordering::Relaxed);
        let mut stdout = std::io::stdout().lock();
        if dropped > 0 {
            let _ = writeln!(
                stdout,
                "{{\"level\":\"WARN\",\"message\":\"log buffer full: {dropped} lines dropped\",\"target\":\"flowforge_kit::telemetry\"}}"
            );
        }
        if !out.is_empty() {
            let _ = stdout.write_all(&out);
            let _ = stdout.flush();
            out.clear();
        }
        drop(stdout);
        if stopping && s.buf.lock().map(|b| b.is_empty()).unwrap_or(true) {
            return;
        }
        std::thread::sleep(Duration::from_millis(if stopping { 0 } else { 5 }));
    }
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        self.shared.wake.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// One event's line, collected locally and appended to the shared buffer in one step.
pub struct LineWriter {
    shared: Arc<Shared>,
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
        if self.line.is_empty() {
            return;
        }
        let mut buf = self.shared.buf.lock().unwrap_or_else(|e| e.into_inner());
        if buf.len() + self.line.len() > MAX_BUFFER {
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        buf.extend_from_slice(&self.line);
        let full = buf.len() >= FLUSH_AT;
        drop(buf);
        if full {
            self.shared.wake.notify_one();
        }
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for BufferedStdout {
    type Writer = LineWriter;

    fn make_writer(&'a self) -> LineWriter {
        LineWriter {
            shared: self.shared.clone(),
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
    fn lines_are_buffered_whole_and_flushed_on_drop() {
        let (w, guard) = BufferedStdout::start();
        {
            let mut l = w.make_writer();
            l.write_all(b"{\"a\":").unwrap();
            l.write_all(b"1}\n").unwrap();
        }
        assert_eq!(w.shared.buf.lock().unwrap().as_slice(), b"{\"a\":1}\n");
        drop(guard);
        assert!(w.shared.buf.lock().unwrap().is_empty());
    }
}
