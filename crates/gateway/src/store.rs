//! Consumers, API keys and usage in PostgreSQL (`DATABASE_URL=postgres://…`) or a SQLite file
//! under the data directory, through one sqlx `Any` code path. The schema is created at start
//! (portable SQL: text ids, Unix-second timestamps).

use std::path::Path;
use std::sync::Once;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

use crate::keys;
use crate::tier::Tier;

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database answered an error or is unreachable.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// No consumer by that name.
    #[error("no consumer named {0:?}")]
    NoConsumer(String),
    /// A consumer by that name exists.
    #[error(
        "a consumer named {0:?} already exists; add a key to it with `flowforge keys create --name {0}` after revoking, or pick another name"
    )]
    ConsumerExists(String),
    /// A stored tier is not one this version knows.
    #[error("consumer {0:?} has unknown tier {1:?}")]
    BadTier(String, String),
    /// Nothing matched.
    #[error("no key or consumer matches {0:?}")]
    NotFound(String),
}

/// Result alias.
pub type Result<T> = std::result::Result<T, StoreError>;

/// A consumer: who calls, at which tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consumer {
    /// Stable id (UUID).
    pub id: String,
    /// Unique name.
    pub name: String,
    /// Tier.
    pub tier: Tier,
    /// Unix seconds.
    pub created_at: i64,
}

/// A key as listed (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    /// The first characters, for recognising it.
    pub prefix: String,
    /// Its consumer's name.
    pub consumer: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds, when revoked.
    pub revoked_at: Option<i64>,
}

/// One day of one consumer's calls to one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRow {
    /// Consumer id.
    pub consumer_id: String,
    /// Consumer name.
    pub consumer: String,
    /// Service name.
    pub service: String,
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    /// Calls.
    pub calls: i64,
}

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS ff_consumers (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, tier TEXT NOT NULL, created_at BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ff_api_keys (key_hash TEXT PRIMARY KEY, consumer_id TEXT NOT NULL REFERENCES ff_consumers(id), prefix TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT)",
    "CREATE INDEX IF NOT EXISTS ff_api_keys_consumer ON ff_api_keys (consumer_id)",
    "CREATE TABLE IF NOT EXISTS ff_usage (consumer_id TEXT NOT NULL, service TEXT NOT NULL, day TEXT NOT NULL, calls BIGINT NOT NULL, PRIMARY KEY (consumer_id, service, day))",
];

/// The store.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    kind: &'static str,
}

static DRIVERS: Once = Once::new();

fn now() -> i64 {
    flowforge_kit::time::now()
}

impl Store {
    /// Open PostgreSQL when `database_url` is `postgres://…`, else `flowforge.db` under
    /// `data_dir` (created if missing), and create the schema.
    pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<Store> {
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let (url, kind) = match database_url {
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                (u.to_string(), "postgresql")
            }
            Some(u) if u.starts_with("sqlite:") => (u.to_string(), "sqlite"),
            _ => {
                std::fs::create_dir_all(data_dir)
                    .map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?;
                (
                    format!(
                        "sqlite://{}?mode=rwc",
                        data_dir.join("flowforge.db").display()
                    ),
                    "sqlite",
                )
            }
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if kind == "sqlite" { 4 } else { 8 })
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect(&url)
            .await?;
        if kind == "sqlite" {
            sqlx::query("PRAGMA journal_mode=WAL")
                .execute(&pool)
                .await?;
            sqlx::query("PRAGMA busy_timeout=5000")
                .execute(&pool)
                .await?;
        }
        let store = Store { pool, kind };
        store.migrate().await?;
        Ok(store)
    }

    /// `postgresql` or `sqlite`.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    async fn migrate(&self) -> Result<()> {
        for stmt in SCHEMA {
            // Two instances starting together may race on CREATE … IF NOT EXISTS in PostgreSQL;
            // the loser's error is harmless, so try once more.
            if sqlx::query(stmt).execute(&self.pool).await.is_err() {
                sqlx::query(stmt).execute(&self.pool).await?;
            }
        }
        Ok(())
    }

    /// Check the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    fn consumer(row: &AnyRow) -> Result<Consumer> {
        let name: String = row.try_get("name")?;
        let tier: String = row.try_get("tier")?;
        Ok(Consumer {
            id: row.try_get("id")?,
            tier: tier
                .parse()
                .map_err(|_| StoreError::BadTier(name.clone(), tier.clone()))?,
            name,
            created_at: row.try_get("created_at")?,
        })
    }

    /// Create a consumer with a first key; returns the key (shown once).
    pub async fn create_consumer(&self, name: &str, tier: Tier) -> Result<(Consumer, String)> {
        let key = keys::generate();
        let c = self.create_consumer_with_key(name, tier, &key).await?;
        Ok((c, key))
    }

    /// Create a consumer whose key is given (the bootstrap key of scripted set-ups).
    pub async fn create_consumer_with_key(
        &self,
        name: &str,
        tier: Tier,
        key: &str,
    ) -> Result<Consumer> {
        if self.find_consumer(name).await?.is_some() {
            return Err(StoreError::ConsumerExists(name.into()));
        }
        let c = Consumer {
            id: uuid::Uuid::new_v4().to_string(),
            name: name.into(),
            tier,
            created_at: now(),
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO ff_consumers (id, name, tier, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&c.id)
        .bind(&c.name)
        .bind(c.tier.name())
        .bind(c.created_at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO ff_api_keys (key_hash, consumer_id, prefix, created_at) VALUES ($1, $2, $3, $4)")
            .bind(keys::hash(key))
            .bind(&c.id)
            .bind(keys::display_prefix(key))
            .bind(c.created_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Add another key to an existing consumer (key rotation: add, switch, revoke the old).
    pub async fn add_key(&self, name: &str) -> Result<String> {
        let c = self
            .find_consumer(name)
            .await?
            .ok_or_else(|| StoreError::NoConsumer(name.into()))?;
        let key = keys::generate();
        sqlx::query("INSERT INTO ff_api_keys (key_hash, consumer_id, prefix, created_at) VALUES ($1, $2, $3, $4)")
            .bind(keys::hash(&key))
            .bind(&c.id)
            .bind(keys::display_prefix(&key))
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(key)
    }

    /// The consumer named `name`.
    pub async fn find_consumer(&self, name: &str) -> Result<Option<Consumer>> {
        let row =
            sqlx::query("SELECT id, name, tier, created_at FROM ff_consumers WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(Self::consumer).transpose()
    }

    /// The consumer owning an unrevoked key, looked up by the key's hash.
    pub async fn find_by_key(&self, key: &str) -> Result<Option<Consumer>> {
        let row = sqlx::query(
            "SELECT c.id AS id, c.name AS name, c.tier AS tier, c.created_at AS created_at \
             FROM ff_api_keys k JOIN ff_consumers c ON c.id = k.consumer_id \
             WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
        )
        .bind(keys::hash(key))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(Self::consumer).transpose()
    }

    /// Every consumer with its keys.
    pub async fn list(&self) -> Result<Vec<(Consumer, Vec<KeyInfo>)>> {
        let consumers =
            sqlx::query("SELECT id, name, tier, created_at FROM ff_consumers ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::new();
        for row in &consumers {
            let c = Self::consumer(row)?;
            let keys = sqlx::query("SELECT prefix, created_at, revoked_at FROM ff_api_keys WHERE consumer_id = $1 ORDER BY created_at")
                .bind(&c.id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|k| {
                    Ok(KeyInfo {
                        prefix: k.try_get("prefix")?,
                        consumer: c.name.clone(),
                        created_at: k.try_get("created_at")?,
                        revoked_at: k.try_get("revoked_at")?,
                    })
                })
                .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
            out.push((c, keys));
        }
        Ok(out)
    }

    /// Revoke one key (given whole) or every key of a consumer (given its name); returns how
    /// many keys were revoked.
    pub async fn revoke(&self, key_or_name: &str) -> Result<u64> {
        let t = now();
        let by_key = sqlx::query(
            "UPDATE ff_api_keys SET revoked_at = $1 WHERE key_hash = $2 AND revoked_at IS NULL",
        )
        .bind(t)
        .bind(keys::hash(key_or_name))
        .execute(&self.pool)
        .await?
        .rows_affected();
        if by_key > 0 {
            return Ok(by_key);
        }
        let Some(c) = self.find_consumer(key_or_name).await? else {
            return Err(StoreError::NotFound(key_or_name.into()));
        };
        Ok(sqlx::query(
            "UPDATE ff_api_keys SET revoked_at = $1 WHERE consumer_id = $2 AND revoked_at IS NULL",
        )
        .bind(t)
        .bind(&c.id)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Change a consumer's tier.
    pub async fn set_tier(&self, name: &str, tier: Tier) -> Result<()> {
        let n = sqlx::query("UPDATE ff_consumers SET tier = $1 WHERE name = $2")
            .bind(tier.name())
            .bind(name)
            .execute(&self.pool)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NoConsumer(name.into()));
        }
        Ok(())
    }

    /// How many unrevoked keys exist.
    pub async fn active_keys(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM ff_api_keys WHERE revoked_at IS NULL")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Add calls to the usage table (one upsert per row, in one transaction).
    pub async fn add_usage(&self, rows: &[(String, String, String, i64)]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for (consumer, service, day, calls) in rows {
            sqlx::query(
                "INSERT INTO ff_usage (consumer_id, service, day, calls) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (consumer_id, service, day) DO UPDATE SET calls = ff_usage.calls + excluded.calls",
            )
            .bind(consumer)
            .bind(service)
            .bind(day)
            .bind(*calls)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Usage since `since_day` (inclusive), for one consumer or all.
    pub async fn usage(&self, consumer_id: Option<&str>, since_day: &str) -> Result<Vec<UsageRow>> {
        let base = "SELECT u.consumer_id AS consumer_id, c.name AS consumer, u.service AS service, u.day AS day, u.calls AS calls \
                    FROM ff_usage u JOIN ff_consumers c ON c.id = u.consumer_id WHERE u.day >= $1";
        let rows = match consumer_id {
            Some(id) => {
                sqlx::query(&format!(
                    "{base} AND u.consumer_id = $2 ORDER BY u.day, u.service"
                ))
                .bind(since_day)
                .bind(id)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!("{base} ORDER BY c.name, u.day, u.service"))
                    .bind(since_day)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok(UsageRow {
                    consumer_id: r.try_get("consumer_id")?,
                    consumer: r.try_get("consumer")?,
                    service: r.try_get("service")?,
                    day: r.try_get("day")?,
                    calls: r.try_get("calls")?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
