//! `POST /api/v1/math/finance`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{St, respond};
use crate::error::finite;
use crate::finance;

/// A finance calculation: `function` and its arguments by name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"function":"pmt","rate":0.004166666666666667,"nper":360,"pv":200000}))]
pub struct FinanceRequest {
    /// Which function.
    pub function: finance::FinanceFunction,
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
    #[schema(pattern = "^(end|begin)$")]
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
    pub function: finance::FinanceFunction,
    /// The value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<f64>,
    /// Amortization rows: period, payment, interest, principal, balance.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub schedule: Option<Vec<serde_json::Value>>,
}

fn finance_one(r: FinanceRequest) -> Result<FinanceResponse, ApiError> {
    let args = finance::Args {
        rate: r.rate,
        nper: r.nper,
        pmt: r.pmt,
        pv: r.pv,
        fv: r.fv,
        when: r.when,
        values: r.values,
        dates: r.dates,
        guess: r.guess,
        start: r.start,
        end: r.end,
        years: r.years,
    };
    Ok(match finance::compute(r.function, &args)? {
        finance::Answer::Value(v) => FinanceResponse {
            function: r.function,
            result: finite(v),
            schedule: None,
        },
        finance::Answer::Schedule(rows) => FinanceResponse {
            function: r.function,
            result: None,
            schedule: Some(
                rows.into_iter()
                    .map(|i| serde_json::json!({"period": i.period, "payment": i.payment, "interest": i.interest, "principal": i.principal, "balance": i.balance}))
                    .collect(),
            ),
        },
    })
}

/// NPV, IRR, XNPV, XIRR, PMT, PV, FV, NPER, RATE, amortization schedules and CAGR, with the
/// conventions of the spreadsheet functions of the same names.
#[utoipa::path(post, path = "/api/v1/math/finance", tag = "math", request_body = FinanceRequest,
    responses((status = 200, description = "The value or schedule", body = FinanceResponse)))]
pub async fn finance(State(st): State<St>, p: Payload<FinanceRequest>) -> Response {
    respond(&st, false, "finance", p, finance_one).await
}
