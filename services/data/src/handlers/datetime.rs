//! `POST /api/v1/data/datetime`.

use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Weekday};
use flowforge_kit::{ApiError, Payload};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::{St, respond};
use crate::datetime::{self as dt, Unit, Zone};

flowforge_kit::wire_enum! {
    /// A date-time operation.
    pub enum DateTimeOp {
        /// Read a value; answers it in ISO 8601 with its parts (year … isoWeek, unix).
        Parse = "parse",
        /// Write a value in `format`.
        Format = "format",
        /// Move a value to `toTimezone`.
        Convert = "convert",
        /// Add `duration`.
        Add = "add",
        /// Subtract `duration`.
        Subtract = "subtract",
        /// The difference from `value` to `end` in `unit`.
        Diff = "diff",
        /// The first instant of the `unit` that holds `value`.
        StartOf = "start-of" | "startOf",
        /// The last millisecond of the `unit` that holds `value`.
        EndOf = "end-of" | "endOf",
        /// `days` business days after `value` (before, when negative), as WORKDAY.
        AddBusinessDays = "add-business-days" | "addBusinessDays",
        /// Business days from `value` to `end`, both counted, as NETWORKDAYS.
        BusinessDays = "business-days" | "businessDays",
    }
}

/// A date-time operation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"op":"add","value":"2024-01-31T10:00:00","timezone":"Europe/Paris","duration":"P1M"}))]
pub struct DateTimeRequest {
    /// parse, format, convert, add, subtract, diff, start-of, end-of, add-business-days, business-days.
    pub op: DateTimeOp,
    /// ISO 8601, RFC 2822, Unix seconds or milliseconds (numbers from 1e11 up), `now`, or what
    /// `inputFormat` describes.
    pub value: Value,
    /// How to read `value` and `end`: a strftime pattern (`%d/%m/%Y`), Luxon tokens
    /// (`dd/MM/yyyy HH:mm`), or `iso8601`, `rfc2822`, `unix`, `unix_ms`.
    #[serde(default)]
    pub input_format: Option<String>,
    /// IANA zone (or `+05:30`) of values without an offset, and of the answer. Without it, a
    /// value's own offset is kept (UTC when it has none).
    #[serde(default)]
    pub timezone: Option<String>,
    /// For `convert`: the zone to move to.
    #[serde(default)]
    pub to_timezone: Option<String>,
    /// How to write the answer: `iso8601` (default), `rfc2822`, `unix`, `unix_ms`, `date`, a
    /// strftime pattern or Luxon tokens.
    #[serde(default)]
    pub format: Option<String>,
    /// For add/subtract: ISO 8601 (`P1DT2H`) or `{"days":1,"hours":2}`.
    #[serde(default)]
    pub duration: Option<Value>,
    /// For diff and business-days: the other date-time.
    #[serde(default)]
    pub end: Option<Value>,
    /// For diff, start-of, end-of: year, quarter, month, week, day, hour, minute, second, millisecond.
    #[serde(default)]
    pub unit: Option<Unit>,
    /// For diff: round down to whole units (default false: fractional).
    #[serde(default)]
    pub whole: bool,
    /// For add-business-days: how many (negative goes back).
    #[serde(default)]
    pub days: Option<i64>,
    /// Dates (`YYYY-MM-DD`) that are not business days.
    #[serde(default)]
    pub holidays: Vec<String>,
    /// Weekend days, as names or ISO numbers (default `["sat","sun"]`).
    #[serde(default)]
    pub weekend: Option<Vec<Value>>,
    /// First day of a week for start-of/end-of week (default `mon`).
    #[serde(default)]
    pub week_start: Option<Value>,
}

fn need<T>(v: Option<T>, field: &str, op: DateTimeOp) -> Result<T, ApiError> {
    v.ok_or_else(|| ApiError::field(field, format!("is required for `{op}`")))
}

fn answer(d: &DateTime<Zone>, format: Option<&str>) -> Result<Value, ApiError> {
    Ok(json!({
        "data": dt::format(d, format)?,
        "timezone": d.timezone().name(),
    }))
}

fn run(r: DateTimeRequest) -> Result<Value, ApiError> {
    let zone = r
        .timezone
        .as_deref()
        .map(|z| dt::zone(z, "timezone"))
        .transpose()?;
    let read =
        |v: &Value, field: &'static str| dt::parse(v, r.input_format.as_deref(), zone, field);
    let value = read(&r.value, "value")?;
    let fmt = r.format.as_deref();
    let week_start = match &r.week_start {
        Some(w) => dt::weekday(w, "weekStart")?,
        None => Weekday::Mon,
    };
    let calendar = || -> Result<dt::Calendar, ApiError> {
        let weekend = match &r.weekend {
            Some(ws) => ws
                .iter()
                .map(|w| dt::weekday(w, "weekend"))
                .collect::<Result<Vec<_>, _>>()?,
            None => vec![Weekday::Sat, Weekday::Sun],
        };
        dt::Calendar::new(&weekend, &r.holidays).map_err(ApiError::from)
    };
    let op = r.op;
    match op {
        DateTimeOp::Parse => {
            let mut out = answer(&value, fmt)?;
            if let (Some(o), Value::Object(parts)) = (out.as_object_mut(), dt::parts(&value)) {
                o.extend(parts);
            }
            Ok(out)
        }
        DateTimeOp::Format => answer(&value, fmt),
        DateTimeOp::Convert => {
            let to = need(r.to_timezone.as_deref(), "toTimezone", op)?;
            let to = dt::zone(to, "toTimezone")?;
            answer(&value.with_timezone(&to), fmt)
        }
        DateTimeOp::Add | DateTimeOp::Subtract => {
            let d = dt::duration(need(r.duration.as_ref(), "duration", op)?)?;
            let sign = if op == DateTimeOp::Add { 1 } else { -1 };
            answer(&dt::add(&value, d, sign)?, fmt)
        }
        DateTimeOp::Diff => {
            let end = read(need(r.end.as_ref(), "end", op)?, "end")?;
            let unit = need(r.unit, "unit", op)?;
            let mut n = dt::diff(&value, &end, unit)?;
            if r.whole {
                n = n.trunc();
            }
            Ok(json!({"data": n, "unit": unit.name()}))
        }
        DateTimeOp::StartOf | DateTimeOp::EndOf => {
            let unit = need(r.unit, "unit", op)?;
            let d = if op == DateTimeOp::StartOf {
                dt::start_of(&value, unit, week_start)
            } else {
                dt::end_of(&value, unit, week_start)
            };
            answer(&d?, fmt)
        }
        DateTimeOp::AddBusinessDays => {
            let n = need(r.days, "days", op)?;
            let cal = calendar()?;
            let date = cal.add(value.date_naive(), n)?;
            let moved = dt::localize(value.timezone(), date.and_time(value.time()))?;
            answer(&moved, fmt.or(Some("date")))
        }
        DateTimeOp::BusinessDays => {
            let end = read(need(r.end.as_ref(), "end", op)?, "end")?;
            let cal = calendar()?;
            let end = end.with_timezone(&value.timezone());
            Ok(json!({"data": cal.count(value.date_naive(), end.date_naive())}))
        }
    }
}

/// Parse, format, convert zones, add and subtract, differences, start and end of a unit,
/// business days.
#[utoipa::path(post, path = "/api/v1/data/datetime", tag = "data", request_body = DateTimeRequest,
    responses((status = 200, description = "`data`: the date-time as `format` writes it (with `timezone`), or a number for diff and business-days; parse adds the parts", body = Object,
        example = json!({"data":"2024-02-29T10:00:00+01:00","timezone":"Europe/Paris"}))))]
pub async fn datetime(State(st): State<St>, p: Payload<DateTimeRequest>) -> Response {
    respond(&st, "datetime", p, run).await
}
