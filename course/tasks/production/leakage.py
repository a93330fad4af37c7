"""Coding task of assignment 2 for question S13: find a leaking feature and score honestly."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A

LEAK_NAMES = ("refund_amount", "chargeback_fee", "dispute_payout", "reversal_total")


def fraud_table(seed: int = 0, n: int = 200, n_noise: int = 60):
    """Transactions labelled fraud (1) or not (0), with weak real signals, many noise columns and one leak.

    The leak is a column filled in *after* the outcome (money paid back on disputed transactions):
    it is almost the label itself, and it does not exist when a new transaction must be scored.
    Returns ``(X, y, leak_name)``; column order is shuffled and two columns have missing values.
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(int)
    amount = np.round(rng.lognormal(4 + 0.5 * y, 0.8), 2)
    age = np.round(rng.exponential(400 - 150 * y) + 1)
    disputes = rng.poisson(0.3 + 0.5 * y).astype(float)
    risk = np.round(rng.normal(0.4 * y, 1), 3)
    paid_back = np.where(y == 1, rng.random(n) < 0.85, rng.random(n) < 0.04)
    leak = np.round(np.where(paid_back, amount * np.where(y == 1, rng.uniform(0.5, 1, n), rng.uniform(0.05, 0.3, n)), 0.0), 2)
    cols = {"amount": amount, "account_age_days": age, "prior_disputes": disputes, "merchant_risk": risk}
    for j in range(n_noise):
        cols[f"f{j:03d}"] = np.round(rng.normal(size=n), 3)
    leak_name = LEAK_NAMES[seed % len(LEAK_NAMES)]
    cols[leak_name] = leak
    df = pd.DataFrame(cols)
    order = list(df.columns)
    rng.shuffle(order)
    df = df[order]
    for c in ("amount", "account_age_days"):
        df.loc[rng.random(n) < 0.08, c] = np.nan
    return df, y, leak_name


def _leak_data(seed: int) -> dict:
    X, y, leak = fraud_table(seed)
    return {"X": X, "y": y, "k": 10 if seed % 2 == 0 else 5, "leak": leak}


def single_feature_auc(x, y) -> float:
    """max(AUC, 1 - AUC) of one column's raw values against binary ``y``, rows with NaN dropped (ties count 1/2)."""
    from scipy.stats import rankdata

    x = np.asarray(x, dtype=float)
    keep = ~np.isnan(x)
    x, y = x[keep], np.asarray(y)[keep]
    n1 = int(y.sum())
    n0 = len(y) - n1
    if n1 == 0 or n0 == 0:
        return 0.5
    auc = (rankdata(x)[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)
    return float(max(auc, 1 - auc))


def honest_pipeline(k: int):
    from sklearn.feature_selection import SelectKBest, f_classif
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), SelectKBest(f_classif, k=k),
                         LogisticRegression(max_iter=1000))


def reference_scores(X, y, leak: str, k: int) -> tuple[float, float]:
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    inflated = cross_val_score(honest_pipeline(k), X, y, cv=cv, scoring="roc_auc").mean()
    honest = cross_val_score(honest_pipeline(k), X.drop(columns=[leak]), y, cv=cv, scoring="roc_auc").mean()
    return float(inflated), float(honest)


def _leak_checks(fn, data):
    X, y, k, leak = data["X"], data["y"], data["k"], data["leak"]
    before = X.copy()
    result = call(fn, X, y, k=k)
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise CheckFailure(f"leak_audit should return a tuple (leaky_feature, inflated, honest), got {type(result).__name__}.")
    name, inflated, honest = result
    expect(X.equals(before), "leak_audit changed the frame it was given: drop the column from a copy (X.drop(columns=...)).")
    expect(isinstance(name, str) and name in X.columns, f"leaky_feature should be a column name of X, got {name!r}.")
    expect(name == leak, "That is not the leaking column: score every column alone by max(AUC, 1 - AUC) of its raw "
                         "values (rows with NaN dropped) and take the highest.")
    inflated = float(as_array(inflated, "inflated").reshape(-1)[0])
    honest = float(as_array(honest, "honest").reshape(-1)[0])
    ref_inflated, ref_honest = reference_scores(X, y, leak, k)
    expect(abs(inflated - ref_inflated) < 1e-9,
           "inflated is not the mean 5-fold ROC AUC of the pipeline on all columns: use StratifiedKFold(n_splits=5, "
           "shuffle=True, random_state=0) and scoring='roc_auc'.")
    if abs(honest - ref_honest) >= 1e-9:
        if honest > ref_honest + 0.02:
            raise CheckFailure("honest is higher than an honest estimate: is the leaking column still in, or were the "
                               "imputer, scaler or feature selection fitted on all rows before cross-validation? "
                               "Put every step in the Pipeline and cross-validate the Pipeline.")
        raise CheckFailure("honest is not the mean 5-fold ROC AUC of the same pipeline without the leaking column.")


TASKS = [
    Task(
        id="leak_audit",
        assignment=A,
        question="S13",
        title="Find the leaking feature, then score honestly",
        function="leak_audit",
        points=4,
        hints=(
            "Two parts: a loop over the columns that scores each one alone (no model: its raw values are the score), "
            "then two calls of cross_val_score on the same Pipeline, with and without the column you found.",
            "For a column c: keep the rows where X[c] is not NaN and compute roc_auc_score(y[keep], X[c][keep]); a feature "
            "that ranks the classes backwards is as informative, so use max(auc, 1 - auc).",
            "make_pipeline(SimpleImputer(strategy='median'), StandardScaler(), SelectKBest(f_classif, k=k), "
            "LogisticRegression(max_iter=1000)) goes into cross_val_score(..., cv=StratifiedKFold(5, shuffle=True, "
            "random_state=0), scoring='roc_auc'): the selection is refitted inside every fold.",
        ),
        checks=(_leak_checks,),
        make_data=_leak_data,
    ),
]
