//! Dates and times: parse (ISO 8601, RFC 2822, Unix seconds or milliseconds, or a given format),
//! format (strftime, or the Luxon tokens n8n users know), convert between IANA zones, add and
//! subtract calendar-aware durations, differences, start and end of a unit, business days.
//! chrono with chrono-tz (the IANA database compiled in: no system files are read).

use std::collections::BTreeSet;
use std::fmt;

use chrono::format::{Item, StrftimeItems};
use chrono::{
    DateTime, Datelike, Days, FixedOffset, LocalResult, MappedLocalTime, Months, NaiveDate,
    NaiveDateTime, NaiveTime, Offset, SecondsFormat, TimeDelta, TimeZone, Timelike, Weekday,
};
use chrono_tz::Tz;

use crate::error::DataError;

type R<T> = Result<T, DataError>;

fn err(field: &'static str, message: impl Into<String>) -> DataError {
    DataError::invalid(field, message)
}

/// A time zone: an IANA zone, or the fixed offset an input carried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    /// An IANA zone (`Europe/Berlin`, `UTC`).
    Named(Tz),
    /// A fixed offset (`+02:00`), kept from an input that named no zone.
    Fixed(FixedOffset),
}

/// The offset in effect at one instant of a [`Zone`].
#[derive(Debug, Clone, Copy)]
pub enum ZoneOffset {
    /// From an IANA zone (prints its abbreviation, `CET`).
    Named(<Tz as TimeZone>::Offset),
    /// A fixed offset.
    Fixed(FixedOffset),
}

impl Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        match self {
            ZoneOffset::Named(o) => o.fix(),
            ZoneOffset::Fixed(o) => *o,
        }
    }
}

impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZoneOffset::Named(o) => fmt::Display::fmt(o, f),
            ZoneOffset::Fixed(o) => fmt::Display::fmt(o, f),
        }
    }
}

fn map_local<O: Copy>(
    r: MappedLocalTime<O>,
    f: impl Fn(O) -> ZoneOffset,
) -> MappedLocalTime<ZoneOffset> {
    match r {
        LocalResult::Single(o) => LocalResult::Single(f(o)),
        LocalResult::Ambiguous(a, b) => LocalResult::Ambiguous(f(a), f(b)),
        LocalResult::None => LocalResult::None,
    }
}

impl TimeZone for Zone {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Zone {
        match offset {
            ZoneOffset::Named(o) => Zone::Named(Tz::from_offset(o)),
            ZoneOffset::Fixed(o) => Zone::Fixed(*o),
        }
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<ZoneOffset> {
        match self {
            Zone::Named(tz) => map_local(tz.offset_from_local_date(local), ZoneOffset::Named),
            Zone::Fixed(o) => LocalResult::Single(ZoneOffset::Fixed(*o)),
        }
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<ZoneOffset> {
        match self {
            Zone::Named(tz) => map_local(tz.offset_from_local_datetime(local), ZoneOffset::Named),
            Zone::Fixed(o) => LocalResult::Single(ZoneOffset::Fixed(*o)),
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        match self {
            Zone::Named(tz) => ZoneOffset::Named(tz.offset_from_utc_date(utc)),
            Zone::Fixed(o) => ZoneOffset::Fixed(*o),
        }
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        match self {
            Zone::Named(tz) => ZoneOffset::Named(tz.offset_from_utc_datetime(utc)),
            Zone::Fixed(o) => ZoneOffset::Fixed(*o),
        }
    }
}

impl Zone {
    /// The IANA name, or the offset as `+02:00`.
    pub fn name(&self) -> String {
        match self {
            Zone::Named(tz) => tz.name().to_string(),
            Zone::Fixed(o) => o.to_string(),
        }
    }
}

/// An IANA zone by name (also `+02:00`-style fixed offsets).
pub fn zone(name: &str, field: &'static str) -> R<Zone> {
    if let Ok(tz) = name.parse::<Tz>() {
        return Ok(Zone::Named(tz));
    }
    if let Ok(d) = DateTime::parse_from_str(&format!("2000-01-01 00:00 {name}"), "%F %R %:z") {
        return Ok(Zone::Fixed(*d.offset()));
    }
    Err(err(
        field,
        format!(
            "is not an IANA time zone or an offset: {name:?} (for example Europe/Berlin, America/New_York, UTC, +05:30)"
        ),
    ))
}

/// A wall-clock time in `zone`. An ambiguous time (a clock set back) is the earlier instant; a time
/// in a gap (a clock set forward) moves forward by the gap, as Luxon and Temporal do.
pub fn localize(zone: Zone, naive: NaiveDateTime) -> R<DateTime<Zone>> {
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(d) | LocalResult::Ambiguous(d, _) => Ok(d),
        LocalResult::None => {
            let before = naive
                .checked_sub_signed(TimeDelta::days(1))
                .map(|b| zone.offset_from_utc_datetime(&b).fix())
                .ok_or_else(|| err("value", "is out of the supported range"))?;
            let utc = naive
                .checked_sub_signed(TimeDelta::seconds(i64::from(before.local_minus_utc())))
                .ok_or_else(|| err("value", "is out of the supported range"))?;
            Ok(zone.from_utc_datetime(&utc))
        }
    }
}

fn from_unix_ms(ms: i64, zone: Zone, field: &'static str) -> R<DateTime<Zone>> {
    DateTime::from_timestamp_millis(ms)
        .map(|d| d.with_timezone(&zone))
        .ok_or_else(|| err(field, "is out of the supported range"))
}

/// How a value is read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reading {
    Seconds,
    Millis,
}

fn unix(n: f64, how: Option<Reading>, zone: Zone, field: &'static str) -> R<DateTime<Zone>> {
    if !n.is_finite() {
        return Err(err(field, "is not a finite number"));
    }
    // Automatic: numbers of 1e11 and more are milliseconds (1e11 s is the year 5138).
    let how = how.unwrap_or(if n.abs() >= 1e11 {
        Reading::Millis
    } else {
        Reading::Seconds
    });
    let ms = match how {
        Reading::Seconds => n * 1000.0,
        Reading::Millis => n,
    };
    if ms.abs() > 8.64e18 {
        return Err(err(field, "is out of the supported range"));
    }
    from_unix_ms(ms.round() as i64, zone, field)
}

const WITH_OFFSET: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%#z",
    "%Y-%m-%d %H:%M:%S%.f%#z",
    "%Y-%m-%dT%H:%M%#z",
    "%Y-%m-%d %H:%M%#z",
    "%Y-%m-%dT%H:%M:%S%.f %#z",
    "%Y-%m-%d %H:%M:%S%.f %#z",
];
const NAIVE: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y%m%dT%H%M%S",
];

/// Parse a value: a number (Unix seconds, or milliseconds from 1e11 up), or a string in ISO 8601
/// / RFC 3339, RFC 2822, digits (as a number), or `format` (strftime or Luxon tokens; also the
/// names `iso8601`, `rfc2822`, `unix`, `unix_ms`), or `now`. A value without an offset is read in `zone`
/// (UTC when none was given); a value with one keeps it unless `zone` was given.
pub fn parse(
    value: &serde_json::Value,
    format: Option<&str>,
    zone: Option<Zone>,
    field: &'static str,
) -> R<DateTime<Zone>> {
    let local = zone.unwrap_or(Zone::Named(Tz::UTC));
    let keep = |d: DateTime<FixedOffset>| match zone {
        Some(z) => d.with_timezone(&z),
        None => d.with_timezone(&Zone::Fixed(*d.offset())),
    };
    let how = match format {
        Some("unix") => Some(Reading::Seconds),
        Some("unix_ms") => Some(Reading::Millis),
        _ => None,
    };
    let s = match value {
        serde_json::Value::Number(n) => {
            let n = n.as_f64().ok_or_else(|| err(field, "is not a number"))?;
            return unix(n, how, local, field);
        }
        serde_json::Value::String(s) => s.trim(),
        other => {
            return Err(err(
                field,
                format!(
                    "must be a date-time string or a Unix time number; got {}",
                    crate::convert::kind(other)
                ),
            ));
        }
    };
    if s.eq_ignore_ascii_case("now") {
        return Ok(chrono::Utc::now().with_timezone(&local));
    }
    let numeric = !s.is_empty()
        && s.trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.');
    if how.is_some() || (format.is_none() && numeric) {
        let n: f64 = s
            .parse()
            .map_err(|_| err(field, format!("is not a Unix time: {s:?}")))?;
        return unix(n, how, local, field);
    }
    match format {
        None | Some("iso8601") | Some("rfc3339") => {
            if let Ok(d) = DateTime::parse_from_rfc3339(s) {
                return Ok(keep(d));
            }
            for f in WITH_OFFSET {
                if let Ok(d) = DateTime::parse_from_str(s, f) {
                    return Ok(keep(d));
                }
            }
            for f in NAIVE {
                if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
                    return localize(local, n);
                }
            }
            for f in ["%Y-%m-%d", "%Y%m%d"] {
                if let Ok(d) = NaiveDate::parse_from_str(s, f) {
                    return localize(local, d.and_time(NaiveTime::MIN));
                }
            }
            if format.is_none()
                && let Ok(d) = DateTime::parse_from_rfc2822(s)
            {
                return Ok(keep(d));
            }
            Err(err(
                field,
                format!(
                    "is not a date-time in a known shape: {s:?} (expected ISO 8601 such as 2024-03-10T14:30:00Z, RFC 2822, Unix seconds or milliseconds; give `inputFormat` for anything else)"
                ),
            ))
        }
        Some("rfc2822") => DateTime::parse_from_rfc2822(s)
            .map(keep)
            .map_err(|e| err(field, format!("is not an RFC 2822 date: {e}"))),
        Some(pattern) => {
            let pattern = strftime_of(pattern, None, "inputFormat")?;
            if let Ok(d) = DateTime::parse_from_str(s, &pattern) {
                return Ok(keep(d));
            }
            match NaiveDateTime::parse_from_str(s, &pattern) {
                Ok(n) => localize(local, n),
                Err(e) => match NaiveDate::parse_from_str(s, &pattern) {
                    Ok(d) => localize(local, d.and_time(NaiveTime::MIN)),
                    Err(_) => Err(err(
                        field,
                        format!("does not match the format {pattern:?}: {e}"),
                    )),
                },
            }
        }
    }
}

/// A Luxon token pattern (`yyyy-MM-dd HH:mm`) as strftime; a pattern with `%` is strftime already.
/// `dt` fills the tokens strftime lacks (zone name, quarter, Unix times) when formatting.
fn strftime_of(pattern: &str, dt: Option<&DateTime<Zone>>, field: &'static str) -> R<String> {
    if pattern.contains('%') {
        return Ok(pattern.to_string());
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            // 'literal text'; '' is a quote.
            let mut j = i + 1;
            if chars.get(j) == Some(&'\'') {
                out.push('\'');
                i = j + 1;
                continue;
            }
            while j < chars.len() && chars[j] != '\'' {
                out.push(chars[j]);
                j += 1;
            }
            i = j + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut n = 1;
        while chars.get(i + n) == Some(&c) {
            n += 1;
        }
        let lit = |v: String| v.replace('%', "%%");
        let spec: String = match (c, n) {
            ('y', 4) | ('y', 1) => "%Y".into(),
            ('y', 2) => "%y".into(),
            ('M' | 'L', 1) => "%-m".into(),
            ('M' | 'L', 2) => "%m".into(),
            ('M' | 'L', 3) => "%b".into(),
            ('M' | 'L', 4) => "%B".into(),
            ('d', 1) => "%-d".into(),
            ('d', 2) => "%d".into(),
            ('E' | 'c', 1) => "%u".into(),
            ('E' | 'c', 3) => "%a".into(),
            ('E' | 'c', 4) => "%A".into(),
            ('H', 1) => "%-H".into(),
            ('H', 2) => "%H".into(),
            ('h', 1) => "%-I".into(),
            ('h', 2) => "%I".into(),
            ('m', 1) => "%-M".into(),
            ('m', 2) => "%M".into(),
            ('s', 1) => "%-S".into(),
            ('s', 2) => "%S".into(),
            ('S', 3) => "%3f".into(),
            ('a', 1) => "%p".into(),
            ('Z', 2) => "%:z".into(),
            ('Z', 3) => "%z".into(),
            ('Z', 4) => "%Z".into(),
            ('o', 1) => "%-j".into(),
            ('o', 3) => "%j".into(),
            ('W', 1) => "%-V".into(),
            ('W', 2) => "%V".into(),
            ('k', 4) => "%G".into(),
            ('X', 1) => "%s".into(),
            ('z', 1) | ('q', 1 | 2) | ('x', 1) => match dt {
                None => {
                    return Err(err(
                        field,
                        format!(
                            "the token {} only formats; it cannot be parsed",
                            c.to_string().repeat(n)
                        ),
                    ));
                }
                Some(d) => match c {
                    'z' => lit(d.timezone().name()),
                    'q' => {
                        let q = (d.month() - 1) / 3 + 1;
                        if n == 2 {
                            format!("{q:02}")
                        } else {
                            q.to_string()
                        }
                    }
                    _ => d.timestamp_millis().to_string(),
                },
            },
            _ => {
                return Err(err(
                    field,
                    format!(
                        "has an unknown token {:?}: use Luxon tokens (yyyy MM dd HH mm ss SSS EEE MMM a ZZ z …), quote literal text as 'T', or a strftime pattern with %",
                        c.to_string().repeat(n)
                    ),
                ));
            }
        };
        out.push_str(&spec);
        i += n;
    }
    Ok(out)
}

/// Format: `iso8601` (the default), `rfc2822`, `unix`, `unix_ms`, `date`, or a pattern.
pub fn format(dt: &DateTime<Zone>, format: Option<&str>) -> R<serde_json::Value> {
    use serde_json::Value;
    Ok(match format {
        None | Some("iso8601") | Some("rfc3339") => {
            Value::String(dt.to_rfc3339_opts(SecondsFormat::AutoSi, true))
        }
        Some("rfc2822") => Value::String(dt.to_rfc2822()),
        Some("unix") => Value::from(dt.timestamp()),
        Some("unix_ms") => Value::from(dt.timestamp_millis()),
        Some("date") => Value::String(dt.format("%Y-%m-%d").to_string()),
        Some(p) => {
            let p = strftime_of(p, Some(dt), "format")?;
            let items: Vec<Item> = StrftimeItems::new(&p)
                .parse()
                .map_err(|_| err("format", format!("is not a valid strftime pattern: {p:?}")))?;
            let mut s = String::new();
            fmt::write(
                &mut s,
                format_args!("{}", dt.format_with_items(items.iter())),
            )
            .map_err(|_| err("format", format!("cannot format this date with {p:?}")))?;
            Value::String(s)
        }
    })
}

/// The parts of a date-time, as `parse` answers them.
pub fn parts(dt: &DateTime<Zone>) -> serde_json::Value {
    let iw = dt.iso_week();
    let leap = NaiveDate::from_ymd_opt(dt.year(), 2, 29).is_some();
    let next_month = if dt.month() == 12 {
        NaiveDate::from_ymd_opt(dt.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(dt.year(), dt.month() + 1, 1)
    };
    let days_in_month = next_month
        .and_then(|n| n.pred_opt())
        .map(|d| d.day())
        .unwrap_or(31);
    serde_json::json!({
        "year": dt.year(), "month": dt.month(), "day": dt.day(),
        "hour": dt.hour(), "minute": dt.minute(), "second": dt.second(),
        "millisecond": dt.timestamp_subsec_millis(),
        "weekday": dt.weekday().number_from_monday(),
        "weekdayName": dt.format("%A").to_string(),
        "dayOfYear": dt.ordinal(), "isoWeek": iw.week(), "isoWeekYear": iw.year(),
        "quarter": (dt.month() - 1) / 3 + 1, "daysInMonth": days_in_month, "isLeapYear": leap,
        "offset": dt.offset().fix().to_string(),
        "unix": dt.timestamp(), "unixMs": dt.timestamp_millis(),
    })
}

/// A duration: calendar parts (years, months, days, applied to the wall clock) and exact parts.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Duration {
    /// Years.
    pub years: i64,
    /// Months.
    pub months: i64,
    /// Weeks.
    pub weeks: i64,
    /// Days.
    pub days: i64,
    /// Hours.
    pub hours: i64,
    /// Minutes.
    pub minutes: i64,
    /// Milliseconds (seconds are folded in).
    pub millis: i64,
}

const DURATION_HELP: &str = "an ISO 8601 duration such as P1DT2H30M, or an object of whole years, months, weeks, days, hours, minutes, seconds, milliseconds";

/// `P1Y2M3W4DT5H6M7.5S` (a leading `-` negates), or `{"days":3,"hours":4}`.
pub fn duration(v: &serde_json::Value) -> R<Duration> {
    let field = "duration";
    match v {
        serde_json::Value::String(s) => iso_duration(s.trim())
            .ok_or_else(|| err(field, format!("is not {DURATION_HELP}: {s:?}"))),
        serde_json::Value::Object(m) => {
            let mut d = Duration::default();
            for (k, v) in m {
                let n = v
                    .as_f64()
                    .filter(|n| n.is_finite() && n.abs() < 1e15)
                    .ok_or_else(|| {
                        err(
                            field,
                            format!("`{k}` must be a number; got {}", crate::convert::kind(v)),
                        )
                    })?;
                let whole = |n: f64| -> R<i64> {
                    if n.fract() == 0.0 {
                        Ok(n as i64)
                    } else {
                        Err(err(
                            field,
                            format!("`{k}` must be a whole number (only seconds take fractions)"),
                        ))
                    }
                };
                match k.as_str() {
                    "years" => d.years = whole(n)?,
                    "months" => d.months = whole(n)?,
                    "weeks" => d.weeks = whole(n)?,
                    "days" => d.days = whole(n)?,
                    "hours" => d.hours = whole(n)?,
                    "minutes" => d.minutes = whole(n)?,
                    "seconds" => d.millis += (n * 1000.0).round() as i64,
                    "milliseconds" => d.millis += whole(n)?,
                    _ => {
                        return Err(err(
                            field,
                            format!("has an unknown unit `{k}`: expected {DURATION_HELP}"),
                        ));
                    }
                }
            }
            Ok(d)
        }
        other => Err(err(
            field,
            format!(
                "must be {DURATION_HELP}; got {}",
                crate::convert::kind(other)
            ),
        )),
    }
}

fn iso_duration(s: &str) -> Option<Duration> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let body = s.strip_prefix('P').or_else(|| s.strip_prefix('p'))?;
    if body.is_empty() {
        return None;
    }
    let mut d = Duration::default();
    let mut in_time = false;
    let mut num = String::new();
    let mut any = false;
    for c in body.chars() {
        match c.to_ascii_uppercase() {
            'T' if !in_time && num.is_empty() => in_time = true,
            '0'..='9' | '.' | ',' => num.push(if c == ',' { '.' } else { c }),
            unit => {
                let n: f64 = num.parse().ok()?;
                num.clear();
                any = true;
                let whole = if n.fract() == 0.0 && n.abs() < 1e15 {
                    Some(n as i64)
                } else {
                    None
                };
                match (in_time, unit) {
                    (false, 'Y') => d.years = whole?,
                    (false, 'M') => d.months = whole?,
                    (false, 'W') => d.weeks = whole?,
                    (false, 'D') => d.days = whole?,
                    (true, 'H') => d.hours = whole?,
                    (true, 'M') => d.minutes = whole?,
                    (true, 'S') if n.abs() < 1e15 => d.millis = (n * 1000.0).round() as i64,
                    _ => return None,
                }
            }
        }
    }
    if !num.is_empty() || !any {
        return None;
    }
    if neg {
        d = Duration {
            years: -d.years,
            months: -d.months,
            weeks: -d.weeks,
            days: -d.days,
            hours: -d.hours,
            minutes: -d.minutes,
            millis: -d.millis,
        };
    }
    Some(d)
}

fn out_of_range() -> DataError {
    err("duration", "takes the date out of the supported range")
}

/// Add (`sign` 1) or subtract (`sign` -1): years, months, weeks and days move the wall clock in the
/// zone (so a day is 23 or 25 hours across a DST change, and Jan 31 + 1 month is Feb 28/29);
/// hours and smaller are exact.
pub fn add(dt: &DateTime<Zone>, d: Duration, sign: i64) -> R<DateTime<Zone>> {
    let zone = dt.timezone();
    let months = d
        .years
        .checked_mul(12)
        .and_then(|y| y.checked_add(d.months))
        .and_then(|m| m.checked_mul(sign))
        .ok_or_else(out_of_range)?;
    let days = d
        .weeks
        .checked_mul(7)
        .and_then(|w| w.checked_add(d.days))
        .and_then(|x| x.checked_mul(sign))
        .ok_or_else(out_of_range)?;
    let mut n = dt.naive_local();
    let m = u32::try_from(months.unsigned_abs()).map_err(|_| out_of_range())?;
    n = if months >= 0 {
        n.checked_add_months(Months::new(m))
    } else {
        n.checked_sub_months(Months::new(m))
    }
    .ok_or_else(out_of_range)?;
    n = if days >= 0 {
        n.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        n.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .ok_or_else(out_of_range)?;
    let base = if months == 0 && days == 0 {
        *dt
    } else {
        localize(zone, n).map_err(|_| out_of_range())?
    };
    let exact = TimeDelta::try_hours(d.hours)
        .zip(TimeDelta::try_minutes(d.minutes))
        .and_then(|(h, m)| h.checked_add(&m))
        .and_then(|t| t.checked_add(&TimeDelta::try_milliseconds(d.millis)?))
        .map(|t| if sign < 0 { -t } else { t })
        .ok_or_else(out_of_range)?;
    base.checked_add_signed(exact).ok_or_else(out_of_range)
}

flowforge_kit::wire_enum! {
    /// A unit of time.
    pub enum Unit {
        /// Calendar years.
        Year = "year" | "years",
        /// Calendar quarters.
        Quarter = "quarter" | "quarters",
        /// Calendar months.
        Month = "month" | "months",
        /// Weeks.
        Week = "week" | "weeks",
        /// Days.
        Day = "day" | "days",
        /// Hours.
        Hour = "hour" | "hours",
        /// Minutes.
        Minute = "minute" | "minutes",
        /// Seconds.
        Second = "second" | "seconds",
        /// Milliseconds.
        Millisecond = "millisecond" | "milliseconds",
    }
}

/// The whole calendar months from `a` to `b` (wall clock), and the fraction of the next one.
fn months_between(a: &DateTime<Zone>, b: &DateTime<Zone>) -> R<f64> {
    let (na, nb) = (a.naive_local(), b.naive_local());
    if nb < na {
        return months_between(b, a).map(|m| -m);
    }
    let mut whole =
        i64::from(nb.year() - na.year()) * 12 + i64::from(nb.month()) - i64::from(na.month());
    let at = |k: i64| -> Option<NaiveDateTime> {
        na.checked_add_months(Months::new(u32::try_from(k).ok()?))
    };
    while whole > 0 && at(whole).is_none_or(|t| t > nb) {
        whole -= 1;
    }
    let start = at(whole).ok_or_else(|| err("end", "is out of the supported range"))?;
    let next = at(whole + 1).ok_or_else(|| err("end", "is out of the supported range"))?;
    let span = (next - start).num_milliseconds() as f64;
    let part = (nb - start).num_milliseconds() as f64;
    Ok(whole as f64 + if span > 0.0 { part / span } else { 0.0 })
}

/// The difference from `a` to `b` in `unit`, positive when `b` is later. Years, quarters and
/// months count calendar months; weeks and days the wall clock (a DST day is still one day);
/// hours and smaller exact time.
pub fn diff(a: &DateTime<Zone>, b: &DateTime<Zone>, unit: Unit) -> R<f64> {
    let exact = (*b - *a).num_milliseconds() as f64;
    let b_local = b.with_timezone(&a.timezone());
    let wall = (b_local.naive_local() - a.naive_local()).num_milliseconds() as f64;
    Ok(match unit {
        Unit::Year => months_between(a, &b_local)? / 12.0,
        Unit::Quarter => months_between(a, &b_local)? / 3.0,
        Unit::Month => months_between(a, &b_local)?,
        Unit::Week => wall / 604_800_000.0,
        Unit::Day => wall / 86_400_000.0,
        Unit::Hour => exact / 3_600_000.0,
        Unit::Minute => exact / 60_000.0,
        Unit::Second => exact / 1000.0,
        Unit::Millisecond => exact,
    })
}

/// The start of the `unit` that holds `dt` (weeks start on `week_start`).
pub fn start_of(dt: &DateTime<Zone>, unit: Unit, week_start: Weekday) -> R<DateTime<Zone>> {
    let n = dt.naive_local();
    let d = n.date();
    let day = |d: NaiveDate| d.and_time(NaiveTime::MIN);
    let oob = || err("value", "is out of the supported range");
    let start = match unit {
        Unit::Year => day(NaiveDate::from_ymd_opt(d.year(), 1, 1).ok_or_else(oob)?),
        Unit::Quarter => {
            let m = (d.month() - 1) / 3 * 3 + 1;
            day(NaiveDate::from_ymd_opt(d.year(), m, 1).ok_or_else(oob)?)
        }
        Unit::Month => day(d.with_day(1).ok_or_else(oob)?),
        Unit::Week => {
            let back =
                (7 + d.weekday().num_days_from_monday() - week_start.num_days_from_monday()) % 7;
            day(d
                .checked_sub_days(Days::new(u64::from(back)))
                .ok_or_else(oob)?)
        }
        Unit::Day => day(d),
        Unit::Hour => d.and_hms_opt(n.hour(), 0, 0).ok_or_else(oob)?,
        Unit::Minute => d.and_hms_opt(n.hour(), n.minute(), 0).ok_or_else(oob)?,
        Unit::Second => d
            .and_hms_opt(n.hour(), n.minute(), n.second())
            .ok_or_else(oob)?,
        Unit::Millisecond => d
            .and_hms_milli_opt(
                n.hour(),
                n.minute(),
                n.second(),
                n.and_utc().timestamp_subsec_millis(),
            )
            .ok_or_else(oob)?,
    };
    localize(dt.timezone(), start)
}

/// The last millisecond of the `unit` that holds `dt`.
pub fn end_of(dt: &DateTime<Zone>, unit: Unit, week_start: Weekday) -> R<DateTime<Zone>> {
    let start = start_of(dt, unit, week_start)?;
    let one = Duration::default();
    let next = match unit {
        Unit::Year => Duration { years: 1, ..one },
        Unit::Quarter => Duration { months: 3, ..one },
        Unit::Month => Duration { months: 1, ..one },
        Unit::Week => Duration { weeks: 1, ..one },
        Unit::Day => Duration { days: 1, ..one },
        Unit::Hour => Duration { hours: 1, ..one },
        Unit::Minute => Duration { minutes: 1, ..one },
        Unit::Second => Duration {
            millis: 1000,
            ..one
        },
        Unit::Millisecond => return Ok(start),
    };
    let after = add(&start, next, 1).map_err(|_| err("value", "is out of the supported range"))?;
    after
        .checked_sub_signed(TimeDelta::milliseconds(1))
        .ok_or_else(|| err("value", "is out of the supported range"))
}

/// Weekend days and holidays for business-day arithmetic.
#[derive(Debug, Clone)]
pub struct Calendar {
    weekend: [bool; 7],
    holidays: BTreeSet<NaiveDate>,
}

/// A weekday from `sat`, `saturday`, or ISO number 6.
pub fn weekday(v: &serde_json::Value, field: &'static str) -> R<Weekday> {
    let bad = || {
        err(
            field,
            format!("must be a weekday name (mon … sun) or ISO number 1 … 7; got {v}"),
        )
    };
    match v {
        serde_json::Value::Number(n) => match n.as_u64() {
            Some(k @ 1..=7) => Weekday::try_from((k - 1) as u8).map_err(|_| bad()),
            _ => Err(bad()),
        },
        serde_json::Value::String(s) => s.parse::<Weekday>().map_err(|_| bad()),
        _ => Err(bad()),
    }
}

impl Calendar {
    /// Weekend days (Saturday and Sunday by default) and holiday dates (`YYYY-MM-DD`).
    pub fn new(weekend: &[Weekday], holidays: &[String]) -> R<Calendar> {
        let mut w = [false; 7];
        for d in weekend {
            w[d.num_days_from_monday() as usize] = true;
        }
        if w.iter().all(|x| *x) {
            return Err(err("weekend", "leaves no business day in the week"));
        }
        let mut hs = BTreeSet::new();
        for h in holidays {
            let d = NaiveDate::parse_from_str(h.trim(), "%Y-%m-%d").map_err(|_| {
                err(
                    "holidays",
                    format!("must hold dates as YYYY-MM-DD; got {h:?}"),
                )
            })?;
            hs.insert(d);
        }
        Ok(Calendar {
            weekend: w,
            holidays: hs,
        })
    }

    fn is_weekend(&self, d: NaiveDate) -> bool {
        self.weekend[d.weekday().num_days_from_monday() as usize]
    }

    /// Whether `d` is a business day.
    pub fn is_business(&self, d: NaiveDate) -> bool {
        !self.is_weekend(d) && !self.holidays.contains(&d)
    }

    fn per_week(&self) -> i64 {
        self.weekend.iter().filter(|w| !**w).count() as i64
    }

    /// Business days in `[a, b]` (both ends counted, as NETWORKDAYS); negative when `b < a`.
    pub fn count(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        if b < a {
            return -self.count(b, a);
        }
        let span = (b - a).num_days() + 1;
        let weeks = span / 7;
        let mut n = weeks * self.per_week();
        let mut d = a + TimeDelta::days(weeks * 7);
        while d <= b {
            if !self.is_weekend(d) {
                n += 1;
            }
            d += TimeDelta::days(1);
        }
        let hol = self
            .holidays
            .range(a..=b)
            .filter(|h| !self.is_weekend(**h))
            .count() as i64;
        n - hol
    }

    /// `n` business days after `start` (before it when negative), as WORKDAY: the start itself
    /// is not counted. Whole weeks are jumped, so a large `n` costs little.
    pub fn add(&self, start: NaiveDate, n: i64) -> R<NaiveDate> {
        let oob = || err("days", "takes the date out of the supported range");
        let step = if n < 0 { -1 } else { 1 };
        let mut left = n.checked_abs().ok_or_else(oob)?;
        let mut cur = start;
        let bpw = self.per_week();
        while left > 0 {
            if left > bpw * 2 {
                let weeks = left / bpw - 1;
                let next = cur
                    .checked_add_signed(
                        weeks
                            .checked_mul(7 * step)
                            .and_then(TimeDelta::try_days)
                            .ok_or_else(oob)?,
                    )
                    .ok_or_else(oob)?;
                let (lo, hi) = if step > 0 { (cur, next) } else { (next, cur) };
                let hol = self
                    .holidays
                    .range(lo..=hi)
                    .filter(|h| !self.is_weekend(**h) && **h != cur)
                    .count() as i64;
                left -= weeks * bpw - hol;
                cur = next;
            } else {
                cur = cur
                    .checked_add_signed(TimeDelta::days(step))
                    .ok_or_else(oob)?;
                if self.is_business(cur) {
                    left -= 1;
                }
            }
        }
        Ok(cur)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use flowforge_kit::DomainError;
    use serde_json::json;

    fn p(s: &str, z: Option<&str>) -> DateTime<Zone> {
        parse(
            &json!(s),
            None,
            z.map(|z| zone(z, "timezone").unwrap()),
            "value",
        )
        .unwrap()
    }

    #[test]
    fn parses_the_common_shapes() {
        let iso = |s: &str| format(&p(s, None), None).unwrap();
        assert_eq!(iso("2024-03-10T14:30:00Z"), json!("2024-03-10T14:30:00Z"));
        assert_eq!(
            iso("2024-03-10T14:30:00.250+02:00"),
            json!("2024-03-10T14:30:00.250+02:00")
        );
        assert_eq!(iso("2024-03-10 14:30"), json!("2024-03-10T14:30:00Z"));
        assert_eq!(iso("2024-03-10"), json!("2024-03-10T00:00:00Z"));
        assert_eq!(
            iso("Sun, 10 Mar 2024 14:30:00 +0100"),
            json!("2024-03-10T14:30:00+01:00")
        );
        assert_eq!(iso("1710081000"), json!("2024-03-10T14:30:00Z"));
        assert_eq!(iso("1710081000000"), json!("2024-03-10T14:30:00Z"));
        assert_eq!(
            format(
                &parse(&json!(1710081000.5), None, None, "value").unwrap(),
                None
            )
            .unwrap(),
            json!("2024-03-10T14:30:00.500Z")
        );
        let e = parse(&json!("next tuesday"), None, None, "value").unwrap_err();
        assert_eq!(e.field(), "value");
        assert!(e.hint().contains("ISO 8601"), "{}", e.hint());
    }

    #[test]
    fn formats_with_strftime_and_luxon_tokens() {
        let d = p("2024-03-10T14:05:09.123", Some("Europe/Paris"));
        let f = |s: &str| format(&d, Some(s)).unwrap();
        assert_eq!(f("%d/%m/%Y %H:%M"), json!("10/03/2024 14:05"));
        assert_eq!(
            f("dd.MM.yyyy HH:mm:ss.SSS ZZ"),
            json!("10.03.2024 14:05:09.123 +01:00")
        );
        assert_eq!(
            f("EEEE d MMMM yyyy 'at' h:mm a z 'Q'q"),
            json!("Sunday 10 March 2024 at 2:05 PM Europe/Paris Q1")
        );
        assert_eq!(f("unix"), json!(1710075909));
        assert!(
            format(&d, Some("yyyy-QQQ"))
                .unwrap_err()
                .hint()
                .contains("QQQ")
        );
        // A pattern chrono cannot read is an error, not a panic.
        assert_eq!(format(&d, Some("%Q")).unwrap_err().field(), "format");
    }

    #[test]
    fn input_formats() {
        let d = parse(
            &json!("10/03/2024 14:30"),
            Some("dd/MM/yyyy HH:mm"),
            None,
            "value",
        )
        .unwrap();
        assert_eq!(format(&d, None).unwrap(), json!("2024-03-10T14:30:00Z"));
        let d = parse(
            &json!("10.03.2024"),
            Some("%d.%m.%Y"),
            Some(zone("Asia/Tokyo", "t").unwrap()),
            "value",
        )
        .unwrap();
        assert_eq!(
            format(&d, None).unwrap(),
            json!("2024-03-10T00:00:00+09:00")
        );
        let e = parse(&json!("2024-03-10"), Some("dd/MM/yyyy"), None, "value").unwrap_err();
        assert!(e.hint().contains("does not match"), "{}", e.hint());
    }

    #[test]
    fn zones_and_dst() {
        let d =
            p("2024-03-10T14:30:00Z", None).with_timezone(&zone("America/New_York", "z").unwrap());
        assert_eq!(
            format(&d, None).unwrap(),
            json!("2024-03-10T10:30:00-04:00")
        );
        // 02:30 does not exist in Paris on 2024-03-31: it moves forward by the gap.
        let gap = p("2024-03-31T02:30", Some("Europe/Paris"));
        assert_eq!(
            format(&gap, None).unwrap(),
            json!("2024-03-31T03:30:00+02:00")
        );
        // 02:30 happens twice on 2024-10-27: the earlier one.
        let twice = p("2024-10-27T02:30", Some("Europe/Paris"));
        assert_eq!(
            format(&twice, None).unwrap(),
            json!("2024-10-27T02:30:00+02:00")
        );
        assert!(zone("Mars/Olympus", "timezone").is_err());
        assert_eq!(zone("+05:30", "timezone").unwrap().name(), "+05:30");
    }

    #[test]
    fn durations_follow_the_calendar() {
        let d = p("2024-01-31T10:00", Some("Europe/Paris"));
        let plus =
            |s: &str| format(&add(&d, duration(&json!(s)).unwrap(), 1).unwrap(), None).unwrap();
        assert_eq!(plus("P1M"), json!("2024-02-29T10:00:00+01:00"));
        assert_eq!(plus("P1Y1M"), json!("2025-02-28T10:00:00+01:00"));
        assert_eq!(plus("PT1H30M"), json!("2024-01-31T11:30:00+01:00"));
        assert_eq!(plus("-P1W"), json!("2024-01-24T10:00:00+01:00"));
        // A day across the spring-forward change keeps the wall clock; 24 hours do not.
        let s = p("2024-03-30T12:00", Some("Europe/Paris"));
        let one = |v: serde_json::Value| {
            format(&add(&s, duration(&v).unwrap(), 1).unwrap(), None).unwrap()
        };
        assert_eq!(one(json!({"days":1})), json!("2024-03-31T12:00:00+02:00"));
        assert_eq!(one(json!({"hours":24})), json!("2024-03-31T13:00:00+02:00"));
        assert!(duration(&json!("P1X")).is_err());
        assert!(
            duration(&json!({"fortnights":1}))
                .unwrap_err()
                .hint()
                .contains("fortnights")
        );
    }

    #[test]
    fn differences() {
        let a = p("2024-01-31T00:00", Some("Europe/Paris"));
        let b = p("2024-03-31T12:00", Some("Europe/Paris"));
        assert_eq!(diff(&a, &b, Unit::Month).unwrap().floor(), 2.0);
        assert_eq!(diff(&a, &b, Unit::Day).unwrap(), 60.5);
        // The spring-forward day has 23 hours.
        assert_eq!(diff(&a, &b, Unit::Hour).unwrap(), 60.0 * 24.0 + 11.0);
        assert_eq!(diff(&b, &a, Unit::Day).unwrap(), -60.5);
        let y = diff(&p("2020-02-29", None), &p("2024-02-29", None), Unit::Year).unwrap();
        assert_eq!(y, 4.0);
    }

    #[test]
    fn start_and_end_of() {
        let d = p("2024-05-15T13:45:12.5", None);
        let f = |d: DateTime<Zone>| format(&d, None).unwrap();
        assert_eq!(
            f(start_of(&d, Unit::Month, Weekday::Mon).unwrap()),
            json!("2024-05-01T00:00:00Z")
        );
        assert_eq!(
            f(end_of(&d, Unit::Month, Weekday::Mon).unwrap()),
            json!("2024-05-31T23:59:59.999Z")
        );
        assert_eq!(
            f(start_of(&d, Unit::Week, Weekday::Mon).unwrap()),
            json!("2024-05-13T00:00:00Z")
        );
        assert_eq!(
            f(start_of(&d, Unit::Week, Weekday::Sun).unwrap()),
            json!("2024-05-12T00:00:00Z")
        );
        assert_eq!(
            f(start_of(&d, Unit::Quarter, Weekday::Mon).unwrap()),
            json!("2024-04-01T00:00:00Z")
        );
        assert_eq!(
            f(end_of(&d, Unit::Hour, Weekday::Mon).unwrap()),
            json!("2024-05-15T13:59:59.999Z")
        );
    }

    #[test]
    fn business_days() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let cal = Calendar::new(
            &[Weekday::Sat, Weekday::Sun],
            &["2024-12-25".into(), "2024-12-26".into()],
        )
        .unwrap();
        // Friday 2024-12-20 + 3 business days skips the weekend and both holidays.
        assert_eq!(cal.add(day("2024-12-20"), 3).unwrap(), day("2024-12-27"));
        assert_eq!(cal.add(day("2024-12-27"), -3).unwrap(), day("2024-12-20"));
        assert_eq!(cal.count(day("2024-12-01"), day("2024-12-31")), 20);
        assert_eq!(cal.count(day("2024-12-31"), day("2024-12-01")), -20);
        // Whole-week jumps agree with stepping one day at a time.
        let plain = Calendar::new(&[Weekday::Sat, Weekday::Sun], &[]).unwrap();
        let mut d = day("2024-01-03");
        for _ in 0..1000 {
            d = plain.add(d, 1).unwrap();
        }
        assert_eq!(plain.add(day("2024-01-03"), 1000).unwrap(), d);
        let far = cal.add(day("2024-01-03"), 1000).unwrap();
        assert_eq!(cal.count(day("2024-01-04"), far), 1000);
        assert_eq!(
            cal.add(day("2025-01-03"), -1000).unwrap(),
            cal.add(day("2025-01-03"), -999)
                .and_then(|d| cal.add(d, -1))
                .unwrap()
        );
        assert!(
            Calendar::new(
                &[
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri,
                    Weekday::Sat,
                    Weekday::Sun
                ],
                &[]
            )
            .is_err()
        );
    }
}
