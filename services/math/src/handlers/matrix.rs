//! `POST /api/v1/math/matrix/*`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::Payload;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{St, respond};
use crate::matrix;

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
    responses((status = 200, description = "The product", body = MatrixResult)))]
pub async fn matrix_multiply(State(st): State<St>, p: Payload<TwoMatrices>) -> Response {
    let max = st.config.max_dim;
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
    responses((status = 200, description = "The sum", body = MatrixResult)))]
pub async fn matrix_add(State(st): State<St>, p: Payload<TwoMatrices>) -> Response {
    elementwise(st, p, "matrix_add", 1.0).await
}

/// a − b, entry by entry.
#[utoipa::path(post, path = "/api/v1/math/matrix/subtract", tag = "math", request_body = TwoMatrices,
    responses((status = 200, description = "The difference", body = MatrixResult)))]
pub async fn matrix_subtract(State(st): State<St>, p: Payload<TwoMatrices>) -> Response {
    elementwise(st, p, "matrix_subtract", -1.0).await
}

async fn elementwise(st: St, p: Payload<TwoMatrices>, op: &'static str, sign: f64) -> Response {
    let max = st.config.max_dim;
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
    responses((status = 200, description = "The scaled matrix", body = MatrixResult)))]
pub async fn matrix_scale(State(st): State<St>, p: Payload<ScaleRequest>) -> Response {
    let max = st.config.max_dim;
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
    responses((status = 200, description = "The transpose", body = MatrixResult)))]
pub async fn matrix_transpose(State(st): State<St>, p: Payload<OneMatrix>) -> Response {
    let max = st.config.max_dim;
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
    responses((status = 200, description = "The determinant", body = NumberResult)))]
pub async fn matrix_determinant(State(st): State<St>, p: Payload<OneMatrix>) -> Response {
    let max = st.config.max_dim;
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
    responses((status = 200, description = "The inverse", body = MatrixResult)))]
pub async fn matrix_inverse(State(st): State<St>, p: Payload<OneMatrix>) -> Response {
    let max = st.config.max_dim;
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
    responses((status = 200, description = "x", body = VectorResult)))]
pub async fn matrix_solve(State(st): State<St>, p: Payload<SolveRequest>) -> Response {
    let max = st.config.max_dim;
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
    responses((status = 200, description = "x, residuals, rank, singular values", body = LstsqResponse)))]
pub async fn matrix_lstsq(State(st): State<St>, p: Payload<LstsqRequest>) -> Response {
    let max = st.config.max_dim;
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
    responses((status = 200, description = "Properties", body = PropertiesResponse)))]
pub async fn matrix_properties(State(st): State<St>, p: Payload<PropertiesRequest>) -> Response {
    let max = st.config.max_dim;
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
    responses((status = 200, description = "The pseudo-inverse", body = MatrixResult)))]
pub async fn matrix_pinv(State(st): State<St>, p: Payload<OneMatrix>) -> Response {
    let max = st.config.max_dim;
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
    responses((status = 200, description = "The factors, by name", body = Object)))]
pub async fn matrix_decompose(State(st): State<St>, p: Payload<DecomposeRequest>) -> Response {
    use crate::linalg as la;
    let max = st.config.max_dim;
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
