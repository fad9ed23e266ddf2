//! The builder every process uses: hand it services (router, OpenAPI document, health checks,
//! route limits) and it adds `/health`, `/health/live`, `/health/ready`, `/metrics`,
//! `/openapi.json`, the `/docs` reference page, JSON 404/405 answers and the middleware stack
//! (`stack.rs`). One listener, one or all services; `lifecycle.rs` serves it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::middleware;
use axum::routing::get;
use utoipa::openapi::OpenApi;

use crate::config::{ConfigError, Env, KitConfig};
use crate::cpu::CpuPool;
use crate::health::{Health, HealthCheck};

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
    pub limits: HashMap<String, RouteLimits>,
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
    pub fn limit(mut self, route: impl Into<String>, limits: RouteLimits) -> Self {
        self.limits.insert(route.into(), limits);
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
}

impl Context {
    /// Read the kit configuration from `env`.
    pub fn from_env(
        env: Arc<dyn Env + Send + Sync>,
        default_port: u16,
    ) -> Result<Self, ConfigError> {
        let config = KitConfig::from_env(env.as_ref(), default_port)?;
        let cpu = CpuPool::new(config.cpu_threads, config.cpu_queue);
        Ok(Context { env, config, cpu })
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
        crate::openapi::finish(&mut doc);
        doc
    }

    /// [`App::openapi`] as served at `/openapi.json` (see [`crate::openapi::to_json`]).
    pub fn openapi_json(&self) -> serde_json::Value {
        crate::openapi::to_json(&self.openapi())
    }

    /// Build the router.
    pub fn into_router(self) -> Router {
        let openapi = self.openapi_json();
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
        let stack = crate::stack::Stack {
            routes,
            body: self.config.body_limit,
            timeout: self.config.request_timeout,
            origins: crate::http::Origins::parse(&self.config.cors_origins),
            batch_max: crate::extract::BatchMax(self.config.batch_max),
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
            .merge(
                utoipa_swagger_ui::SwaggerUi::new("/docs")
                    .external_url_unchecked("/openapi.json", openapi),
            );
        api.merge(ops)
            .fallback(crate::stack::not_found)
            .method_not_allowed_fallback(crate::stack::method_not_allowed)
            .layer(middleware::from_fn_with_state(
                Arc::new(stack),
                crate::stack::kit_stack,
            ))
            .layer(axum::extract::DefaultBodyLimit::disable())
    }
}
