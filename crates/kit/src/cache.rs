//! The shared cache for expensive results (OCR, LLM and PDF results will use it): Redis when
//! `REDIS_URL` is set, in process otherwise (bounded by `FLOWFORGE_CACHE_MAX_BYTES`, default
//! 64 MiB). Keys are digests of everything a result depends on ([`Cache::key`]); entries expire
//! after a TTL. A Redis that is down is a miss, never an error.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::health::BoxFuture;

/// Where cached bytes live.
pub trait CacheBackend: Send + Sync {
    /// The value under `key`, if present and fresh.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Vec<u8>>>;
    /// Store `value` under `key` for `ttl`.
    fn set<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> BoxFuture<'a, ()>;
    /// `memory` or `redis`.
    fn kind(&self) -> &'static str;
}

/// A size-bounded in-process cache; the oldest entries go first when it is full.
pub struct MemoryCache {
    max_bytes: usize,
    inner: Mutex<MemoryInner>,
}

#[derive(Default)]
struct MemoryInner {
    map: HashMap<String, (Vec<u8>, Instant)>,
    order: VecDeque<String>,
    bytes: usize,
}

impl MemoryCache {
    /// A cache holding at most `max_bytes` of values.
    pub fn new(max_bytes: usize) -> MemoryCache {
        MemoryCache {
            max_bytes,
            inner: Mutex::new(MemoryInner::default()),
        }
    }
}

impl CacheBackend for MemoryCache {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            match m.map.get(key) {
                Some((v, until)) if *until > Instant::now() => Some(v.clone()),
                Some(_) => {
                    if let Some((v, _)) = m.map.remove(key) {
                        m.bytes -= v.len();
                    }
                    None
                }
                None => None,
            }
        })
    }

    fn set<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if value.len() > self.max_bytes {
                return;
            }
            let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((old, _)) = m.map.remove(key) {
                m.bytes -= old.len();
            }
            while m.bytes + value.len() > self.max_bytes {
                let Some(oldest) = m.order.pop_front() else {
                    break;
                };
                if let Some((v, _)) = m.map.remove(&oldest) {
                    m.bytes -= v.len();
                }
            }
            m.bytes += value.len();
            m.order.push_back(key.to_string());
            m.map.insert(key.to_string(), (value, Instant::now() + ttl));
            // Forget order entries whose key was replaced or removed.
            if m.order.len() > 2 * m.map.len() + 64 {
                let MemoryInner { map, order, .. } = &mut *m;
                order.retain(|k| map.contains_key(k));
            }
        })
    }

    fn kind(&self) -> &'static str {
        "memory"
    }
}

/// Redis, shared by every instance; errors are misses (logged at most once a minute).
pub struct RedisCache {
    redis: crate::redis_conn::LazyRedis,
    last_warning: AtomicI64,
}

impl RedisCache {
    /// A cache on `url` (connected on first use).
    pub fn new(url: &str) -> Result<RedisCache, String> {
        Ok(RedisCache {
            redis: crate::redis_conn::LazyRedis::new(url)?,
            last_warning: AtomicI64::new(0),
        })
    }

    async fn conn(&self) -> Option<redis::aio::ConnectionManager> {
        match self.redis.get().await {
            Ok(c) => Some(c),
            Err(e) => {
                self.warn(&e);
                None
            }
        }
    }

    fn warn(&self, e: &str) {
        let now = crate::time::now();
        let last = self.last_warning.load(Ordering::Relaxed);
        if now - last >= 60
            && self
                .last_warning
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            tracing::warn!(
                error = e,
                "result cache unavailable (Redis); serving without it, logged once a minute"
            );
        }
    }
}

impl CacheBackend for RedisCache {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            let mut c = self.conn().await?;
            match redis::cmd("GET")
                .arg(key)
                .query_async::<Option<Vec<u8>>>(&mut c)
                .await
            {
                Ok(v) => v,
                Err(e) => {
                    self.warn(&e.to_string());
                    None
                }
            }
        })
    }

    fn set<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let Some(mut c) = self.conn().await else {
                return;
            };
            let secs = ttl.as_secs().max(1);
            if let Err(e) = redis::cmd("SET")
                .arg(key)
                .arg(value)
                .arg("EX")
                .arg(secs)
                .query_async::<()>(&mut c)
                .await
            {
                self.warn(&e.to_string());
            }
        })
    }

    fn kind(&self) -> &'static str {
        "redis"
    }
}

/// The cache services use.
#[derive(Clone)]
pub struct Cache {
    backend: Arc<dyn CacheBackend>,
    ttl: Duration,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cache({}, ttl {:?})", self.backend.kind(), self.ttl)
    }
}

impl Cache {
    /// A cache over `backend` whose entries live `ttl` unless told otherwise.
    pub fn new(backend: Arc<dyn CacheBackend>, ttl: Duration) -> Cache {
        Cache { backend, ttl }
    }

    /// `memory` or `redis`.
    pub fn kind(&self) -> &'static str {
        self.backend.kind()
    }

    /// A key from everything a result depends on: `ff:cache:<namespace>:<sha256 of the parts>`.
    /// Each part is length-prefixed, so ("ab","c") and ("a","bc") differ.
    pub fn key(namespace: &str, parts: &[&[u8]]) -> String {
        let mut h = Sha256::new();
        for p in parts {
            h.update((p.len() as u64).to_be_bytes());
            h.update(p);
        }
        format!("ff:cache:{namespace}:{}", hex::encode(h.finalize()))
    }

    /// A cached JSON value.
    pub async fn get_json<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let bytes = self.backend.get(key).await?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Cache a JSON value for the default TTL (or `ttl`).
    pub async fn set_json<T: Serialize>(&self, key: &str, value: &T, ttl: Option<Duration>) {
        if let Ok(bytes) = serde_json::to_vec(value) {
            self.backend.set(key, bytes, ttl.unwrap_or(self.ttl)).await;
        }
    }

    /// The cached value, or compute it, cache it and return it. Errors are not cached.
    pub async fn get_or_insert_with<T, E, F, Fut>(
        &self,
        key: &str,
        compute: F,
    ) -> Result<(T, bool), E>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, E>>,
    {
        if let Some(v) = self.get_json(key).await {
            return Ok((v, true));
        }
        let v = compute().await?;
        self.set_json(key, &v, None).await;
        Ok((v, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_entries_expire_and_the_size_bound_evicts_the_oldest() {
        let m = MemoryCache::new(10);
        m.set("a", vec![1; 4], Duration::from_secs(60)).await;
        m.set("b", vec![2; 4], Duration::from_secs(60)).await;
        assert_eq!(m.get("a").await, Some(vec![1; 4]));
        m.set("c", vec![3; 4], Duration::from_secs(60)).await;
        assert_eq!(m.get("a").await, None, "the oldest went to make room");
        assert_eq!(m.get("c").await, Some(vec![3; 4]));
        m.set("d", vec![4; 11], Duration::from_secs(60)).await;
        assert_eq!(
            m.get("d").await,
            None,
            "larger than the whole cache: not kept"
        );
        m.set("e", vec![5], Duration::from_millis(10)).await;
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert_eq!(m.get("e").await, None);
    }

    #[tokio::test]
    async fn keys_cover_every_part_and_compute_runs_once() {
        assert_ne!(
            Cache::key("ocr", &[b"ab", b"c"]),
            Cache::key("ocr", &[b"a", b"bc"])
        );
        assert_ne!(Cache::key("ocr", &[b"x"]), Cache::key("pdf", &[b"x"]));
        let c = Cache::new(Arc::new(MemoryCache::new(1 << 20)), Duration::from_secs(60));
        let k = Cache::key("t", &[b"input"]);
        let (v, hit) = c
            .get_or_insert_with(&k, || async { Ok::<_, ()>(vec![1, 2, 3]) })
            .await
            .unwrap();
        assert_eq!((v, hit), (vec![1, 2, 3], false));
        let (v, hit) = c
            .get_or_insert_with(&k, || async { Err::<Vec<i32>, ()>(()) })
            .await
            .unwrap();
        assert_eq!((v, hit), (vec![1, 2, 3], true));
    }

    #[tokio::test]
    async fn redis_when_configured_and_a_miss_when_it_is_down() {
        let down = RedisCache::new("redis://127.0.0.1:1").unwrap();
        down.set("k", vec![1], Duration::from_secs(5)).await;
        assert_eq!(down.get("k").await, None);
        let Ok(url) = std::env::var("REDIS_URL") else {
            println!("skipped the live part: REDIS_URL is not set");
            return;
        };
        let r = RedisCache::new(&url).unwrap();
        let key = format!("ff:test:{}", uuid::Uuid::new_v4());
        r.set(&key, b"value".to_vec(), Duration::from_secs(5)).await;
        assert_eq!(r.get(&key).await, Some(b"value".to_vec()));
    }
}
