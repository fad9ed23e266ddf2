//! Matrices: multiply (ndarray's blocked, vectorised kernel), transpose, determinant, inverse and
//! solve through LU with partial pivoting. A singular matrix is a clear 422, never garbage.

use ndarray::Array2;

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

/// LU decomposition with partial pivoting of a square matrix: (LU packed, permutation, sign).
/// `None` when the matrix is singular (a pivot is zero or negligible next to the matrix's size).
pub fn lu(m: &Array2<f64>) -> Option<(Array2<f64>, Vec<usize>, f64)> {
    let n = m.nrows();
    let mut a = m.clone();
    let mut perm: Vec<usize> = (0..n).collect();
    let mut sign = 1.0;
    let scale = m.iter().fold(0.0f64, |acc, x| acc.max(x.abs()));
    let tiny = scale * f64::EPSILON * n as f64;
    for k in 0..n {
        let (p, best) = (k..n)
            .map(|i| (i, a[[i, k]].abs()))
            .fold((k, -1.0), |acc, x| if x.1 > acc.1 { x } else { acc });
        if best <= tiny || best == 0.0 {
            return None;
        }
        if p != k {
            for j in 0..n {
                a.swap([k, j], [p, j]);
            }
            perm.swap(k, p);
            sign = -sign;
        }
        let pivot = a[[k, k]];
        for i in k + 1..n {
            let f = a[[i, k]] / pivot;
            a[[i, k]] = f;
            if f != 0.0 {
                for j in k + 1..n {
                    let v = a[[k, j]];
                    a[[i, j]] -= f * v;
                }
            }
        }
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

/// Inverse, by Gauss-Jordan elimination with partial pivoting on [A | I]: every inner loop is a
/// whole-row `axpy` over contiguous memory, which the compiler vectorises.
pub fn inverse(m: &Array2<f64>) -> Result<Array2<f64>> {
    let n = square("matrix", m)?;
    let w = 2 * n;
    let mut aug = vec![0.0f64; n * w];
    for i in 0..n {
        for j in 0..n {
            aug[i * w + j] = m[[i, j]];
        }
        aug[i * w + n + i] = 1.0;
    }
    let scale = m.iter().fold(0.0f64, |acc, x| acc.max(x.abs()));
    let tiny = scale * f64::EPSILON * n as f64;
    for k in 0..n {
        let (p, best) = (k..n)
            .map(|i| (i, aug[i * w + k].abs()))
            .fold((k, -1.0), |acc, x| if x.1 > acc.1 { x } else { acc });
        if best <= tiny || best == 0.0 {
            return Err(singular("matrix"));
        }
        if p != k {
            let (top, bottom) = aug.split_at_mut(p * w);
            top[k * w..k * w + w].swap_with_slice(&mut bottom[..w]);
        }
        let pivot = aug[k * w + k];
        for v in &mut aug[k * w..k * w + w] {
            *v /= pivot;
        }
        let pivot_row: Vec<f64> = aug[k * w + k..k * w + w].to_vec();
        for i in 0..n {
            if i == k {
                continue;
            }
            let f = aug[i * w + k];
            if f != 0.0 {
                let row = &mut aug[i * w + k..i * w + w];
                for (r, p) in row.iter_mut().zip(&pivot_row) {
                    *r -= f * p;
                }
            }
        }
    }
    let mut inv = Array2::<f64>::zeros((n, n));
    for i in 0..n {
        for j in 0..n {
            inv[[i, j]] = aug[i * w + n + j];
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

    fn m(r: &[&[f64]]) -> Array2<f64> {
        parse("m", &r.iter().map(|x| x.to_vec()).collect::<Vec<_>>(), 100).unwrap()
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
        assert!(e.unprocessable);
        assert_eq!(determinant(&m(&[&[1.0, 2.0], &[2.0, 4.0]])).unwrap(), 0.0);
        let e = parse("a", &[vec![1.0, 2.0], vec![3.0]], 10).unwrap_err();
        assert_eq!(e.field, "a[1]");
    }
}
