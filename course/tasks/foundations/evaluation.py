"""Coding tasks of assignment 1 for questions F1–F10: splitting, validation, metrics, scaling."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, call, expect, expect_close
from .._task import Task
from . import A


# --- F6: k-fold cross-validation by hand ---------------------------------------------------------

def _kfold_data(seed: int) -> dict:
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(y), size=300, replace=False)
    return {"X": X[rows], "y": y[rows], "k": int(rng.integers(3, 7))}


def _kfold_matches_sklearn(fn, data):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    X, y, k = data["X"], data["y"], data["k"]
    scores = as_array(call(fn, model, X, y, k), f"kfold_scores(model, X, y, k={k})", ndim=1)
    expect(len(scores) == k, f"kfold_scores should return one score per fold: {k} scores for k={k}, got {len(scores)}.")
    expect(np.all((scores >= 0) & (scores <= 1)), "Accuracy scores must lie between 0 and 1.")
    reference = cross_val_score(model, X, y, cv=KFold(n_splits=k))
    expect_close(scores, reference, "The fold scores", rtol=1e-6,
                 hint="Use contiguous folds in the original row order, like KFold(n_splits=k) without shuffling.")


TASKS = [
    Task(
        id="kfold_cv",
        assignment=A,
        question="F6",
        title="k-fold cross-validation by hand",
        function="kfold_scores",
        points=3,
        hints=(
            "Split the row indices 0..n-1 into k contiguous blocks; each block is the validation fold once.",
            "`np.array_split(np.arange(n), k)` gives the blocks, sized like scikit-learn's KFold (the first n % k folds get one extra row).",
            "For each block: fit `sklearn.base.clone(model)` on the other rows, then score accuracy on the block with `.score`.",
        ),
        checks=(_kfold_matches_sklearn,),
        make_data=_kfold_data,
    ),
]
