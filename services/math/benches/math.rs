//! Criterion benchmarks of the math service's kernels: 500 × 500 multiply and inverse, describe
//! of 1,000,000 values, and an expression over 10,000 variable sets. NumPy's in-process figures
//! for the same sizes are printed by bench/math-http.sh; both are in docs/performance.md.

#![allow(missing_docs)] // criterion_group! generates an undocumented function
#![allow(clippy::unwrap_used)] // fixed, valid inputs

use std::collections::HashMap;

use criterion::{Criterion, criterion_group, criterion_main};
use flowforge_math::{expr, matrix, stats};

fn data(n: usize, seed: u64) -> Vec<f64> {
    // A fixed pseudo-random sequence (xorshift), so runs compare.
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 10_000) as f64 / 100.0 - 50.0
        })
        .collect()
}

fn kernels(c: &mut Criterion) {
    let rows = |seed| -> Vec<Vec<f64>> {
        data(250_000, seed)
            .chunks(500)
            .map(<[f64]>::to_vec)
            .collect()
    };
    let a = matrix::parse("a", &rows(1), 2000).unwrap();
    let b = matrix::parse("b", &rows(2), 2000).unwrap();
    let mut g = c.benchmark_group("matrix-500");
    g.sample_size(10);
    g.bench_function("multiply", |bch| {
        bch.iter(|| matrix::multiply(&a, &b).unwrap())
    });
    g.bench_function("inverse", |bch| bch.iter(|| matrix::inverse(&a).unwrap()));
    g.finish();
    let values = data(1_000_000, 3);
    let mut g = c.benchmark_group("statistics");
    g.sample_size(10);
    g.bench_function("describe-1M", |bch| {
        bch.iter(|| stats::describe(&values, &[], stats::PercentileMethod::Linear).unwrap())
    });
    g.finish();
    let lim = expr::ExprLimits::default();
    let e = expr::parse("x^2 + 3*y - sqrt(x)", lim).unwrap();
    let sets: Vec<HashMap<String, f64>> = data(20_000, 4)
        .chunks(2)
        .map(|p| HashMap::from([("x".to_string(), p[0].abs() + 1.0), ("y".to_string(), p[1])]))
        .collect();
    c.bench_function("evaluate-10k-sets", |bch| {
        bch.iter(|| {
            sets.iter()
                .map(|v| expr::eval(&e, v, &lim).unwrap())
                .sum::<f64>()
        })
    });
}

criterion_group!(benches, kernels);
criterion_main!(benches);
