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
  FLOWFORGE_CORS_ORIGINS      `*` or comma-separated origins       [default: *]
  FLOWFORGE_SHUTDOWN_GRACE    time for requests in flight on stop  [default: 30s]
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
    /// List the services compiled into this binary.
    Services,
}

/// Build the application from every service compiled in (one cargo feature per service).
fn build_app(ctx: &Context) -> Result<App, ConfigError> {
    #[allow(unused_mut)]
    let mut app = App::new("FlowForge", ctx.config.clone());
    #[cfg(feature = "crypto")]
    {
        app = app.service(flowforge_crypto::service(ctx)?);
    }
    Ok(app)
}

fn services() -> Vec<(&'static str, u16)> {
    vec![
        #[cfg(feature = "crypto")]
        (flowforge_crypto::NAME, flowforge_crypto::PORT),
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
            for (name, port) in services() {
                println!("{name}\t/api/v1/{name}\tport {port} when run alone");
            }
            ExitCode::SUCCESS
        }
        Command::Openapi => match build_app(&ctx) {
            Ok(app) => match serde_json::to_string_pretty(&app.openapi()) {
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
            let app = match build_app(&ctx) {
                Ok(a) => a,
                Err(e) => return flowforge_kit::service::config_exit(&e),
            };
            flowforge_kit::service::serve_blocking(app.into_router(), &ctx.config)
        }
    }
}
