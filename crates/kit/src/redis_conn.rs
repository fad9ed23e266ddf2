//! One lazily made, self-healing Redis connection, shared by the rate limiter and the cache: made
//! on first use (so a Redis that is down at start is no start-up failure), re-made after errors
//! by redis-rs's connection manager, with short timeouts so a dead Redis costs milliseconds.

use std::time::Duration;

/// A Redis client whose multiplexed connection is made when first needed.
pub struct LazyRedis {
    client: redis::Client,
    conn: tokio::sync::RwLock<Option<redis::aio::ConnectionManager>>,
}

impl std::fmt::Debug for LazyRedis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LazyRedis")
    }
}

impl LazyRedis {
    /// A client for `url` (checked for syntax now).
    pub fn new(url: &str) -> Result<LazyRedis, String> {
        Ok(LazyRedis {
            client: redis::Client::open(url).map_err(|e| e.to_string())?,
            conn: tokio::sync::RwLock::new(None),
        })
    }

    /// The connection (commands time out after 500 ms; connecting after 1 s).
    pub async fn get(&self) -> Result<redis::aio::ConnectionManager, String> {
        if let Some(c) = self.conn.read().await.as_ref() {
            return Ok(c.clone());
        }
        let mut slot = self.conn.write().await;
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let cfg = redis::aio::ConnectionManagerConfig::new()
            .set_response_timeout(Duration::from_millis(500))
            .set_connection_timeout(Duration::from_secs(1))
            .set_number_of_retries(1);
        let c = tokio::time::timeout(
            Duration::from_secs(2),
            self.client.get_connection_manager_with_config(cfg),
        )
        .await
        .map_err(|_| "timed out connecting".to_string())?
        .map_err(|e| e.to_string())?;
        *slot = Some(c.clone());
        Ok(c)
    }
}
