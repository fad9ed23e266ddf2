//! The ceiling for the HTTP benchmark: a bare axum handler that parses `{"algorithm","data"}`
//! and answers the SHA-256 digest, with no kit (no logging, metrics, request ids, limits).
//! `cargo run --release -p flowforge-crypto --example bare_hash -- 127.0.0.1:3901`

use axum::routing::post;
use serde::{Deserialize, Serialize};
use sha2::Digest;

#[derive(Deserialize)]
struct Req {
    algorithm: String,
    data: String,
}

#[derive(Serialize)]
struct Res {
    algorithm: String,
    digest: String,
    encoding: &'static str,
}

async fn hash(axum::Json(r): axum::Json<Req>) -> axum::Json<Res> {
    axum::Json(Res {
        digest: hex::encode(sha2::Sha256::digest(r.data.as_bytes())),
        algorithm: r.algorithm,
        encoding: "hex",
    })
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3901".into());
    let app = axum::Router::new().route("/api/v1/crypto/hash", post(hash));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await
}
