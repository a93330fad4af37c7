"""Coding tasks of assignment 4 for Z5: point-in-time features, calibration on recent months, top-k lift.

The visible checks test properties of a correct answer (no look-ahead, one account at a time,
isotonic calibration matching the calibration months, a model untouched by the calibration data,
worked examples); the exact comparison with the reference solution happens in the hidden tests and
in the grader.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A
from ._common import expect_columns, expect_frame, is_fitted, month_index, scalar
from .tuning import TREE_FEATURES

HISTORY_COLUMNS = ["logins_prev", "logins_trend"]


# --- Z5: features from the past only -------------------------------------------------------------------

def _history_data(seed: int) -> dict:
    from course.datasets.saas import load_saas_accounts

    df = load_saas_accounts(n_accounts=150, n_months=8, seed=seed)
    rng = np.random.default_rng(seed)
    return {"df": df.iloc[rng.permutation(len(df))]}   # rows in no particular order, as from a warehouse


# Worked by hand. Account 5: logins 4, 8, 0, 12, 6 -> previous NaN, 4, 8, 0, 12; trend NaN, 8 - 4,
# 0 - mean(4, 8), 12 - mean(4, 8, 0), 6 - mean(8, 0, 12). Account 9 (snapshots in Feb and Apr): 3, 5.
_MONTHS = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01"])
_SMALL_HISTORY = pd.DataFrame({"account_id": [5, 5, 5, 5, 5, 9, 9],
                       "month": list(_MONTHS) + [_MONTHS[1], _MONTHS[3]],
                       "logins": [4, 8, 0, 12, 6, 3, 5]},
                      index=[70, 71, 72, 73, 74, 80, 81]).iloc[[4, 6, 1, 3, 5, 0, 2]]
_SMALL_PREV = {70: np.nan, 71: 4.0, 72: 8.0, 73: 0.0, 74: 12.0, 80: np.nan, 81: 3.0}
_SMALL_TREND = {70: np.nan, 71: 4.0, 72: -6.0, 73: 8.0, 74: 6 - 20 / 3, 80: np.nan, 81: 2.0}


def _history_columns(fn, df, what: str) -> pd.DataFrame:
    before = df.copy()
    out = expect_frame(call(fn, df), what)
    expect(df.equals(before), "add_history_features changed `df` in place: add the columns to a copy.")
    expect_columns(out, list(df.columns) + HISTORY_COLUMNS, f"The result of {what}")
    expect(out.index.equals(df.index), "Keep the rows of `df` in their original order and with their original index.")
    for col in HISTORY_COLUMNS:
        as_array(out[col], f"The column {col!r}", ndim=1)
    return out


def _same_values(a: pd.DataFrame, b: pd.DataFrame, rows) -> bool:
    return all(np.allclose(a.loc[rows, c].to_numpy(dtype=float), b.loc[rows, c].to_numpy(dtype=float), equal_nan=True)
               for c in HISTORY_COLUMNS)


def _history_properties(fn, data):
    df = data["df"]
    out = _history_columns(fn, df, "add_history_features(df)")
    first = df.groupby("account_id")["month"].transform("min") == df["month"]
    expect(out.loc[first, HISTORY_COLUMNS].isna().all().all(),
           "An account's first snapshot has no history: both new columns should be NaN there.")
    expect(out.loc[~first, HISTORY_COLUMNS].notna().all().all(),
           "Every snapshot after an account's first one has a previous snapshot: the new columns should not be NaN there.")
    # One account at a time: leaving other accounts out must not change an account's values.
    some = df[df["account_id"] % 2 == 0]
    if not _same_values(_history_columns(fn, some, "add_history_features on some of the accounts"), out, some.index):
        raise CheckFailure("An account's values change when other accounts are removed from the frame: shift and average "
                           "within each account (groupby(\"account_id\")), never across accounts.")
    # Row order must not matter.
    shuffled = df.iloc[::-1]
    if not _same_values(_history_columns(fn, shuffled, "add_history_features on the rows in another order"), out, df.index):
        raise CheckFailure("The values change when the rows of `df` come in another order: sort by (account_id, month) "
                           "before shifting, and assign back by index.")
    # No peeking: dropping the future must not change the past.
    cutoff = np.sort(df["month"].unique())[4]
    early = df[df["month"] <= cutoff]
    if not _same_values(_history_columns(fn, early, "add_history_features on the early months"), out, early.index):
        raise CheckFailure("The values of early months change when later months are removed: a feature may only use the "
                           "account's earlier snapshots.")
    small = _history_columns(fn, _SMALL_HISTORY.copy(), "add_history_features on a small example")
    for col, want in (("logins_prev", _SMALL_PREV), ("logins_trend", _SMALL_TREND)):
        got = small.loc[list(want), col].to_numpy(dtype=float)
        if not np.allclose(got, list(want.values()), equal_nan=True):
            hint = ("the logins of the same account in its previous snapshot (the previous row of that account in time, "
                    "even when a month is skipped)" if col == "logins_prev" else
                    "this month's logins minus the mean of the same account's logins in up to 3 previous snapshots "
                    "(not counting this month)")
            raise CheckFailure(f"On a small example worked by hand, {col!r} is wrong: it should be {hint}.")


def _history_graded(fn, data):
    """What grading compares, on the visible frame, some of its accounts, its rows in reverse, its early
    months and the small example (also with text row labels): the row labels and the two new columns
    (the frame holds dates, which the grader does not record); and whether `df` stayed unchanged."""
    df = data["df"]
    before = df.copy()
    cutoff = np.sort(df["month"].unique())[4]
    frames = {"all": df, "some_accounts": df[df["account_id"] % 2 == 0], "reversed": df.iloc[::-1],
              "early_months": df[df["month"] <= cutoff], "small": _SMALL_HISTORY.copy(),
              "small_labelled": _SMALL_HISTORY.rename(index=lambda i: f"row {i}")}
    out = {}
    for name, frame in frames.items():
        got = fn(frame)
        out[name] = {"index": got.index, **{col: got[col] for col in HISTORY_COLUMNS}}
    out["df_unchanged"] = df.equals(before)
    return out


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


def _calibrated(fn, model, X_fit, y_fit, X_cal, y_cal, method):
    from sklearn.calibration import CalibratedClassifierCV

    cal = call(fn, model, X_fit, y_fit, X_cal, y_cal, method=method)
    expect(isinstance(cal, CalibratedClassifierCV),
           f"fit_calibrated should return the fitted CalibratedClassifierCV, got {type(cal).__name__}.")
    expect(getattr(cal, "method", None) == method, f"Pass method=method to CalibratedClassifierCV (here {method!r}).")
    fitted = getattr(cal, "calibrated_classifiers_", None)
    expect(fitted is not None, "fit_calibrated should return a CalibratedClassifierCV already fitted on (X_cal, y_cal).")
    expect(len(fitted) == 1,
           f"The CalibratedClassifierCV holds {len(fitted)} models: calibration refitted the model on folds of the "
           "calibration months. Wrap the model fitted on (X_fit, y_fit) in FrozenEstimator so that only the map is fitted.")
    inner = fitted[0].estimator
    return cal, getattr(inner, "estimator", inner)   # FrozenEstimator keeps the fitted model in .estimator


def _calibration_properties(fn, data):
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    model, method = data["model"], data["method"]
    X_fit, y_fit, X_cal, y_cal, X_test = data["X_fit"], data["y_fit"], data["X_cal"], data["y_cal"], data["X_test"]
    cal, inner = _calibrated(fn, model, X_fit, y_fit, X_cal, y_cal, method)
    try:
        check_is_fitted(model)
        raise CheckFailure("The `model` you were given is now fitted: fit a clone (sklearn.base.clone) and leave the original untouched.")
    except NotFittedError:
        pass
    expect(inner is not model, "The calibrated classifier wraps the very `model` object you were given: fit a clone.")
    try:
        p_cal = cal.predict_proba(X_cal)[:, 1]
        p_test = cal.predict_proba(X_test)[:, 1]
        s_test = inner.predict_proba(X_test)[:, 1]
    except Exception as err:
        raise CheckFailure(f"Calling predict_proba on what you returned raised {type(err).__name__}: {str(err)[:200]}") from None
    expect(abs(p_cal.mean() - np.mean(y_cal)) < 1e-6,
           "After isotonic calibration on (X_cal, y_cal), the mean predicted probability on X_cal should equal the churn "
           "rate of y_cal: was the calibrator fitted on the calibration months?")
    order = np.argsort(s_test, kind="stable")
    expect(np.all(np.diff(p_test[order]) >= -1e-12),
           "The calibrated probabilities should be a non-decreasing function of the fitted model's scores (isotonic "
           "calibration of that one model).")
    # The model must come from (X_fit, y_fit) only: other calibration rows must not change it.
    half = slice(0, len(X_cal) // 2)
    _, inner_half = _calibrated(fn, model, X_fit, y_fit, X_cal.iloc[half], y_cal.iloc[half], method)
    try:
        same = np.allclose(inner_half.predict_proba(X_test)[:, 1], s_test, atol=1e-9)
    except Exception as err:
        raise CheckFailure(f"Calling predict_proba on the calibrated model raised {type(err).__name__}: {str(err)[:200]}") from None
    if not same:
        raise CheckFailure("The model inside the calibrated classifier changes when the calibration months change: fit "
                           "a clone of `model` on (X_fit, y_fit) only, then calibrate it without refitting (FrozenEstimator).")


def _calibration_graded(fn, data):
    """What grading compares: the calibrated test probabilities of the given model with isotonic
    calibration and of a balanced logistic regression with sigmoid calibration, and whether the models
    passed in stayed unfitted."""
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    X_fit, y_fit, X_cal, y_cal, X_test = data["X_fit"], data["y_fit"], data["X_cal"], data["y_cal"], data["X_test"]
    model, linear = clone(data["model"]), LogisticRegression(max_iter=2000, class_weight="balanced")
    with threadpool_limits(1):   # one thread: the boosted trees' sums come out the same in every kernel
        isotonic = fn(model, X_fit, y_fit, X_cal, y_cal, method=data["method"]).predict_proba(X_test)[:, 1]
        sigmoid = fn(linear, X_fit.fillna(0), y_fit, X_cal.fillna(0), y_cal, method="sigmoid")
        sigmoid = sigmoid.predict_proba(X_test.fillna(0))[:, 1]
    return {"isotonic": isotonic, "sigmoid": sigmoid, "models_untouched": not (is_fitted(model) or is_fitted(linear))}


# --- Z5: precision at the top k and lift ---------------------------------------------------------------

def _lift_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    n = 400
    y = (rng.random(n) < 0.08).astype(int)
    scores = np.round(np.clip(0.1 + 0.25 * y + rng.normal(0, 0.15, size=n), 0, 1), 2)   # rounded: ties happen
    return {"y_true": y, "scores": scores, "k": 40}


# Worked by hand. Six rows ranked highest score first, ties in their original order: rows 1, 2, 3, 5, 0, 4;
# the top 2 (rows 1 and 2) are both positives; 2 positives among 6 rows.
_SMALL_TOP_K = ([0, 1, 1, 0, 0, 0], [0.2, 0.9, 0.4, 0.4, 0.1, 0.3])
# Twenty rows alternating scores 0.5 (even rows) and 0.9 (odd rows), positives in rows 0, 2 and 4: the top 13
# are the ten 0.9 rows and the first three 0.5 rows (0, 2, 4), so precision 3/13, base rate 3/20.
_TIES_TOP_K = ([1, 0, 1, 0, 1] + [0] * 15, [0.5, 0.9] * 10)
_TOP_K_CASES = ((_SMALL_TOP_K, 2, {"precision_at_k": 1.0, "base_rate": 1 / 3, "lift": 3.0},
                 "ties keep their original order (a stable sort, highest score first)"),
                (_SMALL_TOP_K, 10, {"precision_at_k": 1 / 3, "base_rate": 1 / 3, "lift": 1.0},
                 "k larger than the number of rows means all rows"),
                (_TIES_TOP_K, 13, {"precision_at_k": 3 / 13, "base_rate": 3 / 20, "lift": 20 / 13},
                 "among equal scores, the earlier rows come first: np.argsort(-scores, kind=\"stable\")"))
TOP_K_KEYS = ("precision_at_k", "base_rate", "lift")


def _top_k(fn, y, scores, k, what: str) -> dict:
    got = call(fn, y, scores, k)
    expect(isinstance(got, dict), f"top_k_report should return a dict, got {type(got).__name__}.")
    missing = [key for key in TOP_K_KEYS if key not in got]
    expect(not missing, f"The report lacks the key(s) {missing}.")
    return {key: scalar(got[key], f"report[{key!r}] of {what}") for key in TOP_K_KEYS}


def _lift_properties(fn, data):
    y, scores, k = data["y_true"], data["scores"], data["k"]
    got = _top_k(fn, y, scores, k, "top_k_report")
    expect(abs(got["base_rate"] - np.mean(y)) < 1e-12, "base_rate should be the share of positives among all rows.")
    prec = got["precision_at_k"]
    expect(0 <= prec <= 1 and abs(prec * k - round(prec * k)) < 1e-9,
           "precision_at_k should be the share of positives among the k rows with the highest scores.")
    expect(abs(got["lift"] - prec / got["base_rate"]) < 1e-9, "lift should be precision_at_k divided by base_rate.")
    expect(got["lift"] > 1,
           "On this data the positives have higher scores, yet the lift is not above 1: take the k rows with the "
           "highest scores (sort in descending order).")
    for (small_y, small_scores), small_k, want, why in _TOP_K_CASES:
        small = _top_k(fn, list(small_y), list(small_scores), small_k, "a small example")
        if not all(abs(small[key] - want[key]) < 1e-9 for key in TOP_K_KEYS):
            raise CheckFailure(f"On a small example worked by hand ({len(small_y)} rows, k={small_k}), the report is "
                               f"wrong: {why}.")


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
        checks=(_history_properties,),
        make_data=_history_data,
        call=_history_graded,
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
        checks=(_calibration_properties,),
        make_data=_calibration_data,
        call=_calibration_graded,
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
        checks=(_lift_properties,),
        make_data=_lift_data,
    ),
]
