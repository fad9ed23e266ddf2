//! The builder every process uses: hand it services (router, OpenAPI document, health checks,
//! route limits) and it adds `/health`, `/health/live`, `/health/ready`, `/metrics`,
//! `/openapi.json`, the `/docs` reference page, JSON 404/405 answers and the middleware stack
//! (request ids, access log, metrics, per-route body and time limits, panics as
//! INTERNAL_ERROR, CORS, compression). One listener, one or all services.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::FutureExt;
use utoipa::openapi::OpenApi;

use crate::config::{ConfigError, Env, KitConfig};
use crate::cpu::CpuPool;
use crate::error::{ApiError, ErrorCode, ErrorCodeTag};
use crate::extract::payload_too_large;
use crate::health::{Health, HealthCheck};
use crate::request_id::{self, X_REQUEST_ID};

/// Limits for one route; unset fields fall back to the process defaults.
#[derive(Debug, Clone, Copy, Default)]
pub struct RouteLimits {
    /// Largest accepted body in bytes.
    pub body: Option<u64>,
    /// Longest the route may take before answering 504 TIMEOUT.
    pub timeout: Option<Duration>,
}

/// One service as handed to the kit.
pub struct Service {
    /// Short name, as in `/api/v1/<name>/…` (`crypto`).
    pub name: &'static str,
    /// Its routes, with full paths (`/api/v1/crypto/hash`), state already applied.
    pub router: Router,
    /// Its OpenAPI document.
    pub openapi: OpenApi,
    /// Its dependency checks.
    pub checks: Vec<Arc<dyn HealthCheck>>,
    /// Per-route limits by route template.
    pub limits: HashMap<&'static str, RouteLimits>,
}

impl Service {
    /// A service with no checks and default limits.
    pub fn new(name: &'static str, router: Router, openapi: OpenApi) -> Self {
        Service {
            name,
            router,
            openapi,
            checks: Vec::new(),
            limits: HashMap::new(),
        }
    }

    /// Set limits for the route with this template.
    pub fn limit(mut self, route: &'static str, limits: RouteLimits) -> Self {
        self.limits.insert(route, limits);
        self
    }

    /// Add a dependency check.
    pub fn check(mut self, check: Arc<dyn HealthCheck>) -> Self {
        self.checks.push(check);
        self
    }
}

/// What a service needs to build itself: the environment (for its own variables), the kit's
/// configuration and the shared CPU pool.
#[derive(Clone)]
pub struct Context {
    /// Where configuration comes from.
    pub env: Arc<dyn Env + Send + Sync>,
    /// The process configuration.
    pub config: KitConfig,
    /// The pool for CPU-heavy work.
    pub cpu: CpuPool,
    /// The shared result cache (Redis with `REDIS_URL`, else in process).
    pub cache: crate::cache::Cache,
}

impl Context {
    /// Read the kit configuration from `env`.
    pub fn from_env(
        env: Arc<dyn Env + Send + Sync>,
        default_port: u16,
    ) -> Result<Self, ConfigError> {
        let config = KitConfig::from_env(env.as_ref(), default_port)?;
        crate::extract::set_batch_max(crate::config::var(
            env.as_ref(),
            "FLOWFORGE_BATCH_MAX",
            1000usize,
            "a whole number of items, at least 1",
        )?);
        let cpu = CpuPool::new(config.cpu_threads, config.cpu_queue);
        let ttl = crate::config::duration_var(
            env.as_ref(),
            "FLOWFORGE_CACHE_TTL",
            Duration::from_secs(3600),
        )?;
        let backend: Arc<dyn crate::cache::CacheBackend> = match env.get("REDIS_URL") {
            Some(url) => {
                Arc::new(
                    crate::cache::RedisCache::new(&url).map_err(|e| ConfigError {
                        var: "REDIS_URL".into(),
                        value: url.clone(),
                        expected: format!("a redis:// URL ({e})"),
                    })?,
                )
            }
            None => Arc::new(crate::cache::MemoryCache::new(
                usize::try_from(crate::config::bytes_var(
                    env.as_ref(),
                    "FLOWFORGE_CACHE_MAX_BYTES",
                    64 << 20,
                )?)
                .unwrap_or(usize::MAX),
            )),
        };
        let cache = crate::cache::Cache::new(backend, ttl);
        Ok(Context {
            env,
            config,
            cpu,
            cache,
        })
    }
}

/// The application: services plus what the kit serves for all of them.
pub struct App {
    title: String,
    config: KitConfig,
    services: Vec<Service>,
    checks: Vec<Arc<dyn HealthCheck>>,
    api_layers: Vec<Box<dyn FnOnce(Router) -> Router + Send>>,
}

/// What the kit's middleware needs: per-route limits, defaults, allowed origins.
struct Stack {
    routes: HashMap<&'static str, RouteLimits>,
    body: u64,
    timeout: Duration,
    origins: crate::http::Origins,
}

impl App {
    /// An application named `title` (the OpenAPI title).
    pub fn new(title: impl Into<String>, config: KitConfig) -> Self {
        App {
            title: title.into(),
            config,
            services: Vec::new(),
            checks: Vec::new(),
            api_layers: Vec::new(),
        }
    }

    /// Serve this service.
    pub fn service(mut self, s: Service) -> Self {
        self.services.push(s);
        self
    }

    /// A process-level dependency check.
    pub fn check(mut self, c: Arc<dyn HealthCheck>) -> Self {
        self.checks.push(c);
        self
    }

    /// Wrap the service routes (not `/health`, `/metrics`, `/docs`) in a layer, e.g. the gateway's
    /// authentication and rate limits.
    pub fn api_layer(mut self, f: impl FnOnce(Router) -> Router + Send + 'static) -> Self {
        self.api_layers.push(Box::new(f));
        self
    }

    /// The merged OpenAPI document of every service plus the kit's own endpoints.
    pub fn openapi(&self) -> OpenApi {
        let mut doc = crate::openapi::base(&self.title);
        for s in &self.services {
            doc.merge(s.openapi.clone());
        }
        doc
    }

    /// Build the router.
    pub fn into_router(self) -> Router {
        let openapi = self.openapi();
        let mut api = Router::new();
        let mut routes = HashMap::new();
        let mut checks = self.checks;
        let mut names = Vec::new();
        for s in self.services {
            api = api.merge(s.router);
            routes.extend(s.limits);
            checks.extend(s.checks);
            names.push(s.name.to_string());
        }
        for f in self.api_layers {
            api = f(api);
        }
        let health = Health {
            checks,
            services: names,
            started: Instant::now(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        };
        let stack = Stack {
            routes,
            body: self.config.body_limit,
            timeout: self.config.request_timeout,
            origins: crate::http::Origins::parse(&self.config.cors_origins),
        };
        let ops = Router::new()
            .route("/health", get(crate::openapi::get_health))
            .route("/health/live", get(crate::openapi::get_live))
            .route("/health/ready", get(crate::openapi::get_ready))
            .with_state(health)
            .route(
                "/metrics",
                get(crate::openapi::get_metrics).with_state(
                    self.config
                        .metrics_token
                        .clone()
                        .map(std::sync::Arc::<str>::from),
                ),
            )
            .merge(utoipa_swagger_ui::SwaggerUi::new("/docs").url("/openapi.json", openapi));
        api.merge(ops)
            .fallback(not_found)
            .method_not_allowed_fallback(method_not_allowed)
            .layer(middleware::from_fn_with_state(Arc::new(stack), kit_stack))
            .layer(axum::extract::DefaultBodyLimit::disable())
    }
}

async fn not_found(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!(
            "no route for {method} {}; see /openapi.json or /docs for the operations",
            uri.path()
        ),
    )
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!(
            "{method} is not allowed on {}; operations are called with POST (see /docs)",
            uri.path()
        ),
    )
}

/// The kit's whole per-request stack in one middleware (each extra tower layer costs a service
/// clone and a boxed future per request): CORS, request id, per-route body limit (checked against
/// Content-Length, then enforced while reading) and time limit (504 TIMEOUT), panics answered as
/// INTERNAL_ERROR, gzip, then metrics and one access-log line.
async fn kit_stack(State(st): State<Arc<Stack>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let origin = req.headers().get(header::ORIGIN).cloned();
    let id = request_id::take_or_make(&req);
    let mut res = match &origin {
        Some(o) if crate::http::is_preflight(&method, req.headers()) => {
            crate::http::preflight(&st.origins, o, req.headers())
        }
        _ => {
            let gzip = crate::http::accepts_gzip(req.headers());
            let res = request_id::scope(id.clone(), guarded(&st, route.as_ref(), req, next)).await;
            if gzip {
                crate::http::gzip(res).await
            } else {
                res
            }
        }
    };
    if let Some(o) = &origin {
        crate::http::add_cors(&st.origins, o, &mut res);
    }
    res.headers_mut().insert(X_REQUEST_ID.clone(), id.clone());
    let status = res.status().as_u16();
    let elapsed = start.elapsed();
    let route = route.as_ref().map_or("unmatched", |m| m.as_str());
    let service = crate::metrics::service_of(route);
    crate::metrics::get().observe(
        service,
        method.as_str(),
        route,
        status,
        elapsed.as_secs_f64(),
    );
    let code = res.extensions().get::<ErrorCodeTag>().map(|t| t.0.as_str());
    crate::telemetry::access(&crate::telemetry::Access {
        request_id: id.to_str().unwrap_or_default(),
        method: method.as_str(),
        route,
        status,
        latency_ms: elapsed.as_secs_f64() * 1000.0,
        error_code: code,
    });
    res
}

/// Limits, time limit and panic guard around the handler (inside the request-id scope, so every
/// envelope made here carries the id).
async fn guarded(st: &Stack, route: Option<&MatchedPath>, req: Request, next: Next) -> Response {
    let lim = route
        .and_then(|m| st.routes.get(m.as_str()))
        .copied()
        .unwrap_or_default();
    let body_limit = lim.body.unwrap_or(st.body);
    let timeout = lim.timeout.unwrap_or(st.timeout);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > body_limit) {
        return payload_too_large(Some(body_limit)).into_response();
    }
    // With a Content-Length within the limit, hyper already refuses a longer body; only bodies of
    // unknown length need counting while they are read.
    let req = if declared.is_some() {
        req
    } else {
        let limit = usize::try_from(body_limit).unwrap_or(usize::MAX);
        req.map(|b| Body::new(http_body_util::Limited::new(b, limit)))
    };
    let run = std::panic::AssertUnwindSafe(next.run(req)).catch_unwind();
    match tokio::time::timeout(timeout, run).await {
        Ok(Ok(res)) => res,
        Ok(Err(_panic)) => ApiError::internal("a handler panicked").into_response(),
        Err(_) => ApiError::new(
            ErrorCode::Timeout,
            format!(
                "the operation took longer than this route's limit of {:.1}s; send less work per call",
                timeout.as_secs_f64()
            ),
        )
        .into_response(),
    }
}

/// Bind `listen` and serve until SIGTERM or SIGINT; requests in flight get `grace` to finish.
pub async fn serve(router: Router, listen: SocketAddr, grace: Duration) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    serve_on(router, listener, grace).await
}

/// Serve on an already bound listener (tests bind port 0).
pub async fn serve_on(
    router: Router,
    listener: tokio::net::TcpListener,
    grace: Duration,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    let addr = listener.local_addr()?;
    tracing::info!(listen = %addr, "listening");
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let (tx, mut rx) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, router).with_graceful_shutdown(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing requests in flight");
        let _ = tx.send(true);
    });
    let deadline = async move {
        let _ = rx.wait_for(|v| *v).await;
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        r = server => r,
        _ = deadline => {
            tracing::warn!(grace_secs = grace.as_secs_f64(), "requests still running after the grace period; exiting");
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// The whole life of a single-service binary: read configuration (exit 2 with the message when a
/// value is bad), install logging, build the service, serve.
pub fn run_single(
    name: &'static str,
    default_port: u16,
    build: impl FnOnce(&Context) -> Result<Service, ConfigError>,
) -> std::process::ExitCode {
    let env: Arc<dyn Env + Send + Sync> = Arc::new(crate::config::ProcessEnv);
    let ctx = match Context::from_env(env.clone(), default_port) {
        Ok(c) => c,
        Err(e) => return config_exit(&e),
    };
    let _guard = match crate::telemetry::init(env.as_ref()) {
        Ok(g) => g,
        Err(e) => return config_exit(&e),
    };
    let service = match build(&ctx) {
        Ok(s) => s,
        Err(e) => return config_exit(&e),
    };
    let router = App::new(format!("FlowForge {name} service"), ctx.config.clone())
        .service(service)
        .into_router();
    serve_blocking(router, &ctx.config)
}

/// Start a multi-threaded runtime and serve `router` on `config.listen` until a signal; the exit
/// code says whether it could.
pub fn serve_blocking(router: Router, config: &KitConfig) -> std::process::ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match rt.block_on(serve(router, config.listen, config.shutdown_grace)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot serve on {}: {e}", config.listen);
            std::process::ExitCode::FAILURE
        }
    }
}

/// Print a configuration error and return exit code 2.
pub fn config_exit(e: &ConfigError) -> std::process::ExitCode {
    eprintln!("configuration error: {e}");
    std::process::ExitCode::from(2)
}
