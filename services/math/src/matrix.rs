//! Matrices: add, subtract, multiply (ndarray → matrixmultiply's blocked, vectorised, threaded
//! kernel), determinant, inverse and solve through a blocked LU with partial pivoting (LAPACK's
//! `getrf`/`getri` arrangement, the bulk of the work in matrix products), least squares through
//! the SVD. A singular matrix is a clear 422, never garbage.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2, ArrayViewMut2, ShapeBuilder};

use crate::error::{MathError, Result};

/// Parse rows into a matrix: rectangular, finite, at most `max` × `max`.
pub fn parse(field: &str, rows: &[Vec<f64>], max: usize) -> Result<Array2<f64>> {
    let r = rows.len();
    if r == 0 || rows[0].is_empty() {
        return Err(MathError::invalid(
            field,
            "must be a non-empty array of equal-length rows, e.g. [[1,2],[3,4]]",
        ));
    }
    let c = rows[0].len();
    if r > max || c > max {
        return Err(MathError::invalid(
            field,
            format!("is {r} × {c}; the limit is {max} × {max} (MATH_MAX_MATRIX_DIM)"),
        ));
    }
    let mut data = Vec::with_capacity(r * c);
    for (i, row) in rows.iter().enumerate() {
        if row.len() != c {
            return Err(MathError::invalid(
                format!("{field}[{i}]"),
                format!(
                    "has {} entries but row 0 has {c}; every row must have the same length",
                    row.len()
                ),
            ));
        }
        data.extend_from_slice(row);
    }
    Array2::from_shape_vec((r, c), data).map_err(|e| MathError::invalid(field, e.to_string()))
}

/// Rows of a matrix, for JSON.
pub fn rows(m: &Array2<f64>) -> Vec<Vec<f64>> {
    m.rows().into_iter().map(|r| r.to_vec()).collect()
}

/// a × b.
pub fn multiply(a: &Array2<f64>, b: &Array2<f64>) -> Result<Array2<f64>> {
    if a.ncols() != b.nrows() {
        return Err(MathError::invalid(
            "b",
            format!(
                "has {} rows but a has {} columns; a × b needs them equal",
                b.nrows(),
                a.ncols()
            ),
        ));
    }
    Ok(a.dot(b))
}

/// Panel width of the blocked factorisation and solves: wide enough that the trailing updates
/// (matrix products through the GEMM kernel) carry almost all the work.
const BLOCK: usize = 64;

/// a + b (`sign` 1) or a − b (`sign` −1), entry by entry.
pub fn add(a: &Array2<f64>, b: &Array2<f64>, sign: f64) -> Result<Array2<f64>> {
    if a.dim() != b.dim() {
        return Err(MathError::invalid(
            "b",
            format!(
                "is {} × {} but a is {} × {}; entry-by-entry operations need equal shapes",
                b.nrows(),
                b.ncols(),
                a.nrows(),
                a.ncols()
            ),
        ));
    }
    Ok(a + &(b * sign))
}

/// A least-squares answer.
#[derive(Debug, Clone)]
pub struct Lstsq {
    /// The solution.
    pub x: Vec<f64>,
    /// Sum of squared residuals (full column rank, more rows than columns).
    pub residuals: Option<f64>,
    /// Rank of A.
    pub rank: usize,
    /// Singular values of A, descending.
    pub singular_values: Vec<f64>,
}

/// The (minimum-norm) least-squares solution of a x ≈ b, as `numpy.linalg.lstsq` with its
/// default cut-off (singular values below eps · max(m, n) · the largest count as zero):
/// (x, sum of squared residuals when a has full column rank and more rows than columns, rank,
/// singular values descending).
pub fn lstsq(a: &Array2<f64>, b: &[f64]) -> Result<Lstsq> {
    let (m, n) = a.dim();
    if b.len() != m {
        return Err(MathError::invalid(
            "b",
            format!("has {} entries; a has {m} rows, so b needs {m}", b.len()),
        ));
    }
    let na = crate::linalg::to_na(a);
    let sv = crate::linalg::singular_values(&na);
    let cut = f64::EPSILON * m.max(n) as f64 * sv.first().copied().unwrap_or(0.0);
    let rank = sv.iter().filter(|s| **s > cut).count();
    let svd = na.clone().svd(true, true);
    let rhs = nalgebra::DVector::from_column_slice(b);
    let x = svd
        .solve(&rhs, cut)
        .map_err(|e| MathError::no_answer("a", format!("no least-squares solution: {e}")))?;
    let residuals = (rank == n && m > n).then(|| (&na * &x - &rhs).norm_squared());
    Ok(Lstsq {
        x: x.iter().copied().collect(),
        residuals,
        rank,
        singular_values: sv,
    })
}

/// LU decomposition with partial pivoting of a square matrix: (LU packed, permutation, sign).
/// Blocked as LAPACK's `getrf`: each 64-column panel is factored unblocked, then the rows to its
/// right are solved against its unit lower triangle and the trailing matrix is updated by one
/// matrix product. `None` when the matrix is singular (a pivot is zero or negligible next to the
/// matrix's size).
pub fn lu(m: &Array2<f64>) -> Option<(Array2<f64>, Vec<usize>, f64)> {
    let n = m.nrows();
    let (a, perm, sign) = lu_packed(m)?;
    let a = Array2::from_shape_vec((n, n), a).ok()?;
    Some((a, perm, sign))
}

/// `y -= f · x`.
fn axpy(f: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi -= f * xi;
    }
}

/// A row-major view of `rows` × `cols` starting at `data[0]`, rows `stride` apart.
fn view(data: &[f64], rows: usize, cols: usize, stride: usize) -> Option<ArrayView2<'_, f64>> {
    ArrayView2::from_shape((rows, cols).strides((stride, 1)), data).ok()
}

fn view_mut(
    data: &mut [f64],
    rows: usize,
    cols: usize,
    stride: usize,
) -> Option<ArrayViewMut2<'_, f64>> {
    ArrayViewMut2::from_shape((rows, cols).strides((stride, 1)), data).ok()
}

/// The inverse of the b × b diagonal block at (r0, r0) of a packed LU (stride `n`): of its unit
/// lower triangle, or of its upper triangle. Small (b³/6 flops), so that the triangular solves
/// against it become one matrix product each.
fn block_inverse(lu: &[f64], n: usize, r0: usize, b: usize, lower: bool) -> Vec<f64> {
    let at = |i: usize, j: usize| lu[(r0 + i) * n + r0 + j];
    let mut t = vec![0.0; b * b];
    if lower {
        for i in 0..b {
            t[i * b + i] = 1.0;
            for j in 0..i {
                let s: f64 = (j..i).map(|p| at(i, p) * t[p * b + j]).sum();
                t[i * b + j] = -s;
            }
        }
    } else {
        for i in (0..b).rev() {
            let d = at(i, i);
            t[i * b + i] = 1.0 / d;
            for j in i + 1..b {
                let s: f64 = (i + 1..=j).map(|p| at(i, p) * t[p * b + j]).sum();
                t[i * b + j] = -s / d;
            }
        }
    }
    t
}

/// `target` (b rows of width `w`, stride `n`) ← T · target, with T a b × b block inverse.
fn apply_block(t: &[f64], target: &mut [f64], b: usize, w: usize, n: usize) -> Option<()> {
    if w == 0 {
        return Some(());
    }
    let mut tmp = vec![0.0; b * w];
    for r in 0..b {
        tmp[r * w..(r + 1) * w].copy_from_slice(&target[r * n..r * n + w]);
    }
    let tv = view(t, b, b, b)?;
    let src = view(&tmp, b, w, w)?;
    let mut dst = view_mut(target, b, w, n)?;
    general_mat_mul(1.0, &tv, &src, 0.0, &mut dst);
    Some(())
}

/// The blocked LU on a row-major buffer: (packed L\U, permutation, sign).
fn lu_packed(m: &Array2<f64>) -> Option<(Vec<f64>, Vec<usize>, f64)> {
    let n = m.nrows();
    let mut a: Vec<f64> = match m.as_slice() {
        Some(s) => s.to_vec(),
        None => m.iter().copied().collect(),
    };
    let mut perm: Vec<usize> = (0..n).collect();
    let mut sign = 1.0;
    let scale = a.iter().fold(0.0f64, |acc, x| acc.max(x.abs()));
    let tiny = scale * f64::EPSILON * n as f64;
    let mut panel = Vec::new();
    let mut k0 = 0;
    while k0 < n {
        let b = BLOCK.min(n - k0);
        let k1 = k0 + b;
        let h = n - k0;
        // The panel (rows k0..n, columns k0..k1) copied column-major, so that pivot searches and
        // rank-1 updates run down contiguous columns.
        panel.clear();
        panel.resize(b * h, 0.0);
        for c in 0..b {
            for r in 0..h {
                panel[c * h + r] = a[(k0 + r) * n + k0 + c];
            }
        }
        for j in 0..b {
            let col = &panel[j * h..(j + 1) * h];
            let (p, best) = col[j..].iter().enumerate().fold((0, -1.0), |acc, (i, v)| {
                if v.abs() > acc.1 { (i, v.abs()) } else { acc }
            });
            let p = p + j;
            if best <= tiny || best == 0.0 {
                return None;
            }
            if p != j {
                for c in 0..b {
                    panel.swap(c * h + j, c * h + p);
                }
                // Whole rows outside the panel too (the panel's columns are written back below).
                let (lo, hi) = ((k0 + j) * n, (k0 + p) * n);
                let (first, second) = a.split_at_mut(hi);
                first[lo..lo + n].swap_with_slice(&mut second[..n]);
                perm.swap(k0 + j, k0 + p);
                sign = -sign;
            }
            let (left, right) = panel.split_at_mut((j + 1) * h);
            let col = &mut left[j * h..];
            let pivot = col[j];
            for v in &mut col[j + 1..] {
                *v /= pivot;
            }
            for c in 0..b - j - 1 {
                let other = &mut right[c * h..(c + 1) * h];
                let f = other[j];
                if f != 0.0 {
                    axpy(f, &col[j + 1..], &mut other[j + 1..]);
                }
            }
        }
        for c in 0..b {
            for r in 0..h {
                a[(k0 + r) * n + k0 + c] = panel[c * h + r];
            }
        }
        if k1 < n {
            // U12 = L11⁻¹ A12, one product with the small triangle's inverse.
            let t = block_inverse(&a, n, k0, b, true);
            apply_block(&t, &mut a[k0 * n + k1..], b, n - k1, n)?;
            // A22 -= L21 · U12, one product through the GEMM kernel; L21 is read from the
            // column-major panel.
            let (top, bottom) = a.split_at_mut(k1 * n);
            let l21 = ArrayView2::from_shape((h - b, b).strides((1, h)), &panel[b..]).ok()?;
            let u12 = view(&top[k0 * n + k1..], b, n - k1, n)?;
            let mut a22 = view_mut(&mut bottom[k1..], n - k1, n - k1, n)?;
            general_mat_mul(-1.0, &l21, &u12, 1.0, &mut a22);
        }
        k0 = k1;
    }
    Some((a, perm, sign))
}

fn square(field: &str, m: &Array2<f64>) -> Result<usize> {
    if m.nrows() != m.ncols() {
        return Err(MathError::invalid(
            field,
            format!("must be square; it is {} × {}", m.nrows(), m.ncols()),
        ));
    }
    Ok(m.nrows())
}

/// Determinant (0 for a singular matrix).
pub fn determinant(m: &Array2<f64>) -> Result<f64> {
    let n = square("matrix", m)?;
    Ok(match lu(m) {
        None => 0.0,
        Some((a, _, sign)) => (0..n).map(|i| a[[i, i]]).product::<f64>() * sign,
    })
}

fn lu_solve(a: &Array2<f64>, perm: &[usize], b: &[f64]) -> Vec<f64> {
    let n = a.nrows();
    let mut y: Vec<f64> = perm.iter().map(|&p| b[p]).collect();
    for i in 0..n {
        for k in 0..i {
            y[i] -= a[[i, k]] * y[k];
        }
    }
    for i in (0..n).rev() {
        for k in i + 1..n {
            y[i] -= a[[i, k]] * y[k];
        }
        y[i] /= a[[i, i]];
    }
    y
}

fn singular(field: &str) -> MathError {
    MathError::no_answer(
        field,
        "is singular (or numerically so: a pivot vanished), so it has no inverse and A x = b has no unique solution",
    )
}

/// Inverse from the blocked LU, as LAPACK's `getrf` + `getrs` with the identity on the right:
/// X = U⁻¹ · L⁻¹ · P, both triangular solves blocked so that their updates are matrix products.
pub fn inverse(m: &Array2<f64>) -> Result<Array2<f64>> {
    let n = square("matrix", m)?;
    let (lu, perm, _) = lu_packed(m).ok_or_else(|| singular("matrix"))?;
    let internal = || MathError::no_answer("matrix", "internal shape error");
    // Z = L⁻¹ (unit lower triangular, so its block row i0..i1 lives in columns 0..i1), block
    // row by block row; then X = U⁻¹ Z, and inv(A) = X·P (columns permuted back), as LAPACK's
    // `getri` arranges it: 2n³ flops in all, most of them in matrix products.
    let mut x = vec![0.0f64; n * n];
    for k in 0..n {
        x[k * n + k] = 1.0;
    }
    let mut i0 = 0;
    while i0 < n {
        let i1 = (i0 + BLOCK).min(n);
        let (done, rest) = x.split_at_mut(i0 * n);
        let target = &mut rest[..(i1 - i0) * n];
        if i0 > 0 {
            let l = view(&lu[i0 * n..], i1 - i0, i0, n).ok_or_else(internal)?;
            let done = view(done, i0, i0, n).ok_or_else(internal)?;
            let mut t = view_mut(target, i1 - i0, i0, n).ok_or_else(internal)?;
            general_mat_mul(-1.0, &l, &done, 1.0, &mut t);
        }
        let t = block_inverse(&lu, n, i0, i1 - i0, true);
        apply_block(&t, target, i1 - i0, i1, n).ok_or_else(internal)?;
        i0 = i1;
    }
    // U X = Y, from the last block row up.
    let mut i1 = n;
    while i1 > 0 {
        let i0 = i1.saturating_sub(BLOCK);
        let (head, done) = x.split_at_mut(i1 * n);
        let target = &mut head[i0 * n..];
        if i1 < n {
            let u = view(&lu[i0 * n + i1..], i1 - i0, n - i1, n).ok_or_else(internal)?;
            let done = view(done, n - i1, n, n).ok_or_else(internal)?;
            let mut t = view_mut(target, i1 - i0, n, n).ok_or_else(internal)?;
            general_mat_mul(-1.0, &u, &done, 1.0, &mut t);
        }
        let t = block_inverse(&lu, n, i0, i1 - i0, false);
        apply_block(&t, target, i1 - i0, n, n).ok_or_else(internal)?;
        i1 = i0;
    }
    let mut inv = Array2::<f64>::zeros((n, n));
    for (j, &p) in perm.iter().enumerate() {
        for i in 0..n {
            inv[[i, p]] = x[i * n + j];
        }
    }
    Ok(inv)
}

/// Solve a x = b.
pub fn solve(m: &Array2<f64>, b: &[f64]) -> Result<Vec<f64>> {
    let n = square("a", m)?;
    if b.len() != n {
        return Err(MathError::invalid(
            "b",
            format!("has {} entries; a is {n} × {n}, so b needs {n}", b.len()),
        ));
    }
    let (a, perm, _) = lu(m).ok_or_else(|| singular("a"))?;
    Ok(lu_solve(&a, &perm, b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use flowforge_kit::DomainError;

    fn m(r: &[&[f64]]) -> Array2<f64> {
        parse("m", &r.iter().map(|x| x.to_vec()).collect::<Vec<_>>(), 100).unwrap()
    }

    #[test]
    fn blocked_paths_agree_with_nalgebra_across_block_edges() {
        // Sizes below, at and across the 64-wide panels, including a ragged last panel.
        for n in [63, 64, 65, 130, 201] {
            let mut x: u64 = 0x9e37_79b9_7f4a_7c15 ^ n as u64;
            let a = Array2::from_shape_fn((n, n), |_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % 20_000) as f64 / 10_000.0 - 1.0
            });
            let na = nalgebra::DMatrix::from_fn(n, n, |i, j| a[[i, j]]);
            let want = na.clone().try_inverse().unwrap();
            let got = inverse(&a).unwrap();
            let scale = want.abs().max();
            for i in 0..n {
                for j in 0..n {
                    assert!(
                        (got[[i, j]] - want[(i, j)]).abs() <= 1e-9 * scale,
                        "n = {n}: inverse[{i}][{j}] {} vs {}",
                        got[[i, j]],
                        want[(i, j)]
                    );
                }
            }
            let (d, dn) = (determinant(&a).unwrap(), na.determinant());
            assert!(
                (d - dn).abs() <= 1e-9 * dn.abs(),
                "n = {n}: det {d} vs {dn}"
            );
            let b: Vec<f64> = (0..n).map(|i| i as f64 - 3.0).collect();
            let xs = solve(&a, &b).unwrap();
            for i in 0..n {
                let r: f64 = (0..n).map(|j| a[[i, j]] * xs[j]).sum::<f64>() - b[i];
                assert!(r.abs() < 1e-8, "n = {n}: residual {r}");
            }
        }
    }

    #[test]
    fn the_documented_examples() {
        let p = multiply(
            &m(&[&[1.0, 2.0], &[3.0, 4.0]]),
            &m(&[&[5.0, 6.0], &[7.0, 8.0]]),
        )
        .unwrap();
        assert_eq!(rows(&p), vec![vec![19.0, 22.0], vec![43.0, 50.0]]);
        assert!((determinant(&m(&[&[1.0, 2.0], &[3.0, 4.0]])).unwrap() + 2.0).abs() < 1e-12);
        let inv = inverse(&m(&[&[4.0, 7.0], &[2.0, 6.0]])).unwrap();
        assert!((inv[[0, 0]] - 0.6).abs() < 1e-12 && (inv[[1, 0]] + 0.2).abs() < 1e-12);
    }

    #[test]
    fn a_singular_matrix_is_a_clear_no_answer() {
        let e = inverse(&m(&[&[1.0, 2.0], &[2.0, 4.0]])).unwrap_err();
        assert_eq!(e.kind(), flowforge_kit::Kind::Unprocessable);
        assert_eq!(determinant(&m(&[&[1.0, 2.0], &[2.0, 4.0]])).unwrap(), 0.0);
        let e = parse("a", &[vec![1.0, 2.0], vec![3.0]], 10).unwrap_err();
        assert_eq!(e.field(), "a[1]");
    }
}
