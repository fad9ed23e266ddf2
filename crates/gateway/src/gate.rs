//! The gateway layer in front of every service route: who is calling (API key), whether they
//! may (tier limits), and what they used, with the headers Kong sets so a service behind cannot
//! tell the two apart.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use flowforge_kit::{ApiError, ErrorCode};

use crate::keys;
use crate::limiter::{Decision, MemoryLimiter, RedisLimiter};
use crate::store::{Consumer, Store};
use crate::tier::TierLimits;

/// How long a positive key lookup is trusted: a revoked key stops working within this time.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(5);

/// Where rate-limit counters live.
#[derive(Debug)]
pub enum Limiter {
    /// In this process.
    Memory(MemoryLimiter),
    /// In Redis, shared by every instance.
    Redis(RedisLimiter),
}

/// JWT bearer tokens: how they are verified. `sub` names the consumer.
pub struct JwtAuth {
    /// The secret or public keys.
    pub keys: Vec<flowforge_jose::jwt::VerifyingKey>,
    /// Required issuer, if any.
    pub issuer: Option<String>,
    /// Required audience, if any.
    pub audience: Option<String>,
    /// Clock skew allowed on exp and nbf, in seconds.
    pub leeway: i64,
}

/// Calls: consumer id → service → day index → count.
type UsageCounts = HashMap<String, HashMap<String, HashMap<i64, i64>>>;

/// The gateway's state.
pub struct Gateway {
    jwt: Option<JwtAuth>,
    store: Store,
    limiter: Limiter,
    tiers: TierLimits,
    fail_open: bool,
    cache: Mutex<HashMap<String, (Arc<Consumer>, Instant)>>,
    /// Calls by consumer id, service and day index (days since 1970): nested so the common
    /// case, an existing entry, costs lookups by `&str` and no allocation.
    usage: Mutex<UsageCounts>,
    last_redis_warning: AtomicI64,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("store", &self.store.kind())
            .finish()
    }
}

/// The consumer of the request, for handlers behind the gateway.
#[derive(Debug, Clone)]
pub struct Caller(pub Consumer);

impl Gateway {
    /// A gateway over `store` with `limiter`; `fail_open` lets calls through when Redis is down.
    pub fn new(store: Store, limiter: Limiter, tiers: TierLimits, fail_open: bool) -> Gateway {
        Gateway {
            jwt: None,
            store,
            limiter,
            tiers,
            fail_open,
            cache: Mutex::new(HashMap::new()),
            usage: Mutex::new(HashMap::new()),
            last_redis_warning: AtomicI64::new(0),
        }
    }

    /// Accept JWT bearer tokens verified this way.
    pub fn with_jwt(mut self, jwt: JwtAuth) -> Gateway {
        self.jwt = Some(jwt);
        self
    }

    /// The consumer named by a verified JWT's `sub`.
    async fn consumer_for_jwt(&self, token: &str) -> Result<Arc<Consumer>, Response> {
        let Some(j) = &self.jwt else {
            return Err(unauthorized(
                "a JWT was sent but this gateway accepts API keys only; send the key in X-API-Key",
            ));
        };
        let checks = flowforge_jose::jwt::Checks {
            leeway: j.leeway,
            issuer: j.issuer.clone().map(|i| vec![i]),
            audience: j.audience.clone().map(|a| vec![a]),
            required: vec!["sub".into()],
            now: flowforge_kit::time::now(),
            ..Default::default()
        };
        let d = flowforge_jose::jwt::verify(token, &j.keys, &checks)
            .map_err(|e| unauthorized(&format!("JWT refused: {e}")))?;
        let sub = d
            .claims
            .get("sub")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        match self.store.find_consumer(sub).await {
            Ok(Some(c)) => Ok(Arc::new(c)),
            Ok(None) => Err(unauthorized(&format!(
                "JWT refused: sub {sub:?} is not a known consumer"
            ))),
            Err(e) => {
                tracing::error!(error = %e, "consumer lookup failed");
                Err(ApiError::unavailable(
                    "cannot check the token right now (database unavailable); retry shortly",
                    1,
                )
                .into_response())
            }
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The limiter.
    pub fn limiter(&self) -> &Limiter {
        &self.limiter
    }

    async fn consumer_for(&self, key: &str) -> Result<Option<Arc<Consumer>>, ApiError> {
        let h = keys::hash(key);
        if let Some((c, at)) = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(&h)
            && at.elapsed() < KEY_CACHE_TTL
        {
            return Ok(Some(c.clone()));
        }
        let found = self
            .store
            .find_by_key(key)
            .await
            .map(|c| c.map(Arc::new))
            .map_err(|e| {
                tracing::error!(error = %e, "key lookup failed");
                ApiError::unavailable(
                    "cannot check the API key right now (database unavailable); retry shortly",
                    1,
                )
            })?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        match &found {
            Some(c) => {
                if cache.len() > 10_000 {
                    cache.retain(|_, (_, at)| at.elapsed() < KEY_CACHE_TTL);
                }
                cache.insert(h, (c.clone(), Instant::now()));
            }
            None => {
                cache.remove(&h);
            }
        }
        Ok(found)
    }

    async fn decide(&self, c: &Consumer) -> Result<Option<Decision>, ApiError> {
        let limits = self.tiers.get(c.tier);
        let now = flowforge_kit::time::now();
        match &self.limiter {
            Limiter::Memory(m) => Ok(Some(m.check(&c.id, &limits, now))),
            Limiter::Redis(r) => match r.check(&c.id, &limits, now).await {
                Ok(d) => Ok(Some(d)),
                Err(e) => {
                    let last = self.last_redis_warning.load(Ordering::Relaxed);
                    if now - last >= 60
                        && self
                            .last_redis_warning
                            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                            .is_ok()
                    {
                        tracing::warn!(error = %e, fail_open = self.fail_open, "rate limiting unavailable (Redis); logged once a minute");
                    }
                    if self.fail_open {
                        Ok(None)
                    } else {
                        Err(ApiError::unavailable(
                            "rate limiting is unavailable (Redis is down) and the gateway fails closed; retry shortly",
                            5,
                        ))
                    }
                }
            },
        }
    }

    fn record(&self, c: &Consumer, service: &str) {
        let day = flowforge_kit::time::now().div_euclid(86_400);
        let mut u = self.usage.lock().unwrap_or_else(|e| e.into_inner());
        let by_service = match u.get_mut(c.id.as_str()) {
            Some(m) => m,
            None => u.entry(c.id.clone()).or_default(),
        };
        let by_day = match by_service.get_mut(service) {
            Some(m) => m,
            None => by_service.entry(service.to_string()).or_default(),
        };
        *by_day.entry(day).or_insert(0) += 1;
    }

    /// Write the counted calls to the database (called every few seconds, and at shutdown).
    pub async fn flush_usage(&self) {
        let rows: Vec<_> = {
            let mut u = self.usage.lock().unwrap_or_else(|e| e.into_inner());
            let mut rows = Vec::new();
            for (c, services) in u.drain() {
                for (s, days) in services {
                    for (d, n) in days {
                        let day = flowforge_kit::time::iso(d * 86_400)[..10].to_string();
                        rows.push((c.clone(), s.clone(), day, n));
                    }
                }
            }
            rows
        };
        if rows.is_empty() {
            return;
        }
        if let Err(e) = self.store.add_usage(&rows).await {
            tracing::warn!(error = %e, rows = rows.len(), "could not write usage; keeping it for the next flush");
            let mut u = self.usage.lock().unwrap_or_else(|e| e.into_inner());
            for (c, s, d, n) in rows {
                let day = flowforge_kit::time::parse_ymd(&d).unwrap_or(0);
                *u.entry(c)
                    .or_default()
                    .entry(s)
                    .or_default()
                    .entry(day)
                    .or_insert(0) += n;
            }
        }
    }

    /// Flush usage every `every` for as long as the runtime runs.
    pub fn spawn_usage_writer(self: &Arc<Self>, every: Duration) {
        let gw = Arc::clone(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                gw.flush_usage().await;
            }
        });
    }
}

/// The credential in a request: `X-API-Key`, `Authorization: Bearer <key>`, or
/// `Authorization: Basic base64(<any user>:<key>)` (what Make's HTTP module and Zapier's
/// Webhooks offer first; the user name is ignored, the password is the key).
pub fn credential(h: &HeaderMap) -> Option<String> {
    if let Some(k) = h.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(k.trim().to_string());
    }
    let auth = h.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = auth.trim().split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some(token.trim().to_string());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        use base64::Engine;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(token.trim())
            .ok()?;
        let text = String::from_utf8(raw).ok()?;
        let (_user, key) = text.split_once(':')?;
        let key = key.trim();
        return (!key.is_empty()).then(|| key.to_string());
    }
    None
}

/// A compact JWS has three dot-separated parts; FlowForge keys have none.
fn looks_like_jwt(s: &str) -> bool {
    s.matches('.').count() == 2 && !s.starts_with(keys::PREFIX)
}

fn unauthorized(msg: &str) -> Response {
    let mut e = ApiError::new(ErrorCode::Unauthorized, msg);
    e.details.push(flowforge_kit::FieldError {
        field: "X-API-Key".into(),
        message: "send a valid key in the X-API-Key header (or Authorization: Bearer <key>, or Basic with the key as the password)".into(),
    });
    let mut r = e.into_response();
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer, ApiKey, Basic realm=\"FlowForge\""),
    );
    r
}

fn set(h: &mut HeaderMap, name: &'static str, v: u64) {
    h.insert(HeaderName::from_static(name), HeaderValue::from(v));
}

/// The rate-limit headers of IETF's draft (`RateLimit-*`) and Kong's (`X-RateLimit-*-Minute/Day`).
fn limit_headers(h: &mut HeaderMap, d: &Decision) {
    // RateLimit-* describe the window closest to running out.
    let tight = match (d.minute, d.day) {
        (Some(m), Some(day)) => Some(if day.remaining < m.remaining { day } else { m }),
        (m, day) => m.or(day),
    };
    if let Some(w) = tight {
        set(h, "ratelimit-limit", w.limit);
        set(h, "ratelimit-remaining", w.remaining);
        set(h, "ratelimit-reset", w.reset);
    }
    if let Some(m) = d.minute {
        set(h, "x-ratelimit-limit-minute", m.limit);
        set(h, "x-ratelimit-remaining-minute", m.remaining);
    }
    if let Some(day) = d.day {
        set(h, "x-ratelimit-limit-day", day.limit);
        set(h, "x-ratelimit-remaining-day", day.remaining);
    }
}

/// The middleware: authenticate, rate-limit, set the upstream headers, count usage.
pub async fn gate(State(gw): State<Arc<Gateway>>, mut req: Request, next: Next) -> Response {
    let Some(key) = credential(req.headers()) else {
        return unauthorized(
            "missing API key; send it in the X-API-Key header (or Authorization: Bearer <key>, or Basic with any user name and the key as the password)",
        );
    };
    let consumer = if looks_like_jwt(&key) {
        match gw.consumer_for_jwt(&key).await {
            Ok(c) => c,
            Err(r) => return r,
        }
    } else {
        match gw.consumer_for(&key).await {
            Ok(Some(c)) => c,
            Ok(None) => {
                return unauthorized("invalid or revoked API key; check the X-API-Key header");
            }
            Err(e) => return e.into_response(),
        }
    };
    let decision = match gw.decide(&consumer).await {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    if let Some(d) = decision.filter(|d| !d.allowed) {
        let mut e = ApiError::new(
            ErrorCode::RateLimited,
            format!(
                "rate limit of the {} tier reached; retry after {} seconds or move to a higher tier",
                consumer.tier,
                d.retry_after()
            ),
        );
        e.retry_after = Some(d.retry_after());
        let mut r = e.into_response();
        limit_headers(r.headers_mut(), &d);
        return r;
    }
    let h = req.headers_mut();
    h.remove("x-api-key");
    h.remove(header::AUTHORIZATION);
    if let Ok(v) = HeaderValue::from_str(&consumer.id) {
        h.insert("x-consumer-id", v);
    }
    if let Ok(v) = HeaderValue::from_str(&consumer.name) {
        h.insert("x-consumer-username", v);
    }
    let credential_id = if looks_like_jwt(&key) {
        "jwt".to_string()
    } else {
        keys::display_prefix(&key)
    };
    if let Ok(v) = HeaderValue::from_str(&credential_id) {
        h.insert("x-credential-identifier", v);
    }
    let service = flowforge_kit::metrics::service_of(req.uri().path()).to_string();
    req.extensions_mut()
        .insert(Caller(Consumer::clone(&consumer)));
    let mut res = next.run(req).await;
    if let Some(d) = &decision {
        limit_headers(res.headers_mut(), d);
    }
    gw.record(&consumer, &service);
    res
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use base64::Engine;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_key_comes_from_x_api_key_bearer_or_basic_with_any_user_name() {
        let basic = |s: &str| {
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(s)
            )
        };
        assert_eq!(
            credential(&headers(&[("x-api-key", " ff_k ")])).as_deref(),
            Some("ff_k")
        );
        assert_eq!(
            credential(&headers(&[("authorization", "Bearer ff_k")])).as_deref(),
            Some("ff_k")
        );
        // Make's HTTP module and Zapier's Webhooks: any user name, the key as the password.
        assert_eq!(
            credential(&headers(&[("authorization", &basic("make:ff_k"))])).as_deref(),
            Some("ff_k")
        );
        assert_eq!(
            credential(&headers(&[("authorization", &basic(":ff_k:with:colons"))])).as_deref(),
            Some("ff_k:with:colons")
        );
        assert_eq!(
            credential(&headers(&[("authorization", &basic("user:"))])),
            None
        );
        assert_eq!(
            credential(&headers(&[("authorization", "Basic not-base64!")])),
            None
        );
        assert_eq!(credential(&headers(&[("authorization", "Digest x")])), None);
        assert_eq!(credential(&HeaderMap::new()), None);
    }
}
