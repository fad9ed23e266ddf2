//! `flowforge`: every FlowForge service in one process, on one port, behind the gateway layer.
//!
//! ```text
//! flowforge serve                       # all services on 127.0.0.1:8000
//! flowforge serve --listen 0.0.0.0:8000 # or FLOWFORGE_LISTEN
//! flowforge openapi > openapi.json      # the merged OpenAPI document
//! ```

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use flowforge_gateway::GatewayConfig;
use flowforge_kit::config::{ConfigError, Env, ProcessEnv};
use flowforge_kit::{App, Context};

// mimalloc: per-thread free lists instead of glibc's arena locks; measured +6% requests/s on the
// small-request benchmark (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ENV_HELP: &str = "\
Environment variables (all optional; unset means the embedded default):
  FLOWFORGE_LISTEN            address to listen on                 [default: 127.0.0.1:8000]
  FLOWFORGE_DATA_DIR          where embedded state lives           [default: ./data]
  FLOWFORGE_MODELS_DIR        where model files live               [default: ./models]
  FLOWFORGE_BODY_LIMIT        default request body limit           [default: 10MiB]
  FLOWFORGE_REQUEST_TIMEOUT   default per-request time limit       [default: 30s]
  FLOWFORGE_CPU_THREADS       threads for CPU-heavy work           [default: number of cores]
  FLOWFORGE_CPU_QUEUE         CPU jobs that may wait before 503    [default: 64]
  FLOWFORGE_BATCH_MAX         most items in one batch request      [default: 1000]
  FLOWFORGE_CACHE_TTL         result cache entry lifetime          [default: 1h]
  FLOWFORGE_CACHE_MAX_BYTES   in-process result cache size (without REDIS_URL) [default: 64MiB]
  FLOWFORGE_CORS_ORIGINS      `*` or comma-separated origins       [default: *]
  FLOWFORGE_SHUTDOWN_GRACE    time for requests in flight on stop  [default: 30s]
  FLOWFORGE_METRICS_TOKEN     when set, /metrics needs Authorization: Bearer <token>
  FLOWFORGE_AUTH              API keys and rate limits: on or off  [default: on]
  FLOWFORGE_BOOTSTRAP_KEY     an API key created at start if absent
  FLOWFORGE_BOOTSTRAP_TIER    its tier                             [default: enterprise]
  FLOWFORGE_LIMIT_<TIER>_MINUTE / _DAY  calls per minute / day for free, basic, pro, enterprise
                              (a number or `unlimited`)   [default: 100/1000, 500/10000, 2000/50000, unlimited]
  FLOWFORGE_RATE_LIMIT_FAIL_CLOSED  refuse calls while Redis is down  [default: false]
  FLOWFORGE_JWT_SECRET        accept HS256/384/512 bearer JWTs signed with it (`sub` = consumer name)
  FLOWFORGE_JWT_PUBLIC_KEY    a PEM or JWK file: accept RS*/PS*/ES256/ES384/EdDSA JWTs it verifies
  FLOWFORGE_JWT_JWKS          a JWK set file; the token's `kid` picks the key
  FLOWFORGE_JWT_ISSUER, FLOWFORGE_JWT_AUDIENCE   required iss / aud
  FLOWFORGE_JWT_LEEWAY        clock skew on exp and nbf, seconds   [default: 30]
  DATABASE_URL                postgres://… for keys and usage      [default: SQLite under FLOWFORGE_DATA_DIR]
  REDIS_URL                   redis://… for rate-limit counters    [default: in process]
  KONG_ADMIN_URL              with it, `flowforge keys …` also updates Kong's consumers
  RUST_LOG                    log filter                           [default: info]
  LOG_FORMAT                  json or pretty                       [default: json]
Crypto service:
  CRYPTO_STREAM_LIMIT         largest raw body hashed as it streams [default: 1GiB]
  CRYPTO_JSON_BODY_LIMIT      largest JSON body                     [default: FLOWFORGE_BODY_LIMIT]
  CRYPTO_KDF_MAX_MEMORY_KIB   most Argon2id memory a request may ask [default: 262144]
  CRYPTO_KDF_MAX_ITERATIONS   most Argon2id iterations              [default: 10]
  CRYPTO_KDF_MAX_PARALLELISM  most Argon2id lanes                   [default: 8]
  CRYPTO_RANDOM_MAX_BYTES     most random bytes per request         [default: 65536]
  CRYPTO_RANDOM_MAX_COUNT     most UUIDs/passwords/tokens per call  [default: 1000]
Math service:
  MATH_MAX_MATRIX_DIM         largest matrix side                   [default: 2000]
  MATH_EXPR_MAX_LENGTH        longest expression (characters)       [default: 10000]
  MATH_EXPR_MAX_DEPTH         deepest expression nesting            [default: 64]
  MATH_MAX_VARIABLE_SETS      most variable sets per evaluate call  [default: 100000]
Data-transform service:
  DATA_MAX_INPUT_MB           largest body for jq and convert (MiB) [default: 256]
  DATA_TIMEOUT_SECS           time limit of jq and convert          [default: 30]
  DATA_JQ_MAX_OUTPUTS         most outputs of one jq filter         [default: 1000000]
  DATA_JQ_TIMEOUT_MS          time a jq filter may run              [default: 10000]
  DATA_JQ_THREADS             threads one jq request may use        [default: all cores]
  DATA_MAX_DEPTH              deepest JSON, XML or HTML nesting     [default: 512]
  DATA_CSV_MAX_ROWS           most CSV or spreadsheet rows          [default: 5000000]
  DATA_CSV_MAX_COLUMNS        most CSV or spreadsheet columns       [default: 10000]
  DATA_SHEET_MAX_UNZIPPED_MB  most an XLSX/ODS may decompress to    [default: 512]
  DATA_REGEX_MAX_SIZE         compiled size of a regex (bytes)      [default: 1048576]
  DATA_TEMPLATE_FUEL          instructions one template may run     [default: 50000000]
  DATA_TEMPLATE_MAX_OUTPUT    largest rendered template (bytes)     [default: 16777216]
  DATA_TEMPLATE_MAX_DEPTH     deepest include or macro nesting      [default: 100]
Image service:
  IMAGE_MAX_INPUT_MB          largest image upload (MiB)            [default: 50]
  IMAGE_MAX_PIXELS            most pixels an input may have         [default: 100000000]
  IMAGE_MAX_OUTPUT_PIXELS     most pixels an output may have        [default: 100000000]
  IMAGE_MAX_OPERATIONS        most steps in one pipeline            [default: 32]
  IMAGE_TIMEOUT_SECS          time limit of an image operation      [default: 30]
  IMAGE_FETCH_ALLOW_PRIVATE   let `url` reach private addresses     [default: false]
  IMAGE_FETCH_TIMEOUT_SECS    time to fetch a `url`                 [default: 20]

Endpoints: /api/v1/<service>/<operation> (POST), /health, /metrics, /openapi.json, /docs.";

/// FlowForge: computational and AI operations for workflow automation, all in one process.
#[derive(Parser, Debug)]
#[command(name = "flowforge", version, about, after_help = ENV_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve every service under /api/v1/<service>, with /health, /metrics, /openapi.json and /docs.
    Serve {
        /// Address to listen on (overrides FLOWFORGE_LISTEN), e.g. 127.0.0.1:8000 or 0.0.0.0:8000.
        #[arg(long, value_name = "ADDR")]
        listen: Option<SocketAddr>,
    },
    /// Print the merged OpenAPI document of every service to standard output.
    Openapi,
    /// Manage consumers and API keys (DATABASE_URL or the SQLite file under FLOWFORGE_DATA_DIR).
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Print the declarative Kong configuration (kong/kong.yml) for these services and tiers.
    KongConfig,
    /// Show calls per consumer, service and day.
    Usage {
        /// Days back, today included.
        #[arg(long, default_value_t = 30)]
        days: u32,
    },
    /// List the services compiled into this binary.
    Services,
}

#[derive(Subcommand, Debug)]
enum KeysCommand {
    /// Create a consumer and its first key; prints the key alone on standard output (shown once):
    /// `KEY=$(flowforge keys create --name acme --tier pro)`.
    Create {
        /// Consumer name (unique). An existing consumer gets an additional key (rotation).
        #[arg(long)]
        name: String,
        /// free, basic, pro or enterprise (for a new consumer).
        #[arg(long, default_value = "free")]
        tier: flowforge_gateway::Tier,
    },
    /// List consumers and their keys (prefixes only).
    List,
    /// Revoke one key (give the whole key) or every key of a consumer (give its name).
    Revoke {
        /// The key, or a consumer name.
        key_or_name: String,
    },
    /// Change a consumer's tier.
    SetTier {
        /// Consumer name.
        #[arg(long)]
        name: String,
        /// free, basic, pro or enterprise.
        #[arg(long)]
        tier: flowforge_gateway::Tier,
    },
}

/// Build the application from every service compiled in (one cargo feature per service).
fn build_app(ctx: &Context) -> Result<App, ConfigError> {
    #[allow(unused_mut)]
    let mut app = App::new("FlowForge", ctx.config.clone());
    #[cfg(feature = "crypto")]
    {
        app = app.service(flowforge_crypto::service(ctx)?);
    }
    #[cfg(feature = "math")]
    {
        app = app.service(flowforge_math::service(ctx)?);
    }
    #[cfg(feature = "data")]
    {
        app = app.service(flowforge_data::service(ctx)?);
    }
    #[cfg(feature = "image")]
    {
        app = app.service(flowforge_image::service(ctx)?);
    }
    Ok(app)
}

/// Every service compiled in: name, port when run alone, and a larger body limit (MiB) for the
/// gateway in front when the service takes files.
fn services() -> Vec<(&'static str, u16, Option<u64>)> {
    vec![
        #[cfg(feature = "crypto")]
        (
            flowforge_crypto::NAME,
            flowforge_crypto::PORT,
            Some(flowforge_crypto::MAX_UPLOAD_MB),
        ),
        #[cfg(feature = "math")]
        (
            flowforge_math::NAME,
            flowforge_math::PORT,
            Some(flowforge_math::MAX_UPLOAD_MB),
        ),
        #[cfg(feature = "data")]
        (
            flowforge_data::NAME,
            flowforge_data::PORT,
            Some(flowforge_data::MAX_UPLOAD_MB),
        ),
        #[cfg(feature = "image")]
        (
            flowforge_image::NAME,
            flowforge_image::PORT,
            // Base64 in JSON is a third larger than the file.
            Some(flowforge_image::MAX_UPLOAD_MB * 4 / 3 + 1),
        ),
    ]
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let env: Arc<dyn Env + Send + Sync> = Arc::new(ProcessEnv);
    let mut ctx = match Context::from_env(env.clone(), 8000) {
        Ok(c) => c,
        Err(e) => return flowforge_kit::service::config_exit(&e),
    };
    match cli.command {
        Command::Services => {
            for (name, port, _) in services() {
                println!("{name}\t/api/v1/{name}\tport {port} when run alone");
            }
            ExitCode::SUCCESS
        }
        Command::Openapi => match build_app(&ctx) {
            Ok(app) => match serde_json::to_string_pretty(&{
                let mut doc = app.openapi();
                doc.merge(flowforge_gateway::config::usage_openapi());
                doc
            }) {
                Ok(s) => {
                    println!("{s}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            },
            Err(e) => flowforge_kit::service::config_exit(&e),
        },
        Command::Serve { listen } => {
            if let Some(addr) = listen {
                ctx.config.listen = addr;
            }
            let _guard = match flowforge_kit::telemetry::init(env.as_ref()) {
                Ok(g) => g,
                Err(e) => return flowforge_kit::service::config_exit(&e),
            };
            let Some(rt) = runtime() else {
                return ExitCode::FAILURE;
            };
            rt.block_on(serve(ctx, env))
        }
        Command::KongConfig => {
            let tiers = match flowforge_gateway::TierLimits::from_env(env.as_ref()) {
                Ok(t) => t,
                Err(e) => return flowforge_kit::service::config_exit(&e),
            };
            let ups: Vec<_> = services()
                .into_iter()
                .map(
                    |(name, port, max_body_mb)| flowforge_gateway::kong::Upstream {
                        name,
                        port,
                        max_body_mb,
                    },
                )
                .collect();
            print!(
                "{}",
                flowforge_gateway::kong::kong_yml(&ups, &tiers, ctx.config.body_limit)
            );
            ExitCode::SUCCESS
        }
        Command::Keys { command } => match runtime() {
            Some(rt) => rt.block_on(keys(command, env)),
            None => ExitCode::FAILURE,
        },
        Command::Usage { days } => match runtime() {
            Some(rt) => rt.block_on(usage(days, env)),
            None => ExitCode::FAILURE,
        },
    }
}

fn runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => Some(rt),
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            None
        }
    }
}

async fn serve(ctx: Context, env: Arc<dyn Env + Send + Sync>) -> ExitCode {
    let gcfg = match GatewayConfig::from_env(env.as_ref()) {
        Ok(c) => c,
        Err(e) => return flowforge_kit::service::config_exit(&e),
    };
    let mut app = match build_app(&ctx) {
        Ok(a) => a,
        Err(e) => return flowforge_kit::service::config_exit(&e),
    };
    let mut gateway = None;
    if gcfg.enabled {
        let gw = match gcfg.build().await {
            Ok(g) => Arc::new(g),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        match flowforge_gateway::bootstrap(gw.store(), &gcfg).await {
            Ok(flowforge_gateway::Bootstrap::Generated(key)) => {
                let l = ctx.config.listen;
                eprintln!(
                    "\nNo API key existed, so FlowForge made one (shown only this once; keep it):\n\n    {key}\n\nTry it:\n\n    curl -s http://{l}/api/v1/crypto/hash -H 'X-API-Key: {key}' \\\n      -H 'content-type: application/json' -d '{{\"algorithm\":\"sha256\",\"data\":\"hello\"}}'\n\nMore keys: flowforge keys create --name NAME --tier free|basic|pro|enterprise\n"
                );
            }
            Ok(_) => {}
            Err(e) => {
                eprintln!("error: cannot create the bootstrap key: {e}");
                return ExitCode::FAILURE;
            }
        }
        gw.spawn_usage_writer(std::time::Duration::from_secs(5));
        for c in flowforge_gateway::checks(&gw) {
            app = app.check(c);
        }
        app = app.service(flowforge_gateway::usage_service(gw.clone()));
        let g = gw.clone();
        app = app.api_layer(move |r| {
            r.layer(axum::middleware::from_fn_with_state(
                g,
                flowforge_gateway::gate,
            ))
        });
        gateway = Some(gw);
    } else {
        tracing::warn!(
            "FLOWFORGE_AUTH=off: no API keys, no rate limits; for local experiments only"
        );
    }
    let res = flowforge_kit::serve(
        app.into_router(),
        ctx.config.listen,
        ctx.config.shutdown_grace,
    )
    .await;
    if let Some(gw) = gateway {
        gw.flush_usage().await;
    }
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot serve on {}: {e}", ctx.config.listen);
            ExitCode::FAILURE
        }
    }
}

async fn open_store(
    env: &Arc<dyn Env + Send + Sync>,
) -> Result<flowforge_gateway::Store, ExitCode> {
    let gcfg = GatewayConfig::from_env(env.as_ref())
        .map_err(|e| flowforge_kit::service::config_exit(&e))?;
    gcfg.open_store().await.map_err(|e| {
        eprintln!("error: cannot open the key store: {e}");
        ExitCode::FAILURE
    })
}

async fn keys(cmd: KeysCommand, env: Arc<dyn Env + Send + Sync>) -> ExitCode {
    let store = match open_store(&env).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    let tiers = match flowforge_gateway::TierLimits::from_env(env.as_ref()) {
        Ok(t) => t,
        Err(e) => return flowforge_kit::service::config_exit(&e),
    };
    // With KONG_ADMIN_URL, Kong's consumers follow every change (see docs/gateway.md).
    let kong = env
        .get("KONG_ADMIN_URL")
        .map(|u| flowforge_gateway::kong_admin::KongAdmin::new(&u));
    let cache = flowforge_gateway::gate::KEY_CACHE_TTL.as_secs();
    let res: Result<Option<Result<(), String>>, flowforge_gateway::StoreError> = async {
        Ok(match cmd {
            KeysCommand::Create { name, tier } => match store.find_consumer(&name).await? {
                Some(c) => {
                    let key = store.add_key(&name).await?;
                    eprintln!(
                        "added a key to existing consumer {name} ({} tier); shown once:",
                        c.tier
                    );
                    println!("{key}");
                    match &kong {
                        Some(k) => Some(k.add_key(&name, &key).await),
                        None => None,
                    }
                }
                None => {
                    let (c, key) = store.create_consumer(&name, tier).await?;
                    eprintln!(
                        "created consumer {} ({} tier); its key, shown once:",
                        c.name, c.tier
                    );
                    println!("{key}");
                    match &kong {
                        Some(k) => Some(k.create_consumer(&c, &key, &tiers).await),
                        None => None,
                    }
                }
            },
            KeysCommand::List => {
                println!(
                    "{:<24} {:<11} {:<12} {:<10} status",
                    "consumer", "tier", "key", "created"
                );
                for (c, keys) in store.list().await? {
                    for k in keys {
                        let status = if k.revoked_at.is_some() {
                            "revoked"
                        } else {
                            "active"
                        };
                        let created = &flowforge_kit::time::iso(k.created_at)[..10];
                        println!(
                            "{:<24} {:<11} {:<12} {:<10} {status}",
                            c.name,
                            c.tier.name(),
                            format!("{}…", k.prefix),
                            created
                        );
                    }
                }
                None
            }
            KeysCommand::Revoke { key_or_name } => {
                let is_key = store.find_by_key(&key_or_name).await?.is_some();
                let n = store.revoke(&key_or_name).await?;
                eprintln!("revoked {n} key(s); they stop working within {cache} seconds");
                match &kong {
                    Some(k) if is_key => Some(k.revoke_key(&key_or_name).await),
                    Some(k) => Some(k.revoke_consumer(&key_or_name).await),
                    None => None,
                }
            }
            KeysCommand::SetTier { name, tier } => {
                store.set_tier(&name, tier).await?;
                eprintln!("{name} is now on the {tier} tier (effective within {cache} seconds)");
                match &kong {
                    Some(k) => Some(k.set_tier(&name, tier, &tiers).await),
                    None => None,
                }
            }
        })
    }
    .await;
    match res {
        Ok(None) | Ok(Some(Ok(()))) => ExitCode::SUCCESS,
        Ok(Some(Err(e))) => {
            eprintln!(
                "error: FlowForge's key store was updated but Kong was not: {e}\nfix Kong by hand or run the command again once KONG_ADMIN_URL answers"
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn usage(days: u32, env: Arc<dyn Env + Send + Sync>) -> ExitCode {
    let store = match open_store(&env).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    match store
        .usage(None, &flowforge_gateway::config::since_day(days.max(1)))
        .await
    {
        Ok(rows) => {
            println!(
                "{:<24} {:<16} {:<10} {:>10}",
                "consumer", "service", "day", "calls"
            );
            for r in rows {
                println!(
                    "{:<24} {:<16} {:<10} {:>10}",
                    r.consumer, r.service, r.day, r.calls
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
