"""Reference values for the math service's tests, from NumPy and SciPy.

    python3 services/math/testdata/generate.py > services/math/testdata/reference.json

The inputs are fixed (seeded), so re-running gives the same file for the same NumPy/SciPy.
"""
import json

import numpy as np
from scipy import stats

rng = np.random.default_rng(20261124)
methods = ["linear", "lower", "higher", "nearest", "midpoint", "hazen", "weibull",
           "median_unbiased", "normal_unbiased", "interpolated_inverted_cdf"]
out = {"numpy": np.__version__, "scipy": __import__("scipy").__version__, "describe": [], "ttest": [], "matrix": []}

samples = [
    [1, 2, 3, 4],
    [2.5, -1.25, 3.75, 10.0, 0.5, 2.5, 7.125],
    rng.normal(100, 15, 1001).tolist(),
    rng.exponential(3.0, 250).tolist(),
    rng.integers(0, 10, 97).astype(float).tolist(),
]
for x in samples:
    a = np.asarray(x)
    pct = [0, 5, 12.5, 25, 50, 66.6, 90, 99, 100]
    out["describe"].append({
        "values": x,
        "mean": float(a.mean()), "sum": float(a.sum()), "median": float(np.median(a)),
        "variance": float(a.var(ddof=1)), "std": float(a.std(ddof=1)),
        "populationVariance": float(a.var()), "populationStd": float(a.std()),
        "skewness": float(stats.skew(a)), "kurtosis": float(stats.kurtosis(a)),
        "mode": float(stats.mode(a, keepdims=False).mode),
        "geometricMean": float(stats.gmean(a)) if (a > 0).all() else None,
        "harmonicMean": float(stats.hmean(a)) if (a > 0).all() else None,
        "percentiles": {m: [float(np.percentile(a, p, method=m)) for p in pct] for m in methods},
        "pct": pct,
    })

for n1, n2 in [(5, 6), (30, 25), (200, 180)]:
    a = rng.normal(0, 1, n1)
    b = rng.normal(0.3, 2, n2)
    w = stats.ttest_ind(a, b, equal_var=False)
    o = stats.ttest_1samp(a, 0.1)
    m = min(n1, n2)
    p = stats.ttest_rel(a[:m], b[:m])
    out["ttest"].append({
        "a": a.tolist(), "b": b.tolist(), "mu": 0.1,
        "welch": [float(w.statistic), float(w.pvalue), float(w.df)],
        "oneSample": [float(o.statistic), float(o.pvalue), float(o.df)],
        "paired": [float(p.statistic), float(p.pvalue), float(p.df)],
    })

for n in [2, 3, 7, 40]:
    a = rng.normal(0, 1, (n, n))
    b = rng.normal(0, 1, (n, n))
    v = rng.normal(0, 1, n)
    out["matrix"].append({
        "a": a.tolist(), "b": b.tolist(), "v": v.tolist(),
        "product": (a @ b).tolist(), "det": float(np.linalg.det(a)),
        "inverse": np.linalg.inv(a).tolist(), "solve": np.linalg.solve(a, v).tolist(),
    })

print(json.dumps(out))
