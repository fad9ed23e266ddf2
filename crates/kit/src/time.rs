//! Unix time and its ISO 8601 / RFC 3339 rendering (UTC), without a calendar dependency.

use std::fmt::Write as _;

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
pub fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 of `YYYY-MM-DD` (also the date part of an ISO 8601 timestamp), or
/// `None` when it is not a real date.
pub fn parse_ymd(s: &str) -> Option<i64> {
    let s = s.get(..10)?;
    let mut it = s.split('-');
    let (y, m, d): (i64, i64, i64) = (
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    );
    if !(1..=12).contains(&m) || d < 1 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // Reject 2026-02-30 and the like: the date must come back unchanged.
    (civil(days) == (y, m, d)).then_some(days)
}

fn write_ts(out: &mut String, secs: i64, micros: Option<u32>) {
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    );
    if let Some(us) = micros {
        let _ = write!(out, ".{us:06}");
    }
    out.push('Z');
}

/// `2026-11-24T18:00:00Z` for a Unix time.
pub fn iso(ts: i64) -> String {
    let mut s = String::with_capacity(20);
    write_ts(&mut s, ts, None);
    s
}

/// Append the current time as `2026-11-24T18:26:50.379372Z`.
pub fn rfc3339_micros_now(out: &mut String) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    write_ts(out, now.as_secs() as i64, Some(now.subsec_micros()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_right() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso(1_300_819_380), "2011-03-22T18:43:00Z");
        assert_eq!(iso(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso(-86_400), "1969-12-31T00:00:00Z");
        let mut t = String::new();
        rfc3339_micros_now(&mut t);
        assert_eq!(t.len(), 27, "{t}");
        for d in [0i64, 59, 11_016, 20_416, 20_781, -1000] {
            assert_eq!(parse_ymd(&iso(d * 86_400)), Some(d));
        }
        assert_eq!(parse_ymd("2026-02-30"), None);
        assert_eq!(parse_ymd("2024-02-29"), Some(19_782));
    }
}
