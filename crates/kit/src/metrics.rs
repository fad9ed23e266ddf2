//! Prometheus metrics: `http_requests_total{service,method,route,status}`,
//! `http_request_duration_seconds{service,method,route}` with the matched route template as
//! `route` (never the raw path), and `flowforge_operations_total{service,operation,outcome}` for
//! business counters. One registry per process, shared by every service it serves.

use std::sync::LazyLock;

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};

/// Label sets are few (routes × methods × statuses), so each thread keeps the handles it has
/// used in a short list: a scan of a few string comparisons instead of prometheus's hashing and
/// locking on every request.
const CACHE_MAX: usize = 512;

struct RequestEntry {
    route: Box<str>,
    method: Box<str>,
    status: u16,
    counter: prometheus::IntCounter,
    histogram: prometheus::Histogram,
}

struct OpEntry {
    service: Box<str>,
    operation: Box<str>,
    ok: bool,
    counter: prometheus::IntCounter,
}

thread_local! {
    static REQUEST_CACHE: std::cell::RefCell<Vec<RequestEntry>> = const { std::cell::RefCell::new(Vec::new()) };
    static OP_CACHE: std::cell::RefCell<Vec<OpEntry>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The process's metrics.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    duration: HistogramVec,
    operations: IntCounterVec,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::build);

/// The process-wide metrics.
pub fn get() -> &'static Metrics {
    &METRICS
}

impl Metrics {
    #[allow(clippy::expect_used)] // static metric definitions; a failure is a programming error
    fn build() -> Metrics {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests answered"),
            &["service", "method", "route", "status"],
        )
        .expect("valid metric");
        let duration = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time from request to response head",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                10.0, 30.0,
            ]),
            &["service", "method", "route"],
        )
        .expect("valid metric");
        let operations = IntCounterVec::new(
            Opts::new(
                "flowforge_operations_total",
                "Operations performed, by service, operation and outcome (ok or error)",
            ),
            &["service", "operation", "outcome"],
        )
        .expect("valid metric");
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(duration.clone()),
            Box::new(operations.clone()),
        ] {
            registry.register(c).expect("unique metric");
        }
        Metrics {
            registry,
            requests,
            duration,
            operations,
        }
    }

    /// Record one answered request.
    pub fn observe(&self, service: &str, method: &str, route: &str, status: u16, secs: f64) {
        let hit = REQUEST_CACHE.with(|c| {
            let c = c.borrow();
            c.iter()
                .find(|e| e.status == status && &*e.route == route && &*e.method == method)
                .map(|e| (e.counter.clone(), e.histogram.clone()))
        });
        let (counter, histogram) = match hit {
            Some(h) => h,
            None => {
                let mut buf = [0u8; 3];
                let counter = self.requests.with_label_values(&[
                    service,
                    method,
                    route,
                    status_str(status, &mut buf),
                ]);
                let histogram = self.duration.with_label_values(&[service, method, route]);
                REQUEST_CACHE.with(|c| {
                    let mut c = c.borrow_mut();
                    if c.len() < CACHE_MAX {
                        c.push(RequestEntry {
                            route: route.into(),
                            method: method.into(),
                            status,
                            counter: counter.clone(),
                            histogram: histogram.clone(),
                        });
                    }
                });
                (counter, histogram)
            }
        };
        counter.inc();
        histogram.observe(secs);
    }

    /// Count an operation (`outcome` is `ok` or `error`), `n` times (batch items).
    pub fn operation(&self, service: &str, operation: &str, ok: bool, n: u64) {
        if n == 0 {
            return;
        }
        let hit = OP_CACHE.with(|c| {
            c.borrow()
                .iter()
                .find(|e| e.ok == ok && &*e.operation == operation && &*e.service == service)
                .map(|e| e.counter.clone())
        });
        let counter = hit.unwrap_or_else(|| {
            let counter = self.operations.with_label_values(&[
                service,
                operation,
                if ok { "ok" } else { "error" },
            ]);
            OP_CACHE.with(|c| {
                let mut c = c.borrow_mut();
                if c.len() < CACHE_MAX {
                    c.push(OpEntry {
                        service: service.into(),
                        operation: operation.into(),
                        ok,
                        counter: counter.clone(),
                    });
                }
            });
            counter
        });
        counter.inc_by(n);
    }

    /// Register an extra collector (a service's own gauges).
    pub fn register(&self, c: Box<dyn prometheus::core::Collector>) -> prometheus::Result<()> {
        self.registry.register(c)
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buf);
        String::from_utf8(buf).unwrap_or_default()
    }
}

fn status_str(status: u16, buf: &mut [u8; 3]) -> &str {
    let s = status.min(999);
    buf[0] = b'0' + (s / 100) as u8;
    buf[1] = b'0' + (s / 10 % 10) as u8;
    buf[2] = b'0' + (s % 10) as u8;
    std::str::from_utf8(buf).unwrap_or("000")
}

/// The service a route belongs to: `/api/v1/crypto/hash` is `crypto`; anything else `flowforge`.
pub fn service_of(route: &str) -> &str {
    route
        .strip_prefix("/api/v1/")
        .and_then(|r| r.split('/').next())
        .filter(|s| !s.is_empty())
        .unwrap_or("flowforge")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_template() {
        let m = get();
        m.observe("crypto", "POST", "/api/v1/crypto/hash", 200, 0.001);
        m.operation("crypto", "hash", true, 3);
        let text = m.render();
        assert!(text.contains(
            r#"http_requests_total{method="POST",route="/api/v1/crypto/hash",service="crypto",status="200"}"#
        ), "{text}");
        assert!(text.contains("flowforge_operations_total"));
        assert_eq!(service_of("/api/v1/crypto/hash"), "crypto");
        assert_eq!(service_of("/health"), "flowforge");
    }
}
