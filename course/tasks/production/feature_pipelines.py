"""Coding task of assignment 2 for question S11: feature engineering inside a ColumnTransformer pipeline."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, call, expect
from .._task import Task
from . import A

NUMERIC = ["tenure_months", "monthly_spend", "support_tickets"]
CATEGORICAL = ["plan", "region"]
HOUR = "signup_hour"


def churn_frame(seed: int = 0, n_train: int = 400, n_test: int = 120):
    """A synthetic churn table with missing values, categories and a cyclic hour of day.

    Returns ``(train, y_train, test, y_test)``; ``test`` holds a region never seen in ``train``.
    Churn depends on the hour through ``cos(2π·hour/24)``: customers who sign up around midnight
    churn more, and 23:00 is as close to midnight as 01:00 is.
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    n = n_train + n_test
    tenure = rng.integers(1, 72, n).astype(float)
    spend = np.round(rng.gamma(2.0, 30.0, n), 2)
    tickets = rng.poisson(1.2, n).astype(float)
    plan = rng.choice(["basic", "plus", "pro"], n, p=[0.5, 0.3, 0.2]).astype(object)
    region = rng.choice(["north", "south", "east", "west"], n).astype(object)
    hour = rng.integers(0, 24, n)
    logit = (-0.04 * tenure + 0.01 * spend + 0.5 * tickets + np.where(plan == "basic", 0.8, -0.3)
             + 1.2 * np.cos(2 * np.pi * hour / 24) + rng.normal(0, 0.5, n))
    y = (logit > np.median(logit)).astype(int)
    df = pd.DataFrame({"tenure_months": tenure, "monthly_spend": spend, "support_tickets": tickets,
                       "plan": plan, "region": region, "signup_hour": hour})
    df.loc[rng.random(n) < 0.1, "monthly_spend"] = np.nan
    df.loc[rng.random(n) < 0.05, "plan"] = np.nan
    train = df.iloc[:n_train].reset_index(drop=True)
    test = df.iloc[n_train:].reset_index(drop=True)
    test.loc[rng.random(n_test) < 0.1, "region"] = "unknown"
    return train, y[:n_train], test, y[n_train:]


def _pipeline_data(seed: int) -> dict:
    train, y_train, test, y_test = churn_frame(seed)
    numeric = list(NUMERIC)
    if seed % 2 == 1:  # other variants: another column set, in another order
        numeric = ["support_tickets", "tenure_months"]
    return {"train": train, "y_train": y_train, "test": test, "y_test": y_test,
            "numeric": numeric, "categorical": list(CATEGORICAL) if seed % 2 == 0 else ["region", "plan"],
            "hour_col": HOUR}


def _dense(Z):
    return np.asarray(Z.toarray() if hasattr(Z, "toarray") else Z, dtype=float)


def _reference_blocks(train, frame, numeric, categorical, hour_col):
    """The expected feature matrix of ``frame`` for a pipeline fitted on ``train``, block by block."""
    from sklearn.preprocessing import OneHotEncoder

    tr = train[numeric].to_numpy(dtype=float)
    med = np.nanmedian(tr, axis=0)
    tr = np.where(np.isnan(tr), med, tr)
    mean, std = tr.mean(axis=0), tr.std(axis=0)
    std[std == 0] = 1.0
    x = frame[numeric].to_numpy(dtype=float)
    num = (np.where(np.isnan(x), med, x) - mean) / std
    h = frame[hour_col].to_numpy(dtype=float)
    hour = np.column_stack([np.sin(2 * np.pi * h / 24), np.cos(2 * np.pi * h / 24)])
    modes = [train[c].mode(dropna=True).sort_values().iloc[0] for c in categorical]

    def fill(df):
        return df[categorical].astype(object).fillna(dict(zip(categorical, modes)))

    enc = OneHotEncoder(handle_unknown="ignore").fit(fill(train))
    cat = enc.transform(fill(frame)).toarray()
    return num, hour, cat


def _pipeline_checks(fn, data):
    from sklearn.base import clone
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
        z_train, z_test = _dense(pipe[:-1].transform(train)), _dense(pipe[:-1].transform(test))
    except Exception as err:
        raise CheckFailure(f"pipe[:-1].transform raised {type(err).__name__}: {err}: the last step should be the model "
                           "and every step before it a transformer.") from None
    num, hour, cat = _reference_blocks(train, train, numeric, categorical, hour_col)
    width = num.shape[1] + 2 + cat.shape[1]
    expect(z_train.shape == (len(train), width),
           f"The feature matrix should have {width} columns (the scaled numeric columns, sin and cos of the hour, "
           f"one column per category seen in training), got shape {z_train.shape}.")
    expect(not np.isnan(z_train).any() and not np.isnan(z_test).any(), "The feature matrix contains NaN: impute before scaling and encoding.")
    k = num.shape[1]
    for name, z, frame in (("training", z_train, train), ("test", z_test, test)):
        num, hour, cat = _reference_blocks(train, frame, numeric, categorical, hour_col)
        expect(np.allclose(z[:, :k], num, atol=1e-8),
               f"The numeric block (first {k} columns, in the order given) is wrong on the {name} rows: impute the median "
               "and standardize with statistics of the training rows only.")
        expect(np.allclose(z[:, k:k + 2], hour, atol=1e-8),
               f"Columns {k} and {k + 1} should be sin(2π·hour/24) and cos(2π·hour/24) of the hour column ({name} rows).")
        expect(np.allclose(z[:, k + 2:], cat, atol=1e-8),
               f"The one-hot block is wrong on the {name} rows: fill missing categories with the most frequent one, "
               "one-hot encode the categorical columns in the order given, and encode an unseen category as all zeros.")
    from sklearn.linear_model import LogisticRegression

    ref = LogisticRegression(max_iter=1000).fit(z_train, y_train).predict_proba(z_test)
    expect(np.allclose(proba, ref, atol=1e-6),
           "The features are right but the predictions differ from LogisticRegression(max_iter=1000) trained on them: "
           "check the last step.")


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
    ),
]
