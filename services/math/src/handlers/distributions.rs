//! `POST /api/v1/math/distributions`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{St, respond};
use crate::error::finite;

/// One number or several.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Numbers {
    /// One.
    One(f64),
    /// Several.
    Many(Vec<f64>),
}

/// A distribution function, or random draws.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"distribution":"normal","params":{"mean":0,"std":1},"function":"cdf","x":[-1.96,0,1.96]}))]
pub struct DistributionRequest {
    /// normal (mean, std), lognormal (mu, sigma), t (df), chisquare (df), f (dfn, dfd),
    /// exponential (rate), uniform (a, b), beta (a, b), gamma (shape, scale), binomial (n, p),
    /// poisson (lambda), geometric (p).
    pub distribution: crate::dist::Family,
    /// The parameters, by name.
    #[schema(value_type = Object)]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// pdf (pmf), cdf, sf, quantile (ppf), or sample.
    pub function: String,
    /// Where to evaluate (a probability for quantile); one number or many.
    #[serde(default)]
    pub x: Option<Numbers>,
    /// For sample: how many draws (at most 1,000,000).
    #[serde(default)]
    pub count: Option<usize>,
    /// For sample: a seed, for the same draws every time.
    #[serde(default)]
    pub seed: Option<u64>,
}

/// The values.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"values":[0.024997895148220435,0.5,0.9750021048517795]}))]
pub struct DistributionResponse {
    /// One value per x (or per draw); `null` where not finite.
    pub values: Vec<Option<f64>>,
}

/// pdf/pmf, cdf, survival function and quantile of twelve distributions, as scipy.stats defines
/// them; and seedable random draws.
#[utoipa::path(post, path = "/api/v1/math/distributions", tag = "math", request_body = DistributionRequest,
    responses((status = 200, description = "The values", body = DistributionResponse)))]
pub async fn distributions(State(st): State<St>, p: Payload<DistributionRequest>) -> Response {
    let heavy = matches!(&p, Payload::One(r) if r.count.unwrap_or(0) > 10_000)
        || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "distributions", p, |r| {
        let values = if r.function.eq_ignore_ascii_case("sample") {
            let n = r.count.ok_or_else(|| ApiError::field("count", "is required for sample"))?;
            if n == 0 || n > 1_000_000 {
                return Err(ApiError::field("count", "must be between 1 and 1000000"));
            }
            crate::dist::sample(r.distribution, &r.params, n, r.seed)?
        } else {
            let f: crate::dist::Function = r.function.parse().map_err(|_| {
                ApiError::field("function", format!("unknown value {:?}; expected one of pdf, pmf, cdf, sf, quantile, ppf, sample", r.function))
            })?;
            let xs = match r.x {
                Some(Numbers::One(x)) => vec![x],
                Some(Numbers::Many(v)) => v,
                None => return Err(ApiError::field("x", "is required: a number or an array of numbers")),
            };
            crate::dist::compute(r.distribution, &r.params, f, &xs)?
        };
        Ok(DistributionResponse { values: values.into_iter().map(finite).collect() })
    })
    .await
}
