"""Coding tasks of assignment 4 for Z2: profiling missing values and imputation inside a Pipeline.

The visible checks test properties of a correct answer (the law of total probability, standardized
observed values, indicator columns equal to the gaps, a worked example); the exact comparison with
the reference solution happens in the hidden tests and in the grader.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A
from ._common import expect_columns, expect_frame, is_fitted, month_index

ACCOUNT_NUMERIC = ["seats", "tenure_months", "logins", "days_since_last_login", "support_tickets",
                   "modules_used", "csat", "monthly_revenue"]
ACCOUNT_CATEGORICAL = ["plan", "region"]
PROFILE_COLUMNS = ["missing_rate", "target_rate_missing", "target_rate_observed"]
STRATEGIES = ("mean", "median", "most_frequent", "knn", "iterative")


# --- Z2: a missingness profile ----------------------------------------------------------------------

def _profile_data(seed: int) -> dict:
    from course.datasets.saas import load_saas_accounts

    return {"df": load_saas_accounts(n_accounts=300, n_months=6, seed=seed), "target": "churned"}


# Worked by hand: seats is missing in rows 1, 3, 4 (rate 0.6; churn 0/3 there, 2/2 where observed),
# plan in row 2 (rate 0.2; churn 1/1 there, 1/4 where observed); logins is complete.
_SMALL = pd.DataFrame({"churned": [1, 0, 1, 0, 0], "seats": [1.0, np.nan, 3.0, np.nan, np.nan],
                       "plan": ["pro", "free", None, "pro", "free"], "logins": [1, 2, 3, 4, 5]})
_SMALL_PROFILE = (["seats", "plan"], [[0.6, 0.0, 1.0], [0.2, 1.0, 0.25]])


def _profile_properties(fn, data):
    df, target = data["df"], data["target"]
    before = df.copy()
    out = expect_frame(call(fn, df, target), "missingness_profile(df, target)")
    expect_columns(out, PROFILE_COLUMNS, "The profile")
    expect(df.equals(before), "missingness_profile changed `df` in place: compute on the frame without modifying it.")
    incomplete = {c for c in df.columns if c != target and df[c].isna().any()}
    expect(set(out.index) == incomplete,
           "The profile should have one row per column that has at least one missing value (and no row for the "
           "target or for complete columns), indexed by the column name.")
    values = as_array(out[PROFILE_COLUMNS], "The profile's values", ndim=2)
    rate, when_missing, when_observed = values.T
    expect(np.all((rate > 0) & (rate <= 1)),
           "missing_rate should be the fraction of rows (between 0 and 1) where the column is missing, not a count.")
    counts = rate * len(df)
    expect(np.allclose(counts, np.round(counts), atol=1e-6),
           "missing_rate times the number of rows should be a whole number of rows: divide by len(df).")
    expect(np.all(np.diff(rate) <= 1e-12), "Sort the rows by missing_rate, largest first.")
    expect(np.all((when_missing >= 0) & (when_missing <= 1)) and np.all(np.isnan(when_observed) | ((when_observed >= 0) & (when_observed <= 1))),
           "The target rates should be means of the 0/1 target, between 0 and 1.")
    # Law of total probability: rate * (target rate where missing) + (1 - rate) * (where observed) = overall rate.
    overall = float(df[target].mean())
    mix = rate * when_missing + (1 - rate) * np.nan_to_num(when_observed)
    if not np.allclose(mix, overall, atol=1e-9):
        raise CheckFailure("missing_rate x target_rate_missing + (1 - missing_rate) x target_rate_observed should equal "
                           "the overall target rate for every column: check which rows each target rate averages over.")
    small = expect_frame(call(fn, _SMALL.copy(), "churned"), "missingness_profile on a small example")
    expect_columns(small, PROFILE_COLUMNS, "The profile of a small example")
    want_index, want_values = _SMALL_PROFILE
    expect(list(small.index) == want_index,
           "On a small example worked by hand (a numeric and a text column with gaps, one complete column), the rows "
           "or their order are wrong: every incomplete column, text columns too, by missing_rate, largest first.")
    if not np.allclose(as_array(small[PROFILE_COLUMNS], "The small profile", ndim=2), want_values):
        raise CheckFailure("On a small example worked by hand, the profile has wrong values: the mean of the 0/1 "
                           "target over the rows where the column is missing, and over the rows where it is observed.")


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


_IMPUTER_CLASS = {"mean": "SimpleImputer", "median": "SimpleImputer", "most_frequent": "SimpleImputer",
                  "knn": "KNNImputer", "iterative": "IterativeImputer"}


def _imputers_in(pipe):
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer, KNNImputer, SimpleImputer

    return [v for v in pipe.get_params(deep=True).values() if isinstance(v, (SimpleImputer, KNNImputer, IterativeImputer))]


def _dense(Z, what: str) -> np.ndarray:
    return as_array(Z.toarray() if hasattr(Z, "toarray") else Z, what, ndim=2)


def _numeric_branch(pipe, numeric, what: str):
    """The fitted transformer that the pipeline's ColumnTransformer applies to the numeric columns."""
    from sklearn.compose import ColumnTransformer

    prep = pipe.steps[0][1]
    expect(isinstance(prep, ColumnTransformer), f"The first step of {what} should be a ColumnTransformer, got {type(prep).__name__}.")
    for _, transformer, columns in getattr(prep, "transformers_", []):
        if isinstance(columns, (list, tuple, np.ndarray, pd.Index)) and list(columns) == list(numeric):
            return transformer
    raise CheckFailure(f"The ColumnTransformer of {what} should have one branch for exactly the `numeric` columns.")


def _numeric_branch_ok(branch, strategy, X_train, numeric, what: str) -> None:
    """Observed values standardized, gaps filled as the strategy says, one indicator per incomplete column."""
    X = X_train[list(numeric)].to_numpy(dtype=float)
    gaps = np.isnan(X)
    incomplete = np.flatnonzero(gaps.any(axis=0))
    Z = _dense(branch.transform(X_train[list(numeric)]), f"The numeric columns transformed by {what}")
    expect(Z.shape == (len(X), len(numeric) + len(incomplete)),
           f"The numeric branch of {what} gives {Z.shape[1]} columns: expected one per numeric column plus one "
           "missing-value indicator per numeric column with gaps in the training rows.")
    expect(not np.isnan(Z).any(), f"The numeric branch of {what} still outputs NaN.")
    values, flags = Z[:, :len(numeric)], Z[:, len(numeric):]
    for j in range(len(numeric)):
        seen = values[~gaps[:, j], j]
        if len(seen) > 1 and np.std(X[~gaps[:, j], j]) > 0:
            expect(abs(seen.mean()) < 1e-6 and abs(seen.std() - 1) < 1e-6,
                   f"In {what}, the observed numeric values are not standardized (mean 0, standard deviation 1): "
                   "scale first (StandardScaler ignores NaN when fitting), then impute.")
    for j in incomplete:
        expect(any(np.array_equal(flags[:, i], gaps[:, j]) for i in range(flags.shape[1])),
               f"The indicator columns of {what} should be 1 exactly where a numeric column is missing.")
    filled = [values[gaps[:, j], j] for j in incomplete]
    if strategy in ("mean", "median", "most_frequent"):
        for j, f in zip(incomplete, filled):
            seen = values[~gaps[:, j], j]
            if strategy == "mean":
                ok = np.allclose(f, seen.mean(), atol=1e-6)
            elif strategy == "median":
                ok = np.allclose(f, np.median(seen), atol=1e-6)
            else:
                uniq, counts = np.unique(np.round(seen, 9), return_counts=True)
                ok = np.allclose(f, f[0]) and np.isclose(f[0], uniq[counts == counts.max()]).any()
            expect(ok, f"In {what}, the gaps of a numeric column are not filled with the {strategy.replace('_', ' ')} "
                       "of its (scaled) training values.")
    else:
        expect(any(len(f) > 1 and np.ptp(f) > 1e-9 for f in filled),
               f"In {what}, every gap of a column gets the same value: {_IMPUTER_CLASS[strategy]} fills each row from "
               "the row's other values.")


def _pipeline_properties(fn, data):
    from sklearn.exceptions import NotFittedError
    from sklearn.pipeline import Pipeline
    from sklearn.utils.validation import check_is_fitted

    numeric, categorical, model = data["numeric"], data["categorical"], data["model"]
    X_train, y_train, X_test = data["X_train"], data["y_train"], data["X_test"]
    n_categories = sum(X_train[c].dropna().nunique() for c in categorical)
    n_incomplete = int(X_train[numeric].isna().any().sum())
    for strategy in STRATEGIES:
        pipe = call(fn, strategy, numeric, categorical, model)
        what = f'imputation_pipeline("{strategy}", ...)'
        expect(isinstance(pipe, Pipeline), f"{what} should return a sklearn.pipeline.Pipeline, got {type(pipe).__name__}.")
        try:
            check_is_fitted(pipe)
            raise CheckFailure(f"{what} returned a fitted pipeline: return it unfitted; it is fitted later on training data only.")
        except NotFittedError:
            pass
        last = pipe.steps[-1][1]
        expect(last is not model,
               f"The last step of {what} is the very `model` object you were given: put a clone in it "
               "(sklearn.base.clone), so pipelines never share one fitted estimator.")
        expect(type(last) is type(model) and last.get_params() == model.get_params(),
               f"The last step of {what} should be a clone of `model`: same class, same parameters.")
        found = [imp for imp in _imputers_in(pipe) if type(imp).__name__ == _IMPUTER_CLASS[strategy]
                 and getattr(imp, "add_indicator", False)
                 and (_IMPUTER_CLASS[strategy] != "SimpleImputer" or imp.strategy == strategy)]
        expect(found, f'{what} should impute numeric columns with a {_IMPUTER_CLASS[strategy]}'
                      f'{" (strategy=" + repr(strategy) + ")" if _IMPUTER_CLASS[strategy] == "SimpleImputer" else ""} '
                      "with add_indicator=True.")
        unseen = X_test.copy()
        unseen.loc[unseen.index[:3], "region"] = "LATAM"          # a region never seen in training
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                pipe.fit(X_train, y_train)
                Z = pipe[:-1].transform(X_test)
                proba = pipe.predict_proba(unseen)[:, 1]
                branch = _numeric_branch(pipe, numeric, what)
                _numeric_branch_ok(branch, strategy, X_train, numeric, what)
            except CheckFailure:
                raise
            except Exception as err:  # the learner's pipeline may fail in many ways
                raise CheckFailure(f"Fitting or using the pipeline of {what} raised {type(err).__name__}: {str(err)[:200]}") from None
        Z = _dense(Z, "The transformed test data")
        expect(not np.isnan(Z).any(), f"The pipeline of {what} still passes NaN to the model.")
        expect(Z.shape[1] == len(numeric) + n_incomplete + n_categories,
               f"The pipeline of {what} gives {Z.shape[1]} columns to the model; expected one per numeric column, one "
               "missing-value indicator per numeric column with missing training values, and one per category.")
        expect(np.isfinite(proba).all() and ((proba >= 0) & (proba <= 1)).all(),
               f"The pipeline of {what} should give probabilities between 0 and 1, also for a category never seen in "
               "training (OneHotEncoder(handle_unknown=\"ignore\")).")


def _pipeline_graded(fn, data):
    """What grading compares, per strategy: the test probabilities of the pipeline fitted on the training
    rows (with gaps in a categorical column, and a region never seen in training), whether it came back
    unfitted and whether the caller's model stayed untouched; then whether an unknown strategy raises
    ValueError."""
    from sklearn.base import clone
    from threadpoolctl import threadpool_limits

    numeric, categorical = list(data["numeric"]), list(data["categorical"])
    X_train, X_test = data["X_train"].copy(), data["X_test"].copy()
    X_train.loc[X_train.index[::7], "plan"] = np.nan
    X_test.loc[X_test.index[:3], "region"] = "LATAM"
    out = {}
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for strategy in STRATEGIES:
            model = clone(data["model"])
            pipe = fn(strategy, numeric, categorical, model)
            unfitted = not is_fitted(pipe)
            proba = pipe.fit(X_train, data["y_train"]).predict_proba(X_test)[:, 1]
            out[strategy] = {"proba": proba, "unfitted": unfitted, "model_untouched": not is_fitted(model)}
    try:
        fn("zero", numeric, categorical, clone(data["model"]))
        out["unknown_strategy"] = "returned"
    except ValueError:
        out["unknown_strategy"] = "ValueError"
    return out


def _same_pipelines(actual, expected) -> bool:
    """Grading: the same flags, and probabilities within 2e-3 of the reference's, as in the hidden test.

    Equivalent pipelines (another column order, sparse or dense output) stop LogisticRegression's
    solver at slightly different points, a few 1e-4 apart.
    """
    if not isinstance(actual, dict) or set(actual) != set(expected):
        return False
    for key, want in expected.items():
        got = actual[key]
        if not isinstance(want, dict):
            if got != want:
                return False
            continue
        if not isinstance(got, dict) or set(got) != set(want) or any(got[k] is not want[k] for k in ("unfitted", "model_untouched")):
            return False
        try:
            proba = np.asarray(got["proba"], dtype=float)
        except (TypeError, ValueError):
            return False
        if proba.shape != (len(want["proba"]),) or not np.allclose(proba, want["proba"], rtol=0, atol=2e-3):
            return False
    return True


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
        checks=(_profile_properties,),
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
        checks=(_pipeline_properties,),
        make_data=_pipeline_data,
        call=_pipeline_graded,
        compare=_same_pipelines,
    ),
]
