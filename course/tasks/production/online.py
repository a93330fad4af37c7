"""Coding task of assignment 2 for question S1: online learning with ``partial_fit``, evaluated prequentially."""
from __future__ import annotations

import numpy as np

from .._expect import as_array, call, expect, unpack
from .._task import Task
from . import A


def _prequential_data(seed: int) -> dict:
    from ...datasets.production import drifting_stream

    rng = np.random.default_rng(seed)
    X, y = drifting_stream(int(rng.integers(900, 1100)), seed=seed)
    return {"X": X, "y": y, "batch_size": int(rng.choice([40, 64, 100])), "classes": np.array([0, 1])}


def _run(fn, model, X, y, b, classes, what):
    fitted, scores = unpack(call(fn, model, X, y, b, classes), 2, "prequential_scores")
    expect(hasattr(fitted, "coef_"), "The model you return should be fitted: call `partial_fit` on every batch.")
    return fitted, as_array(scores, f"scores{what}", ndim=1)


def _prequential_matches(fn, data):
    import copy

    from sklearn.linear_model import SGDClassifier

    X, y, b, classes = data["X"], data["y"], data["batch_size"], data["classes"]
    model = SGDClassifier(loss="log_loss", random_state=0)
    fitted, scores = _run(fn, model, X, y, b, classes, "")
    expect(not hasattr(model, "coef_"),
           "The model you were given has been fitted: clone it first (`sklearn.base.clone`) so the caller's object stays untouched.")
    n_batches = -(-len(y) // b)
    expect(len(scores) == n_batches - 1,
           f"With {len(y)} rows in batches of {b} there are {n_batches} batches (the last one may be shorter); "
           f"scores should hold one accuracy per batch except the first: {n_batches - 1} values, got {len(scores)}.")
    expect(np.all((scores >= 0) & (scores <= 1)), "Each score is an accuracy on one batch, between 0 and 1.")
    # Test, then train: on the stream cut after batch j, the returned model has learned batches 0..j only; it
    # must be the model that scored batch j + 1, and one more partial_fit on that batch continues the run.
    for j in sorted({n_batches // 2 - 1, n_batches - 2}):
        cut, nxt = (j + 1) * b, min((j + 2) * b, len(y))
        head, head_scores = _run(fn, model, X[:cut], y[:cut], b, classes, f" on the first {cut} rows")
        expect(np.allclose(head_scores, scores[:j], rtol=0, atol=1e-12),
               "The scores of the first batches changed when the stream was cut after a later batch: each batch's score "
               "may depend only on the rows before it, and on the batch itself.")
        expect(abs(head.score(X[cut:nxt], y[cut:nxt]) - scores[j]) < 1e-12,
               "A batch's score should be the accuracy of the model as it was *before* it learned from that batch "
               "(test, then train), in the original row order.")
        if j == n_batches - 2:
            resumed = copy.deepcopy(head).partial_fit(X[cut:], y[cut:], classes=classes)
            expect(np.allclose(resumed.coef_, fitted.coef_, rtol=1e-9, atol=1e-12),
                   "The final model should have learned from every batch exactly once, in order, with "
                   "`partial_fit(X_batch, y_batch, classes=classes)`, the last (possibly shorter) batch included.")


def _prequential_graded(fn, data):
    """What grading compares: the scores and the final model's probabilities on the visible stream, then
    the statement's edge cases (a stream shorter than one batch, one class only in the first batches,
    another estimator, batch_size 0)."""
    from sklearn.linear_model import SGDClassifier
    from sklearn.naive_bayes import MultinomialNB

    X, y, b, classes = data["X"], data["y"], data["batch_size"], data["classes"]
    model = SGDClassifier(loss="log_loss", random_state=0)
    fitted, scores = fn(model, X, y, b, classes)
    out = {"scores": scores, "proba": fitted.predict_proba(X)[:, 1], "model_untouched": not hasattr(model, "coef_")}
    short, short_scores = fn(SGDClassifier(random_state=0), X[:b // 2], y[:b // 2], b, classes)
    out["short_stream"] = {"n_scores": len(short_scores), "coef": short.coef_}
    order = np.argsort(y, kind="stable")
    one_class_first, sorted_scores = fn(SGDClassifier(random_state=0), X[order], y[order], b, classes)
    out["one_class_first"] = {"classes": one_class_first.classes_, "scores": sorted_scores}
    out["multinomial_nb"] = fn(MultinomialNB(), np.rint(np.abs(X) * 3), y, b, classes)[1]   # counts: non-negative
    try:
        fn(SGDClassifier(random_state=0), X, y, 0, classes)
        out["batch_size_0"] = "returned"
    except ValueError:
        out["batch_size_0"] = "ValueError"
    return out


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
        call=_prequential_graded,
    ),
]
