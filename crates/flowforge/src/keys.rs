//! `flowforge keys …` and `flowforge usage`: consumers, API keys and usage in the gateway's store
//! (PostgreSQL with `DATABASE_URL`, else the SQLite file under `FLOWFORGE_DATA_DIR`), and in
//! Kong's Admin API too when `KONG_ADMIN_URL` is set.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Subcommand;
use flowforge_gateway::GatewayConfig;
use flowforge_kit::config::Env;
use flowforge_kit::lifecycle::config_exit;

#[derive(Subcommand, Debug)]
/// The `keys` subcommands.
pub enum KeysCommand {
    /// Create a consumer and its first key; prints the key alone on standard output (shown once):
    /// `KEY=$(flowforge keys create --name acme --tier pro)`.
    Create {
        /// Consumer name (unique). An existing consumer gets an additional key (rotation).
        #[arg(long)]
        name: String,
        /// free, basic, pro or enterprise (for a new consumer).
        #[arg(long, default_value = "free")]
        tier: flowforge_gateway::Tier,
    },
    /// List consumers and their keys (prefixes only).
    List,
    /// Revoke one key (give the whole key) or every key of a consumer (give its name).
    Revoke {
        /// The key, or a consumer name.
        key_or_name: String,
    },
    /// Change a consumer's tier.
    SetTier {
        /// Consumer name.
        #[arg(long)]
        name: String,
        /// free, basic, pro or enterprise.
        #[arg(long)]
        tier: flowforge_gateway::Tier,
    },
}

async fn open_store(
    env: &Arc<dyn Env + Send + Sync>,
) -> Result<flowforge_gateway::Store, ExitCode> {
    let gcfg = GatewayConfig::from_env(env.as_ref()).map_err(|e| config_exit(&e))?;
    gcfg.open_store().await.map_err(|e| {
        eprintln!("error: cannot open the key store: {e}");
        ExitCode::FAILURE
    })
}

/// Run a `keys` subcommand.
pub async fn keys(cmd: KeysCommand, env: Arc<dyn Env + Send + Sync>) -> ExitCode {
    let store = match open_store(&env).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    let tiers = match flowforge_gateway::TierLimits::from_env(env.as_ref()) {
        Ok(t) => t,
        Err(e) => return config_exit(&e),
    };
    // With KONG_ADMIN_URL, Kong's consumers follow every change (see docs/gateway.md).
    let kong = env
        .get("KONG_ADMIN_URL")
        .map(|u| flowforge_gateway::kong_admin::KongAdmin::new(&u));
    let cache = flowforge_gateway::gate::KEY_CACHE_TTL.as_secs();
    let res: Result<Option<Result<(), String>>, flowforge_gateway::StoreError> = async {
        Ok(match cmd {
            KeysCommand::Create { name, tier } => match store.find_consumer(&name).await? {
                Some(c) => {
                    let key = store.add_key(&name).await?;
                    eprintln!(
                        "added a key to existing consumer {name} ({} tier); shown once:",
                        c.tier
                    );
                    println!("{key}");
                    match &kong {
                        Some(k) => Some(k.add_key(&name, &key).await),
                        None => None,
                    }
                }
                None => {
                    let (c, key) = store.create_consumer(&name, tier).await?;
                    eprintln!(
                        "created consumer {} ({} tier); its key, shown once:",
                        c.name, c.tier
                    );
                    println!("{key}");
                    match &kong {
                        Some(k) => Some(k.create_consumer(&c, &key, &tiers).await),
                        None => None,
                    }
                }
            },
            KeysCommand::List => {
                println!(
                    "{:<24} {:<11} {:<12} {:<10} status",
                    "consumer", "tier", "key", "created"
                );
                for (c, keys) in store.list().await? {
                    for k in keys {
                        let status = if k.revoked_at.is_some() {
                            "revoked"
                        } else {
                            "active"
                        };
                        let created = &flowforge_kit::time::iso(k.created_at)[..10];
                        println!(
                            "{:<24} {:<11} {:<12} {:<10} {status}",
                            c.name,
                            c.tier.name(),
                            format!("{}…", k.prefix),
                            created
                        );
                    }
                }
                None
            }
            KeysCommand::Revoke { key_or_name } => {
                let is_key = store.find_by_key(&key_or_name).await?.is_some();
                let n = store.revoke(&key_or_name).await?;
                eprintln!("revoked {n} key(s); they stop working within {cache} seconds");
                match &kong {
                    Some(k) if is_key => Some(k.revoke_key(&key_or_name).await),
                    Some(k) => Some(k.revoke_consumer(&key_or_name).await),
                    None => None,
                }
            }
            KeysCommand::SetTier { name, tier } => {
                store.set_tier(&name, tier).await?;
                eprintln!("{name} is now on the {tier} tier (effective within {cache} seconds)");
                match &kong {
                    Some(k) => Some(k.set_tier(&name, tier, &tiers).await),
                    None => None,
                }
            }
        })
    }
    .await;
    match res {
        Ok(None) | Ok(Some(Ok(()))) => ExitCode::SUCCESS,
        Ok(Some(Err(e))) => {
            eprintln!(
                "error: FlowForge's key store was updated but Kong was not: {e}\nfix Kong by hand or run the command again once KONG_ADMIN_URL answers"
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Print calls per consumer, service and day, `days` back.
pub async fn usage(days: u32, env: Arc<dyn Env + Send + Sync>) -> ExitCode {
    let store = match open_store(&env).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    match store
        .usage(None, &flowforge_gateway::config::since_day(days.max(1)))
        .await
    {
        Ok(rows) => {
            println!(
                "{:<24} {:<16} {:<10} {:>10}",
                "consumer", "service", "day", "calls"
            );
            for r in rows {
                println!(
                    "{:<24} {:<16} {:<10} {:>10}",
                    r.consumer, r.service, r.day, r.calls
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
