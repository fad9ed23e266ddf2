//! HTTP handlers and the route table: thin, they extract, call the domain and respond.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, CpuPool, Payload};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::finite;
use crate::expr::{self, ExprLimits};
use crate::stats::{self, PercentileMethod};
use crate::{NAME, hypothesis, matrix};

/// Limits and the CPU pool.
#[derive(Debug, Clone)]
pub struct MathState {
    /// CPU pool for large inputs.
    pub cpu: CpuPool,
    /// `MATH_MAX_MATRIX_DIM` (default 2000).
    pub max_dim: usize,
    /// Expression limits (`MATH_EXPR_MAX_LENGTH`, `MATH_EXPR_MAX_DEPTH`).
    pub expr: ExprLimits,
    /// `MATH_MAX_VARIABLE_SETS` (default 100,000).
    pub max_sets: usize,
}

type St = Arc<MathState>;

#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
enum Errors {
    /// The request is malformed; `details` names the field (a syntax error names its position).
    #[response(status = 400)]
    BadRequest(#[to_schema] flowforge_kit::ErrorBody),
    /// Well-formed but without an answer (a singular matrix).
    #[response(status = 422)]
    NoAnswer(flowforge_kit::ErrorBody),
    /// The body is larger than this route's limit.
    #[response(status = 413)]
    TooLarge(flowforge_kit::ErrorBody),
}

/// Whole numbers are written as integers (`14`, not `14.0`), as NumPy's users and JavaScript
/// clients expect; everything else as the shortest exact float.
fn tidy(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) => {
            if let Some(f) = n.as_f64()
                && n.is_f64()
                && f.fract() == 0.0
                && f.abs() < 9.007_199_254_740_992e15
            {
                *n = serde_json::Number::from(f as i64);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(tidy),
        serde_json::Value::Object(o) => o.values_mut().for_each(tidy),
        _ => {}
    }
}

/// A domain answer made JSON with whole numbers tidied.
fn json<R: Serialize>(r: R) -> Result<serde_json::Value, ApiError> {
    let mut v = serde_json::to_value(r).map_err(ApiError::internal)?;
    tidy(&mut v);
    Ok(v)
}

async fn respond<T, R, F>(st: &St, heavy: bool, op: &'static str, p: Payload<T>, f: F) -> Response
where
    T: Send + 'static,
    R: Serialize,
    F: Fn(T) -> Result<R, ApiError> + Send + 'static,
{
    p.respond_on(&st.cpu, heavy, (NAME, op), move |t: T| f(t).and_then(json))
        .await
}

/// Round to `digits` significant digits.
fn significant(x: f64, digits: Option<u32>) -> f64 {
    match digits {
        Some(d) if x != 0.0 && x.is_finite() => {
            let d = d.clamp(1, 17) as i32;
            let mag = x.abs().log10().floor() as i32;
            let f = 10f64.powi(d - 1 - mag);
            if f.is_finite() {
                (x * f).round() / f
            } else {
                x
            }
        }
        _ => x,
    }
}

flowforge_kit::wire_enum! {
    /// How numbers are represented while evaluating.
    #[derive(Default)]
    pub enum EvalMode {
        /// IEEE-754 doubles (as NumPy and JavaScript); units and every function.
        #[default]
        Float = "float" | "number",
        /// Exact base-10 decimals for money: `0.1 + 0.2` is `0.3`; `+ - * / % ^`, abs, round
        /// (half away from zero), roundHalfEven, floor, ceil, trunc, sign, min, max, sum, mean, mod, pow.
        Decimal = "decimal" | "exact" | "bignumber",
    }
}

/// Evaluate an expression.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"expression":"x^2 + y","variables":{"x":3,"y":1}}))]
pub struct EvaluateRequest {
    /// The expression: `+ - * / % ^`, `!`, comparisons, `and or not`, `c ? a : b`, functions
    /// (abs, sqrt, cbrt, exp, ln, log(x[, base]), log2, log10, trig and hyperbolic and their
    /// inverses, atan2, round(x[, digits]), floor, ceil, trunc, sign, min, max, sum, mean, median,
    /// factorial, gcd, lcm, combinations, permutations, mod, hypot, pow), constants pi, e, tau, phi;
    /// units after numbers (`5 cm + 2 inch in mm`, `60 mph to km/h`, `100 degC to degF`,
    /// `1 GiB to MB`, `90 min to h`; see docs/math.md for the list).
    pub expression: String,
    /// Variable values (they take precedence over unit names).
    #[serde(default)]
    pub variables: HashMap<String, f64>,
    /// Evaluate once per set (each merged over `variables`); answers `results`.
    #[serde(default)]
    #[schema(value_type = Option<Vec<HashMap<String, f64>>>)]
    pub variable_sets: Option<crate::sets::VariableSets>,
    /// Significant digits of the answer.
    #[serde(default)]
    pub precision: Option<u32>,
    /// `float` (default) or `decimal` (exact base-10, for money).
    #[serde(default)]
    pub mode: EvalMode,
}

/// The value (or values).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"result":10,"expression":"x^2 + y"}))]
pub struct EvaluateResponse {
    /// The value (`null` when not finite, e.g. 1/0), in `unit` when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Option<f64>>,
    /// One value per variable set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<Option<f64>>>,
    /// The unit of the value(s), when the expression has units (`mm`, `km/h`, `m/s^2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Decimal mode: the exact value as text (`"0.3"`); JSON numbers are doubles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<String>,
    /// Decimal mode with variable sets: each exact value as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact_results: Option<Vec<String>>,
    /// The expression.
    pub expression: String,
}

/// One evaluation's answer: (number, unit, exact text).
type Answer = (Option<f64>, Option<String>, Option<String>);

fn evaluate_one(
    e: &expr::Expr,
    mode: EvalMode,
    units: bool,
    precision: Option<u32>,
    lim: &ExprLimits,
    vars: &dyn Fn(&str) -> Option<f64>,
) -> Result<Answer, crate::error::MathError> {
    Ok(match mode {
        EvalMode::Decimal => {
            let d = crate::decimal::eval(e, vars)?;
            let d = match precision {
                Some(p) => d.round_sf(p.clamp(1, 28)).unwrap_or(d),
                None => d,
            }
            .normalize();
            let f = d.to_string().parse::<f64>().ok();
            (f, None, Some(d.to_string()))
        }
        EvalMode::Float if units => {
            let (v, unit) = crate::quantity::eval(e, vars, lim)?.display();
            (finite(significant(v, precision)), unit, None)
        }
        EvalMode::Float => (
            finite(significant(expr::eval_with(e, vars, lim)?, precision)),
            None,
            None,
        ),
    })
}

/// Evaluate an expression, for one set of variables or many.
#[utoipa::path(post, path = "/api/v1/math/evaluate", tag = "math", request_body = EvaluateRequest,
    responses((status = 200, description = "The value", body = EvaluateResponse), Errors))]
pub async fn evaluate(State(st): State<St>, p: Payload<EvaluateRequest>) -> Response {
    let lim = st.expr;
    let max_sets = st.max_sets;
    let heavy = match &p {
        Payload::One(r) => r.variable_sets.as_ref().is_some_and(|s| s.len() > 1000),
        Payload::Batch(_) => true,
    };
    respond(&st, heavy, "evaluate", p, move |r| {
        let e = expr::parse(&r.expression, lim)?;
        let units = expr::uses_units(&e, &|n| {
            r.variables.contains_key(n) || r.variable_sets.as_ref().is_some_and(|s| s.names(n))
        });
        if units && r.mode == EvalMode::Decimal {
            return Err(ApiError::field(
                "mode",
                "decimal mode has no units; use \"float\" for expressions with units",
            ));
        }
        let Some(sets) = &r.variable_sets else {
            let vars = |n: &str| r.variables.get(n).copied();
            let (result, unit, exact) = evaluate_one(&e, r.mode, units, r.precision, &lim, &vars)?;
            return Ok(EvaluateResponse {
                result: Some(result),
                results: None,
                unit,
                exact,
                exact_results: None,
                expression: r.expression.clone(),
            });
        };
        if sets.len() > max_sets {
            return Err(ApiError::field(
                "variableSets",
                format!(
                    "holds {} sets; the limit is {max_sets} (MATH_MAX_VARIABLE_SETS)",
                    sets.len()
                ),
            ));
        }
        let at = |i: usize| {
            move |e: crate::error::MathError| {
                ApiError::from(e).prefixed(&format!("variableSets[{i}]"))
            }
        };
        let mut results = Vec::with_capacity(sets.len());
        let mut exact_results = Vec::new();
        let mut unit = None;
        if r.mode == EvalMode::Float && !units {
            // The hot path: values looked up by slot, nothing allocated per set.
            for i in 0..sets.len() {
                let vars = |n: &str| sets.get(i, n).or_else(|| r.variables.get(n).copied());
                let v = expr::eval_with(&e, &vars, &lim).map_err(at(i))?;
                results.push(finite(significant(v, r.precision)));
            }
        } else {
            for i in 0..sets.len() {
                let vars = |n: &str| sets.get(i, n).or_else(|| r.variables.get(n).copied());
                let (v, u, x) =
                    evaluate_one(&e, r.mode, units, r.precision, &lim, &vars).map_err(at(i))?;
                results.push(v);
                unit = unit.or(u);
                exact_results.extend(x);
            }
        }
        Ok(EvaluateResponse {
            result: None,
            results: Some(results),
            unit,
            exact: None,
            exact_results: (r.mode == EvalMode::Decimal).then_some(exact_results),
            expression: r.expression.clone(),
        })
    })
    .await
}

/// Describe numbers.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"values":[1,2,3,4],"percentiles":[10,90]}))]
pub struct DescribeRequest {
    /// The numbers.
    pub values: Vec<f64>,
    /// Extra percentiles (0–100) to report.
    #[serde(default)]
    pub percentiles: Vec<f64>,
    /// How percentiles interpolate: NumPy's `linear` (default), `lower`, `higher`, `nearest`,
    /// `midpoint`, `hazen`, `weibull`, `median_unbiased`, `normal_unbiased`, `interpolated_inverted_cdf`.
    #[serde(default)]
    pub method: PercentileMethod,
}

/// Descriptive statistics as NumPy and SciPy compute them (sample `std` and `variance` with
/// ddof = 1; population ones beside them).
#[utoipa::path(post, path = "/api/v1/math/statistics/describe", tag = "math", request_body = DescribeRequest,
    responses((status = 200, description = "The description", body = stats::Description), Errors))]
pub async fn describe(State(st): State<St>, p: Payload<DescribeRequest>) -> Response {
    let heavy = match &p {
        Payload::One(r) => r.values.len() > 10_000,
        Payload::Batch(_) => true,
    };
    respond(&st, heavy, "describe", p, |r| {
        Ok(stats::describe(&r.values, &r.percentiles, r.method)?)
    })
    .await
}

/// Two matrices.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"a":[[1,2],[3,4]],"b":[[5,6],[7,8]]}))]
pub struct TwoMatrices {
    /// Left, as rows.
    pub a: Vec<Vec<f64>>,
    /// Right, as rows.
    pub b: Vec<Vec<f64>>,
}

/// One matrix.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"matrix":[[4,7],[2,6]]}))]
pub struct OneMatrix {
    /// The matrix, as rows.
    pub matrix: Vec<Vec<f64>>,
}

/// A matrix result.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"result":[[19,22],[43,50]]}))]
pub struct MatrixResult {
    /// The result, as rows.
    pub result: Vec<Vec<f64>>,
}

/// A number result.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"result":-2}))]
pub struct NumberResult {
    /// The value.
    pub result: f64,
}

fn big(rows: &[Vec<f64>]) -> bool {
    rows.len() * rows.first().map_or(0, Vec::len) > 10_000
}

/// a × b.
#[utoipa::path(post, path = "/api/v1/math/matrix/multiply", tag = "math", request_body = TwoMatrices,
    responses((status = 200, description = "The product", body = MatrixResult), Errors))]
pub async fn matrix_multiply(State(st): State<St>, p: Payload<TwoMatrices>) -> Response {
    let max = st.max_dim;
    let heavy = matches!(&p, Payload::One(r) if big(&r.a)) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "matrix_multiply", p, move |r| {
        let a = matrix::parse("a", &r.a, max)?;
        let b = matrix::parse("b", &r.b, max)?;
        Ok(MatrixResult {
            result: matrix::rows(&matrix::multiply(&a, &b)?),
        })
    })
    .await
}

/// a + b, entry by entry.
#[utoipa::path(post, path = "/api/v1/math/matrix/add", tag = "math", request_body = TwoMatrices,
    responses((status = 200, description = "The sum", body = MatrixResult), Errors))]
pub async fn matrix_add(State(st): State<St>, p: Payload<TwoMatrices>) -> Response {
    elementwise(st, p, "matrix_add", 1.0).await
}

/// a − b, entry by entry.
#[utoipa::path(post, path = "/api/v1/math/matrix/subtract", tag = "math", request_body = TwoMatrices,
    responses((status = 200, description = "The difference", body = MatrixResult), Errors))]
pub async fn matrix_subtract(State(st): State<St>, p: Payload<TwoMatrices>) -> Response {
    elementwise(st, p, "matrix_subtract", -1.0).await
}

async fn elementwise(st: St, p: Payload<TwoMatrices>, op: &'static str, sign: f64) -> Response {
    let max = st.max_dim;
    let heavy = matches!(&p, Payload::One(r) if big(&r.a)) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, op, p, move |r| {
        let a = matrix::parse("a", &r.a, max)?;
        let b = matrix::parse("b", &r.b, max)?;
        Ok(MatrixResult {
            result: matrix::rows(&matrix::add(&a, &b, sign)?),
        })
    })
    .await
}

/// A matrix and a factor.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"matrix":[[1,2],[3,4]],"factor":2.5}))]
pub struct ScaleRequest {
    /// The matrix, as rows.
    pub matrix: Vec<Vec<f64>>,
    /// The factor every entry is multiplied by.
    pub factor: f64,
}

/// factor · matrix.
#[utoipa::path(post, path = "/api/v1/math/matrix/scale", tag = "math", request_body = ScaleRequest,
    responses((status = 200, description = "The scaled matrix", body = MatrixResult), Errors))]
pub async fn matrix_scale(State(st): State<St>, p: Payload<ScaleRequest>) -> Response {
    let max = st.max_dim;
    let heavy = matches!(&p, Payload::One(r) if big(&r.matrix)) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "matrix_scale", p, move |r| {
        let m = matrix::parse("matrix", &r.matrix, max)?;
        Ok(MatrixResult {
            result: matrix::rows(&(m * r.factor)),
        })
    })
    .await
}

/// The transpose.
#[utoipa::path(post, path = "/api/v1/math/matrix/transpose", tag = "math", request_body = OneMatrix,
    responses((status = 200, description = "The transpose", body = MatrixResult), Errors))]
pub async fn matrix_transpose(State(st): State<St>, p: Payload<OneMatrix>) -> Response {
    let max = st.max_dim;
    respond(&st, false, "matrix_transpose", p, move |r| {
        let m = matrix::parse("matrix", &r.matrix, max)?;
        Ok(MatrixResult {
            result: matrix::rows(&m.t().to_owned()),
        })
    })
    .await
}

/// The determinant.
#[utoipa::path(post, path = "/api/v1/math/matrix/determinant", tag = "math", request_body = OneMatrix,
    responses((status = 200, description = "The determinant", body = NumberResult), Errors))]
pub async fn matrix_determinant(State(st): State<St>, p: Payload<OneMatrix>) -> Response {
    let max = st.max_dim;
    let heavy = matches!(&p, Payload::One(r) if big(&r.matrix)) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "matrix_determinant", p, move |r| {
        let m = matrix::parse("matrix", &r.matrix, max)?;
        Ok(NumberResult {
            result: matrix::determinant(&m)?,
        })
    })
    .await
}

/// The inverse; a singular matrix answers 422.
#[utoipa::path(post, path = "/api/v1/math/matrix/inverse", tag = "math", request_body = OneMatrix,
    responses((status = 200, description = "The inverse", body = MatrixResult), Errors))]
pub async fn matrix_inverse(State(st): State<St>, p: Payload<OneMatrix>) -> Response {
    let max = st.max_dim;
    let heavy = matches!(&p, Payload::One(r) if big(&r.matrix)) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "matrix_inverse", p, move |r| {
        let m = matrix::parse("matrix", &r.matrix, max)?;
        Ok(MatrixResult {
            result: matrix::rows(&matrix::inverse(&m)?),
        })
    })
    .await
}

/// A linear system.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"a":[[3,1],[1,2]],"b":[9,8]}))]
pub struct SolveRequest {
    /// The square matrix A.
    pub a: Vec<Vec<f64>>,
    /// The right-hand side b.
    pub b: Vec<f64>,
}

/// The solution.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"result":[2,3]}))]
pub struct VectorResult {
    /// x.
    pub result: Vec<f64>,
}

/// Solve A x = b (LU with partial pivoting); a singular A answers 422.
#[utoipa::path(post, path = "/api/v1/math/matrix/solve", tag = "math", request_body = SolveRequest,
    responses((status = 200, description = "x", body = VectorResult), Errors))]
pub async fn matrix_solve(State(st): State<St>, p: Payload<SolveRequest>) -> Response {
    let max = st.max_dim;
    let heavy = matches!(&p, Payload::One(r) if big(&r.a)) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "matrix_solve", p, move |r| {
        let a = matrix::parse("a", &r.a, max)?;
        Ok(VectorResult {
            result: matrix::solve(&a, &r.b)?,
        })
    })
    .await
}

/// A least-squares problem.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"a":[[1,1],[1,2],[1,3]],"b":[1,2,2]}))]
pub struct LstsqRequest {
    /// A (m × n, any shape).
    pub a: Vec<Vec<f64>>,
    /// b (m entries).
    pub b: Vec<f64>,
}

/// x minimising |A x − b|.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"result":[0.6666666666666666,0.5],"residuals":0.16666666666666666,"rank":2,"singularValues":[4.079,0.6]}))]
pub struct LstsqResponse {
    /// x (the minimum-norm one when A is rank-deficient).
    pub result: Vec<f64>,
    /// Sum of squared residuals; `null` unless A has full column rank and more rows than columns (as NumPy).
    pub residuals: Option<f64>,
    /// Rank of A.
    pub rank: usize,
    /// Singular values of A, descending.
    pub singular_values: Vec<f64>,
}

/// Least squares, as `numpy.linalg.lstsq(a, b, rcond=None)`.
#[utoipa::path(post, path = "/api/v1/math/matrix/lstsq", tag = "math", request_body = LstsqRequest,
    responses((status = 200, description = "x, residuals, rank, singular values", body = LstsqResponse), Errors))]
pub async fn matrix_lstsq(State(st): State<St>, p: Payload<LstsqRequest>) -> Response {
    let max = st.max_dim;
    let heavy = matches!(&p, Payload::One(r) if big(&r.a)) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "matrix_lstsq", p, move |r| {
        let a = matrix::parse("a", &r.a, max)?;
        let l = matrix::lstsq(&a, &r.b)?;
        Ok(LstsqResponse {
            result: l.x,
            residuals: l.residuals,
            rank: l.rank,
            singular_values: l.singular_values,
        })
    })
    .await
}

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
    responses((status = 200, description = "t, p and df", body = TTestResponse), Errors))]
pub async fn ttest(State(st): State<St>, p: Payload<TTestRequest>) -> Response {
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
    responses((status = 200, description = "Counts and edges", body = HistogramResponse), Errors))]
pub async fn histogram(State(st): State<St>, p: Payload<HistogramRequest>) -> Response {
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
    responses((status = 200, description = "Z-scores and outliers", body = OutliersResponse), Errors))]
pub async fn outliers(State(st): State<St>, p: Payload<OutliersRequest>) -> Response {
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
    responses((status = 200, description = "Coefficient and p-value", body = CorrelationResponse), Errors))]
pub async fn correlation(State(st): State<St>, p: Payload<CorrelationRequest>) -> Response {
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
    responses((status = 200, description = "The value or schedule", body = FinanceResponse), Errors))]
pub async fn finance(State(st): State<St>, p: Payload<FinanceRequest>) -> Response {
    respond(&st, false, "finance", p, finance_one).await
}

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
    responses((status = 200, description = "The fit", body = RegressionResponse), Errors))]
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
    responses((status = 200, description = "The averages", body = ValuesResponse), Errors))]
pub async fn moving_average(State(st): State<St>, p: Payload<MovingRequest>) -> Response {
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
    responses((status = 200, description = "The covariance matrix", body = MatrixResult), Errors))]
pub async fn covariance(State(st): State<St>, p: Payload<CovarianceRequest>) -> Response {
    respond(&st, false, "covariance", p, |r| {
        Ok(MatrixResult {
            result: stats::covariance(&r.data)?,
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
    responses((status = 200, description = "χ², p and df", body = TestResponse), Errors))]
pub async fn chisquare(State(st): State<St>, p: Payload<ChiSquareRequest>) -> Response {
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
    pub groups: Vec<Vec<f64>>,
}

/// One-way ANOVA (`scipy.stats.f_oneway`).
#[utoipa::path(post, path = "/api/v1/math/tests/anova", tag = "math", request_body = AnovaRequest,
    responses((status = 200, description = "F, p and degrees of freedom", body = TestResponse), Errors))]
pub async fn anova(State(st): State<St>, p: Payload<AnovaRequest>) -> Response {
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
    responses((status = 200, description = "U and p", body = MannWhitneyResponse), Errors))]
pub async fn mannwhitney(State(st): State<St>, p: Payload<MannWhitneyRequest>) -> Response {
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
    responses((status = 200, description = "W and p", body = ShapiroResponse), Errors))]
pub async fn shapiro(State(st): State<St>, p: Payload<ShapiroRequest>) -> Response {
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

/// Properties of a matrix.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"matrix":[[1,2],[3,4]],"norm":"fro"}))]
pub struct PropertiesRequest {
    /// The matrix, as rows.
    pub matrix: Vec<Vec<f64>>,
    /// fro (default), 1, inf, 2 or nuc (numpy.linalg.norm's `ord`).
    #[serde(default)]
    pub norm: crate::linalg::Norm,
}

/// Trace (square only), rank, norm, singular values.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"trace":5,"rank":2,"norm":5.477225575051661,"singularValues":[5.464985704219043,0.3659661906262578]}))]
pub struct PropertiesResponse {
    /// Sum of the diagonal (square matrices).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<f64>,
    /// Rank (numpy.linalg.matrix_rank's tolerance).
    pub rank: usize,
    /// The requested norm.
    pub norm: f64,
    /// Singular values, descending.
    pub singular_values: Vec<f64>,
}

/// Trace, rank, a norm and the singular values.
#[utoipa::path(post, path = "/api/v1/math/matrix/properties", tag = "math", request_body = PropertiesRequest,
    responses((status = 200, description = "Properties", body = PropertiesResponse), Errors))]
pub async fn matrix_properties(State(st): State<St>, p: Payload<PropertiesRequest>) -> Response {
    let max = st.max_dim;
    let heavy = matches!(&p, Payload::One(r) if big(&r.matrix)) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "matrix_properties", p, move |r| {
        let m = crate::linalg::to_na(&matrix::parse("matrix", &r.matrix, max)?);
        Ok(PropertiesResponse {
            trace: m.is_square().then(|| m.trace()),
            rank: crate::linalg::rank(&m),
            norm: crate::linalg::norm(&m, r.norm),
            singular_values: crate::linalg::singular_values(&m),
        })
    })
    .await
}

/// The Moore-Penrose pseudo-inverse (any shape; least-squares answers for singular systems).
#[utoipa::path(post, path = "/api/v1/math/matrix/pinv", tag = "math", request_body = OneMatrix,
    responses((status = 200, description = "The pseudo-inverse", body = MatrixResult), Errors))]
pub async fn matrix_pinv(State(st): State<St>, p: Payload<OneMatrix>) -> Response {
    let max = st.max_dim;
    let heavy = matches!(&p, Payload::One(r) if big(&r.matrix)) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "matrix_pinv", p, move |r| {
        let m = crate::linalg::to_na(&matrix::parse("matrix", &r.matrix, max)?);
        Ok(MatrixResult {
            result: crate::linalg::rows(&crate::linalg::pinv(&m)?),
        })
    })
    .await
}

flowforge_kit::wire_enum! {
    /// A decomposition.
    pub enum Decomposition {
        /// P·A = L·U (partial pivoting): `p`, `l`, `u`.
        Lu = "lu",
        /// A = Q·R (reduced): `q`, `r`.
        Qr = "qr",
        /// A = L·Lᵀ (symmetric positive definite): `l`.
        Cholesky = "cholesky",
        /// Symmetric: ascending `values` and `vectors` (columns), as numpy.linalg.eigh.
        Eigen = "eigen" | "eigh",
        /// General square matrix: `values` as [re, im] pairs, as numpy.linalg.eigvals.
        Eigenvalues = "eigenvalues" | "eigvals",
        /// General square matrix: `values` as [re, im] pairs and `vectors` (column k belongs to
        /// value k) with every entry an [re, im] pair, as numpy.linalg.eig.
        Eig = "eig" | "eigenvectors",
        /// A = U·diag(s)·Vᵀ (reduced): `u`, `s` (descending), `vt`.
        Svd = "svd",
    }
}

/// A decomposition request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"matrix":[[4,2],[2,3]],"kind":"cholesky"}))]
pub struct DecomposeRequest {
    /// The matrix, as rows.
    pub matrix: Vec<Vec<f64>>,
    /// lu, qr, cholesky, eigen (symmetric), eigenvalues or eig (general) or svd.
    pub kind: Decomposition,
}

/// Decompose a matrix: LU, QR, Cholesky, symmetric eigen-decomposition, general eigenvalues
/// (complex as [re, im]), SVD.
#[utoipa::path(post, path = "/api/v1/math/matrix/decompose", tag = "math", request_body = DecomposeRequest,
    responses((status = 200, description = "The factors, by name", body = Object), Errors))]
pub async fn matrix_decompose(State(st): State<St>, p: Payload<DecomposeRequest>) -> Response {
    use crate::linalg as la;
    let max = st.max_dim;
    let heavy = matches!(&p, Payload::One(r) if big(&r.matrix)) || matches!(p, Payload::Batch(_));
    respond(&st, heavy, "matrix_decompose", p, move |r| {
        let m = la::to_na(&matrix::parse("matrix", &r.matrix, max)?);
        Ok(match r.kind {
            Decomposition::Lu => {
                let (p, l, u) = la::lu(&m)?;
                serde_json::json!({"kind": "lu", "p": la::rows(&p), "l": la::rows(&l), "u": la::rows(&u)})
            }
            Decomposition::Qr => {
                let (q, rr) = la::qr(&m);
                serde_json::json!({"kind": "qr", "q": la::rows(&q), "r": la::rows(&rr)})
            }
            Decomposition::Cholesky => serde_json::json!({"kind": "cholesky", "l": la::rows(&la::cholesky(&m)?)}),
            Decomposition::Eigen => {
                let (values, vectors) = la::eigh(&m)?;
                serde_json::json!({"kind": "eigen", "values": values, "vectors": la::rows(&vectors)})
            }
            Decomposition::Eigenvalues => {
                let v: Vec<[f64; 2]> = la::eigvals(&m)?.into_iter().map(|(re, im)| [re, im]).collect();
                serde_json::json!({"kind": "eigenvalues", "values": v})
            }
            Decomposition::Eig => {
                let (values, vectors) = la::eig(&m)?;
                let v: Vec<[f64; 2]> = values.iter().map(|z| [z.re, z.im]).collect();
                let vecs: Vec<Vec<[f64; 2]>> = (0..vectors.nrows())
                    .map(|i| (0..vectors.ncols()).map(|j| [vectors[(i, j)].re, vectors[(i, j)].im]).collect())
                    .collect();
                serde_json::json!({"kind": "eig", "values": v, "vectors": vecs})
            }
            Decomposition::Svd => {
                let (u, s, vt) = la::svd(&m)?;
                serde_json::json!({"kind": "svd", "u": la::rows(&u), "s": s, "vt": la::rows(&vt)})
            }
        })
    })
    .await
}

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
    responses((status = 200, description = "The values", body = DistributionResponse), Errors))]
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

#[derive(OpenApi)]
#[openapi(tags((name = "math", description = "Expressions, statistics, tests, matrices")))]
struct MathApi;

/// The router (state applied) and its OpenAPI document.
pub fn router(state: MathState) -> (Router, utoipa::openapi::OpenApi) {
    let (r, doc) = OpenApiRouter::<St>::with_openapi(MathApi::openapi())
        // Expressions.
        .routes(routes!(evaluate))
        // Statistics and tests.
        .routes(routes!(describe))
        .routes(routes!(histogram))
        .routes(routes!(outliers))
        .routes(routes!(correlation))
        .routes(routes!(moving_average))
        .routes(routes!(covariance))
        .routes(routes!(ttest))
        .routes(routes!(chisquare))
        .routes(routes!(anova))
        .routes(routes!(mannwhitney))
        .routes(routes!(shapiro))
        .routes(routes!(distributions))
        .routes(routes!(regression))
        // Finance.
        .routes(routes!(finance))
        // Linear algebra.
        .routes(routes!(matrix_multiply))
        .routes(routes!(matrix_add))
        .routes(routes!(matrix_subtract))
        .routes(routes!(matrix_scale))
        .routes(routes!(matrix_lstsq))
        .routes(routes!(matrix_transpose))
        .routes(routes!(matrix_determinant))
        .routes(routes!(matrix_inverse))
        .routes(routes!(matrix_solve))
        .routes(routes!(matrix_properties))
        .routes(routes!(matrix_pinv))
        .routes(routes!(matrix_decompose))
        .split_for_parts();
    (r.with_state(Arc::new(state)), doc)
}
