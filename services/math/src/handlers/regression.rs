//! `POST /api/v1/math/regression`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{St, respond};
use crate::error::finite;

/// Predictors: one number per observation, or a row of numbers per observation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Predictors {
    /// One predictor.
    One(Vec<f64>),
    /// Several predictors.
    Many(Vec<Vec<f64>>),
}

impl Predictors {
    fn rows(self) -> Vec<Vec<f64>> {
        match self {
            Predictors::One(v) => v.into_iter().map(|x| vec![x]).collect(),
            Predictors::Many(v) => v,
        }
    }
}

/// A regression.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"model":"linear","x":[1,2,3,4,5],"y":[2.1,3.9,6.2,7.8,10.1],"predict":[6,7]}))]
pub struct RegressionRequest {
    /// linear (default), polynomial, exponential, logarithmic or power.
    #[serde(default = "linear_model")]
    pub model: crate::regression::Model,
    /// Predictors: numbers, or rows of numbers for multiple linear regression.
    pub x: Predictors,
    /// Responses.
    pub y: Vec<f64>,
    /// Polynomial degree (default 2).
    #[serde(default)]
    pub degree: Option<usize>,
    /// Points to predict at (numbers, or rows).
    #[serde(default)]
    pub predict: Option<Predictors>,
}

fn linear_model() -> crate::regression::Model {
    crate::regression::Model::Linear
}

/// The fit.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"model":"linear","coefficients":[-0.03,2.01],"standardErrors":[0.2,0.06],"rSquared":0.997,"adjustedRSquared":0.996,"residuals":[0.12,-0.09,0.2,-0.21,0.08],"predictions":[12.03,14.04]}))]
pub struct RegressionResponse {
    /// The model.
    pub model: crate::regression::Model,
    /// Intercept first, then one per term (linearised models: ln a and b).
    pub coefficients: Vec<f64>,
    /// Standard errors of the coefficients.
    pub standard_errors: Vec<f64>,
    /// R².
    pub r_squared: Option<f64>,
    /// Adjusted R².
    pub adjusted_r_squared: Option<f64>,
    /// y − fitted (in ln y for exponential and power).
    pub residuals: Vec<f64>,
    /// Predictions at `predict`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predictions: Option<Vec<Option<f64>>>,
}

/// Least-squares regression: linear (simple and multiple), polynomial, exponential, logarithmic,
/// power; coefficients, standard errors, R², adjusted R², residuals, predictions.
#[utoipa::path(post, path = "/api/v1/math/regression", tag = "math", request_body = RegressionRequest,
    responses((status = 200, description = "The fit", body = RegressionResponse)))]
pub async fn regression(State(st): State<St>, p: Payload<RegressionRequest>) -> Response {
    let heavy =
        matches!(&p, Payload::One(r) if r.y.len() > 10_000) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "regression", p, |r| {
        let model = r.model;
        let fit = crate::regression::fit(model, &r.x.rows(), &r.y, r.degree.unwrap_or(2))?;
        let k = if model == crate::regression::Model::Linear {
            fit.coefficients.len() - 1
        } else {
            1
        };
        let predictions = match r.predict {
            None => None,
            Some(p) => {
                let rows = p.rows();
                if let Some((i, _)) = rows.iter().enumerate().find(|(_, row)| row.len() != k) {
                    return Err(ApiError::field(
                        format!("predict[{i}]"),
                        format!("needs {k} predictor value(s)"),
                    ));
                }
                Some(
                    rows.iter()
                        .map(|x| finite(crate::regression::predict(model, &fit.coefficients, x)))
                        .collect(),
                )
            }
        };
        Ok(RegressionResponse {
            model,
            coefficients: fit.coefficients,
            standard_errors: fit.standard_errors,
            r_squared: finite(fit.r_squared),
            adjusted_r_squared: finite(fit.adjusted_r_squared),
            residuals: fit.residuals,
            predictions,
        })
    })
    .await
}
