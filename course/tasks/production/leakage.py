"""Coding task of assignment 2 for question S13: find a leaking feature and score honestly."""
from __future__ import annotations

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A


def _leak_data(seed: int) -> dict:
    from ...datasets.production import fraud_table

    X, y, leak = fraud_table(seed)
    return {"X": X, "y": y, "k": 10 if seed % 2 == 0 else 5, "leak": leak}


def _audit(fn, X, y, k, what):
    result = call(fn, X, y, k=k)
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise CheckFailure(f"leak_audit should return a tuple (leaky_feature, inflated, honest), got {type(result).__name__}.")
    name, inflated, honest = result
    inflated = float(as_array(inflated, f"inflated{what}").reshape(-1)[0])
    honest = float(as_array(honest, f"honest{what}").reshape(-1)[0])
    expect(0.0 <= inflated <= 1.0 and 0.0 <= honest <= 1.0, "inflated and honest are ROC AUCs, between 0 and 1.")
    return name, inflated, honest


def _leak_checks(fn, data):
    X, y, k, leak = data["X"], data["y"], data["k"], data["leak"]
    before = X.copy()
    name, inflated, honest = _audit(fn, X, y, k, "")
    expect(X.equals(before), "leak_audit changed the frame it was given: drop the column from a copy (X.drop(columns=...)).")
    expect(isinstance(name, str) and name in X.columns, f"leaky_feature should be a column name of X, got {name!r}.")
    expect(name == leak, "That is not the leaking column: score every column alone by max(AUC, 1 - AUC) of its raw "
                         "values (rows with NaN dropped) and take the highest.")
    expect(inflated > honest,
           "With the leaking column the cross-validated AUC should be higher than without it: inflated is the score on "
           "all columns, honest the score of the same pipeline without the leaking column.")
    # Agreement between two calls: on the table without the leak, "inflated" scores exactly the columns that the
    # first call's honest score used, so the two numbers must be equal.
    _, inflated_without, _ = _audit(fn, X.drop(columns=[leak]), y, k, " (on the table without the leaking column)")
    if abs(inflated_without - honest) >= 1e-9:
        if honest > inflated_without + 1e-9:
            raise CheckFailure("honest is higher than the same pipeline cross-validated on the same columns: were the "
                               "imputer, scaler or feature selection fitted on all rows before cross-validation? Put every "
                               "step in the Pipeline and cross-validate the Pipeline.")
        raise CheckFailure("honest and inflated should come from the same procedure (the same Pipeline, "
                           "StratifiedKFold(n_splits=5, shuffle=True, random_state=0), scoring='roc_auc'), once with all "
                           "columns and once without the leaking one.")


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
