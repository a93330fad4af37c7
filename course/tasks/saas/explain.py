"""Coding tasks of assignment 4 for Z3: exact SHAP values of a linear model, and reasons in plain words."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._expect import CheckFailure, as_array, call, expect, expect_close
from .._task import Task
from . import A
from ._common import scalar, unpack

LINEAR_FEATURES = ["seats", "tenure_months", "logins", "modules_used", "monthly_revenue"]
REASON_LABELS = {
    "logins": "logins",
    "days_since_last_login": "days since the last login",
    "support_tickets": "support tickets",
    "tenure_months": "months as a customer",
    "modules_used": "modules in use",
    "csat": "satisfaction points",
    "seats": "seats",
}
SENTENCE = re.compile(r"^(more|fewer) (.+) than (\d+)% of accounts (raised|lowered) the churn risk$")


# --- Z3: SHAP values of a linear model, exactly -------------------------------------------------------

def _linear_data(seed: int) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from course.datasets.saas import load_saas_accounts

    df = load_saas_accounts(n_accounts=300, n_months=3, seed=seed)
    X, y = df[LINEAR_FEATURES].astype(float), df["churned"]
    raw = LogisticRegression(max_iter=5000).fit(X, y)
    scaled = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, y)
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(X), size=5, replace=False)
    return {"models": [scaled, raw], "X_background": X.iloc[:400], "X": X.iloc[rows]}


def effective_linear(model):
    """Weights and intercept of the log-odds of a LogisticRegression, alone or after a StandardScaler."""
    from sklearn.pipeline import Pipeline

    if isinstance(model, Pipeline):
        scaler, lr = model[0], model[-1]
        w = lr.coef_[0] / scaler.scale_
        return w, float(lr.intercept_[0] - w @ scaler.mean_)
    return model.coef_[0], float(model.intercept_[0])


def reference_linear_shap(model, X_background, X):
    """Interventional SHAP values of a linear model: w_j (x_j - mean_j), and the base value f(mean)."""
    w, b = effective_linear(model)
    mu = np.asarray(X_background, dtype=float).mean(axis=0)
    return w * (np.asarray(X, dtype=float) - mu), float(b + w @ mu)


def _linear_match(fn, data):
    Xb, X = data["X_background"], data["X"]
    for model in data["models"]:
        kind = "a Pipeline(StandardScaler, LogisticRegression)" if hasattr(model, "steps") else "a bare LogisticRegression"
        phi, base = unpack(call(fn, model, Xb, X), 2, "linear_shap")
        phi = as_array(phi, "The SHAP values", ndim=2)
        base = scalar(base, "The base value")
        expect(phi.shape == X.shape, f"The SHAP values should have one row per row of X and one column per feature: shape {X.shape}, got {phi.shape}.")
        logit = model.decision_function(X)
        expect(np.allclose(base + phi.sum(axis=1), logit, atol=1e-6),
               f"For {kind}, base + the sum of a row's SHAP values should equal the model's log-odds "
               "(decision_function) for that row: SHAP values are additive.")
        ref_phi, ref_base = reference_linear_shap(model, Xb, X)
        expect_close(base, ref_base, f"The base value for {kind}", rtol=1e-6, atol=1e-6,
                     hint="It is the model's log-odds at the mean of the background data.")
        expect_close(phi, ref_phi, f"The SHAP values for {kind}", rtol=1e-6, atol=1e-6,
                     hint="A feature's contribution is measured from the background mean, not from zero; for a "
                          "pipeline, the weight on the original scale is the coefficient divided by the scaler's scale_.")


# --- Z3: the top reasons as sentences -------------------------------------------------------------

def _reasons_data(seed: int) -> dict:
    from course.datasets.saas import load_saas_accounts

    df = load_saas_accounts(n_accounts=300, n_months=2, seed=seed)
    features = list(REASON_LABELS)
    X_ref = df[features]
    rng = np.random.default_rng(seed)
    while True:   # an account and SHAP values whose top three mix both signs, the second one negative
        row = X_ref.iloc[int(rng.integers(len(X_ref)))]
        shap_row = pd.Series(np.round(rng.normal(0, 0.4, size=len(features)), 4), index=features)
        top = shap_row.abs().sort_values(ascending=False, kind="stable").index[:3]
        if shap_row[top[0]] > 0 and shap_row[top[1]] < 0 and np.isfinite(row[top]).all():
            break
    return {"shap_row": shap_row, "x_row": row, "X_reference": X_ref, "labels": dict(REASON_LABELS), "k": 3}


def reference_reasons(shap_row, x_row, X_reference, labels, k=3):
    """The ``k`` largest SHAP values of one prediction as sentences."""
    nonzero = [f for f in shap_row.index if shap_row[f] != 0]
    order = sorted(nonzero, key=lambda f: (-abs(shap_row[f]), nonzero.index(f)))[:k]
    out = []
    for f in order:
        verb = "raised" if shap_row[f] > 0 else "lowered"
        x = x_row[f]
        if pd.isna(x):
            out.append(f"missing {labels[f]} {verb} the churn risk")
            continue
        ref = X_reference[f].dropna().to_numpy(dtype=float)
        below, above = np.mean(ref < x), np.mean(ref > x)
        if above > below:
            out.append(f"fewer {labels[f]} than {round(100 * above)}% of accounts {verb} the churn risk")
        else:
            out.append(f"more {labels[f]} than {round(100 * below)}% of accounts {verb} the churn risk")
    return out


def compare_reasons(got, want) -> str | None:
    """Why the sentences ``got`` differ from ``want`` (percentages may differ by one), or None."""
    if len(got) != len(want):
        return f"Expected {len(want)} sentences, got {len(got)}."
    for i, (g, w) in enumerate(zip(got, want), start=1):
        if g == w:
            continue
        if not isinstance(g, str):
            return f"Sentence {i} should be a string, got {type(g).__name__}."
        mg, mw = SENTENCE.match(g.strip()), SENTENCE.match(w)
        if mw is None:  # a missing value
            return (f"Sentence {i} reads {g!r}: when the account's value is missing (NaN) the sentence is "
                    "'missing <label> raised/lowered the churn risk'.")
        if mg is None:
            return (f"Sentence {i} reads {g!r}, which does not have the form "
                    "'more|fewer <label> than <p>% of accounts raised|lowered the churn risk'.")
        if mg.group(2) != mw.group(2):
            return (f"Sentence {i} is about {mg.group(2)!r}: the reasons should be the features with the largest "
                    "absolute SHAP values (positive or negative), largest first, named with `labels`.")
        if mg.group(4) != mw.group(4):
            return f"Sentence {i} has the wrong direction: a positive SHAP value raised the risk, a negative one lowered it."
        if mg.group(1) != mw.group(1):
            return (f"Sentence {i} says {mg.group(1)!r}: compare the account's value with the reference accounts' "
                    "values; say 'fewer' when more accounts have a larger value than a smaller one.")
        if abs(int(mg.group(3)) - int(mw.group(3))) > 1:
            return (f"Sentence {i} has the wrong percentage: it is the share of reference accounts (ignoring missing "
                    "values) with a strictly larger value ('fewer') or strictly smaller value ('more'), in whole percent.")
    return None


def _reasons_match(fn, data):
    got = call(fn, data["shap_row"], data["x_row"], data["X_reference"], data["labels"], data["k"])
    expect(isinstance(got, (list, tuple)), f"reason_sentences should return a list of strings, got {type(got).__name__}.")
    problem = compare_reasons(list(got), reference_reasons(data["shap_row"], data["x_row"], data["X_reference"],
                                                           data["labels"], data["k"]))
    if problem:
        raise CheckFailure(problem)


TASKS = [
    Task(
        id="linear_shap",
        assignment=A,
        question="Z3",
        title="Exact SHAP values of a logistic regression",
        function="linear_shap",
        points=3,
        hints=(
            "For a model that is linear in the log-odds, f(x) = b + Σ w_j x_j, and features treated as independent, the SHAP value of feature j is w_j times how far x_j is from its average over the background data.",
            "The base value is f at the background mean, so base + Σ_j φ_j = f(x) for every row. For Pipeline(StandardScaler, LogisticRegression), rewrite the model on the original scale: w = coef / scale_, b = intercept - w · mean_.",
            "φ = w * (X - X_background.mean(axis=0)) with NumPy broadcasting; base = b + w @ mean. Return (φ as an (n, d) array, base as a float).",
        ),
        checks=(_linear_match,),
        make_data=_linear_data,
    ),
    Task(
        id="reason_sentences",
        assignment=A,
        question="Z3",
        title="Top reasons of a prediction in plain words",
        function="reason_sentences",
        points=3,
        hints=(
            "Rank the features by the absolute value of their SHAP value (largest first), skip zeros, keep k. The sign only decides 'raised' or 'lowered'.",
            "For a feature value x, compare it with the reference column without its NaN: the shares of accounts strictly below and strictly above x. The larger share decides between 'more' and 'fewer'.",
            "Build f\"{'more' or 'fewer'} {labels[f]} than {round(100 * share)}% of accounts {'raised' or 'lowered'} the churn risk\", or f\"missing {labels[f]} ... the churn risk\" when x is NaN.",
        ),
        checks=(_reasons_match,),
        make_data=_reasons_data,
    ),
]
