//! Rate limits per consumer, per minute and per day (fixed UTC windows, as Kong's rate-limiting
//! plugin counts them). Counters live in Redis when `REDIS_URL` is set (one Lua script per call:
//! check both windows and increment both atomically, so instances sharing a Redis never let a
//! consumer past its limit together), in process otherwise.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::tier::Limits;

/// One window's state after a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The limit.
    pub limit: u64,
    /// Calls left in the window.
    pub remaining: u64,
    /// Seconds until the window resets.
    pub reset: u64,
}

/// The verdict on one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Whether the call may go on (it has been counted when it may).
    pub allowed: bool,
    /// The minute window, when limited.
    pub minute: Option<Window>,
    /// The day window, when limited.
    pub day: Option<Window>,
}

impl Decision {
    /// Seconds until a refused call could succeed.
    pub fn retry_after(&self) -> u64 {
        let over = |w: &Option<Window>| w.filter(|w| w.remaining == 0).map(|w| w.reset);
        over(&self.day).or(over(&self.minute)).unwrap_or(1).max(1)
    }
}

/// Why the limiter could not decide.
#[derive(Debug, thiserror::Error)]
#[error("rate-limit store unavailable: {0}")]
pub struct LimiterError(pub String);

/// Current minute and day indexes and the seconds left in each, at Unix time `now`.
fn windows(now: i64) -> (i64, u64, i64, u64) {
    let minute = now.div_euclid(60);
    let day = now.div_euclid(86_400);
    (
        minute,
        (60 - now.rem_euclid(60)) as u64,
        day,
        (86_400 - now.rem_euclid(86_400)) as u64,
    )
}

fn decision(allowed: bool, l: &Limits, m: u64, d: u64, now: i64) -> Decision {
    let (_, m_reset, _, d_reset) = windows(now);
    Decision {
        allowed,
        minute: l.per_minute.map(|lim| Window {
            limit: lim,
            remaining: lim.saturating_sub(m),
            reset: m_reset,
        }),
        day: l.per_day.map(|lim| Window {
            limit: lim,
            remaining: lim.saturating_sub(d),
            reset: d_reset,
        }),
    }
}

/// Counters in this process.
#[derive(Debug, Default)]
pub struct MemoryLimiter {
    counts: Mutex<HashMap<String, (i64, u64, i64, u64)>>,
}

impl MemoryLimiter {
    /// Check and count one call by `consumer` at Unix time `now`.
    pub fn check(&self, consumer: &str, l: &Limits, now: i64) -> Decision {
        if l.per_minute.is_none() && l.per_day.is_none() {
            return decision(true, l, 0, 0, now);
        }
        let (minute, _, day, _) = windows(now);
        let mut map = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, v| v.2 == day);
        }
        let e = map
            .entry(consumer.to_string())
            .or_insert((minute, 0, day, 0));
        if e.0 != minute {
            e.0 = minute;
            e.1 = 0;
        }
        if e.2 != day {
            e.2 = day;
            e.3 = 0;
        }
        let over =
            l.per_minute.is_some_and(|lim| e.1 >= lim) || l.per_day.is_some_and(|lim| e.3 >= lim);
        if !over {
            e.1 += 1;
            e.3 += 1;
        }
        decision(!over, l, e.1, e.3, now)
    }
}

// Count first, undo when over: the common (allowed) path is two INCRs, no reads. The script runs
// atomically, so the undo is never seen by another call.
const SCRIPT: &str = r"
local m = redis.call('INCR', KEYS[1])
if m == 1 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
local d = redis.call('INCR', KEYS[2])
if d == 1 then redis.call('EXPIRE', KEYS[2], ARGV[4]) end
local ml = tonumber(ARGV[1])
local dl = tonumber(ARGV[2])
if (ml > 0 and m > ml) or (dl > 0 and d > dl) then
  redis.call('DECR', KEYS[1])
  redis.call('DECR', KEYS[2])
  return {0, m - 1, d - 1}
end
return {1, m, d}
";

/// Counters in Redis, shared by every instance. The connection is made on first use and
/// re-made after a failure, so a Redis that is down at start or goes away only makes calls
/// fail (and the gateway fail open or closed as configured) until it is back.
pub struct RedisLimiter {
    redis: flowforge_kit::redis_conn::LazyRedis,
    script: redis::Script,
}

impl std::fmt::Debug for RedisLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RedisLimiter")
    }
}

impl RedisLimiter {
    /// A limiter on `url` (checked for syntax now, connected on first use).
    pub fn new(url: &str) -> Result<RedisLimiter, LimiterError> {
        Ok(RedisLimiter {
            redis: flowforge_kit::redis_conn::LazyRedis::new(url).map_err(LimiterError)?,
            script: redis::Script::new(SCRIPT),
        })
    }

    async fn connection(&self) -> Result<redis::aio::ConnectionManager, LimiterError> {
        self.redis.get().await.map_err(LimiterError)
    }

    /// Check and count one call by `consumer` at Unix time `now`, in one round trip.
    pub async fn check(
        &self,
        consumer: &str,
        l: &Limits,
        now: i64,
    ) -> Result<Decision, LimiterError> {
        if l.per_minute.is_none() && l.per_day.is_none() {
            return Ok(decision(true, l, 0, 0, now));
        }
        let (minute, m_reset, day, d_reset) = windows(now);
        // The {consumer} hash tag keeps both keys on one Redis Cluster slot.
        let mk = format!("ff:rl:{{{consumer}}}:m:{minute}");
        let dk = format!("ff:rl:{{{consumer}}}:d:{day}");
        let mut conn = self.connection().await?;
        let (ok, m, d): (i64, u64, u64) = self
            .script
            .key(mk)
            .key(dk)
            .arg(l.per_minute.unwrap_or(0))
            .arg(l.per_day.unwrap_or(0))
            .arg(m_reset + 1)
            .arg(d_reset + 1)
            .invoke_async(&mut conn)
            .await
            .map_err(|e| LimiterError(e.to_string()))?;
        Ok(decision(ok == 1, l, m, d, now))
    }

    /// Check Redis answers.
    pub async fn ping(&self) -> Result<(), LimiterError> {
        let mut conn = self.connection().await?;
        redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .map(|_| ())
            .map_err(|e| LimiterError(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FREE: Limits = Limits {
        per_minute: Some(3),
        per_day: Some(5),
    };

    #[test]
    fn the_minute_and_day_windows_are_counted_and_reset() {
        let l = MemoryLimiter::default();
        let t = 1_700_000_000 - 1_700_000_000 % 86_400 + 60; // one minute into a UTC day
        for i in 0..3 {
            let d = l.check("c", &FREE, t + i);
            assert!(d.allowed);
            assert_eq!(d.minute.unwrap().remaining, 2 - i as u64);
        }
        let d = l.check("c", &FREE, t + 3);
        assert!(!d.allowed);
        assert_eq!(d.retry_after(), 57);
        // Next minute: two more, then the day limit holds.
        assert!(l.check("c", &FREE, t + 60).allowed);
        assert!(l.check("c", &FREE, t + 61).allowed);
        let d = l.check("c", &FREE, t + 62);
        assert!(!d.allowed);
        assert_eq!(d.day.unwrap().remaining, 0);
        assert!(d.retry_after() > 80_000);
        // Another consumer is independent; the next day starts afresh.
        assert!(l.check("other", &FREE, t).allowed);
        assert!(l.check("c", &FREE, t + 86_400).allowed);
    }

    #[test]
    fn unlimited_tiers_are_never_counted() {
        let l = MemoryLimiter::default();
        let none = Limits {
            per_minute: None,
            per_day: None,
        };
        for i in 0..1000 {
            assert!(l.check("e", &none, i).allowed);
        }
        assert!(l.counts.lock().unwrap().is_empty());
    }
}
