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
    }
}
