//! FlowForge's gateway layer: what Kong's key-auth, rate-limiting and usage plugins do in
//! production, done in-process for the all-in-one `flowforge` binary, with the same tiers and
//! limits. Consumers and API keys live in PostgreSQL or SQLite ([`store`]); rate-limit counters
//! in Redis or in process ([`limiter`]).

pub mod config;
pub mod gate;
pub mod keys;
pub mod kong;
pub mod kong_admin;
pub mod limiter;
pub mod store;
pub mod tier;

pub use config::{Bootstrap, GatewayConfig, bootstrap, checks, usage_service};
pub use gate::{Caller, Gateway, Limiter, gate};
pub use store::{Consumer, Store, StoreError};
pub use tier::{Limits, Tier, TierLimits};
