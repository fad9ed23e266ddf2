//! The route table builder every service's `routes.rs` uses: each route is registered with its
//! OpenAPI entry (through `utoipa-axum`, so a route cannot exist undocumented) and, beside it,
//! its limits (body size, time), instead of a separate list of path strings.

use utoipa::openapi::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

use crate::service::{RouteLimits, Service};

/// A service's routes, each with its documentation and limits.
pub struct Routes<S: Clone + Send + Sync + 'static> {
    name: &'static str,
    router: OpenApiRouter<S>,
    limits: Vec<(String, RouteLimits)>,
}

impl<S: Clone + Send + Sync + 'static> Routes<S> {
    /// The table of the service `name`, starting from its document (title, tags).
    pub fn new(name: &'static str, doc: OpenApi) -> Self {
        Routes {
            name,
            router: OpenApiRouter::with_openapi(doc),
            limits: Vec::new(),
        }
    }

    /// A route with the process's default limits.
    pub fn route(mut self, r: UtoipaMethodRouter<S>) -> Self {
        self.router = self.router.routes(r);
        self
    }

    /// A route with its own limits (a larger body, a longer time).
    pub fn route_with(mut self, limits: RouteLimits, r: UtoipaMethodRouter<S>) -> Self {
        for path in r.1.paths.keys() {
            self.limits.push((path.clone(), limits));
        }
        self.router = self.router.routes(r);
        self
    }

    /// The service: the routes with `state` applied, their document and their limits.
    pub fn into_service(self, state: S) -> Service {
        let (router, doc) = self.router.split_for_parts();
        let mut s = Service::new(self.name, router.with_state(state), doc);
        for (path, l) in self.limits {
            s = s.limit(path, l);
        }
        s
    }
}
