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
    bounds: Vec<Bound>,
}

/// A range a request field's schema states from configuration (a limit an operator can change),
/// so the document says what this process accepts.
struct Bound {
    schema: &'static str,
    property: &'static str,
    range: std::ops::RangeInclusive<u64>,
}

impl<S: Clone + Send + Sync + 'static> Routes<S> {
    /// The table of the service `name`, starting from its document (title, tags).
    pub fn new(name: &'static str, doc: OpenApi) -> Self {
        Routes {
            name,
            router: OpenApiRouter::with_openapi(doc),
            limits: Vec::new(),
            bounds: Vec::new(),
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

    /// State in the document that the whole number `property` of the request schema `schema`
    /// lies in `range`, as configured; the handler enforces the same range.
    pub fn bound(
        mut self,
        schema: &'static str,
        property: &'static str,
        range: std::ops::RangeInclusive<u64>,
    ) -> Self {
        self.bounds.push(Bound {
            schema,
            property,
            range,
        });
        self
    }

    /// The service: the routes with `state` applied, their document and their limits.
    pub fn into_service(self, state: S) -> Service {
        let (router, mut doc) = self.router.split_for_parts();
        for b in &self.bounds {
            apply_bound(&mut doc, b);
        }
        let mut s = Service::new(self.name, router.with_state(state), doc);
        for (path, l) in self.limits {
            s = s.limit(path, l);
        }
        s
    }
}

fn apply_bound(doc: &mut OpenApi, b: &Bound) {
    use utoipa::Number;
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;
    let Some(RefOr::T(Schema::Object(obj))) = doc
        .components
        .as_mut()
        .and_then(|c| c.schemas.get_mut(b.schema))
    else {
        panic!("Routes::bound: no object schema {}", b.schema);
    };
    let Some(RefOr::T(Schema::Object(prop))) = obj.properties.get_mut(b.property) else {
        panic!("Routes::bound: {} has no property {}", b.schema, b.property);
    };
    let n = |v: u64| Number::UInt(usize::try_from(v).unwrap_or(usize::MAX));
    prop.minimum = Some(n(*b.range.start()));
    prop.maximum = Some(n(*b.range.end()));
}
