"""Coding tasks of assignment 4 for Z2: profiling missing values and imputation inside a Pipeline."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A
from ._common import expect_columns, expect_frame, month_index, same_nan

ACCOUNT_NUMERIC = ["seats", "tenure_months", "logins", "days_since_last_login", "support_tickets",
                   "modules_used", "csat", "monthly_revenue"]
ACCOUNT_CATEGORICAL = ["plan", "region"]
PROFILE_COLUMNS = ["missing_rate", "target_rate_missing", "target_rate_observed"]
STRATEGIES = ("mean", "median", "most_frequent", "knn", "iterative")


# --- Z2: a missingness profile ----------------------------------------------------------------------

def _profile_data(seed: int) -> dict:
    from course.datasets.saas import load_saas_accounts

    return {"df": load_saas_accounts(n_accounts=300, n_months=6, seed=seed), "target": "churned"}


def reference_profile(df: pd.DataFrame, target: str) -> pd.DataFrame:
    """Missing rate and target rate with and without a value, per column with missing values."""
    rows = {}
    for col in df.columns:
        if col == target:
            continue
        miss = df[col].isna()
        if miss.any():
            rows[col] = (miss.mean(), df.loc[miss, target].mean(),
                         df.loc[~miss, target].mean() if (~miss).any() else np.nan)
    out = pd.DataFrame.from_dict(rows, orient="index", columns=PROFILE_COLUMNS, dtype=float)
    return out.sort_values("missing_rate", ascending=False, kind="stable")


def _profile_match(fn, data):
    df, target = data["df"], data["target"]
    before = df.copy()
    out = expect_frame(call(fn, df, target), "missingness_profile(df, target)")
    expect_columns(out, PROFILE_COLUMNS, "The profile")
    expect(df.equals(before), "missingness_profile changed `df` in place: compute on the frame without modifying it.")
    ref = reference_profile(df, target)
    expect(set(out.index) == set(ref.index),
           "The profile should have one row per column that has at least one missing value (and no row for the "
           "target or for complete columns), indexed by the column name.")
    expect(list(out.index) == list(ref.index), "Sort the rows by missing_rate, largest first.")
    got = out.loc[ref.index, PROFILE_COLUMNS].to_numpy(dtype=float)
    want = ref.to_numpy(dtype=float)
    if not np.allclose(got[:, 0], want[:, 0], equal_nan=True):
        raise CheckFailure("missing_rate has the wrong value on the visible example: it is the fraction of rows "
                           "(between 0 and 1) where the column is missing.")
    same_nan(got[:, 1:], want[:, 1:], "The target rates")
    if not np.allclose(got[:, 1:], want[:, 1:], equal_nan=True):
        raise CheckFailure("The target rates have the wrong value on the visible example: the mean of the target "
                           "over the rows where the column is missing, and over the rows where it is observed.")


# --- Z2: imputation inside a Pipeline ---------------------------------------------------------------

def _pipeline_data(seed: int) -> dict:
    from sklearn.linear_model import LogisticRegression

    from course.datasets.saas import load_saas_accounts

    df = load_saas_accounts(n_accounts=150, n_months=4, seed=seed)
    X = df[ACCOUNT_NUMERIC + ACCOUNT_CATEGORICAL]
    is_train = month_index(df["month"]) < 3
    return {"X_train": X[is_train], "y_train": df["churned"][is_train], "X_test": X[~is_train],
            "numeric": list(ACCOUNT_NUMERIC), "categorical": list(ACCOUNT_CATEGORICAL),
            "model": LogisticRegression(max_iter=1000)}


def make_imputer(strategy: str):
    """The numeric imputer of ``strategy``, with missing-value indicators."""
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer, KNNImputer, SimpleImputer

    if strategy in ("mean", "median", "most_frequent"):
        return SimpleImputer(strategy=strategy, add_indicator=True)
    if strategy == "knn":
        return KNNImputer(n_neighbors=5, add_indicator=True)
    if strategy == "iterative":
        return IterativeImputer(max_iter=10, random_state=0, add_indicator=True)
    raise ValueError(strategy)


def reference_imputation_pipeline(strategy, numeric, categorical, model):
    """Scale then impute numeric columns (with indicators); impute then one-hot categorical ones."""
    from sklearn.base import clone
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    num = Pipeline([("scale", StandardScaler()), ("impute", make_imputer(strategy))])
    cat = Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                    ("onehot", OneHotEncoder(handle_unknown="ignore"))])
    prep = ColumnTransformer([("num", num, list(numeric)), ("cat", cat, list(categorical))])
    return Pipeline([("prep", prep), ("model", clone(model))])


def _imputers_in(pipe):
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer, KNNImputer, SimpleImputer

    return [v for v in pipe.get_params(deep=True).values() if isinstance(v, (SimpleImputer, KNNImputer, IterativeImputer))]


def _pipeline_match(fn, data):
    from sklearn.exceptions import NotFittedError
    from sklearn.pipeline import Pipeline
    from sklearn.utils.validation import check_is_fitted

    expected_class = {"mean": "SimpleImputer", "median": "SimpleImputer", "most_frequent": "SimpleImputer",
                      "knn": "KNNImputer", "iterative": "IterativeImputer"}
    for strategy in STRATEGIES:
        model = data["model"]
        pipe = call(fn, strategy, data["numeric"], data["categorical"], model)
        what = f'imputation_pipeline("{strategy}", ...)'
        expect(isinstance(pipe, Pipeline), f"{what} should return a sklearn.pipeline.Pipeline, got {type(pipe).__name__}.")
        try:
            check_is_fitted(pipe)
            raise CheckFailure(f"{what} returned a fitted pipeline: return it unfitted; it is fitted later on training data only.")
        except NotFittedError:
            pass
        expect(pipe.steps[-1][1] is not model,
               f"The last step of {what} is the very `model` object you were given: put a clone in it "
               "(sklearn.base.clone), so pipelines never share one fitted estimator.")
        found = [imp for imp in _imputers_in(pipe) if type(imp).__name__ == expected_class[strategy]
                 and getattr(imp, "add_indicator", False)
                 and (expected_class[strategy] != "SimpleImputer" or imp.strategy == strategy)]
        expect(found, f'{what} should impute numeric columns with a {expected_class[strategy]}'
                      f'{" (strategy=" + repr(strategy) + ")" if expected_class[strategy] == "SimpleImputer" else ""} '
                      "with add_indicator=True.")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                pipe.fit(data["X_train"], data["y_train"])
                Z = pipe[:-1].transform(data["X_test"])
                proba = pipe.predict_proba(data["X_test"])[:, 1]
            except Exception as err:  # the learner's pipeline may fail in many ways
                raise CheckFailure(f"Fitting or using the pipeline of {what} raised {type(err).__name__}: {err}") from None
            ref = reference_imputation_pipeline(strategy, data["numeric"], data["categorical"], model)
            ref.fit(data["X_train"], data["y_train"])
            Z_ref = ref[:-1].transform(data["X_test"])
            proba_ref = ref.predict_proba(data["X_test"])[:, 1]
        Z = as_array(Z.toarray() if hasattr(Z, "toarray") else Z, "The transformed test data")
        expect(not np.isnan(Z).any(), f"The pipeline of {what} still passes NaN to the model.")
        expect(Z.shape[1] == np.shape(Z_ref)[1],
               f"The pipeline of {what} gives {Z.shape[1]} columns to the model; expected one per numeric column, one "
               "missing-value indicator per numeric column with missing training values, and one per category.")
        if not np.allclose(proba, proba_ref, atol=2e-3):
            raise CheckFailure(
                f"The predictions of {what} differ from the specified pipeline: numeric columns scaled with "
                "StandardScaler, then imputed (with indicators); categorical columns imputed with the most frequent "
                "value, then one-hot encoded (handle_unknown=\"ignore\").")


TASKS = [
    Task(
        id="missingness_profile",
        assignment=A,
        question="Z2",
        title="Profile the missing values",
        function="missingness_profile",
        points=2,
        hints=(
            "`df[col].isna()` is a boolean mask; its mean is the missing rate, and it selects the rows whose target rate you need.",
            "Loop over the columns except the target, keep those whose mask has any True, and collect (missing rate, target mean where missing, target mean where observed).",
            "Build a DataFrame indexed by column name with the three named columns, then `sort_values(\"missing_rate\", ascending=False, kind=\"stable\")`.",
        ),
        checks=(_profile_match,),
        make_data=_profile_data,
    ),
    Task(
        id="imputation_pipeline",
        assignment=A,
        question="Z2",
        title="Imputation strategies inside a Pipeline",
        function="imputation_pipeline",
        points=4,
        hints=(
            "Return an unfitted `Pipeline([(\"prep\", ColumnTransformer(...)), (\"model\", clone(model))])`: everything the imputer learns is then learned inside `fit`, from training rows only.",
            "Numeric branch: `Pipeline([(\"scale\", StandardScaler()), (\"impute\", imputer)])` (StandardScaler ignores NaN when fitting and keeps it). KNN distances need scaled columns, which is why scaling comes first.",
            "The imputer: SimpleImputer(strategy=...), KNNImputer(n_neighbors=5) or IterativeImputer(max_iter=10, random_state=0), each with add_indicator=True (IterativeImputer needs `from sklearn.experimental import enable_iterative_imputer` first). Unknown strategy: raise ValueError.",
        ),
        checks=(_pipeline_match,),
        make_data=_pipeline_data,
    ),
]
