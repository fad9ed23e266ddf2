//! The process lifecycle: bind, serve until SIGTERM or SIGINT with a grace period for requests
//! in flight, and the whole life of a single-service binary.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;

use crate::config::{ConfigError, Env, KitConfig};
use crate::service::{App, Context, Service};

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
