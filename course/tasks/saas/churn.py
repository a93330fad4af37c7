"""Coding tasks of assignment 4 for Z5: point-in-time features, calibration on recent months, top-k lift."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A
from ._common import expect_columns, expect_frame, month_index, same_nan, scalar
from .tuning import TREE_FEATURES

HISTORY_COLUMNS = ["logins_prev", "logins_trend"]


# --- Z5: features from the past only -------------------------------------------------------------------

def _history_data(seed: int) -> dict:
    from course.datasets.saas import load_saas_accounts

    df = load_saas_accounts(n_accounts=150, n_months=8, seed=seed)
    rng = np.random.default_rng(seed)
    return {"df": df.iloc[rng.permutation(len(df))]}   # rows in no particular order, as from a warehouse


def reference_history(df: pd.DataFrame) -> pd.DataFrame:
    """Previous month's logins and logins minus the mean of up to three previous months, per account."""
    out = df.copy()
    order = df.sort_values(["account_id", "month"], kind="stable")
    past = order.groupby("account_id")["logins"].shift(1)
    past_mean = past.groupby(order["account_id"]).transform(lambda s: s.rolling(3, min_periods=1).mean())
    out["logins_prev"] = past.astype(float)
    out["logins_trend"] = (order["logins"] - past_mean).astype(float)
    return out


def _history_match(fn, data):
    df = data["df"]
    before = df.copy()
    out = expect_frame(call(fn, df), "add_history_features(df)")
    expect(df.equals(before), "add_history_features changed `df` in place: add the columns to a copy.")
    expect_columns(out, list(df.columns) + HISTORY_COLUMNS, "The result")
    expect(out.index.equals(df.index), "Keep the rows of `df` in their original order and with their original index.")
    ref = reference_history(df)
    for col in HISTORY_COLUMNS:
        got = as_array(out[col], f"The column {col!r}", ndim=1)
        same_nan(got, ref[col], f"The column {col!r}")
        if not np.allclose(got, ref[col].to_numpy(dtype=float), equal_nan=True):
            hint = ("the logins of the same account in its previous monthly snapshot" if col == "logins_prev" else
                    "this month's logins minus the mean of the same account's logins in up to 3 previous snapshots "
                    "(not counting this month)")
            raise CheckFailure(f"The column {col!r} has wrong values on the visible example: it should be {hint}.")
    # No peeking: dropping the future must not change the past.
    cutoff = np.sort(df["month"].unique())[4]
    early = df[df["month"] <= cutoff]
    out_early = expect_frame(call(fn, early), "add_history_features(df restricted to early months)")
    for col in HISTORY_COLUMNS:
        if not np.allclose(out_early[col].to_numpy(dtype=float), out.loc[early.index, col].to_numpy(dtype=float), equal_nan=True):
            raise CheckFailure(f"{col!r} changes for early months when later months are removed: it uses the future.")


# --- Z5: calibrate on the most recent months ---------------------------------------------------------

def _calibration_data(seed: int) -> dict:
    from sklearn.ensemble import HistGradientBoostingClassifier

    from course.datasets.saas import load_saas_accounts

    df = load_saas_accounts(n_accounts=500, n_months=8, seed=seed)
    m = month_index(df["month"])
    X, y = df[TREE_FEATURES], df["churned"]
    parts = {"fit": m < 4, "cal": (m >= 4) & (m < 6), "test": m >= 6}
    return {"model": HistGradientBoostingClassifier(max_iter=60, learning_rate=0.1, random_state=0),
            "X_fit": X[parts["fit"]], "y_fit": y[parts["fit"]], "X_cal": X[parts["cal"]], "y_cal": y[parts["cal"]],
            "X_test": X[parts["test"]], "method": "isotonic"}


def reference_calibrated(model, X_fit, y_fit, X_cal, y_cal, method):
    """Fit a clone of ``model`` on the earlier rows, then only the calibrator on the later ones."""
    from sklearn.base import clone
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.frozen import FrozenEstimator

    base = clone(model).fit(X_fit, y_fit)
    return CalibratedClassifierCV(FrozenEstimator(base), method=method).fit(X_cal, y_cal)


def _calibration_match(fn, data):
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    model = data["model"]
    args = (model, data["X_fit"], data["y_fit"], data["X_cal"], data["y_cal"])
    cal = call(fn, *args, method=data["method"])
    expect(hasattr(cal, "predict_proba"), f"fit_calibrated should return a fitted classifier with predict_proba, got {type(cal).__name__}.")
    try:
        check_is_fitted(model)
        raise CheckFailure("The `model` you were given is now fitted: fit a clone (sklearn.base.clone) and leave the original untouched.")
    except NotFittedError:
        pass
    try:
        p_cal = cal.predict_proba(data["X_cal"])[:, 1]
        p_test = cal.predict_proba(data["X_test"])[:, 1]
    except Exception as err:
        raise CheckFailure(f"Calling predict_proba on what you returned raised {type(err).__name__}: {err}") from None
    expect(abs(p_cal.mean() - np.mean(data["y_cal"])) < 1e-6,
           "After isotonic calibration on (X_cal, y_cal), the mean predicted probability on X_cal should equal the churn "
           "rate of y_cal: was the calibrator fitted on the calibration months?")
    ref = reference_calibrated(*args, data["method"])
    if not np.allclose(p_test, ref.predict_proba(data["X_test"])[:, 1], atol=1e-6):
        raise CheckFailure(
            "The calibrated probabilities differ from: a clone of `model` fitted on (X_fit, y_fit) only, then "
            "CalibratedClassifierCV(FrozenEstimator(fitted), method=method) fitted on (X_cal, y_cal).")


# --- Z5: precision at the top k and lift ---------------------------------------------------------------

def _lift_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    n = 400
    y = (rng.random(n) < 0.08).astype(int)
    scores = np.round(np.clip(0.1 + 0.25 * y + rng.normal(0, 0.15, size=n), 0, 1), 2)   # rounded: ties happen
    return {"y_true": y, "scores": scores, "k": 40}


def reference_top_k(y_true, scores, k):
    y = np.asarray(y_true, dtype=float)
    k = min(int(k), len(y))
    top = np.argsort(-np.asarray(scores, dtype=float), kind="stable")[:k]
    precision, base = y[top].mean(), y.mean()
    return {"precision_at_k": precision, "base_rate": base, "lift": precision / base if base > 0 else float("nan")}


def _lift_match(fn, data):
    got = call(fn, data["y_true"], data["scores"], data["k"])
    expect(isinstance(got, dict), f"top_k_report should return a dict, got {type(got).__name__}.")
    want = reference_top_k(data["y_true"], data["scores"], data["k"])
    missing = [k for k in want if k not in got]
    expect(not missing, f"The report lacks the key(s) {missing}.")
    base = scalar(got["base_rate"], "report['base_rate']")
    expect(abs(base - want["base_rate"]) < 1e-12, "base_rate should be the share of positives among all rows.")
    prec = scalar(got["precision_at_k"], "report['precision_at_k']")
    if abs(prec - want["precision_at_k"]) > 1e-12:
        raise CheckFailure("precision_at_k has the wrong value on the visible example: take the k rows with the highest "
                           "scores (ties keep their original order: a stable sort) and the share of positives among them.")
    lift = scalar(got["lift"], "report['lift']")
    expect(abs(lift - want["lift"]) < 1e-9, "lift should be precision_at_k divided by base_rate.")


TASKS = [
    Task(
        id="history_features",
        assignment=A,
        question="Z5",
        title="Usage-history features without looking into the future",
        function="add_history_features",
        points=3,
        hints=(
            "Each value may only use the same account's rows from earlier months. Sort a copy by (account_id, month) and work per account with groupby.",
            "groupby(\"account_id\")[\"logins\"].shift(1) gives the previous snapshot; a rolling mean over the shifted series (window 3, min_periods=1) never includes the current month.",
            "Assigning a Series to a column aligns on the index, so you can compute on the sorted copy and assign into a copy of `df` in its original order.",
        ),
        checks=(_history_match,),
        make_data=_history_data,
    ),
    Task(
        id="calibrate_recent",
        assignment=A,
        question="Z5",
        title="Calibrate churn probabilities on the most recent months",
        function="fit_calibrated",
        points=3,
        hints=(
            "Two stages, two disjoint time windows: the model learns from the earlier months, the calibrator (a map from score to probability) from the later ones.",
            "Fit `sklearn.base.clone(model)` on (X_fit, y_fit). Then wrap the fitted model so that calibration does not refit it.",
            "`CalibratedClassifierCV(FrozenEstimator(fitted), method=method).fit(X_cal, y_cal)` (FrozenEstimator is in sklearn.frozen).",
        ),
        checks=(_calibration_match,),
        make_data=_calibration_data,
    ),
    Task(
        id="top_k_lift",
        assignment=A,
        question="Z5",
        title="Precision at the top k and lift",
        function="top_k_report",
        points=2,
        hints=(
            "A retention team can call k accounts a month: rank by score, highest first, and look at the first k.",
            "np.argsort(-scores, kind=\"stable\") ranks highest first and keeps ties in their original order; k larger than the number of rows means all rows.",
            "precision_at_k = mean of y over the top k; base_rate = mean of y over all rows; lift = their ratio (NaN when base_rate is 0). k < 1: raise ValueError.",
        ),
        checks=(_lift_match,),
        make_data=_lift_data,
    ),
]
