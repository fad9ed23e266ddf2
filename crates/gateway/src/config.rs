//! Building the gateway from the environment, the bootstrap key, health checks and the usage
//! endpoint.

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Extension, State};
use axum::response::{IntoResponse, Response};
use flowforge_kit::config::{Env, var};
use flowforge_kit::health::BoxFuture;
use flowforge_kit::{ApiError, ConfigError, HealthCheck, Query, Service};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::gate::{Caller, Gateway, Limiter};
use crate::limiter::{MemoryLimiter, RedisLimiter};
use crate::store::Store;
use crate::tier::{Tier, TierLimits};

/// What the gateway reads from the environment.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// `FLOWFORGE_AUTH`: `on` (default) or `off` (no keys, no limits: local experiments only).
    pub enabled: bool,
    /// `DATABASE_URL`: PostgreSQL; unset means SQLite under the data directory.
    pub database_url: Option<String>,
    /// `FLOWFORGE_DATA_DIR` (default `./data`).
    pub data_dir: PathBuf,
    /// `REDIS_URL`: rate-limit counters; unset means in process.
    pub redis_url: Option<String>,
    /// `FLOWFORGE_RATE_LIMIT_FAIL_CLOSED`: refuse calls when Redis is down (default false: let them through, as Kong's `fault_tolerant`).
    pub fail_closed: bool,
    /// `FLOWFORGE_BOOTSTRAP_KEY`: a key created at start if absent.
    pub bootstrap_key: Option<String>,
    /// `FLOWFORGE_BOOTSTRAP_TIER` (default `enterprise`).
    pub bootstrap_tier: Tier,
    /// Tier limits (`FLOWFORGE_LIMIT_<TIER>_MINUTE` / `_DAY`).
    pub tiers: TierLimits,
    /// `FLOWFORGE_JWT_SECRET`: accept HS256/384/512 bearer tokens signed with it.
    pub jwt_secret: Option<String>,
    /// `FLOWFORGE_JWT_PUBLIC_KEY`: a PEM or JWK file; accept RS*/PS*/ES*/EdDSA tokens it verifies.
    pub jwt_public_key: Option<PathBuf>,
    /// `FLOWFORGE_JWT_JWKS`: a JWK set file (`{"keys":[…]}`); the token's `kid` picks the key.
    pub jwt_jwks: Option<PathBuf>,
    /// `FLOWFORGE_JWT_ISSUER`, `FLOWFORGE_JWT_AUDIENCE`: required `iss` / `aud`.
    pub jwt_issuer: Option<String>,
    /// See `jwt_issuer`.
    pub jwt_audience: Option<String>,
    /// `FLOWFORGE_JWT_LEEWAY`: seconds of clock skew on exp and nbf (default 30).
    pub jwt_leeway: i64,
}

impl GatewayConfig {
    /// Read from `env`.
    pub fn from_env(env: &dyn Env) -> Result<Self, ConfigError> {
        let enabled = match env.get("FLOWFORGE_AUTH").as_deref() {
            None | Some("on") | Some("true") | Some("1") => true,
            Some("off") | Some("false") | Some("0") => false,
            Some(v) => {
                return Err(ConfigError {
                    var: "FLOWFORGE_AUTH".into(),
                    value: v.into(),
                    expected: "on or off".into(),
                });
            }
        };
        Ok(GatewayConfig {
            enabled,
            database_url: env.get("DATABASE_URL"),
            data_dir: PathBuf::from(
                env.get("FLOWFORGE_DATA_DIR")
                    .unwrap_or_else(|| "./data".into()),
            ),
            redis_url: env.get("REDIS_URL"),
            fail_closed: var(
                env,
                "FLOWFORGE_RATE_LIMIT_FAIL_CLOSED",
                false,
                "true or false",
            )?,
            bootstrap_key: env.get("FLOWFORGE_BOOTSTRAP_KEY"),
            bootstrap_tier: var(
                env,
                "FLOWFORGE_BOOTSTRAP_TIER",
                Tier::Enterprise,
                "free, basic, pro or enterprise",
            )?,
            tiers: TierLimits::from_env(env)?,
            jwt_secret: env.get("FLOWFORGE_JWT_SECRET"),
            jwt_public_key: env.get("FLOWFORGE_JWT_PUBLIC_KEY").map(PathBuf::from),
            jwt_jwks: env.get("FLOWFORGE_JWT_JWKS").map(PathBuf::from),
            jwt_issuer: env.get("FLOWFORGE_JWT_ISSUER"),
            jwt_audience: env.get("FLOWFORGE_JWT_AUDIENCE"),
            jwt_leeway: var(env, "FLOWFORGE_JWT_LEEWAY", 30, "a whole number of seconds")?,
        })
    }

    /// Open the store only (for the `keys` and `usage` commands).
    pub async fn open_store(&self) -> Result<Store, crate::StoreError> {
        Store::open(self.database_url.as_deref(), &self.data_dir).await
    }

    /// Build the gateway.
    pub async fn build(&self) -> Result<Gateway, String> {
        let store = self
            .open_store()
            .await
            .map_err(|e| format!("cannot open the key store: {e}"))?;
        let limiter = match &self.redis_url {
            Some(u) => Limiter::Redis(
                RedisLimiter::new(u).map_err(|e| format!("REDIS_URL={u:?} is invalid: {e}"))?,
            ),
            None => Limiter::Memory(MemoryLimiter::default()),
        };
        let gw = Gateway::new(store, limiter, self.tiers.clone(), !self.fail_closed);
        Ok(match self.jwt_keys()? {
            Some(keys) => gw.with_jwt(crate::gate::JwtAuth {
                keys,
                issuer: self.jwt_issuer.clone(),
                audience: self.jwt_audience.clone(),
                leeway: self.jwt_leeway,
            }),
            None => gw,
        })
    }

    /// The JWT verification keys configured, if any.
    pub fn jwt_keys(&self) -> Result<Option<Vec<flowforge_jose::jwt::VerifyingKey>>, String> {
        use flowforge_jose::jwt::VerifyingKey;
        let mut keys = Vec::new();
        if let Some(s) = &self.jwt_secret {
            keys.push(VerifyingKey::Secret(s.as_bytes().to_vec()));
        }
        let read = |var: &str, p: &PathBuf| {
            std::fs::read_to_string(p)
                .map_err(|e| format!("{var}={}: cannot read it: {e}", p.display()))
        };
        if let Some(p) = &self.jwt_public_key {
            let text = read("FLOWFORGE_JWT_PUBLIC_KEY", p)?;
            let k = flowforge_jose::keys::parse_public(
                "FLOWFORGE_JWT_PUBLIC_KEY",
                &serde_json::Value::String(text),
            )
            .map_err(|e| {
                format!(
                    "FLOWFORGE_JWT_PUBLIC_KEY={}: {}",
                    p.display(),
                    flowforge_kit::DomainError::hint(&e)
                )
            })?;
            keys.push(VerifyingKey::Public(k, None));
        }
        if let Some(p) = &self.jwt_jwks {
            let text = read("FLOWFORGE_JWT_JWKS", p)?;
            let set: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| format!("FLOWFORGE_JWT_JWKS={}: not JSON: {e}", p.display()))?;
            let list = set
                .get("keys")
                .and_then(serde_json::Value::as_array)
                .ok_or_else(|| {
                    format!(
                        "FLOWFORGE_JWT_JWKS={}: expected a JWK set {{\"keys\":[…]}}",
                        p.display()
                    )
                })?;
            for (i, k) in list.iter().enumerate() {
                let kid = k
                    .get("kid")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_string);
                let pk = flowforge_jose::keys::parse_public(&format!("keys[{i}]"), k)
                    .map_err(|e| format!("FLOWFORGE_JWT_JWKS={}: {e}", p.display()))?;
                keys.push(VerifyingKey::Public(pk, kid));
            }
        }
        Ok((!keys.is_empty()).then_some(keys))
    }
}

/// What happened at bootstrap.
#[derive(Debug, PartialEq, Eq)]
pub enum Bootstrap {
    /// Keys exist (and the configured bootstrap key, if any, is among them).
    Nothing,
    /// The configured key was created.
    Configured,
    /// No key existed: this one was made (show it once).
    Generated(String),
}

/// Make sure a newcomer's first request can work: create `FLOWFORGE_BOOTSTRAP_KEY` if it does
/// not exist yet, or, when no key exists at all, generate one.
pub async fn bootstrap(store: &Store, cfg: &GatewayConfig) -> Result<Bootstrap, crate::StoreError> {
    let name = async || -> Result<String, crate::StoreError> {
        let mut n = 1;
        loop {
            let candidate = if n == 1 {
                "bootstrap".to_string()
            } else {
                format!("bootstrap-{n}")
            };
            if store.find_consumer(&candidate).await?.is_none() {
                return Ok(candidate);
            }
            n += 1;
        }
    };
    if let Some(key) = &cfg.bootstrap_key {
        if store.find_by_key(key).await?.is_none() {
            store
                .create_consumer_with_key(&name().await?, cfg.bootstrap_tier, key)
                .await?;
            return Ok(Bootstrap::Configured);
        }
        return Ok(Bootstrap::Nothing);
    }
    if store.active_keys().await? == 0 {
        let (_, key) = store
            .create_consumer(&name().await?, cfg.bootstrap_tier)
            .await?;
        return Ok(Bootstrap::Generated(key));
    }
    Ok(Bootstrap::Nothing)
}

struct DbCheck(Arc<Gateway>);

impl HealthCheck for DbCheck {
    fn name(&self) -> &str {
        "database"
    }
    fn critical(&self) -> bool {
        // Without it no key can be checked, and authentication fails closed.
        true
    }
    fn check(&self) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async move { self.0.store().ping().await.map_err(|e| e.to_string()) })
    }
}

struct RedisCheck(Arc<Gateway>);

impl HealthCheck for RedisCheck {
    fn name(&self) -> &str {
        "redis"
    }
    fn check(&self) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            match self.0.limiter() {
                Limiter::Redis(r) => r.ping().await.map_err(|e| e.to_string()),
                Limiter::Memory(_) => Ok(()),
            }
        })
    }
}

/// The health checks of the gateway's dependencies.
pub fn checks(gw: &Arc<Gateway>) -> Vec<Arc<dyn HealthCheck>> {
    let mut v: Vec<Arc<dyn HealthCheck>> = vec![Arc::new(DbCheck(gw.clone()))];
    if matches!(gw.limiter(), Limiter::Redis(_)) {
        v.push(Arc::new(RedisCheck(gw.clone())));
    }
    v
}

/// Query of `GET /api/v1/usage`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UsageQuery {
    /// Days back, today included (default 30, at most 366).
    #[serde(default)]
    #[param(minimum = 1, maximum = 366)]
    pub days: Option<u32>,
}

/// One day of calls to one service.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsageEntry {
    /// Service.
    pub service: String,
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    /// Calls.
    pub calls: i64,
}

/// The calling consumer's usage.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"consumer":"acme","tier":"pro","since":"2026-10-26","usage":[{"service":"crypto","day":"2026-11-24","calls":1234}]}))]
pub struct UsageResponse {
    /// Consumer name.
    pub consumer: String,
    /// Tier.
    pub tier: Tier,
    /// First day included.
    pub since: String,
    /// Calls per service and day (written every few seconds).
    pub usage: Vec<UsageEntry>,
}

/// Day `days - 1` days before today, as `YYYY-MM-DD`.
pub fn since_day(days: u32) -> String {
    let t = flowforge_kit::time::now() - i64::from(days.saturating_sub(1)) * 86_400;
    flowforge_kit::time::iso(t)[..10].to_string()
}

/// Your own usage: calls per service and day.
#[utoipa::path(get, path = "/api/v1/usage", tag = "usage", params(UsageQuery),
    responses((status = 200, description = "Usage", body = UsageResponse),
              (status = 401, description = "No or bad API key", body = flowforge_kit::ErrorBody)))]
pub async fn get_usage(
    State(gw): State<Arc<Gateway>>,
    caller: Option<Extension<Caller>>,
    Query(q): Query<UsageQuery>,
) -> Response {
    let Some(Extension(Caller(c))) = caller else {
        return ApiError::new(
            flowforge_kit::ErrorCode::Unauthorized,
            "usage is per API key; send one in X-API-Key",
        )
        .into_response();
    };
    let days = q.days.unwrap_or(30);
    if !(1..=366).contains(&days) {
        return ApiError::field("days", "must be between 1 and 366").into_response();
    }
    gw.flush_usage().await;
    let since = since_day(days);
    match gw.store().usage(Some(&c.id), &since).await {
        Ok(rows) => axum::Json(UsageResponse {
            consumer: c.name,
            tier: c.tier,
            since,
            usage: rows
                .into_iter()
                .map(|r| UsageEntry {
                    service: r.service,
                    day: r.day,
                    calls: r.calls,
                })
                .collect(),
        })
        .into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

#[derive(OpenApi)]
#[openapi(tags((name = "usage", description = "Your calls per service and day")))]
struct UsageApi;

/// The OpenAPI document of the gateway's own endpoint (`GET /api/v1/usage`).
pub fn usage_openapi() -> utoipa::openapi::OpenApi {
    OpenApiRouter::<Arc<Gateway>>::with_openapi(UsageApi::openapi())
        .routes(routes!(get_usage))
        .split_for_parts()
        .1
}

/// The usage endpoint as a service the kit mounts (behind the gateway layer).
pub fn usage_service(gw: Arc<Gateway>) -> Service {
    let (router, doc) = OpenApiRouter::with_openapi(UsageApi::openapi())
        .routes(routes!(get_usage))
        .split_for_parts();
    Service::new("usage", router.with_state(gw), doc)
}

/// The gateway's variables (`flowforge serve` only), for `--help`.
pub const GATEWAY_VARS: &[flowforge_kit::Var] = &[
    flowforge_kit::Var {
        name: "FLOWFORGE_AUTH",
        default: "on",
        help: "API keys and rate limits: on or off",
    },
    flowforge_kit::Var {
        name: "FLOWFORGE_DATA_DIR",
        default: "./data",
        help: "where the embedded SQLite file lives",
    },
    flowforge_kit::Var {
        name: "FLOWFORGE_BOOTSTRAP_KEY",
        default: "",
        help: "an API key created at start if absent",
    },
    flowforge_kit::Var {
        name: "FLOWFORGE_BOOTSTRAP_TIER",
        default: "enterprise",
        help: "its tier",
    },
    flowforge_kit::Var {
        name: "FLOWFORGE_LIMIT_<TIER>_MINUTE",
        default: "100, 500, 2000, unlimited",
        help: "calls per minute for free, basic, pro, enterprise (a number or `unlimited`)",
    },
    flowforge_kit::Var {
        name: "FLOWFORGE_LIMIT_<TIER>_DAY",
        default: "1000, 10000, 50000, unlimited",
        help: "calls per day for free, basic, pro, enterprise",
    },
    flowforge_kit::Var {
        name: "FLOWFORGE_RATE_LIMIT_FAIL_CLOSED",
        default: "false",
        help: "refuse calls while Redis is down",
    },
    flowforge_kit::Var {
        name: "FLOWFORGE_JWT_SECRET",
        default: "",
        help: "accept HS256/384/512 bearer JWTs signed with it (`sub` = consumer name)",
    },
    flowforge_kit::Var {
        name: "FLOWFORGE_JWT_PUBLIC_KEY",
        default: "",
        help: "a PEM or JWK file: accept RS*/PS*/ES256/ES384/EdDSA JWTs it verifies",
    },
    flowforge_kit::Var {
        name: "FLOWFORGE_JWT_JWKS",
        default: "",
        help: "a JWK set file; the token's `kid` picks the key",
    },
    flowforge_kit::Var {
        name: "FLOWFORGE_JWT_ISSUER",
        default: "",
        help: "required `iss` of bearer JWTs",
    },
    flowforge_kit::Var {
        name: "FLOWFORGE_JWT_AUDIENCE",
        default: "",
        help: "required `aud` of bearer JWTs",
    },
    flowforge_kit::Var {
        name: "FLOWFORGE_JWT_LEEWAY",
        default: "30",
        help: "clock skew on exp and nbf, seconds",
    },
    flowforge_kit::Var {
        name: "DATABASE_URL",
        default: "SQLite under FLOWFORGE_DATA_DIR",
        help: "postgres://… for keys and usage",
    },
    flowforge_kit::Var {
        name: "REDIS_URL",
        default: "in process",
        help: "redis://… for rate-limit counters",
    },
    flowforge_kit::Var {
        name: "KONG_ADMIN_URL",
        default: "",
        help: "with it, `flowforge keys …` also updates Kong's consumers",
    },
];
