"""The peer for the math benchmark: the same four operations as a FastAPI + NumPy service (the
original design's Python stack), JSON in and out.

    uvicorn --workers 2 --app-dir bench math_fastapi:app --port 3921
"""
import math

import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import ORJSONResponse
from scipy import stats

app = FastAPI(default_response_class=ORJSONResponse)


@app.post("/api/v1/math/matrix/multiply")
async def multiply(req: Request):
    body = await req.json()
    return {"result": (np.asarray(body["a"], dtype=float) @ np.asarray(body["b"], dtype=float)).tolist()}


@app.post("/api/v1/math/matrix/inverse")
async def inverse(req: Request):
    body = await req.json()
    return {"result": np.linalg.inv(np.asarray(body["matrix"], dtype=float)).tolist()}


@app.post("/api/v1/math/statistics/describe")
async def describe(req: Request):
    a = np.asarray((await req.json())["values"], dtype=float)
    q1, med, q3 = np.percentile(a, [25, 50, 75])
    sd = float(a.std(ddof=1))
    return {"count": int(a.size), "sum": float(a.sum()), "mean": float(a.mean()), "median": float(med),
            "min": float(a.min()), "max": float(a.max()), "variance": float(a.var(ddof=1)), "std": sd,
            "populationVariance": float(a.var()), "populationStd": float(a.std()), "q1": float(q1), "q3": float(q3),
            "iqr": float(q3 - q1), "skewness": float(stats.skew(a)), "kurtosis": float(stats.kurtosis(a)),
            "standardError": sd / math.sqrt(a.size)}


@app.post("/api/v1/math/evaluate")
async def evaluate(req: Request):
    # What a NumPy service would do: vectorise the expression over the variable sets.
    body = await req.json()
    sets = body["variableSets"]
    x = np.array([s["x"] for s in sets], dtype=float)
    y = np.array([s["y"] for s in sets], dtype=float)
    return {"results": (x ** 2 + 3 * y - np.sqrt(x)).tolist(), "expression": body["expression"]}
