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

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use flowforge_gateway::GatewayConfig;
use flowforge_kit::Context;
use flowforge_kit::config::{Env, ProcessEnv};
use flowforge_kit::lifecycle::config_exit;

mod keys;
mod models;
mod registry;

// mimalloc: per-thread free lists instead of glibc's arena locks; measured +6% requests/s on the
// small-request benchmark (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// FlowForge: computational and AI operations for workflow automation, all in one process.
#[derive(Parser, Debug)]
#[command(name = "flowforge", version, about)]
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
        command: keys::KeysCommand,
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
    /// Fetch and verify the model files and native libraries the services load.
    Models {
        #[command(subcommand)]
        command: models::ModelsCommand,
    },
}

fn main() -> ExitCode {
    // The PDF service runs PDFium in children of this program (`flowforge pdf-worker`).
    #[cfg(feature = "pdf")]
    if std::env::args().nth(1).as_deref() == Some(flowforge_pdf::worker::WORKER_ARG) {
        return flowforge_pdf::worker::worker_main();
    }
    let matches = Cli::command()
        .after_help(registry::env_help())
        .get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let env: Arc<dyn Env + Send + Sync> = Arc::new(ProcessEnv);
    let mut ctx = match Context::from_env(env.clone(), 8000) {
        Ok(c) => c,
        Err(e) => return config_exit(&e),
    };
    match cli.command {
        Command::Services => {
            for d in registry::services() {
                println!(
                    "{}\t/api/v1/{}\tport {} when run alone\t{}",
                    d.name, d.name, d.port, d.summary
                );
            }
            ExitCode::SUCCESS
        }
        Command::Openapi => match registry::build_app(&ctx) {
            Ok(app) => {
                let mut doc = app.openapi();
                doc.merge(flowforge_gateway::config::usage_openapi());
                flowforge_kit::openapi::finish(&mut doc);
                match serde_json::to_string_pretty(&flowforge_kit::openapi::to_json(&doc)) {
                    Ok(s) => {
                        println!("{s}");
                        ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        ExitCode::FAILURE
                    }
                }
            }
            Err(e) => config_exit(&e),
        },
        Command::Serve { listen } => {
            if let Some(addr) = listen {
                ctx.config.listen = addr;
            }
            let _guard = match flowforge_kit::telemetry::init(env.as_ref()) {
                Ok(g) => g,
                Err(e) => return config_exit(&e),
            };
            let Some(rt) = runtime() else {
                return ExitCode::FAILURE;
            };
            rt.block_on(serve(ctx, env))
        }
        Command::KongConfig => {
            let tiers = match flowforge_gateway::TierLimits::from_env(env.as_ref()) {
                Ok(t) => t,
                Err(e) => return config_exit(&e),
            };
            let ups: Vec<_> = registry::services()
                .into_iter()
                .map(|d| flowforge_gateway::kong::Upstream {
                    name: d.name,
                    port: d.port,
                    max_body_mb: Some(d.max_upload_mb),
                })
                .collect();
            print!(
                "{}",
                flowforge_gateway::kong::kong_yml(&ups, &tiers, ctx.config.body_limit)
            );
            ExitCode::SUCCESS
        }
        Command::Keys { command } => match runtime() {
            Some(rt) => rt.block_on(keys::keys(command, env)),
            None => ExitCode::FAILURE,
        },
        Command::Models { command } => models::models(command, env.as_ref()),
        Command::Usage { days } => match runtime() {
            Some(rt) => rt.block_on(keys::usage(days, env)),
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
        Err(e) => return config_exit(&e),
    };
    let mut app = match registry::build_app(&ctx) {
        Ok(a) => a,
        Err(e) => return config_exit(&e),
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
