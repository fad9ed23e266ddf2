//! The gateway's backends for real: SQLite always, PostgreSQL when `DATABASE_URL` is set, Redis
//! when `REDIS_URL` is set (CI sets both; without them these tests say they were skipped and why).

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

use std::sync::Arc;

use flowforge_gateway::limiter::RedisLimiter;
use flowforge_gateway::{Limits, Store, StoreError, Tier};
use sqlx::Connection;

async fn exercise(store: &Store) {
    let (alice, key) = store.create_consumer("alice", Tier::Free).await.unwrap();
    assert_eq!(store.find_by_key(&key).await.unwrap().unwrap(), alice);
    assert!(store.find_by_key("ff_not-a-key").await.unwrap().is_none());
    assert!(matches!(
        store.create_consumer("alice", Tier::Pro).await,
        Err(StoreError::ConsumerExists(_))
    ));
    // Rotation: a second key works beside the first; revoking the first leaves the second.
    let key2 = store.add_key("alice").await.unwrap();
    assert_eq!(store.revoke(&key).await.unwrap(), 1);
    assert!(store.find_by_key(&key).await.unwrap().is_none());
    assert_eq!(
        store.find_by_key(&key2).await.unwrap().unwrap().name,
        "alice"
    );
    store.set_tier("alice", Tier::Pro).await.unwrap();
    assert_eq!(
        store.find_by_key(&key2).await.unwrap().unwrap().tier,
        Tier::Pro
    );
    assert!(matches!(
        store.set_tier("bob", Tier::Pro).await,
        Err(StoreError::NoConsumer(_))
    ));
    let listed = store.list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].1.len(), 2);
    assert!(listed[0].1[0].revoked_at.is_some());
    assert_eq!(store.active_keys().await.unwrap(), 1);
    // Usage adds up across batches.
    let row = |n| {
        (
            alice.id.clone(),
            "crypto".to_string(),
            "2026-11-24".to_string(),
            n,
        )
    };
    store.add_usage(&[row(3)]).await.unwrap();
    store.add_usage(&[row(4)]).await.unwrap();
    let u = store.usage(Some(&alice.id), "2026-11-01").await.unwrap();
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].calls, 7);
    assert_eq!(u[0].consumer, "alice");
    // Revoking by name revokes every key.
    assert_eq!(store.revoke("alice").await.unwrap(), 1);
    assert!(store.find_by_key(&key2).await.unwrap().is_none());
    assert!(matches!(
        store.revoke("nobody").await,
        Err(StoreError::NotFound(_))
    ));
}

#[tokio::test]
async fn sqlite_keeps_consumers_keys_and_usage_across_a_restart() {
    let dir = std::env::temp_dir().join(format!("ff-gw-{}", uuid::Uuid::new_v4()));
    let store = Store::open(None, &dir).await.unwrap();
    assert_eq!(store.kind(), "sqlite");
    exercise(&store).await;
    let (_, key) = store.create_consumer("carol", Tier::Basic).await.unwrap();
    drop(store);
    let again = Store::open(None, &dir).await.unwrap();
    assert_eq!(
        again.find_by_key(&key).await.unwrap().unwrap().tier,
        Tier::Basic
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn postgresql_keeps_consumers_keys_and_usage_across_a_restart() {
    let Ok(admin_url) = std::env::var("DATABASE_URL") else {
        println!("skipped: DATABASE_URL is not set (CI sets it to the local PostgreSQL)");
        return;
    };
    // A fresh database per run, so runs and tests never see each other's rows.
    let db = format!("ff_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
    let url = format!("{base}/{db}");
    let store = Store::open(Some(&url), std::path::Path::new("/nonexistent"))
        .await
        .unwrap();
    assert_eq!(store.kind(), "postgresql");
    exercise(&store).await;
    let (_, key) = store.create_consumer("carol", Tier::Basic).await.unwrap();
    drop(store);
    let again = Store::open(Some(&url), std::path::Path::new("/nonexistent"))
        .await
        .unwrap();
    assert_eq!(
        again.find_by_key(&key).await.unwrap().unwrap().tier,
        Tier::Basic
    );
    drop(again);
    let _ = sqlx::query(&format!("DROP DATABASE {db} WITH (FORCE)"))
        .execute(&mut admin)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_redis_let_exactly_the_limit_through() {
    let Ok(url) = std::env::var("REDIS_URL") else {
        println!("skipped: REDIS_URL is not set (CI sets it to the local Redis)");
        return;
    };
    let a = Arc::new(RedisLimiter::new(&url).unwrap());
    let b = Arc::new(RedisLimiter::new(&url).unwrap());
    let consumer = uuid::Uuid::new_v4().to_string();
    let free = Limits {
        per_minute: Some(100),
        per_day: Some(1_000),
    };
    // One instant, so the test never straddles a minute boundary.
    let now = flowforge_kit::time::now();
    let mut tasks = Vec::new();
    for i in 0..64 {
        let lim = if i % 2 == 0 { a.clone() } else { b.clone() };
        let c = consumer.clone();
        tasks.push(tokio::spawn(async move {
            let mut ok = 0;
            for _ in 0..4 {
                if lim.check(&c, &free, now).await.unwrap().allowed {
                    ok += 1;
                }
            }
            ok
        }));
    }
    let mut allowed = 0;
    for t in tasks {
        allowed += t.await.unwrap();
    }
    assert_eq!(allowed, 100, "256 calls, limit 100");
    let d = a.check(&consumer, &free, now).await.unwrap();
    assert!(!d.allowed);
    assert_eq!(d.minute.unwrap().remaining, 0);
    assert_eq!(d.day.unwrap().remaining, 900);
    // The next minute allows again; the day keeps counting.
    let d = b.check(&consumer, &free, now + 60).await.unwrap();
    assert!(d.allowed);
    assert_eq!(d.day.unwrap().remaining, 899);
}

#[tokio::test]
async fn redis_down_is_an_error_the_caller_can_fail_open_on() {
    // Nothing listens on port 1: each call fails fast, and the limiter stays usable.
    let r = RedisLimiter::new("redis://127.0.0.1:1").unwrap();
    let free = Limits {
        per_minute: Some(1),
        per_day: None,
    };
    assert!(r.check("c", &free, 0).await.is_err());
    assert!(r.ping().await.is_err());
    assert!(RedisLimiter::new("not a url").is_err());
}
