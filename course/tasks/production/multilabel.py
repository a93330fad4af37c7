"""Coding task of assignment 2 for question S18: multi-label metrics by hand."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, call, expect
from .._task import Task
from . import A

METRICS = ("hamming_loss", "subset_accuracy", "micro_f1", "macro_f1")


def _multilabel_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    n, L = (12, 4) if seed == 0 else (int(rng.integers(20, 60)), int(rng.integers(3, 7)))
    rates = rng.uniform(0.1, 0.6, L)
    Y_true = (rng.random((n, L)) < rates).astype(int)
    flip = rng.random((n, L)) < 0.2
    Y_pred = np.where(flip, 1 - Y_true, Y_true)
    Y_true[:, -1] = 0  # a rare label that never occurs here ...
    Y_pred[:, -1] = 0  # ... and is never predicted: its F1 is 0/0
    Y_pred[: n // 3] = Y_true[: n // 3]  # some rows exactly right, for subset accuracy
    return {"Y_true": Y_true, "Y_pred": Y_pred}


def _multilabel_checks(fn, data):
    Y_true, Y_pred = data["Y_true"], data["Y_pred"]
    out = call(fn, Y_true.copy(), Y_pred.copy())
    expect(isinstance(out, dict), f"multilabel_scores should return a dict, got {type(out).__name__}.")
    missing = [k for k in METRICS if k not in out]
    expect(not missing, f"The result is missing the key(s) {', '.join(missing)}.")
    # scikit-learn computes the same four metrics: it is the oracle.
    from sklearn.metrics import accuracy_score, f1_score, hamming_loss

    ref = {"hamming_loss": hamming_loss(Y_true, Y_pred), "subset_accuracy": accuracy_score(Y_true, Y_pred),
           "micro_f1": f1_score(Y_true, Y_pred, average="micro", zero_division=0),
           "macro_f1": f1_score(Y_true, Y_pred, average="macro", zero_division=0)}
    advice = {
        "hamming_loss": "the share of wrong cells over all rows × labels.",
        "subset_accuracy": "the share of rows whose whole label set is exactly right.",
        "micro_f1": "pool TP, FP and FN over all labels first, then one F1 = 2TP / (2TP + FP + FN).",
        "macro_f1": "one F1 per label, then their plain mean; a label with 2TP + FP + FN = 0 counts as F1 = 0.",
    }
    for k in METRICS:
        try:
            v = float(out[k])
        except (TypeError, ValueError):
            raise CheckFailure(f"{k} should be a number, got {type(out[k]).__name__}.") from None
        expect(np.isfinite(v), f"{k} is NaN or inf: {advice[k]}")
        if abs(v - ref[k]) > 1e-9:
            raise CheckFailure(f"{k} is wrong: it is {advice[k]}")


TASKS = [
    Task(
        id="multilabel_metrics",
        assignment=A,
        question="S18",
        title="Multi-label metrics by hand",
        function="multilabel_scores",
        points=3,
        hints=(
            "Work on the 0/1 matrices directly: compare them cell by cell, row by row, or label by label.",
            "Count TP = sum(Y_true & Y_pred), FP = sum(~Y_true & Y_pred), FN = sum(Y_true & ~Y_pred) with axis=0 for one "
            "count per label; micro sums those vectors before the F1, macro averages the per-label F1s.",
            "Guard the division: f1 = np.divide(2*tp, 2*tp + fp + fn, out=np.zeros(L), where=(2*tp + fp + fn) > 0). "
            "Validate shapes first and raise ValueError.",
        ),
        checks=(_multilabel_checks,),
        make_data=_multilabel_data,
    ),
]
