//! Tiers and their limits: Free 100/min and 1,000/day; Basic 500/min and 10,000/day; Pro
//! 2,000/min and 50,000/day; Enterprise unlimited. Each limit is configurable.

use flowforge_kit::ConfigError;
use flowforge_kit::config::{Env, var};

flowforge_kit::wire_enum! {
    /// A consumer's tier.
    pub enum Tier {
        /// 100 calls a minute, 1,000 a day.
        Free = "free",
        /// 500 a minute, 10,000 a day.
        Basic = "basic",
        /// 2,000 a minute, 50,000 a day.
        Pro = "pro",
        /// Unlimited.
        Enterprise = "enterprise",
    }
}

/// The limits of one tier; `None` is unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Calls per minute.
    pub per_minute: Option<u64>,
    /// Calls per day (UTC).
    pub per_day: Option<u64>,
}

/// Every tier's limits.
#[derive(Debug, Clone)]
pub struct TierLimits {
    free: Limits,
    basic: Limits,
    pro: Limits,
    enterprise: Limits,
}

impl Default for TierLimits {
    fn default() -> Self {
        TierLimits {
            free: Limits {
                per_minute: Some(100),
                per_day: Some(1_000),
            },
            basic: Limits {
                per_minute: Some(500),
                per_day: Some(10_000),
            },
            pro: Limits {
                per_minute: Some(2_000),
                per_day: Some(50_000),
            },
            enterprise: Limits {
                per_minute: None,
                per_day: None,
            },
        }
    }
}

fn limit_var(env: &dyn Env, name: &str, default: Option<u64>) -> Result<Option<u64>, ConfigError> {
    match env.get(name).as_deref() {
        None => Ok(default),
        Some("unlimited") | Some("none") | Some("0") => Ok(None),
        Some(_) => var(env, name, 0u64, "a whole number of calls, or `unlimited`").map(Some),
    }
}

impl TierLimits {
    /// Read `FLOWFORGE_LIMIT_<TIER>_MINUTE` and `FLOWFORGE_LIMIT_<TIER>_DAY` (a number or `unlimited`).
    pub fn from_env(env: &dyn Env) -> Result<Self, ConfigError> {
        let d = TierLimits::default();
        let one = |t: &str, l: Limits| -> Result<Limits, ConfigError> {
            Ok(Limits {
                per_minute: limit_var(env, &format!("FLOWFORGE_LIMIT_{t}_MINUTE"), l.per_minute)?,
                per_day: limit_var(env, &format!("FLOWFORGE_LIMIT_{t}_DAY"), l.per_day)?,
            })
        };
        Ok(TierLimits {
            free: one("FREE", d.free)?,
            basic: one("BASIC", d.basic)?,
            pro: one("PRO", d.pro)?,
            enterprise: one("ENTERPRISE", d.enterprise)?,
        })
    }

    /// The limits of `tier`.
    pub fn get(&self, tier: Tier) -> Limits {
        match tier {
            Tier::Free => self.free,
            Tier::Basic => self.basic,
            Tier::Pro => self.pro,
            Tier::Enterprise => self.enterprise,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn defaults_match_the_published_tiers_and_can_be_overridden() {
        let d = TierLimits::default();
        assert_eq!(
            d.get(Tier::Free),
            Limits {
                per_minute: Some(100),
                per_day: Some(1_000)
            }
        );
        assert_eq!(
            d.get(Tier::Enterprise),
            Limits {
                per_minute: None,
                per_day: None
            }
        );
        let env: HashMap<String, String> = [
            ("FLOWFORGE_LIMIT_FREE_MINUTE".to_string(), "5".to_string()),
            (
                "FLOWFORGE_LIMIT_PRO_DAY".to_string(),
                "unlimited".to_string(),
            ),
        ]
        .into();
        let t = TierLimits::from_env(&env).unwrap();
        assert_eq!(t.get(Tier::Free).per_minute, Some(5));
        assert_eq!(t.get(Tier::Pro).per_day, None);
        let bad: HashMap<String, String> =
            [("FLOWFORGE_LIMIT_FREE_DAY".to_string(), "lots".to_string())].into();
        assert_eq!(
            TierLimits::from_env(&bad).unwrap_err().var,
            "FLOWFORGE_LIMIT_FREE_DAY"
        );
    }
}
