//! Decompositions and matrix properties on nalgebra: trace, rank, norms, pseudo-inverse, LU, QR,
//! Cholesky, symmetric eigen-decomposition, SVD. Results follow NumPy's conventions where they
//! have one (singular values descending, `numpy.linalg.eigh`'s ascending eigenvalues).

use nalgebra::{Complex, DMatrix, DVector};
use ndarray::Array2;

use crate::error::{MathError, Result};

/// ndarray → nalgebra.
pub fn to_na(m: &Array2<f64>) -> DMatrix<f64> {
    DMatrix::from_fn(m.nrows(), m.ncols(), |i, j| m[[i, j]])
}

/// nalgebra → rows.
pub fn rows(m: &DMatrix<f64>) -> Vec<Vec<f64>> {
    (0..m.nrows())
        .map(|i| (0..m.ncols()).map(|j| m[(i, j)]).collect())
        .collect()
}

/// Singular values, descending.
pub fn singular_values(m: &DMatrix<f64>) -> Vec<f64> {
    let mut s: Vec<f64> = m
        .clone()
        .svd(false, false)
        .singular_values
        .iter()
        .copied()
        .collect();
    s.sort_by(|a, b| b.total_cmp(a));
    s
}

/// Rank with NumPy's default tolerance: S.max() · max(M, N) · eps.
pub fn rank(m: &DMatrix<f64>) -> usize {
    let s = singular_values(m);
    let tol = s.first().copied().unwrap_or(0.0) * m.nrows().max(m.ncols()) as f64 * f64::EPSILON;
    s.iter().filter(|v| **v > tol).count()
}

flowforge_kit::wire_enum! {
    /// A matrix norm (`numpy.linalg.norm(ord=…)`).
    #[derive(Default)]
    pub enum Norm {
        /// Frobenius (default).
        #[default]
        Fro = "fro" | "frobenius",
        /// Largest absolute column sum (ord=1).
        One = "1",
        /// Largest absolute row sum (ord=inf).
        Inf = "inf",
        /// Largest singular value (ord=2).
        Two = "2" | "spectral",
        /// Sum of singular values (ord='nuc').
        Nuc = "nuc" | "nuclear",
    }
}

/// The norm.
pub fn norm(m: &DMatrix<f64>, kind: Norm) -> f64 {
    match kind {
        Norm::Fro => m.iter().map(|v| v * v).sum::<f64>().sqrt(),
        Norm::One => (0..m.ncols())
            .map(|j| m.column(j).iter().map(|v| v.abs()).sum::<f64>())
            .fold(0.0, f64::max),
        Norm::Inf => (0..m.nrows())
            .map(|i| m.row(i).iter().map(|v| v.abs()).sum::<f64>())
            .fold(0.0, f64::max),
        Norm::Two => singular_values(m).first().copied().unwrap_or(0.0),
        Norm::Nuc => singular_values(m).iter().sum(),
    }
}

/// Moore-Penrose pseudo-inverse (NumPy's rcond 1e-15 relative to the largest singular value).
pub fn pinv(m: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    let s = singular_values(m);
    let eps = s.first().copied().unwrap_or(0.0) * 1e-15;
    m.clone()
        .pseudo_inverse(eps)
        .map_err(|e| MathError::no_answer("matrix", format!("no pseudo-inverse: {e}")))
}

/// PA = LU with partial pivoting: (P, L, U) as full matrices (as `scipy.linalg.lu` gives A = P L U,
/// we return P so that A = Pᵀ·L·U, i.e. P·A = L·U).
pub fn lu(m: &DMatrix<f64>) -> Result<(DMatrix<f64>, DMatrix<f64>, DMatrix<f64>)> {
    if !m.is_square() {
        return Err(MathError::invalid(
            "matrix",
            "LU here takes a square matrix",
        ));
    }
    let n = m.nrows();
    let lu = m.clone().lu();
    let (p, l, u) = lu.unpack();
    let mut pm = DMatrix::<f64>::identity(n, n);
    p.permute_rows(&mut pm);
    Ok((pm, l, u))
}

/// A = QR (reduced: Q is m × k, R is k × n, k = min(m, n)).
pub fn qr(m: &DMatrix<f64>) -> (DMatrix<f64>, DMatrix<f64>) {
    let qr = m.clone().qr();
    (qr.q(), qr.r())
}

/// A = L·Lᵀ for a symmetric positive-definite A.
pub fn cholesky(m: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    if !m.is_square() || (m - m.transpose()).abs().max() > 1e-10 * m.abs().max().max(1.0) {
        return Err(MathError::invalid(
            "matrix",
            "Cholesky needs a symmetric matrix",
        ));
    }
    m.clone().cholesky().map(|c| c.l()).ok_or_else(|| {
        MathError::no_answer(
            "matrix",
            "is not positive definite, so it has no Cholesky factor",
        )
    })
}

/// Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix, as `numpy.linalg.eigh`.
pub fn eigh(m: &DMatrix<f64>) -> Result<(Vec<f64>, DMatrix<f64>)> {
    if !m.is_square() || (m - m.transpose()).abs().max() > 1e-10 * m.abs().max().max(1.0) {
        return Err(MathError::invalid(
            "matrix",
            "must be symmetric for the symmetric eigen-decomposition; use general eigenvalues otherwise",
        ));
    }
    let e = m.clone().symmetric_eigen();
    let mut idx: Vec<usize> = (0..e.eigenvalues.len()).collect();
    idx.sort_by(|&a, &b| e.eigenvalues[a].total_cmp(&e.eigenvalues[b]));
    let values = idx.iter().map(|&i| e.eigenvalues[i]).collect();
    let vectors = DMatrix::from_fn(m.nrows(), m.ncols(), |r, c| e.eigenvectors[(r, idx[c])]);
    Ok((values, vectors))
}

/// Eigenvalues of a general square matrix (complex ones as (re, im) pairs), from the real Schur form.
pub fn eigvals(m: &DMatrix<f64>) -> Result<Vec<(f64, f64)>> {
    if !m.is_square() {
        return Err(MathError::invalid("matrix", "must be square"));
    }
    let ev = m.clone().complex_eigenvalues();
    Ok(ev.iter().map(|c| (c.re, c.im)).collect())
}

/// A = U·diag(S)·Vᵀ (reduced), singular values descending.
pub fn svd(m: &DMatrix<f64>) -> Result<(DMatrix<f64>, Vec<f64>, DMatrix<f64>)> {
    let s = m.clone().svd(true, true);
    let (u, vt) = match (s.u, s.v_t) {
        (Some(u), Some(v)) => (u, v),
        _ => return Err(MathError::no_answer("matrix", "the SVD did not converge")),
    };
    let mut idx: Vec<usize> = (0..s.singular_values.len()).collect();
    idx.sort_by(|&a, &b| s.singular_values[b].total_cmp(&s.singular_values[a]));
    let sv = idx.iter().map(|&i| s.singular_values[i]).collect();
    let u2 = DMatrix::from_fn(u.nrows(), idx.len(), |r, c| u[(r, idx[c])]);
    let vt2 = DMatrix::from_fn(idx.len(), vt.ncols(), |r, c| vt[(idx[r], c)]);
    Ok((u2, sv, vt2))
}

/// Eigenvalues, and eigenvectors as the columns of a matrix.
pub type Eig = (Vec<Complex<f64>>, DMatrix<Complex<f64>>);

/// Eigenvalues and right eigenvectors of a general square matrix, as `numpy.linalg.eig`:
/// eigenvalues from the real Schur form, each eigenvector by inverse iteration on A − λI in
/// complex arithmetic, normalised to Euclidean norm 1 with its largest component real and positive
/// (LAPACK's convention up to that sign). Vectors of a repeated eigenvalue are made orthogonal
/// to each other where the eigenspace allows it.
pub fn eig(m: &DMatrix<f64>) -> Result<Eig> {
    if !m.is_square() {
        return Err(MathError::invalid("matrix", "must be square"));
    }
    let n = m.nrows();
    let values: Vec<Complex<f64>> = m.clone().complex_eigenvalues().iter().copied().collect();
    let a: DMatrix<Complex<f64>> = m.map(|x| Complex::new(x, 0.0));
    let scale = m.abs().max().max(f64::MIN_POSITIVE);
    let mut vectors = DMatrix::<Complex<f64>>::zeros(n, n);
    for (k, &lambda) in values.iter().enumerate() {
        // Shift off the eigenvalue by a hair so that A − μI can be factored; stay real for a
        // real eigenvalue so that its vector is real.
        let mut mu = lambda + Complex::new(scale * 1e-12, 0.0);
        let mut shifted = a.clone();
        for i in 0..n {
            shifted[(i, i)] -= mu;
        }
        let mut lu = shifted.clone().lu();
        if !lu.is_invertible() {
            mu += Complex::new(scale * 1e-9, 0.0);
            shifted = a.clone();
            for i in 0..n {
                shifted[(i, i)] -= mu;
            }
            lu = shifted.lu();
        }
        // Earlier vectors of the same eigenvalue, to be orthogonal to.
        let tol = 1e-8 * scale.max(lambda.norm());
        let cluster: Vec<usize> = (0..k)
            .filter(|&j| (values[j] - lambda).norm() <= tol)
            .collect();
        // A start vector that is unlikely to be orthogonal to any eigenvector.
        let mut v = DVector::<Complex<f64>>::from_fn(n, |i, _| {
            let t = (i as f64 + 1.0) * 0.754_877_666_246_692_8 + k as f64 * 0.569_840_290_998_053_3;
            Complex::new(1.0 + t.fract(), 0.0)
        });
        for _ in 0..3 {
            for &j in &cluster {
                let u = vectors.column(j).into_owned();
                let d = u.dotc(&v);
                v -= u * d;
            }
            v = match lu.solve(&v) {
                Some(x) => x,
                None => {
                    return Err(MathError::no_answer(
                        "matrix",
                        "an eigenvector could not be computed (the shifted matrix stayed singular)",
                    ));
                }
            };
            let norm = v.norm();
            if !norm.is_finite() || norm == 0.0 {
                return Err(MathError::no_answer(
                    "matrix",
                    "an eigenvector could not be computed (inverse iteration diverged)",
                ));
            }
            v /= Complex::new(norm, 0.0);
        }
        for &j in &cluster {
            let u = vectors.column(j).into_owned();
            let d = u.dotc(&v);
            let w = &v - u * d;
            if w.norm() > 1e-6 {
                v = w.clone() / Complex::new(w.norm(), 0.0);
            }
        }
        // Largest component real and positive.
        let big = v.iter().copied().fold(Complex::new(0.0, 0.0), |acc, z| {
            if z.norm() > acc.norm() { z } else { acc }
        });
        if big.norm() > 0.0 {
            let phase = big.conj() / Complex::new(big.norm(), 0.0);
            v *= phase;
        }
        if lambda.im == 0.0 {
            v.iter_mut().for_each(|z| z.im = 0.0);
            let norm = v.norm();
            v /= Complex::new(norm, 0.0);
        }
        vectors.set_column(k, &v);
    }
    Ok((values, vectors))
}
