"""Coding tasks for A5: one fitted pipeline behind training and serving, and a skew check."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A
from ._common import scalar

FEATURES = ["plan", "country", "support_tier", "tenure_months", "monthly_spend", "seats"]


def churn_preprocessor():
    """The preprocessing of A5: impute and scale numbers; fill missing categories, one-hot them (unknowns ignored)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    return ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), ["tenure_months", "monthly_spend", "seats"]),
        ("cat", make_pipeline(SimpleImputer(strategy="constant", fill_value="missing"),
                              OneHotEncoder(handle_unknown="ignore", sparse_output=False)), ["plan", "country", "support_tier"]),
    ])


def churn_pipeline():
    """Preprocessing and a logistic regression in one Pipeline: the single artefact that is deployed."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([("prep", churn_preprocessor()), ("model", LogisticRegression(max_iter=1000))])


# --- A5a: serve one request with the training pipeline ---------------------------------------------

def _request_data(seed: int) -> dict:
    from .data import load_customers

    X, y = load_customers(n=600, seed=400 + seed)
    X = X[FEATURES]
    pipe = churn_pipeline().fit(X.iloc[:500], y[:500])
    row = X.iloc[500 + seed]
    request = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
    del request["monthly_spend"]                     # an optional field the client did not send
    request["request_id"] = f"req-{seed:04d}"        # metadata the model does not use
    request = dict(reversed(list(request.items())))  # JSON objects have no column order
    return {"pipeline": pipe, "request": request}


def reference_predict_one(pipeline, request):
    import pandas as pd

    row = {c: (np.nan if request.get(c) is None else request[c]) for c in pipeline.feature_names_in_}
    return float(pipeline.predict_proba(pd.DataFrame([row], columns=list(pipeline.feature_names_in_)))[0, 1])


def _predict_one_correct(fn, data):
    pipe, request = data["pipeline"], data["request"]
    before = dict(request)
    p = scalar(call(fn, pipe, request), "predict_one(pipeline, request)")
    expect(request == before, "predict_one changed the request dict it was given: build a new row instead.")
    expect(0.0 <= p <= 1.0, "predict_one should return the probability of churn, a number between 0 and 1.")
    expect(abs(p - reference_predict_one(pipe, request)) < 1e-9,
           "The probability differs from what the training pipeline gives for this row: put every column of "
           "pipeline.feature_names_in_ in one row (a field the request lacks becomes NaN, extra fields are dropped) "
           "and return predict_proba(row)[0, 1].")


# --- A5b: training/serving skew between logged and recomputed features ----------------------------

def _skew_data(seed: int) -> dict:
    from .data import load_customers

    X, _ = load_customers(n=700, seed=500 + seed)
    X = X[FEATURES]
    prep = churn_preprocessor().fit(X.iloc[:500])
    raw = X.iloc[500:].reset_index(drop=True)
    served = np.asarray(prep.transform(raw), dtype=float).copy()
    names = list(prep.get_feature_names_out())
    rng = np.random.default_rng(seed)
    # Bug 1: the online service scales tenure with a stale mean, so every row is off.
    served[:, names.index("num__tenure_months")] += 0.15
    # Bug 2: the online service fills missing spend with 0 instead of the training median.
    spend = names.index("num__monthly_spend")
    missing = raw["monthly_spend"].isna().to_numpy()
    scaler = prep.named_transformers_["num"][-1]
    served[missing, spend] = (0.0 - scaler.mean_[1]) / scaler.scale_[1]
    # Bug 3: a few rows lost their country one-hot (a lookup table missing "BR").
    br = (raw["country"] == "BR").to_numpy() & (rng.random(len(raw)) < 0.5)
    served[br, names.index("cat__country_BR")] = 0.0
    # Rounding when logging (float32) is not skew.
    served = served.astype(np.float32).astype(float)
    return {"preprocessor": prep, "raw": raw, "served": served, "atol": 1e-4}


def reference_skew(preprocessor, raw, served, atol=1e-6):
    offline = preprocessor.transform(raw)
    offline = np.asarray(offline.toarray() if hasattr(offline, "toarray") else offline, dtype=float)
    served = np.asarray(served, dtype=float)
    if offline.shape != served.shape:
        raise ValueError(f"served features have shape {served.shape}, the pipeline makes {offline.shape}")
    same = np.isclose(offline, served, rtol=0.0, atol=atol, equal_nan=True)
    return {name: float(1.0 - same[:, j].mean()) for j, name in enumerate(preprocessor.get_feature_names_out())}


def _skew_correct(fn, data):
    d = data
    result = call(fn, d["preprocessor"], d["raw"], d["served"], atol=d["atol"])
    if not isinstance(result, dict):
        raise CheckFailure(f"serving_skew should return a dict {{feature name: mismatch rate}}, got {type(result).__name__}.")
    names = list(d["preprocessor"].get_feature_names_out())
    expect(sorted(map(str, result)) == sorted(names),
           "The keys should be the pipeline's output feature names, all of them: preprocessor.get_feature_names_out().")
    ref = reference_skew(**d)
    for name in names:
        rate = scalar(result[name], f"The mismatch rate of {name}")
        expect(0.0 <= rate <= 1.0, f"The mismatch rate of {name} should be a share of rows, between 0 and 1.")
    flagged = [n for n in names if ref[n] == 0.0 and scalar(result[n], n) > 0]
    if flagged:
        raise CheckFailure(f"{flagged[0]} is flagged although its logged values agree with the pipeline within atol: "
                           "compare with a tolerance (np.isclose with atol) because logging rounds values.")
    wrong = [n for n in names if abs(scalar(result[n], n) - ref[n]) > 1e-9]
    if wrong:
        raise CheckFailure(f"The mismatch rate of {wrong[0]} is wrong on the visible example: recompute the features with "
                           "preprocessor.transform(raw) and count, per column, the share of rows that differ by more than atol.")


TASKS = [
    Task(
        id="predict_one_request",
        assignment=A,
        question="A5",
        title="Serve one JSON request with the fitted training pipeline",
        function="predict_one",
        points=2,
        hints=(
            "The fitted pipeline already holds every preprocessing step and remembers the columns it was trained "
            "on, in `pipeline.feature_names_in_`. Serving only has to turn the request into a one-row table.",
            "Build a dict {column: value} over pipeline.feature_names_in_, with np.nan for a column the request does "
            "not have (or has as None); fields that are not columns are left out.",
            "`pd.DataFrame([row], columns=list(pipeline.feature_names_in_))`, then "
            "`float(pipeline.predict_proba(frame)[0, 1])`.",
        ),
        checks=(_predict_one_correct,),
        make_data=_request_data,
    ),
    Task(
        id="serving_skew",
        assignment=A,
        question="A5",
        title="Detect training/serving skew in logged features",
        function="serving_skew",
        points=3,
        hints=(
            "The training pipeline is the reference: run the raw rows the service received through "
            "preprocessor.transform and compare, cell by cell, with the features the service logged.",
            "Make both dense float arrays of the same shape (raise ValueError if the shapes differ), then "
            "np.isclose(offline, served, rtol=0, atol=atol, equal_nan=True) marks the cells that agree.",
            "The mismatch rate of column j is 1 - agree[:, j].mean(); return "
            "{name: rate for name, rate in zip(preprocessor.get_feature_names_out(), rates)}.",
        ),
        checks=(_skew_correct,),
        make_data=_skew_data,
    ),
]
