"""Coding tasks of assignment 4 for Z6: a rolling alert rule and a retraining back-test."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A
from ._common import expect_columns, expect_frame, same_nan
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


def reference_alert(metric, window=3, baseline=6, tolerance=0.05, patience=2):
    """Rolling mean, reference level and alert flags of a monthly metric."""
    rolling = metric.rolling(window, min_periods=window).mean()
    reference = float(metric.iloc[:baseline].mean())
    below = (rolling < reference - tolerance).astype(int)
    alert = below.rolling(patience, min_periods=patience).sum() == patience
    return pd.DataFrame({"metric": metric, "rolling": rolling, "reference": reference, "alert": alert.astype(bool)},
                        index=metric.index)


def _alert_match(fn, data):
    metric = data["metric"]
    kw = {k: data[k] for k in ("window", "baseline", "tolerance", "patience")}
    out = expect_frame(call(fn, metric, **kw), "rolling_alert(metric, ...)")
    expect_columns(out, ALERT_COLUMNS, "The result")
    expect(out.index.equals(metric.index), "The result should have one row per month, with the index of `metric`.")
    ref = reference_alert(metric, **kw)
    got = as_array(out["rolling"], "The column 'rolling'", ndim=1)
    same_nan(got, ref["rolling"], "The column 'rolling'")
    if not np.allclose(got, ref["rolling"], equal_nan=True):
        raise CheckFailure("'rolling' has wrong values: the mean of the last `window` months, NaN until `window` "
                           "values are available (and when one of them is NaN).")
    expect(np.allclose(as_array(out["reference"], "The column 'reference'"), ref["reference"]),
           "'reference' should be the mean metric of the first `baseline` months (ignoring NaN), the same on every row.")
    alert = out["alert"].to_numpy()
    expect(alert.dtype == bool, f"'alert' should hold booleans, got dtype {alert.dtype}.")
    if not np.array_equal(alert, ref["alert"].to_numpy()):
        raise CheckFailure("'alert' is wrong in some months: raise it only when the rolling metric has been below "
                           "reference - tolerance in each of the last `patience` months (months with a NaN rolling value do not count as below).")


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


def _auc(y, p):
    from sklearn.metrics import roc_auc_score

    return roc_auc_score(y, p) if len(np.unique(y)) == 2 else np.nan


def reference_backtest(df, features, make_model, start, window=6, target="churned"):
    """Monthly test AUC of a model trained once before ``start`` and of one retrained on a sliding window."""
    months = np.sort(df["month"].unique())
    test_months = [m for m in months if m >= np.datetime64(start)]
    before = df[df["month"] < start]
    static = make_model().fit(before[features], before[target])
    rows = {}
    for m in test_months:
        i = int(np.searchsorted(months, m))
        test = df[df["month"] == m]
        recent = df[df["month"].isin(months[max(0, i - window):i])]
        sliding = make_model().fit(recent[features], recent[target])
        rows[pd.Timestamp(m)] = (_auc(test[target], static.predict_proba(test[features])[:, 1]),
                                 _auc(test[target], sliding.predict_proba(test[features])[:, 1]))
    return pd.DataFrame.from_dict(rows, orient="index", columns=["static", "sliding"])


def _backtest_match(fn, data):
    args = (data["df"], data["features"], data["make_model"], data["start"])
    out = expect_frame(call(fn, *args, window=data["window"]), "retraining_backtest(df, features, make_model, start, window)")
    expect_columns(out, ["static", "sliding"], "The result")
    ref = reference_backtest(*args, window=data["window"])
    expect(len(out) == len(ref), f"Expected one row per month from `start` on ({len(ref)} rows), got {len(out)}.")
    expect([pd.Timestamp(i) for i in out.index] == list(ref.index), "Index the rows by test month, in time order, starting at `start`.")
    for col, what in (("static", "one model trained once on every month before `start`"),
                      ("sliding", "a fresh model per test month, trained on the `window` months just before it (not the test month itself)")):
        got = as_array(out[col], f"The column {col!r}", ndim=1)
        if not np.allclose(got, ref[col].to_numpy(dtype=float), atol=1e-6, equal_nan=True):
            raise CheckFailure(f"The {col!r} AUCs differ from {what}, scored by ROC AUC on the test month.")


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
        checks=(_alert_match,),
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
        checks=(_backtest_match,),
        make_data=_backtest_data,
    ),
]
