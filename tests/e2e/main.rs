//! End-to-end tests: start the real `flowforge` binary on a free port and call it over HTTP.

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

/// The key every test server is started with (`FLOWFORGE_BOOTSTRAP_KEY`).
const KEY: &str = "ff_e2e-test-key-0123456789abcdefghijklmnopqrstu";

/// A running `flowforge serve` on embedded defaults in a fresh data directory, killed on drop.
struct Server {
    child: Child,
    base: String,
    data: std::path::PathBuf,
}

impl Server {
    fn start(env: &[(&str, &str)]) -> Server {
        let data = std::env::temp_dir()
            .join(format!("ff-e2e-{}", std::process::id()))
            .join(format!("{:?}", std::thread::current().id()).replace(['(', ')'], ""))
            .join(format!(
                "{}",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos()
            ));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_flowforge"));
        cmd.args(["serve", "--listen", "127.0.0.1:0"])
            .env_remove("FLOWFORGE_LISTEN")
            .env_remove("DATABASE_URL")
            .env_remove("REDIS_URL")
            .env("FLOWFORGE_DATA_DIR", &data)
            .env("FLOWFORGE_BOOTSTRAP_KEY", KEY)
            .env("LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start flowforge");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("flowforge exited before listening")
                .expect("read");
            let v: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
            if v["message"] == "listening" {
                break v["listen"].as_str().expect("listen").to_string();
            }
        };
        // Keep draining the log so the pipe never fills.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            base: format!("http://{addr}"),
            data,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Run a `flowforge` command (keys, usage) against this server's key store.
    fn cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_flowforge"))
            .args(args)
            .env_remove("DATABASE_URL")
            .env("FLOWFORGE_DATA_DIR", &self.data)
            .output()
            .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// A client that sends the test key.
fn client() -> reqwest::Client {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert("x-api-key", reqwest::header::HeaderValue::from_static(KEY));
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .default_headers(h)
        .build()
        .expect("client")
}

#[tokio::test]
async fn the_binary_serves_health_openapi_docs_and_json_errors() {
    let s = Server::start(&[]);
    let c = client();
    let h: Value = c
        .get(s.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h["status"], "healthy");
    assert!(h["services"].as_array().unwrap().contains(&json!("crypto")));
    let doc: Value = c
        .get(s.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/crypto/hash"]["post"].is_object());
    assert!(doc["paths"]["/health"]["get"].is_object());
    // Every operation of every service: a 200, a 400 and a request body whose schema carries an
    // example.
    let paths = doc["paths"].as_object().unwrap();
    // The services the binary's registry holds (`flowforge services`), not a list kept here.
    let listed = Command::new(env!("CARGO_BIN_EXE_flowforge"))
        .arg("services")
        .output()
        .unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    let names: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert!(names.len() >= 4, "{listed}");
    for service in names {
        assert!(
            h["services"].as_array().unwrap().contains(&json!(service)),
            "{service} is not served"
        );
        let prefix = format!("/api/v1/{service}/");
        let ops: Vec<_> = paths.keys().filter(|p| p.starts_with(&prefix)).collect();
        assert!(ops.len() >= 5, "{service}: {ops:?}");
        for p in ops {
            let post = &paths[p]["post"];
            assert!(post.is_object(), "{p} has no POST");
            assert!(post["responses"]["200"].is_object(), "{p} has no 200");
            assert!(post["responses"]["400"].is_object(), "{p} has no 400");
            assert!(post["requestBody"].is_object(), "{p} has no request body");
            let schema = &post["requestBody"]["content"]["application/json"]["schema"]["$ref"];
            let name = schema
                .as_str()
                .unwrap_or_default()
                .rsplit('/')
                .next()
                .unwrap_or_default();
            let example = &doc["components"]["schemas"][name]["example"];
            assert!(!example.is_null(), "{p}: schema {name} has no example");
        }
    }
    let page = c.get(s.url("/docs/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("swagger-ui"),
        "the reference page is served from the binary"
    );
    assert!(!html.contains("cdn."), "no CDN assets");
    let r = c.get(s.url("/nowhere")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "NOT_FOUND");
    let metrics = c
        .get(s.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("http_requests_total"));
}

#[tokio::test]
async fn hashing_and_encryption_work_over_http_with_the_documented_shapes() {
    let s = Server::start(&[]);
    let c = client();
    let v: Value = c
        .post(s.url("/api/v1/crypto/hash"))
        .json(&json!({"algorithm":"sha256","data":"hello"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        v,
        json!({"algorithm":"sha256","digest":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","encoding":"hex","bytes":5})
    );
    let raw: Value = c
        .post(s.url("/api/v1/crypto/hash?algorithm=sha256"))
        .header("content-type", "application/octet-stream")
        .body(vec![7u8; 3 << 20])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["bytes"], 3 << 20);
    let enc: Value = c
        .post(s.url("/api/v1/crypto/encrypt"))
        .json(&json!({"algorithm":"aes-256-gcm","passphrase":"pw","plaintext":"secret"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let dec: Value = c
        .post(s.url("/api/v1/crypto/decrypt"))
        .json(&json!({"passphrase":"pw","token":enc["token"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(dec["plaintext"], "secret");
}

#[tokio::test]
async fn limits_answer_413_and_504_and_the_process_keeps_serving() {
    let s = Server::start(&[
        ("FLOWFORGE_BODY_LIMIT", "1KiB"),
        ("FLOWFORGE_REQUEST_TIMEOUT", "20ms"),
    ]);
    let c = client();
    let r = c
        .post(s.url("/api/v1/crypto/hmac"))
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"algorithm":"sha256","key":"k","data":"{}"}}"#,
            "a".repeat(2000)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "PAYLOAD_TOO_LARGE");
    let r = c
        .post(s.url("/api/v1/crypto/encrypt"))
        .json(&json!({"passphrase":"pw","plaintext":"x","kdf":{"m":262144,"t":10,"p":1}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 504);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "TIMEOUT");
    let r = c.get(s.url("/health")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn sigterm_lets_a_request_in_flight_finish() {
    let mut s = Server::start(&[]);
    let c = client();
    let url = s.url("/api/v1/crypto/encrypt");
    let slow = tokio::spawn(async move {
        c.post(url)
            .json(&json!({"passphrase":"pw","plaintext":"x","kdf":{"m":131072,"t":10,"p":1}}))
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let pid = s.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let status = slow
        .await
        .unwrap()
        .expect("the request in flight was answered");
    assert_eq!(status, 200);
    let code = s.child.wait().unwrap();
    assert!(code.success(), "exit status {code:?}");
}

#[test]
fn a_bad_configuration_value_stops_the_process_with_a_message() {
    let out = Command::new(env!("CARGO_BIN_EXE_flowforge"))
        .args(["serve"])
        .env("FLOWFORGE_LISTEN", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("FLOWFORGE_LISTEN"), "{err}");
    assert!(err.contains("not-an-address"), "{err}");
    assert!(err.contains("expected"), "{err}");
}

#[test]
fn help_explains_the_commands_and_variables() {
    let out = Command::new(env!("CARGO_BIN_EXE_flowforge"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for word in [
        "serve",
        "openapi",
        "FLOWFORGE_LISTEN",
        "RUST_LOG",
        "LOG_FORMAT",
        "CRYPTO_STREAM_LIMIT",
    ] {
        assert!(text.contains(word), "--help lacks {word}: {text}");
    }
}

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let out = Command::new(env!("CARGO_BIN_EXE_flowforge"))
        .arg("openapi")
        .output()
        .unwrap();
    assert!(out.status.success());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap();
    assert!(
        committed == String::from_utf8_lossy(&out.stdout),
        "docs/openapi.json is stale: regenerate it with `cargo run -p flowforge -- openapi > docs/openapi.json`"
    );
}

#[tokio::test]
async fn calls_need_a_key_and_a_tier_s_limit_answers_429_with_retry_after() {
    let s = Server::start(&[("FLOWFORGE_LIMIT_ENTERPRISE_MINUTE", "2")]);
    let bare = reqwest::Client::new();
    let r = hash_call(&bare, &s).await;
    assert_eq!(r.status(), 401);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "UNAUTHORIZED");
    let r = bare
        .post(s.url("/api/v1/crypto/hash"))
        .header("authorization", "Bearer ff_wrong")
        .json(&json!({"algorithm":"md5","data":"x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // /health, /openapi.json and /docs need no key.
    assert_eq!(
        bare.get(s.url("/health")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        bare.get(s.url("/openapi.json"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let c = client();
    for left in [1, 0] {
        let r = hash_call(&c, &s).await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.headers()["x-ratelimit-remaining-minute"],
            left.to_string().as_str()
        );
    }
    let r = hash_call(&c, &s).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "RATE_LIMITED");
}

#[tokio::test]
async fn keys_made_by_the_cli_work_at_once_and_revoked_ones_stop_within_the_cache_time() {
    let s = Server::start(&[]);
    let cli = |args: &[&str]| s.cli(args);
    let out = cli(&["keys", "create", "--name", "acme", "--tier", "pro"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(
        key.starts_with("ff_") && !key.contains(char::is_whitespace),
        "the key alone on stdout: {key:?}"
    );
    let call = |k: String| {
        let url = s.url("/api/v1/usage");
        async move {
            reqwest::Client::new()
                .get(url)
                .header("x-api-key", k)
                .send()
                .await
                .unwrap()
        }
    };
    let r = call(key.clone()).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["consumer"], "acme");
    assert_eq!(v["tier"], "pro");
    let list = cli(&["keys", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("acme"));
    assert!(
        !String::from_utf8_lossy(&list.stdout).contains(&key),
        "keys are never listed whole"
    );
    assert!(cli(&["keys", "revoke", "acme"]).status.success());
    tokio::time::sleep(Duration::from_millis(5200)).await;
    assert_eq!(call(key).await.status(), 401);
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A private redis-server on its own port, so a test can kill and restart it.
struct PrivateRedis {
    port: u16,
    child: Option<Child>,
}

impl PrivateRedis {
    fn start(port: u16) -> Option<PrivateRedis> {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .spawn()
            .ok()?;
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(PrivateRedis {
                    port,
                    child: Some(child),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// POST a small md5 hash request to `s` with client `c`.
async fn hash_call(c: &reqwest::Client, s: &Server) -> reqwest::Response {
    c.post(s.url("/api/v1/crypto/hash"))
        .json(&json!({"algorithm":"md5","data":"x"}))
        .send()
        .await
        .unwrap()
}

async fn hash_status(c: &reqwest::Client, s: &Server) -> u16 {
    hash_call(c, s).await.status().as_u16()
}

#[tokio::test]
async fn redis_going_away_fails_open_and_limits_return_with_it() {
    let port = free_port();
    let Some(mut redis) = PrivateRedis::start(port) else {
        println!("skipped: redis-server is not installed here");
        return;
    };
    let url = format!("redis://127.0.0.1:{}", redis.port);
    let s = Server::start(&[
        ("REDIS_URL", &url),
        ("FLOWFORGE_LIMIT_ENTERPRISE_MINUTE", "3"),
    ]);
    let c = client();
    assert_eq!(hash_status(&c, &s).await, 200);
    assert_eq!(hash_status(&c, &s).await, 200);
    redis.kill();
    // Redis gone: calls go on (fail open) and health says degraded.
    for _ in 0..4 {
        assert_eq!(hash_status(&c, &s).await, 200);
    }
    let h: Value = c
        .get(s.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h["status"], "degraded", "{h}");
    assert_eq!(h["checks"]["redis"], "degraded");
    // Redis back (empty): counting resumes and the limit holds again.
    let _redis = PrivateRedis::start(port).expect("redis restarts");
    let mut codes = Vec::new();
    for _ in 0..5 {
        codes.push(hash_status(&c, &s).await);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        codes.contains(&429),
        "limit enforced again after Redis returned: {codes:?}"
    );
    let h: Value = c
        .get(s.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h["status"], "healthy", "{h}");
}

#[tokio::test]
async fn a_day_limit_answers_429_until_midnight_utc() {
    let s = Server::start(&[("FLOWFORGE_LIMIT_ENTERPRISE_DAY", "2")]);
    let c = client();
    assert_eq!(hash_status(&c, &s).await, 200);
    assert_eq!(hash_status(&c, &s).await, 200);
    let r = hash_call(&c, &s).await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["x-ratelimit-remaining-day"], "0");
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let to_midnight = 86_400
        - (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            % 86_400);
    assert!(
        retry.abs_diff(to_midnight) <= 2,
        "retry-after {retry} vs {to_midnight}"
    );
}

#[tokio::test]
async fn a_tier_change_takes_effect_within_the_cache_time() {
    let s = Server::start(&[("FLOWFORGE_LIMIT_FREE_MINUTE", "1")]);
    let cli = |args: &[&str]| s.cli(args);
    let key =
        String::from_utf8(cli(&["keys", "create", "--name", "small", "--tier", "free"]).stdout)
            .unwrap()
            .trim()
            .to_string();
    let c = reqwest::Client::new();
    let call = || {
        c.post(s.url("/api/v1/crypto/hash"))
            .header("x-api-key", &key)
            .json(&json!({"algorithm":"md5","data":"x"}))
            .send()
    };
    assert_eq!(call().await.unwrap().status(), 200);
    assert_eq!(call().await.unwrap().status(), 429);
    assert!(
        cli(&["keys", "set-tier", "--name", "small", "--tier", "pro"])
            .status
            .success()
    );
    tokio::time::sleep(Duration::from_millis(5200)).await;
    assert_eq!(call().await.unwrap().status(), 200);
}

fn jwt(
    alg: flowforge_crypto::jwt::JwtAlgorithm,
    key: flowforge_crypto::jwt::SigningKey,
    claims: Value,
) -> String {
    let claims = claims.as_object().unwrap().clone();
    flowforge_crypto::jwt::sign(alg, &key, &serde_json::Map::new(), &claims).unwrap()
}

#[tokio::test]
async fn jwt_bearer_tokens_name_their_consumer_by_sub_and_failures_say_why() {
    use flowforge_crypto::jwt::{JwtAlgorithm, SigningKey};
    use flowforge_crypto::keys::{KeyType, PrivateKey};
    let rsa = PrivateKey::generate(KeyType::Ed25519, None).unwrap();
    let dir = std::env::temp_dir().join(format!("ff-jwt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pem = dir.join("pub.pem");
    std::fs::write(&pem, rsa.public().to_pem().unwrap()).unwrap();
    let s = Server::start(&[
        ("FLOWFORGE_JWT_SECRET", "hs-secret"),
        ("FLOWFORGE_JWT_PUBLIC_KEY", pem.to_str().unwrap()),
        ("FLOWFORGE_JWT_LEEWAY", "0"),
    ]);
    let now = flowforge_kit::time::now();
    let bare = reqwest::Client::new();
    let call = |token: String| {
        let url = s.url("/api/v1/usage");
        let c = bare.clone();
        async move { c.get(url).bearer_auth(token).send().await.unwrap() }
    };
    let hs = |claims: Value| {
        jwt(
            JwtAlgorithm::Hs256,
            SigningKey::Secret(b"hs-secret".to_vec()),
            claims,
        )
    };
    let r = call(hs(json!({"sub":"bootstrap","exp":now + 60}))).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["consumer"], "bootstrap");
    let r = call(jwt(
        JwtAlgorithm::EdDsa,
        SigningKey::Private(Box::new(rsa.clone())),
        json!({"sub":"bootstrap"}),
    ))
    .await;
    assert_eq!(r.status(), 200);
    let failures = [
        (
            jwt(
                JwtAlgorithm::Hs256,
                SigningKey::Secret(b"other".to_vec()),
                json!({"sub":"bootstrap"}),
            ),
            "signature",
        ),
        (hs(json!({"sub":"bootstrap","exp":now - 10})), "expired"),
        (hs(json!({"sub":"nobody"})), "not a known consumer"),
        (hs(json!({"name":"no sub"})), "sub"),
    ];
    for (token, why) in failures {
        let r = call(token).await;
        assert_eq!(r.status(), 401);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "UNAUTHORIZED");
        assert!(
            v["error"]["message"].as_str().unwrap().contains(why),
            "{why}: {v}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_committed_kong_configuration_matches_the_code() {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flowforge"));
    cmd.arg("kong-config").env_remove("FLOWFORGE_BODY_LIMIT");
    for (k, _) in std::env::vars() {
        if k.starts_with("FLOWFORGE_LIMIT_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../kong/kong.yml");
    let committed = std::fs::read_to_string(path).unwrap();
    assert!(
        committed == String::from_utf8_lossy(&out.stdout),
        "kong/kong.yml is stale: regenerate it with `cargo run -p flowforge -- kong-config > kong/kong.yml`"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_redis_let_exactly_a_free_key_s_limit_through() {
    let port = free_port();
    let Some(_redis) = PrivateRedis::start(port) else {
        println!("skipped: redis-server is not installed here");
        return;
    };
    let url = format!("redis://127.0.0.1:{port}");
    let a = Server::start(&[("REDIS_URL", &url)]);
    // The second instance shares the first's key store (the same SQLite file) and Redis.
    let out = a.cli(&["keys", "create", "--name", "free-user", "--tier", "free"]);
    let key = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let b = Server::start(&[
        ("REDIS_URL", &url),
        ("FLOWFORGE_DATA_DIR", a.data.to_str().unwrap()),
    ]);
    let c = reqwest::Client::new();
    let mut tasks = Vec::new();
    for i in 0..64 {
        let base = if i % 2 == 0 {
            a.url("/api/v1/crypto/hash")
        } else {
            b.url("/api/v1/crypto/hash")
        };
        let c = c.clone();
        let key = key.clone();
        tasks.push(tokio::spawn(async move {
            let mut codes = Vec::new();
            for _ in 0..3 {
                let r = c
                    .post(&base)
                    .header("x-api-key", &key)
                    .json(&json!({"algorithm":"md5","data":"x"}))
                    .send()
                    .await
                    .unwrap();
                if r.status() == 429 {
                    assert!(r.headers().contains_key("retry-after"));
                }
                codes.push(r.status().as_u16());
            }
            codes
        }));
    }
    let mut ok = 0;
    let mut limited = 0;
    for t in tasks {
        for code in t.await.unwrap() {
            match code {
                200 => ok += 1,
                429 => limited += 1,
                other => panic!("unexpected status {other}"),
            }
        }
    }
    // 192 calls in (almost certainly) one minute; across a minute boundary a second window opens.
    assert!(ok == 100 || (ok > 100 && ok <= 192), "{ok} succeeded");
    if flowforge_kit::time::now() % 60 > 5 {
        assert_eq!(
            ok, 100,
            "exactly the free tier's 100 per minute, across two instances"
        );
    }
    assert_eq!(ok + limited, 192);
}

#[tokio::test]
async fn configured_to_fail_closed_a_dead_redis_refuses_calls_with_503() {
    let dead = format!("redis://127.0.0.1:{}", free_port());
    let s = Server::start(&[
        ("REDIS_URL", &dead),
        ("FLOWFORGE_RATE_LIMIT_FAIL_CLOSED", "true"),
        ("FLOWFORGE_LIMIT_ENTERPRISE_MINUTE", "1000"),
    ]);
    let c = client();
    let r = hash_call(&c, &s).await;
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("retry-after"));
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "SERVICE_UNAVAILABLE");
}

#[tokio::test]
async fn a_jwks_file_verifies_tokens_by_their_kid() {
    use flowforge_crypto::jwt::{JwtAlgorithm, SigningKey};
    use flowforge_crypto::keys::{KeyType, PrivateKey};
    let k1 = PrivateKey::generate(KeyType::P256, None).unwrap();
    let k2 = PrivateKey::generate(KeyType::P256, None).unwrap();
    let mut j1 = k1.public().to_jwk().unwrap();
    j1["kid"] = json!("one");
    let mut j2 = k2.public().to_jwk().unwrap();
    j2["kid"] = json!("two");
    let path = std::env::temp_dir().join(format!("ff-jwks-{}.json", std::process::id()));
    std::fs::write(&path, json!({"keys":[j1, j2]}).to_string()).unwrap();
    let s = Server::start(&[("FLOWFORGE_JWT_JWKS", path.to_str().unwrap())]);
    let token = |k: &PrivateKey, kid: &str| {
        let claims = json!({"sub":"bootstrap"}).as_object().unwrap().clone();
        let header = json!({"kid": kid}).as_object().unwrap().clone();
        flowforge_crypto::jwt::sign(
            JwtAlgorithm::Es256,
            &SigningKey::Private(Box::new(k.clone())),
            &header,
            &claims,
        )
        .unwrap()
    };
    let c = reqwest::Client::new();
    let status = |t: String| {
        let url = s.url("/api/v1/usage");
        let c = c.clone();
        async move {
            c.get(url)
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(status(token(&k2, "two")).await, 200);
    assert_eq!(status(token(&k1, "one")).await, 200);
    assert_eq!(
        status(token(&k1, "two")).await,
        401,
        "signed by key one, names key two"
    );
    let _ = std::fs::remove_file(path);
}
