//! `POST /api/v1/math/tests/ttest`, `/chisquare`, `/anova`, `/mannwhitney`, `/shapiro`:
//! hypothesis tests.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{St, respond};
use crate::hypothesis;

flowforge_kit::wire_enum! {
    /// Which t-test.
    pub enum TTestType {
        /// `scipy.stats.ttest_1samp(a, mu)`.
        OneSample = "one-sample" | "one_sample" | "1samp",
        /// `scipy.stats.ttest_ind(a, b, equal_var=False)`.
        Welch = "welch",
        /// `scipy.stats.ttest_rel(a, b)`.
        Paired = "paired" | "rel",
    }
}

/// A t-test.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"type":"welch","a":[1.1,2.2,3.1,4.5,5.0],"b":[2.3,3.9,4.4,5.1,6.8,7.0]}))]
pub struct TTestRequest {
    /// `one-sample`, `welch` or `paired`.
    #[serde(rename = "type")]
    pub kind: TTestType,
    /// The sample (first sample).
    pub a: Vec<f64>,
    /// The second sample (welch, paired).
    #[serde(default)]
    pub b: Option<Vec<f64>>,
    /// The hypothesised mean (one-sample; default 0).
    #[serde(default)]
    pub mu: f64,
}

/// The test's answer, as SciPy reports it (two-sided).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"statistic":-1.6923882120589,"pValue":0.1251241400126339,"df":8.920503946270667}))]
pub struct TTestResponse {
    /// t.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Degrees of freedom.
    pub df: f64,
}

/// Student's t-tests: one-sample, Welch two-sample, paired.
#[utoipa::path(post, path = "/api/v1/math/tests/ttest", tag = "math", request_body = TTestRequest,
    responses((status = 200, description = "t, p and df", body = TTestResponse)))]
pub async fn tests_ttest(State(st): State<St>, p: Payload<TTestRequest>) -> Response {
    respond(&st, false, "ttest", p, |r| {
        let b = || {
            r.b.as_deref()
                .ok_or_else(|| ApiError::field("b", format!("is required for a {} test", r.kind)))
        };
        let t = match r.kind {
            TTestType::OneSample => hypothesis::one_sample(&r.a, r.mu)?,
            TTestType::Welch => hypothesis::welch(&r.a, b()?)?,
            TTestType::Paired => hypothesis::paired(&r.a, b()?)?,
        };
        Ok(TTestResponse {
            statistic: t.statistic,
            p_value: t.p_value,
            df: t.df,
        })
    })
    .await
}

flowforge_kit::wire_enum! {
    /// Which chi-square test.
    #[derive(Default)]
    pub enum ChiSquareType {
        /// Goodness of fit: `observed` (and `expected`, default uniform).
        #[default]
        GoodnessOfFit = "goodness-of-fit" | "gof",
        /// Independence: a contingency `table`.
        Independence = "independence",
    }
}

/// A chi-square test.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"type":"independence","table":[[12,5],[7,15]]}))]
pub struct ChiSquareRequest {
    /// `goodness-of-fit` (default) or `independence`.
    #[serde(rename = "type", default)]
    pub kind: ChiSquareType,
    /// Goodness of fit: observed counts.
    #[serde(default)]
    pub observed: Option<Vec<f64>>,
    /// Goodness of fit: expected counts (default: all equal); must sum to the observed total.
    #[serde(default)]
    pub expected: Option<Vec<f64>>,
    /// Independence: the contingency table, rows × columns.
    #[serde(default)]
    pub table: Option<Vec<Vec<f64>>>,
    /// Independence: Yates' continuity correction for 2 × 2 tables (default true, as SciPy).
    #[serde(default = "yes")]
    pub correction: bool,
}

fn yes() -> bool {
    true
}

/// A test's statistic, p-value and degrees of freedom.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"statistic":4.1,"pValue":0.043,"df":1}))]
pub struct TestResponse {
    /// χ² or F.
    pub statistic: f64,
    /// p-value.
    pub p_value: f64,
    /// Degrees of freedom (between groups for ANOVA).
    pub df: f64,
    /// Within-groups degrees of freedom (ANOVA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df_within: Option<f64>,
}

impl From<hypothesis::Test> for TestResponse {
    fn from(t: hypothesis::Test) -> Self {
        TestResponse {
            statistic: t.statistic,
            p_value: t.p_value,
            df: t.df,
            df_within: t.df2,
        }
    }
}

/// Chi-square goodness of fit (`scipy.stats.chisquare`) or independence (`chi2_contingency`).
#[utoipa::path(post, path = "/api/v1/math/tests/chisquare", tag = "math", request_body = ChiSquareRequest,
    responses((status = 200, description = "χ², p and df", body = TestResponse)))]
pub async fn tests_chisquare(State(st): State<St>, p: Payload<ChiSquareRequest>) -> Response {
    respond(&st, false, "chisquare", p, |r| {
        let t = match r.kind {
            ChiSquareType::GoodnessOfFit => hypothesis::chi_square_gof(
                r.observed.as_deref().ok_or_else(|| {
                    ApiError::field("observed", "is required for goodness of fit")
                })?,
                r.expected.as_deref(),
            )?,
            ChiSquareType::Independence => hypothesis::chi_square_independence(
                r.table
                    .as_deref()
                    .ok_or_else(|| ApiError::field("table", "is required for independence"))?,
                r.correction,
            )?,
        };
        Ok(TestResponse::from(t))
    })
    .await
}

/// Groups for ANOVA.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"groups":[[4.2,5.1,4.8],[6.0,5.7,6.3],[5.0,5.4,4.9]]}))]
pub struct AnovaRequest {
    /// Two or more groups of numbers.
    #[schema(min_items = 2)]
    pub groups: Vec<Vec<f64>>,
}

/// One-way ANOVA (`scipy.stats.f_oneway`).
#[utoipa::path(post, path = "/api/v1/math/tests/anova", tag = "math", request_body = AnovaRequest,
    responses((status = 200, description = "F, p and degrees of freedom", body = TestResponse)))]
pub async fn tests_anova(State(st): State<St>, p: Payload<AnovaRequest>) -> Response {
    respond(&st, false, "anova", p, |r| {
        Ok(TestResponse::from(hypothesis::anova(&r.groups)?))
    })
    .await
}

/// Two independent samples.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"a":[1.1,2.3,0.4,5.2,3.3],"b":[4.4,6.1,5.9,7.0,2.2,8.8]}))]
pub struct MannWhitneyRequest {
    /// First sample.
    #[schema(min_items = 1)]
    pub a: Vec<f64>,
    /// Second sample.
    pub b: Vec<f64>,
}

/// U and the two-sided p-value.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"statistic":4,"pValue":0.05194805194805195,"method":"exact"}))]
pub struct MannWhitneyResponse {
    /// U of the first sample (as SciPy reports it).
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// `exact` (both samples under 8, no ties) or `asymptotic` (normal, tie and continuity corrected).
    pub method: &'static str,
}

/// Mann-Whitney U test (`scipy.stats.mannwhitneyu`, two-sided, method auto).
#[utoipa::path(post, path = "/api/v1/math/tests/mannwhitney", tag = "math", request_body = MannWhitneyRequest,
    responses((status = 200, description = "U and p", body = MannWhitneyResponse)))]
pub async fn tests_mannwhitney(State(st): State<St>, p: Payload<MannWhitneyRequest>) -> Response {
    respond(&st, false, "mannwhitney", p, |r| {
        let (statistic, p_value, method) = hypothesis::mann_whitney(&r.a, &r.b)?;
        Ok(MannWhitneyResponse {
            statistic,
            p_value,
            method,
        })
    })
    .await
}

/// One sample to test for normality.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"values":[2.1,3.4,1.9,5.6,4.4,3.8,2.7,4.1]}))]
pub struct ShapiroRequest {
    /// The sample (3 to 5,000 values for an accurate p-value).
    #[schema(min_items = 3)]
    pub values: Vec<f64>,
}

/// W and its p-value.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"statistic":0.9780,"pValue":0.9519,"n":8}))]
pub struct ShapiroResponse {
    /// W.
    pub statistic: f64,
    /// p-value (small: the sample is unlikely to come from a normal distribution).
    pub p_value: f64,
    /// Sample size.
    pub n: usize,
    /// Present when n > 5,000: the p-value is less accurate there (as SciPy warns).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<&'static str>,
}

/// Shapiro-Wilk normality test (`scipy.stats.shapiro`, Royston's AS R94).
#[utoipa::path(post, path = "/api/v1/math/tests/shapiro", tag = "math", request_body = ShapiroRequest,
    responses((status = 200, description = "W and p", body = ShapiroResponse)))]
pub async fn tests_shapiro(State(st): State<St>, p: Payload<ShapiroRequest>) -> Response {
    respond(&st, false, "shapiro", p, |r| {
        let (statistic, p_value) = hypothesis::shapiro_wilk(&r.values)?;
        Ok(ShapiroResponse {
            statistic,
            p_value,
            n: r.values.len(),
            warning: (r.values.len() > 5000)
                .then_some("for more than 5,000 values the p-value may not be accurate"),
        })
    })
    .await
}
