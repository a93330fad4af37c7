"""Coding task of assignment 2 for question S11: feature engineering inside a ColumnTransformer pipeline."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, call, dense, expect
from .._task import Task
from . import A

NUMERIC = ["tenure_months", "monthly_spend", "support_tickets"]
CATEGORICAL = ["plan", "region"]
HOUR = "signup_hour"


def _pipeline_data(seed: int) -> dict:
    from ...datasets.production import churn_frame

    train, y_train, test, y_test = churn_frame(seed)
    numeric = list(NUMERIC)
    if seed % 2 == 1:  # other variants: another column set, in another order
        numeric = ["support_tickets", "tenure_months"]
    return {"train": train, "y_train": y_train, "test": test, "y_test": y_test,
            "numeric": numeric, "categorical": list(CATEGORICAL) if seed % 2 == 0 else ["region", "plan"],
            "hour_col": HOUR}


def _numeric_block_ok(z_train, z_test, train, test, col) -> bool:
    """The column is the median-imputed, standardized ``col`` with statistics of the training rows only:
    on the training rows mean 0 and standard deviation 1; every row on one increasing line a·x + c of the
    raw value, and a missing value placed where the training median is."""
    x_train, x_test = train[col].to_numpy(dtype=float), test[col].to_numpy(dtype=float)
    if not (abs(z_train.mean()) < 1e-8 and abs(z_train.std() - 1.0) < 1e-8):
        return False
    seen = ~np.isnan(x_train)
    lo, hi = np.argmin(np.where(seen, x_train, np.inf)), np.argmax(np.where(seen, x_train, -np.inf))
    if x_train[hi] == x_train[lo]:
        return False
    a = (z_train[hi] - z_train[lo]) / (x_train[hi] - x_train[lo])
    c = z_train[lo] - a * x_train[lo]
    median = np.nanmedian(x_train)
    for x, z in ((x_train, z_train), (x_test, z_test)):
        want = a * np.where(np.isnan(x), median, x) + c
        if a <= 0 or not np.allclose(z, want, atol=1e-8):
            return False
    return True


def _onehot_block_ok(block, frame, train, col) -> bool:
    """One column per category seen in training, in sorted order; a missing value counts as the training
    rows' most frequent category; a category never seen in training gives a row of zeros."""
    categories = sorted(train[col].dropna().unique())
    mode = train[col].mode(dropna=True).sort_values().iloc[0]
    if block.shape[1] != len(categories):
        return False
    want = np.zeros(block.shape)
    for i, value in enumerate(frame[col].astype(object).where(frame[col].notna(), mode)):
        if value in categories:
            want[i, categories.index(value)] = 1.0
    return bool(np.allclose(block, want))


def _pipeline_checks(fn, data):
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    train, y_train, test = data["train"], data["y_train"], data["test"]
    numeric, categorical, hour_col = data["numeric"], data["categorical"], data["hour_col"]
    pipe = call(fn, list(numeric), list(categorical), hour_col)
    expect(isinstance(pipe, Pipeline), f"build_feature_pipeline should return a sklearn.pipeline.Pipeline, got {type(pipe).__name__}.")
    try:
        pipe = clone(pipe)
    except Exception as err:
        raise CheckFailure(f"Your pipeline cannot be cloned ({type(err).__name__}: {err}); cross-validation clones it. "
                           "Build it from scikit-learn estimators and pass functions, not fitted objects.") from None
    try:
        pipe.fit(train, y_train)
    except Exception as err:
        raise CheckFailure(f"Fitting your pipeline on the training frame raised {type(err).__name__}: {err}. "
                           "The frame has missing numbers and missing categories.") from None
    try:
        proba = np.asarray(pipe.predict_proba(test), dtype=float)
    except Exception as err:
        raise CheckFailure(f"predict_proba on new rows raised {type(err).__name__}: {err}. The new rows hold a region "
                           "the training frame never had: at serving time that must not crash.") from None
    expect(proba.shape == (len(test), 2), f"predict_proba should give one row of 2 probabilities per test row, got shape {proba.shape}.")
    try:
        z_train, z_test = dense(pipe[:-1].transform(train)), dense(pipe[:-1].transform(test))
    except Exception as err:
        raise CheckFailure(f"pipe[:-1].transform raised {type(err).__name__}: {err}: the last step should be the model "
                           "and every step before it a transformer.") from None
    k = len(numeric)
    widths = [int(train[c].nunique()) for c in categorical]
    width = k + 2 + sum(widths)
    expect(z_train.shape == (len(train), width),
           f"The feature matrix should have {width} columns (the scaled numeric columns, sin and cos of the hour, "
           f"one column per category seen in training), got shape {z_train.shape}.")
    expect(not np.isnan(z_train).any() and not np.isnan(z_test).any(), "The feature matrix contains NaN: impute before scaling and encoding.")
    for i, col in enumerate(numeric):
        expect(_numeric_block_ok(z_train[:, i], z_test[:, i], train, test, col),
               f"Column {i} should be {col!r} with missing values replaced by the training median, then standardized "
               "with the mean and standard deviation of the training rows only (the numeric columns first, in the order given).")
    for name, z, frame in (("training", z_train, train), ("test", z_test, test)):
        h = frame[hour_col].to_numpy(dtype=float)
        expect(np.allclose(z[:, k:k + 2], np.column_stack([np.sin(2 * np.pi * h / 24), np.cos(2 * np.pi * h / 24)]), atol=1e-8),
               f"Columns {k} and {k + 1} should be sin(2π·hour/24) and cos(2π·hour/24) of the hour column ({name} rows).")
        start = k + 2
        for col, w in zip(categorical, widths):
            expect(_onehot_block_ok(z[:, start:start + w], frame, train, col),
                   f"The one-hot block of {col!r} is wrong on the {name} rows: fill missing categories with the most frequent "
                   "one, one-hot encode the categorical columns in the order given, and encode an unseen category as all zeros.")
            start += w
    ref = LogisticRegression(max_iter=1000).fit(z_train, y_train).predict_proba(z_test)
    expect(np.allclose(proba, ref, atol=1e-6),
           "The features are right but the predictions differ from LogisticRegression(max_iter=1000) trained on them: "
           "check the last step.")


def _pipeline_graded(fn, data):
    """What grading compares: the features and probabilities of a clone of the pipeline fitted on the
    training rows, on the test rows (an unseen region among them) and on a row with every input missing."""
    from sklearn.base import clone
    from threadpoolctl import threadpool_limits

    train, y_train, test = data["train"], data["y_train"], data["test"]
    numeric, categorical = list(data["numeric"]), list(data["categorical"])
    blank = test.iloc[:1].copy()
    blank[numeric + categorical] = np.nan
    with threadpool_limits(1):
        pipe = clone(fn(numeric, categorical, data["hour_col"])).fit(train, y_train)
        return {"features": dense(pipe[:-1].transform(test)), "proba": pipe.predict_proba(test)[:, 1],
                "proba_blank_row": pipe.predict_proba(blank)[:, 1]}


TASKS = [
    Task(
        id="feature_pipeline",
        assignment=A,
        question="S11",
        title="Feature engineering in a ColumnTransformer pipeline",
        function="build_feature_pipeline",
        points=3,
        hints=(
            "A ColumnTransformer takes a list of (name, transformer, columns): one entry for the numeric columns, "
            "one for the hour, one for the categorical columns, in that order. Put it and the model in a Pipeline.",
            "Numeric: SimpleImputer(strategy='median') then StandardScaler(). Categorical: SimpleImputer(strategy="
            "'most_frequent') then OneHotEncoder(handle_unknown='ignore'). Chain each pair with make_pipeline.",
            "For the hour, FunctionTransformer(f) with f(H) returning np.column_stack of sin and cos of 2π·H/24 "
            "(H arrives as a one-column frame: convert it with np.asarray(H, dtype=float)).",
        ),
        checks=(_pipeline_checks,),
        make_data=_pipeline_data,
        call=_pipeline_graded,
    ),
]
