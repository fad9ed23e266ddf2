//! `POST /api/v1/math/finance`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{St, respond};
use crate::error::finite;

flowforge_kit::wire_enum! {
    /// A finance function (spreadsheet conventions).
    pub enum FinanceFunction {
        /// NPV(rate, values): values at the ends of periods 1, 2, ….
        Npv = "npv",
        /// IRR(values[, guess]): values at periods 0, 1, ….
        Irr = "irr",
        /// XNPV(rate, values, dates).
        Xnpv = "xnpv",
        /// XIRR(values, dates[, guess]).
        Xirr = "xirr",
        /// PMT(rate, nper, pv[, fv, when]).
        Pmt = "pmt",
        /// PV(rate, nper, pmt[, fv, when]).
        Pv = "pv",
        /// FV(rate, nper, pmt[, pv, when]).
        Fv = "fv",
        /// NPER(rate, pmt, pv[, fv, when]).
        Nper = "nper",
        /// RATE(nper, pmt, pv[, fv, when, guess]).
        Rate = "rate",
        /// A level-payment amortization schedule (rate, nper, pv).
        Amortization = "amortization",
        /// CAGR(start, end, years).
        Cagr = "cagr",
    }
}

/// A finance calculation: `function` and its arguments by name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"function":"pmt","rate":0.004166666666666667,"nper":360,"pv":200000}))]
pub struct FinanceRequest {
    /// Which function.
    pub function: FinanceFunction,
    /// Interest rate per period (0.05/12 for 5% a year paid monthly).
    #[serde(default)]
    pub rate: Option<f64>,
    /// Number of periods.
    #[serde(default)]
    pub nper: Option<f64>,
    /// Payment per period (negative when paid).
    #[serde(default)]
    pub pmt: Option<f64>,
    /// Present value.
    #[serde(default)]
    pub pv: Option<f64>,
    /// Future value (default 0).
    #[serde(default)]
    pub fv: Option<f64>,
    /// `end` (default) or `begin` of each period.
    #[serde(default)]
    pub when: Option<String>,
    /// Cash flows (npv, irr, xnpv, xirr).
    #[serde(default)]
    pub values: Option<Vec<f64>>,
    /// Dates of the cash flows, `YYYY-MM-DD` (xnpv, xirr).
    #[serde(default)]
    pub dates: Option<Vec<String>>,
    /// Starting guess for irr, xirr and rate (default 0.1).
    #[serde(default)]
    pub guess: Option<f64>,
    /// cagr: starting value.
    #[serde(default)]
    pub start: Option<f64>,
    /// cagr: ending value.
    #[serde(default)]
    pub end: Option<f64>,
    /// cagr: years between them.
    #[serde(default)]
    pub years: Option<f64>,
}

/// The answer: `result`, or `schedule` for amortization.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"function":"pmt","result":-1073.6432460242797}))]
pub struct FinanceResponse {
    /// The function.
    pub function: FinanceFunction,
    /// The value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<f64>,
    /// Amortization rows: period, payment, interest, principal, balance.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub schedule: Option<Vec<serde_json::Value>>,
}

fn finance_one(r: FinanceRequest) -> Result<FinanceResponse, ApiError> {
    use crate::finance as f;
    let need = |v: Option<f64>, name: &str| {
        v.ok_or_else(|| ApiError::field(name, format!("is required for {}", r.function)))
    };
    let when = match r.when.as_deref() {
        None | Some("end") | Some("0") => 0.0,
        Some("begin") | Some("start") | Some("1") => 1.0,
        Some(other) => {
            return Err(ApiError::field(
                "when",
                format!("unknown value {other:?}; expected end or begin"),
            ));
        }
    };
    let fv0 = r.fv.unwrap_or(0.0);
    let guess = r.guess.unwrap_or(0.1);
    let values = || {
        r.values
            .as_deref()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                ApiError::field(
                    "values",
                    format!("is required for {}: the cash flows", r.function),
                )
            })
    };
    let days = |n: usize| -> Result<Vec<i64>, ApiError> {
        let d = r
            .dates
            .as_ref()
            .ok_or_else(|| ApiError::field("dates", "is required: one YYYY-MM-DD per value"))?;
        if d.len() != n {
            return Err(ApiError::field(
                "dates",
                format!("has {} dates for {n} values", d.len()),
            ));
        }
        d.iter()
            .enumerate()
            .map(|(i, s)| {
                flowforge_kit::time::parse_ymd(s).ok_or_else(|| {
                    ApiError::field(
                        format!("dates[{i}]"),
                        format!("{s:?} is not a YYYY-MM-DD date"),
                    )
                })
            })
            .collect()
    };
    let result = match r.function {
        FinanceFunction::Npv => f::npv(need(r.rate, "rate")?, values()?),
        FinanceFunction::Irr => f::irr(values()?, guess)?,
        FinanceFunction::Xnpv => {
            let v = values()?;
            f::xnpv(need(r.rate, "rate")?, v, &days(v.len())?)
        }
        FinanceFunction::Xirr => {
            let v = values()?;
            f::xirr(v, &days(v.len())?, guess)?
        }
        FinanceFunction::Pmt => f::pmt(
            need(r.rate, "rate")?,
            need(r.nper, "nper")?,
            need(r.pv, "pv")?,
            fv0,
            when,
        )?,
        FinanceFunction::Pv => f::pv(
            need(r.rate, "rate")?,
            need(r.nper, "nper")?,
            need(r.pmt, "pmt")?,
            fv0,
            when,
        ),
        FinanceFunction::Fv => f::fv(
            need(r.rate, "rate")?,
            need(r.nper, "nper")?,
            need(r.pmt, "pmt")?,
            r.pv.unwrap_or(0.0),
            when,
        ),
        FinanceFunction::Nper => f::nper(
            need(r.rate, "rate")?,
            need(r.pmt, "pmt")?,
            need(r.pv, "pv")?,
            fv0,
            when,
        )?,
        FinanceFunction::Rate => f::rate(
            need(r.nper, "nper")?,
            need(r.pmt, "pmt")?,
            need(r.pv, "pv")?,
            fv0,
            when,
            guess,
        )?,
        FinanceFunction::Cagr => f::cagr(
            need(r.start, "start")?,
            need(r.end, "end")?,
            need(r.years, "years")?,
        )?,
        FinanceFunction::Amortization => {
            let n = need(r.nper, "nper")?;
            if n.fract() != 0.0 || n < 1.0 {
                return Err(ApiError::field("nper", "must be a whole number of periods"));
            }
            let rows = f::amortization(need(r.rate, "rate")?, n as u32, need(r.pv, "pv")?)?;
            let schedule = rows
                .into_iter()
                .map(|i| serde_json::json!({"period": i.period, "payment": i.payment, "interest": i.interest, "principal": i.principal, "balance": i.balance}))
                .collect();
            return Ok(FinanceResponse {
                function: r.function,
                result: None,
                schedule: Some(schedule),
            });
        }
    };
    Ok(FinanceResponse {
        function: r.function,
        result: finite(result),
        schedule: None,
    })
}

/// NPV, IRR, XNPV, XIRR, PMT, PV, FV, NPER, RATE, amortization schedules and CAGR, with the
/// conventions of the spreadsheet functions of the same names.
#[utoipa::path(post, path = "/api/v1/math/finance", tag = "math", request_body = FinanceRequest,
    responses((status = 200, description = "The value or schedule", body = FinanceResponse)))]
pub async fn finance(State(st): State<St>, p: Payload<FinanceRequest>) -> Response {
    respond(&st, false, "finance", p, finance_one).await
}
