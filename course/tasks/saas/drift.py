"""Coding tasks of assignment 4 for Z6: a rolling alert rule and a retraining back-test.

The visible checks test properties of a correct answer (where the rolling mean is undefined, alerts
only after months below the threshold, a worked example; a back-test that never trains on the month
it scores); the exact comparison with the reference solution happens in the hidden tests and in the
grader.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A
from ._common import expect_columns, expect_frame
from .tuning import TREE_FEATURES

ALERT_COLUMNS = ["metric", "rolling", "reference", "alert"]


# --- Z6: rolling monitoring and an alert rule ---------------------------------------------------------

def _alert_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    months = pd.date_range("2023-01-01", periods=24, freq="MS")
    drop_at = int(rng.integers(12, 18))
    values = np.where(np.arange(24) < drop_at, 0.84, 0.74) + rng.normal(0, 0.03, size=24)
    values[int(rng.integers(1, 10))] = np.nan       # a month whose AUC could not be computed
    metric = pd.Series(values.round(4), index=months, name="auc")
    return {"metric": metric, "window": 3, "baseline": 6, "tolerance": 0.05, "patience": 2}


# Worked by hand (window 2, baseline 4, tolerance 0.05, patience 2): reference 0.8, threshold 0.75.
# Rolling means: NaN, .8, .8, .8, .775, .675, .7, .7, .6, .6, NaN, NaN, .6, .6 (a NaN month breaks two windows).
# Below the threshold in months 5-9 and 12-13, so alerts in months 6-9 and 13.
_SMALL_METRIC = [0.8, 0.8, 0.8, 0.8, 0.75, 0.6, 0.8, 0.6, 0.6, 0.6, np.nan, 0.6, 0.6, 0.6]
_SMALL_ROLLING = [np.nan, 0.8, 0.8, 0.8, 0.775, 0.675, 0.7, 0.7, 0.6, 0.6, np.nan, np.nan, 0.6, 0.6]
_SMALL_ALERT = [False] * 6 + [True] * 4 + [False] * 3 + [True]


def _alert_frame(fn, metric, kw, what: str) -> pd.DataFrame:
    out = expect_frame(call(fn, metric, **kw), what)
    expect_columns(out, ALERT_COLUMNS, f"The result of {what}")
    expect(out.index.equals(metric.index), "The result should have one row per month, with the index of `metric`.")
    alert = out["alert"].to_numpy()
    expect(alert.dtype == bool, f"'alert' should hold booleans, got dtype {alert.dtype}.")
    return out


def _alert_properties(fn, data):
    metric = data["metric"]
    kw = {k: data[k] for k in ("window", "baseline", "tolerance", "patience")}
    window, patience = kw["window"], kw["patience"]
    out = _alert_frame(fn, metric, kw, "rolling_alert(metric, ...)")
    expect(np.allclose(as_array(out["metric"], "The column 'metric'"), metric.to_numpy(dtype=float), equal_nan=True),
           "The column 'metric' should hold the input values.")
    reference = as_array(out["reference"], "The column 'reference'", ndim=1)
    expect(np.allclose(reference, np.nanmean(metric.to_numpy(dtype=float)[:kw["baseline"]])),
           "'reference' should be the mean metric of the first `baseline` months (ignoring NaN), the same on every row.")
    rolling = as_array(out["rolling"], "The column 'rolling'", ndim=1)
    values = metric.to_numpy(dtype=float)
    windows = np.lib.stride_tricks.sliding_window_view(values, window)       # the last `window` months of each month
    undefined = np.r_[np.ones(window - 1, dtype=bool), np.isnan(windows).any(axis=1)]
    expect(np.array_equal(np.isnan(rolling), undefined),
           "'rolling' should be NaN exactly until `window` values are available and whenever one of the last `window` "
           "months is NaN (min_periods=window).")
    lo, hi = np.r_[np.full(window - 1, np.nan), windows.min(axis=1)], np.r_[np.full(window - 1, np.nan), windows.max(axis=1)]
    defined = ~undefined
    expect(np.all((rolling[defined] >= lo[defined] - 1e-12) & (rolling[defined] <= hi[defined] + 1e-12)),
           "'rolling' should be the mean of the last `window` months, this one included.")
    below = np.nan_to_num(rolling, nan=np.inf) < reference - kw["tolerance"]
    alert = out["alert"].to_numpy()
    fired = np.flatnonzero(alert)
    expect(fired.size > 0, "The metric of this example drops clearly and for good, yet no alert fired.")
    expect(all(i >= patience - 1 and below[i - patience + 1:i + 1].all() for i in fired),
           "An alert fired in a month where the rolling metric had not been below reference - tolerance in each of the "
           "last `patience` months (this one included).")
    small_metric = pd.Series(_SMALL_METRIC, index=pd.date_range("2022-01-01", periods=len(_SMALL_METRIC), freq="MS"))
    small = _alert_frame(fn, small_metric, {"window": 2, "baseline": 4, "tolerance": 0.05, "patience": 2},
                         "rolling_alert on a small example")
    if not np.allclose(as_array(small["rolling"], "The column 'rolling'"), _SMALL_ROLLING, equal_nan=True):
        raise CheckFailure("On a small example worked by hand, 'rolling' is wrong: the mean of the last `window` months, "
                           "NaN until `window` values exist and when one of them is NaN.")
    if list(small["alert"]) != _SMALL_ALERT:
        raise CheckFailure("On a small example worked by hand, 'alert' is wrong: raise it only when the rolling metric has "
                           "been below reference - tolerance in each of the last `patience` months (months with a NaN "
                           "rolling value do not count as below).")


# --- Z6: static model against sliding-window retraining ------------------------------------------------

def _backtest_data(seed: int) -> dict:
    from course.datasets.saas import load_saas_accounts

    df = load_saas_accounts(n_accounts=300, n_months=12, seed=seed, drift_month=7)
    months = np.sort(df["month"].unique())
    return {"df": df, "features": list(TREE_FEATURES), "make_model": make_churn_model, "start": pd.Timestamp(months[8]), "window": 4}


def make_churn_model():
    """A small, fast churn model for back-tests: median imputation, scaling, logistic regression."""
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=1000))


def _recording_make_model(df, fits: list):
    """A ``make_model`` whose models note the months of the rows they are fitted on (None if unknown)."""
    from sklearn.base import BaseEstimator, ClassifierMixin

    class RecordingModel(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            rows = getattr(X, "index", None)
            known = rows is not None and len(rows) == len(X) and rows.isin(df.index).all()
            fits.append(frozenset(pd.to_datetime(df.loc[rows, "month"]).unique()) if known else None)
            self.model_ = make_churn_model().fit(X, y)
            self.classes_ = self.model_.classes_
            return self

        def predict_proba(self, X):
            return self.model_.predict_proba(X)

    return RecordingModel


def _backtest_frame(fn, df, data, make_model, what: str) -> pd.DataFrame:
    out = expect_frame(call(fn, df, data["features"], make_model, data["start"], window=data["window"]), what)
    expect_columns(out, ["static", "sliding"], f"The result of {what}")
    months = [pd.Timestamp(m) for m in np.sort(df["month"].unique()) if m >= np.datetime64(data["start"])]
    expect(len(out) == len(months), f"Expected one row per month from `start` on ({len(months)} rows), got {len(out)}.")
    expect([pd.Timestamp(i) for i in out.index] == months, "Index the rows by test month, in time order, starting at `start`.")
    values = as_array(out[["static", "sliding"]], f"The AUCs of {what}", ndim=2)
    expect(np.all(np.isnan(values) | ((values >= 0) & (values <= 1))), "The AUCs should be between 0 and 1 (or NaN).")
    return out


def _backtest_properties(fn, data):
    df, window, start = data["df"], data["window"], pd.Timestamp(data["start"])
    fits: list = []
    out = _backtest_frame(fn, df, data, _recording_make_model(df, fits),
                          "retraining_backtest(df, features, make_model, start, window)")
    months = [pd.Timestamp(m) for m in np.sort(df["month"].unique())]
    tests = [i for i, m in enumerate(months) if m >= start]
    expect(len(fits) == 1 + len(tests),
           f"{len(fits)} models were fitted for {len(tests)} test months: fit one static model, then one new model per test month.")
    if all(f is not None for f in fits):   # the rows kept their index, so we know which months each model saw
        static_months = frozenset(m for m in months if m < start)
        expect(static_months in fits,
               "No model was fitted on exactly the months before `start`: that is the static model's training data.")
        wanted = [frozenset(months[max(0, i - window):i]) for i in tests]
        sliding = list(fits)
        sliding.remove(static_months)
        if Counter(sliding) != Counter(wanted):
            sees_test = any(months[i] in f for i, f in zip(tests, sliding))   # models fitted in time order
            raise CheckFailure(
                "A sliding model learns from its own test month: train it on the `window` months just before the "
                "test month, never on the test month itself." if sees_test else
                "A sliding model was not fitted on exactly the `window` distinct months just before its test month "
                "(fewer at the start of the data).")
    # Flip the labels of the last month. Models that never train on it score the same way, so that month's
    # AUCs become exactly 1 - AUC and the earlier months do not move.
    static, sliding = out["static"].to_numpy(dtype=float), out["sliding"].to_numpy(dtype=float)
    last = df["month"].max()
    flipped = df.copy()
    flipped.loc[flipped["month"] == last, "churned"] = 1 - flipped.loc[flipped["month"] == last, "churned"]
    after = _backtest_frame(fn, flipped, data, data["make_model"], "retraining_backtest with other labels in the last month")
    a_static, a_sliding = after["static"].to_numpy(dtype=float), after["sliding"].to_numpy(dtype=float)
    expect(np.allclose(a_static[:-1], static[:-1], atol=1e-6, equal_nan=True)
           and np.allclose(a_sliding[:-1], sliding[:-1], atol=1e-6, equal_nan=True),
           "Changing the labels of the last month changed the AUCs of earlier months: a month may only be scored by "
           "models trained on months before it.")
    expect(abs(a_static[-1] - (1 - static[-1])) < 1e-6 and abs(a_sliding[-1] - (1 - sliding[-1])) < 1e-6,
           "Each month should be scored by ROC AUC of the models' predict_proba(...)[:, 1] against that month's own "
           "labels, with models that never saw those labels.")


TASKS = [
    Task(
        id="rolling_alert",
        assignment=A,
        question="Z6",
        title="Rolling monitoring with an alert rule",
        function="rolling_alert",
        points=3,
        hints=(
            "Three pieces: a smoothed metric, a fixed reference level from the first months, and a rule that needs several bad months in a row before it fires.",
            "metric.rolling(window, min_periods=window).mean() smooths; metric.iloc[:baseline].mean() is the reference (pandas skips NaN).",
            "below = rolling < reference - tolerance (NaN compares False); alert where the rolling sum of below over `patience` months equals patience.",
        ),
        checks=(_alert_properties,),
        make_data=_alert_data,
    ),
    Task(
        id="retraining_backtest",
        assignment=A,
        question="Z6",
        title="Back-test: a static model against sliding-window retraining",
        function="retraining_backtest",
        points=3,
        hints=(
            "Replay history month by month: for each test month, only months before it are allowed for training.",
            "Static: one make_model() fitted on all rows with month < start. Sliding: for test month m, a new make_model() fitted on the `window` distinct months just before m.",
            "Score each month with roc_auc_score on predict_proba(...)[:, 1] (NaN if the month has a single class); return a DataFrame indexed by month with columns static and sliding.",
        ),
        checks=(_backtest_properties,),
        make_data=_backtest_data,
    ),
]
