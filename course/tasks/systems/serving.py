"""Coding tasks for A5: one fitted pipeline behind training and serving, and a skew check."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, call, expect, scalar
from .._task import Task
from . import A

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
    from ...datasets.systems import load_customers

    X, y = load_customers(n=600, seed=400 + seed)
    X = X[FEATURES]
    pipe = churn_pipeline().fit(X.iloc[:500], y[:500])
    row = X.iloc[500 + seed % 100]                   # any seed: 100 rows are held out
    request = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
    del request["monthly_spend"]                     # an optional field the client did not send
    request["request_id"] = f"req-{seed:04d}"        # metadata the model does not use
    request = dict(reversed(list(request.items())))  # JSON objects have no column order
    return {"pipeline": pipe, "request": request}


# Three customers written out by hand: a complete one, one without monthly_spend (NaN in the table, an
# absent field in the request) and one from a country the pipeline never saw.
_CUSTOMERS = [
    {"plan": "pro", "country": "FR", "support_tier": "gold", "tenure_months": 14, "monthly_spend": 85.0, "seats": 3},
    {"plan": "basic", "country": "US", "support_tier": "bronze", "tenure_months": 3, "monthly_spend": float("nan"), "seats": 1},
    {"plan": "team", "country": "JP", "support_tier": "silver", "tenure_months": 40, "monthly_spend": 260.0, "seats": 9},
]


def _predict_one_correct(fn, data):
    import pandas as pd

    pipe, request = data["pipeline"], data["request"]
    before = dict(request)
    p = scalar(call(fn, pipe, request), "predict_one(pipeline, request)")
    expect(request == before, "predict_one changed the request dict it was given: build a new row instead.")
    expect(0.0 <= p <= 1.0, "predict_one should return the probability of churn, a number between 0 and 1.")
    reordered = dict(sorted(request.items()))
    expect(abs(scalar(call(fn, pipe, reordered), "predict_one on the same request, keys in another order") - p) < 1e-12,
           "The order of the request's fields changed the probability: a JSON object has no order, so place each "
           "value in the column of pipeline.feature_names_in_ that has its name.")
    absent = [c for c in pipe.feature_names_in_ if c not in request]
    with_none = dict(request, **{c: None for c in absent})
    expect(abs(scalar(call(fn, pipe, with_none), "predict_one with None for the absent fields") - p) < 1e-12,
           "A field sent as None (JSON null) should be treated like an absent field: both become NaN in the row.")
    # The pipeline scores a table of hand-written customers in one batch; one request at a time must agree.
    table = pd.DataFrame(_CUSTOMERS, columns=list(pipe.feature_names_in_))
    batch = pipe.predict_proba(table)[:, 1]
    for i, customer in enumerate(_CUSTOMERS):
        req = {k: v for k, v in reversed(list(customer.items())) if not (isinstance(v, float) and np.isnan(v))}
        req["client_version"] = "2.3.1"
        got = scalar(call(fn, pipe, req), "predict_one on a hand-written request")
        expect(abs(got - batch[i]) < 1e-9,
               "The probability differs from what the training pipeline gives for the same customer in a table: put "
               "every column of pipeline.feature_names_in_ in one row (a field the request lacks becomes NaN, extra "
               "fields are dropped) and return predict_proba(row)[0, 1].")


# --- A5b: training/serving skew between logged and recomputed features ----------------------------

def _skew_data(seed: int) -> dict:
    from ...datasets.systems import load_customers

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


def _planted_skew(preprocessor, raw, served) -> dict:
    """The mismatch rate of every column, known from the bugs ``_skew_data`` plants (float32 rounding is none)."""
    names = list(preprocessor.get_feature_names_out())
    rates = dict.fromkeys(names, 0.0)
    rates["num__tenure_months"] = 1.0                                        # stale mean: every row
    rates["num__monthly_spend"] = float(raw["monthly_spend"].isna().mean())   # missing spend filled with 0
    lost = (raw["country"] == "BR").to_numpy() & (served[:, names.index("cat__country_BR")] == 0)
    rates["cat__country_BR"] = float(lost.mean())                             # one-hot of BR lost
    return rates


def _skew_rates(fn, d, served, atol, what):
    result = call(fn, d["preprocessor"], d["raw"], served, atol=atol)
    if not isinstance(result, dict):
        raise CheckFailure(f"serving_skew should return a dict {{feature name: mismatch rate}}, got {type(result).__name__}.")
    names = list(d["preprocessor"].get_feature_names_out())
    expect(sorted(map(str, result)) == sorted(names),
           "The keys should be the pipeline's output feature names, all of them: preprocessor.get_feature_names_out().")
    rates = {}
    for name in names:
        rates[name] = scalar(result[name], f"The mismatch rate of {name}{what}")
        expect(0.0 <= rates[name] <= 1.0, f"The mismatch rate of {name} should be a share of rows, between 0 and 1.")
    return rates


def _skew_correct(fn, data):
    d = data
    rates = _skew_rates(fn, d, d["served"], d["atol"], "")
    want = _planted_skew(d["preprocessor"], d["raw"], d["served"])
    flagged = [n for n in want if want[n] == 0.0 and rates[n] > 0]
    if flagged:
        raise CheckFailure(f"{flagged[0]} is flagged although its logged values agree with the pipeline within atol: "
                           "compare with a tolerance (np.isclose with atol) because logging rounds values.")
    wrong = [n for n in want if abs(rates[n] - want[n]) > 1e-9]
    if wrong:
        raise CheckFailure(f"The mismatch rate of {wrong[0]} is wrong on the visible example: recompute the features with "
                           "preprocessor.transform(raw) and count, per column, the share of rows that differ by more than atol.")
    # Logs that hold exactly what the pipeline computes have no skew; a column changed on k rows has rate k / n.
    clean = np.asarray(d["preprocessor"].transform(d["raw"]), dtype=float)
    expect(all(v == 0.0 for v in _skew_rates(fn, d, clean, d["atol"], " (clean logs)").values()),
           "Logged features equal to preprocessor.transform(raw) should give a mismatch rate of 0 everywhere.")
    names = list(d["preprocessor"].get_feature_names_out())
    j, k = names.index("cat__plan_basic"), 7
    changed = clean.copy()
    changed[np.flatnonzero(clean[:, j] == 1.0)[:k], j] += 10 * d["atol"]    # 1 -> 1 + 10·atol: off by more than atol
    moved = _skew_rates(fn, d, changed, d["atol"], " (one column changed)")
    expect(abs(moved[names[j]] - k / len(clean)) < 1e-12 and all(moved[n] == 0.0 for n in names if n != names[j]),
           f"After changing column {names[j]} on {k} rows by more than atol, its mismatch rate should be the share of "
           "those rows and every other rate 0.")


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
