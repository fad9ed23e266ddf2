//! `POST /api/v1/math/statistics/describe`, `/histogram`, `/outliers`, `/correlation`,
//! `/moving-average`, `/covariance`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::matrix::MatrixResult;
use super::{St, respond};
use crate::error::finite;
use crate::stats::{self, PercentileMethod};

/// Describe numbers.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"values":[1,2,3,4],"percentiles":[10,90]}))]
pub struct DescribeRequest {
    /// The numbers.
    #[schema(min_items = 1)]
    pub values: Vec<f64>,
    /// Extra percentiles (0–100) to report.
    #[serde(default)]
    #[schema(schema_with = percentiles)]
    pub percentiles: Vec<f64>,
    /// How percentiles interpolate: NumPy's `linear` (default), `lower`, `higher`, `nearest`,
    /// `midpoint`, `hazen`, `weibull`, `median_unbiased`, `normal_unbiased`, `interpolated_inverted_cdf`.
    #[serde(default)]
    pub method: PercentileMethod,
}

/// Descriptive statistics as NumPy and SciPy compute them (sample `std` and `variance` with
/// ddof = 1; population ones beside them).
#[utoipa::path(post, path = "/api/v1/math/statistics/describe", tag = "math", request_body = DescribeRequest,
    responses((status = 200, description = "The description", body = stats::Description)))]
pub async fn statistics_describe(State(st): State<St>, p: Payload<DescribeRequest>) -> Response {
    let heavy = match &p {
        Payload::One(r) => r.values.len() > 10_000,
        Payload::Batch(_) => true,
    };
    respond(&st, heavy, "describe", p, |r| {
        Ok(stats::describe(&r.values, &r.percentiles, r.method)?)
    })
    .await
}

/// Bins for a histogram: a count, edges, or a rule name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum BinsSpec {
    /// Equal-width bins over [min, max].
    Count(usize),
    /// Explicit increasing edges.
    Edges(Vec<f64>),
    /// auto, fd, sturges, sqrt, rice or scott (NumPy's rules).
    Rule(String),
}

/// A histogram request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"values":[1,2,2,3,3,3,4,4,4,4],"bins":4}))]
pub struct HistogramRequest {
    /// The numbers.
    pub values: Vec<f64>,
    /// A bin count (default 10), increasing edges, or a rule: auto, fd, sturges, sqrt, rice, scott.
    #[serde(default)]
    pub bins: Option<BinsSpec>,
}

/// Counts per bin, as `numpy.histogram` gives them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"counts":[1,2,3,4],"edges":[1,1.75,2.5,3.25,4]}))]
pub struct HistogramResponse {
    /// One count per bin; the last bin includes its right edge.
    pub counts: Vec<u64>,
    /// Bin edges (one more than counts).
    pub edges: Vec<f64>,
}

/// Histogram with NumPy's bins: a count, edges, or a rule (auto, fd, sturges, sqrt, rice, scott).
#[utoipa::path(post, path = "/api/v1/math/statistics/histogram", tag = "math", request_body = HistogramRequest,
    responses((status = 200, description = "Counts and edges", body = HistogramResponse)))]
pub async fn statistics_histogram(State(st): State<St>, p: Payload<HistogramRequest>) -> Response {
    let heavy =
        matches!(&p, Payload::One(r) if r.values.len() > 10_000) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "histogram", p, |r| {
        let bins = match r.bins {
            None => stats::Bins::Count(10),
            Some(BinsSpec::Count(n)) => stats::Bins::Count(n),
            Some(BinsSpec::Edges(e)) => stats::Bins::Edges(e),
            Some(BinsSpec::Rule(name)) => stats::Bins::Rule(
                name.parse()
                    .map_err(|e: String| ApiError::field("bins", e))?,
            ),
        };
        let (edges, counts) = stats::histogram(&r.values, &bins)?;
        Ok(HistogramResponse { counts, edges })
    })
    .await
}

flowforge_kit::wire_enum! {
    /// How outliers are found.
    #[derive(Default)]
    pub enum OutlierRule {
        /// Outside [Q1 − k·IQR, Q3 + k·IQR] (k default 1.5, Tukey's fences).
        #[default]
        Iqr = "iqr",
        /// |z| above the threshold (default 3).
        Z = "z" | "zscore",
    }
}

/// Z-scores and outliers.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"values":[10,12,11,13,12,95],"rule":"iqr"}))]
pub struct OutliersRequest {
    /// The numbers.
    #[schema(min_items = 1)]
    pub values: Vec<f64>,
    /// `iqr` (default) or `z`.
    #[serde(default)]
    pub rule: OutlierRule,
    /// The IQR multiplier k (default 1.5) or the |z| threshold (default 3).
    #[serde(default)]
    pub threshold: Option<f64>,
    /// Delta degrees of freedom of the std behind z-scores (default 0, as scipy.stats.zscore).
    #[serde(default)]
    pub ddof: usize,
}

/// Z-scores and the outliers found.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"zscores":[-0.49,-0.42,-0.46,-0.39,-0.42,2.24],"outliers":[{"index":5,"value":95}],"lower":8.625,"upper":15.625}))]
pub struct OutliersResponse {
    /// One z-score per value (`null` when all values are equal).
    pub zscores: Vec<Option<f64>>,
    /// The outliers: index and value.
    pub outliers: Vec<Outlier>,
    /// The lower fence.
    pub lower: f64,
    /// The upper fence.
    pub upper: f64,
}

/// An outlier.
#[derive(Debug, Serialize, ToSchema)]
pub struct Outlier {
    /// Position in `values`.
    pub index: usize,
    /// The value.
    pub value: f64,
}

/// Z-scores and outliers by Tukey's IQR fences or a z threshold.
#[utoipa::path(post, path = "/api/v1/math/statistics/outliers", tag = "math", request_body = OutliersRequest,
    responses((status = 200, description = "Z-scores and outliers", body = OutliersResponse)))]
pub async fn statistics_outliers(State(st): State<St>, p: Payload<OutliersRequest>) -> Response {
    let heavy =
        matches!(&p, Payload::One(r) if r.values.len() > 10_000) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "outliers", p, |r| {
        let d = stats::describe(&r.values, &[], PercentileMethod::Linear)?;
        let z = stats::zscores(&r.values, r.ddof).ok();
        let (lower, upper) = match r.rule {
            OutlierRule::Iqr => {
                let k = r.threshold.unwrap_or(1.5);
                (d.q1 - k * d.iqr, d.q3 + k * d.iqr)
            }
            OutlierRule::Z => {
                let t = r.threshold.unwrap_or(3.0);
                let s = stats::variance(&r.values, r.ddof).sqrt();
                (d.mean - t * s, d.mean + t * s)
            }
        };
        let outliers = r
            .values
            .iter()
            .enumerate()
            .filter(|(_, v)| **v < lower || **v > upper)
            .map(|(index, v)| Outlier { index, value: *v })
            .collect();
        let n = r.values.len();
        Ok(OutliersResponse {
            zscores: z.map_or_else(|| vec![None; n], |z| z.into_iter().map(finite).collect()),
            outliers,
            lower,
            upper,
        })
    })
    .await
}

flowforge_kit::wire_enum! {
    /// A correlation coefficient.
    #[derive(Default)]
    pub enum CorrelationMethod {
        /// Pearson's r (scipy.stats.pearsonr).
        #[default]
        Pearson = "pearson",
        /// Spearman's rho on average ranks (scipy.stats.spearmanr).
        Spearman = "spearman",
        /// Kendall's tau-b (scipy.stats.kendalltau; exact p without ties for n ≤ 33).
        Kendall = "kendall",
    }
}

/// Two variables.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"x":[1,2,3,4,5],"y":[2,4,5,4,5],"method":"pearson"}))]
pub struct CorrelationRequest {
    /// First variable.
    pub x: Vec<f64>,
    /// Second variable, same length.
    pub y: Vec<f64>,
    /// `pearson` (default), `spearman` or `kendall`.
    #[serde(default)]
    pub method: CorrelationMethod,
}

/// The coefficient and its two-sided p-value.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"method":"pearson","coefficient":0.7745966692414834,"pValue":0.12402706265755418}))]
pub struct CorrelationResponse {
    /// The method.
    pub method: CorrelationMethod,
    /// r or rho.
    pub coefficient: f64,
    /// Two-sided p-value, as SciPy reports it.
    pub p_value: f64,
}

/// Pearson, Spearman or Kendall (tau-b) correlation with SciPy's p-value.
#[utoipa::path(post, path = "/api/v1/math/statistics/correlation", tag = "math", request_body = CorrelationRequest,
    responses((status = 200, description = "Coefficient and p-value", body = CorrelationResponse)))]
pub async fn statistics_correlation(
    State(st): State<St>,
    p: Payload<CorrelationRequest>,
) -> Response {
    let heavy =
        matches!(&p, Payload::One(r) if r.x.len() > 10_000) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "correlation", p, |r| {
        let (c, pv) = match r.method {
            CorrelationMethod::Pearson => stats::pearson(&r.x, &r.y)?,
            CorrelationMethod::Spearman => stats::spearman(&r.x, &r.y)?,
            CorrelationMethod::Kendall => {
                let (tau, p, _) = stats::kendall(&r.x, &r.y)?;
                (tau, p)
            }
        };
        Ok(CorrelationResponse {
            method: r.method,
            coefficient: c,
            p_value: pv,
        })
    })
    .await
}

flowforge_kit::wire_enum! {
    /// A moving average.
    #[derive(Default)]
    pub enum MovingKind {
        /// Mean of each full window.
        #[default]
        Simple = "simple" | "sma",
        /// Exponentially weighted.
        Exponential = "exponential" | "ema",
    }
}

/// A moving average.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"values":[1,2,3,4,5,6],"type":"simple","window":3}))]
pub struct MovingRequest {
    /// The series.
    pub values: Vec<f64>,
    /// `simple` (default) or `exponential`.
    #[serde(rename = "type", default)]
    pub kind: MovingKind,
    /// simple: the window length.
    #[serde(default)]
    pub window: Option<usize>,
    /// exponential: the smoothing factor in (0, 1].
    #[serde(default)]
    pub alpha: Option<f64>,
    /// exponential: or a span s, for alpha = 2 / (s + 1).
    #[serde(default)]
    pub span: Option<f64>,
}

/// The averaged series.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"values":[2,3,4,5]}))]
pub struct ValuesResponse {
    /// The values.
    pub values: Vec<f64>,
}

/// Simple (one value per full window) or exponential (pandas `ewm(adjust=False)`) moving average.
#[utoipa::path(post, path = "/api/v1/math/statistics/moving-average", tag = "math", request_body = MovingRequest,
    responses((status = 200, description = "The averages", body = ValuesResponse)))]
pub async fn statistics_moving_average(
    State(st): State<St>,
    p: Payload<MovingRequest>,
) -> Response {
    respond(&st, false, "moving_average", p, |r| {
        let values = match r.kind {
            MovingKind::Simple => stats::sma(
                &r.values,
                r.window.ok_or_else(|| {
                    ApiError::field("window", "is required for a simple moving average")
                })?,
            )?,
            MovingKind::Exponential => {
                let alpha = match (r.alpha, r.span) {
                    (Some(a), None) => a,
                    (None, Some(s)) if s >= 1.0 => 2.0 / (s + 1.0),
                    (None, Some(_)) => return Err(ApiError::field("span", "must be at least 1")),
                    _ => {
                        return Err(ApiError::field(
                            "alpha",
                            "give exactly one of alpha or span",
                        ));
                    }
                };
                stats::ema(&r.values, alpha)?
            }
        };
        Ok(ValuesResponse { values })
    })
    .await
}

/// Variables as columns.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"data":[[1,2],[2,4.1],[3,5.9],[4,8.2]]}))]
pub struct CovarianceRequest {
    /// One row per observation, one column per variable.
    pub data: Vec<Vec<f64>>,
}

/// The sample covariance matrix (ddof 1, as `numpy.cov(data, rowvar=False)`).
#[utoipa::path(post, path = "/api/v1/math/statistics/covariance", tag = "math", request_body = CovarianceRequest,
    responses((status = 200, description = "The covariance matrix", body = MatrixResult)))]
pub async fn statistics_covariance(
    State(st): State<St>,
    p: Payload<CovarianceRequest>,
) -> Response {
    respond(&st, false, "covariance", p, |r| {
        Ok(MatrixResult {
            result: stats::covariance(&r.data)?,
        })
    })
    .await
}

/// `percentiles`' schema: numbers from 0 to 100.
fn percentiles() -> utoipa::openapi::Array {
    use utoipa::openapi::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .minimum(Some(0))
                .maximum(Some(100)),
        )
        .description(Some("Extra percentiles (0–100) to report."))
        .build()
}
