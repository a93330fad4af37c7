"""Coding task of assignment 2 for question S1: online learning with ``partial_fit``, evaluated prequentially."""
from __future__ import annotations

import numpy as np

from .._expect import as_array, call, expect, expect_close
from .._task import Task
from . import A
from ._returns import unpack


def drifting_stream(n: int, n_features: int = 5, drift_at: float = 0.5, seed: int = 0):
    """A labelled stream whose decision rule changes abruptly after ``drift_at`` of the rows.

    Before the change the label is the sign of ``X @ w1`` (plus noise), after it the sign of
    ``X @ w2``, where ``w2`` keeps only part of ``w1``: a concept drift (S1, S20).
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features))
    w1 = rng.normal(size=n_features)
    w2 = 0.3 * w1 + rng.normal(size=n_features)
    cut = int(drift_at * n)
    logits = np.concatenate([X[:cut] @ w1, X[cut:] @ w2])
    y = (logits + rng.normal(scale=0.5, size=n) > 0).astype(int)
    return X, y


def _prequential_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    X, y = drifting_stream(int(rng.integers(900, 1100)), seed=seed)
    return {"X": X, "y": y, "batch_size": int(rng.choice([40, 64, 100])), "classes": np.array([0, 1])}


def _reference(model, X, y, batch_size, classes):
    from sklearn.base import clone

    model = clone(model)
    scores = []
    for i, start in enumerate(range(0, len(y), batch_size)):
        Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        if i > 0:
            scores.append(model.score(Xb, yb))
        model.partial_fit(Xb, yb, classes=classes)
    return model, np.array(scores)


def _prequential_matches(fn, data):
    from sklearn.linear_model import SGDClassifier

    X, y, b, classes = data["X"], data["y"], data["batch_size"], data["classes"]
    model = SGDClassifier(loss="log_loss", random_state=0)
    fitted, scores = unpack(call(fn, model, X, y, b, classes), 2, "prequential_scores")
    expect(not hasattr(model, "coef_"),
           "The model you were given has been fitted: clone it first (`sklearn.base.clone`) so the caller's object stays untouched.")
    expect(hasattr(fitted, "coef_"), "The model you return should be fitted: call `partial_fit` on every batch.")
    scores = as_array(scores, "scores", ndim=1)
    n_batches = -(-len(y) // b)
    expect(len(scores) == n_batches - 1,
           f"With {len(y)} rows in batches of {b} there are {n_batches} batches (the last one may be shorter); "
           f"scores should hold one accuracy per batch except the first: {n_batches - 1} values, got {len(scores)}.")
    ref_model, ref_scores = _reference(model, X, y, b, classes)
    expect_close(scores, ref_scores, "scores", rtol=1e-9, atol=1e-12,
                 hint="Score each batch with the model as it was *before* it learns from that batch (test, then train), in the original row order.")
    expect_close(fitted.coef_, ref_model.coef_, "The final model's coefficients", rtol=1e-9, atol=1e-12,
                 hint="Train on every batch exactly once, in order, with `partial_fit(X_batch, y_batch, classes=classes)`.")


TASKS = [
    Task(
        id="prequential_partial_fit",
        assignment=A,
        question="S1",
        title="Online learning with partial_fit, evaluated test-then-train",
        function="prequential_scores",
        points=3,
        hints=(
            "Walk through the rows in order, batch_size at a time. Each batch is first an exam for the "
            "current model and only then training material.",
            "`for i, start in enumerate(range(0, len(y), batch_size))` visits the batches; the first batch "
            "has no model to test yet, so it is only used for training.",
            "Clone the model (`sklearn.base.clone`), then per batch: if i > 0 append `model.score(Xb, yb)`, "
            "then `model.partial_fit(Xb, yb, classes=classes)`. Reject batch_size < 1 with a ValueError.",
        ),
        checks=(_prequential_matches,),
        make_data=_prequential_data,
    ),
]
