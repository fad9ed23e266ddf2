//! Keeping Kong's consumers in step with `flowforge keys`: with `KONG_ADMIN_URL` set, creating a
//! key also creates the Kong consumer, its key-auth credential and its own rate-limiting plugin
//! (the tier's limits, policy redis); revoking deletes the credential (or the consumer);
//! changing the tier updates the plugin. The exact requests are listed in docs/gateway.md.

use serde_json::{Value, json};

use crate::store::Consumer;
use crate::tier::{Tier, TierLimits};

/// A Kong Admin API client.
#[derive(Debug, Clone)]
pub struct KongAdmin {
    base: String,
    http: reqwest::Client,
}

use flowforge_kit::http::percent_encode as enc;

impl KongAdmin {
    /// A client for the Admin API at `base` (e.g. `http://kong:8001`).
    pub fn new(base: &str) -> KongAdmin {
        KongAdmin {
            base: base.trim_end_matches('/').to_string(),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
        }
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let mut req = self.http.request(method.clone(), &url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req
            .send()
            .await
            .map_err(|e| format!("{method} {url}: {e}"))?;
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        // Deleting what is already gone is fine.
        let gone = method == reqwest::Method::DELETE && status.as_u16() == 404;
        if !(status.is_success() || gone) {
            return Err(format!("{method} {url}: Kong answered {status}: {text}"));
        }
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    fn limit_plugin(tiers: &TierLimits, tier: Tier) -> Option<Value> {
        let l = tiers.get(tier);
        (l.per_minute.is_some() || l.per_day.is_some())
            .then(|| crate::kong::rate_limit_config(tiers, tier))
    }

    /// Create the consumer with its first key and its tier's rate-limiting plugin.
    pub async fn create_consumer(
        &self,
        c: &Consumer,
        key: &str,
        tiers: &TierLimits,
    ) -> Result<(), String> {
        self.send(
            reqwest::Method::POST,
            "/consumers",
            Some(json!({"username": c.name, "custom_id": c.id})),
        )
        .await?;
        self.add_key(&c.name, key).await?;
        if let Some(p) = Self::limit_plugin(tiers, c.tier) {
            self.send(
                reqwest::Method::POST,
                &format!("/consumers/{}/plugins", enc(&c.name)),
                Some(p),
            )
            .await?;
        }
        Ok(())
    }

    /// Add a key-auth credential to a consumer.
    pub async fn add_key(&self, name: &str, key: &str) -> Result<(), String> {
        self.send(
            reqwest::Method::POST,
            &format!("/consumers/{}/key-auth", enc(name)),
            Some(json!({"key": key})),
        )
        .await
        .map(|_| ())
    }

    /// Delete one key-auth credential.
    pub async fn revoke_key(&self, key: &str) -> Result<(), String> {
        self.send(
            reqwest::Method::DELETE,
            &format!("/key-auths/{}", enc(key)),
            None,
        )
        .await
        .map(|_| ())
    }

    /// Delete a consumer with its credentials and plugins.
    pub async fn revoke_consumer(&self, name: &str) -> Result<(), String> {
        self.send(
            reqwest::Method::DELETE,
            &format!("/consumers/{}", enc(name)),
            None,
        )
        .await
        .map(|_| ())
    }

    /// Point the consumer's rate-limiting plugin at `tier`'s limits (create, update or delete it).
    pub async fn set_tier(&self, name: &str, tier: Tier, tiers: &TierLimits) -> Result<(), String> {
        let plugins = self
            .send(
                reqwest::Method::GET,
                &format!("/consumers/{}/plugins", enc(name)),
                None,
            )
            .await?;
        let existing = plugins["data"]
            .as_array()
            .and_then(|a| a.iter().find(|p| p["name"] == "rate-limiting"))
            .and_then(|p| p["id"].as_str())
            .map(str::to_string);
        match (existing, Self::limit_plugin(tiers, tier)) {
            (Some(id), Some(p)) => self
                .send(
                    reqwest::Method::PATCH,
                    &format!("/plugins/{id}"),
                    Some(json!({"config": p["config"]})),
                )
                .await
                .map(|_| ()),
            (None, Some(p)) => self
                .send(
                    reqwest::Method::POST,
                    &format!("/consumers/{}/plugins", enc(name)),
                    Some(p),
                )
                .await
                .map(|_| ()),
            (Some(id), None) => self
                .send(reqwest::Method::DELETE, &format!("/plugins/{id}"), None)
                .await
                .map(|_| ()),
            (None, None) => Ok(()),
        }
    }
}
