"""Coding tasks of assignment 2 for question S9: a SMOTE-style oversampler and a threshold for a recall target."""
from __future__ import annotations

import numpy as np

from .._expect import as_array, call, expect, scalar
from .._task import Task
from . import A


# --- SMOTE by hand --------------------------------------------------------------------------------

def _smote_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(25, 40)), int(rng.integers(2, 6))
    return {"X_min": rng.normal(size=(n, d)) * rng.uniform(0.5, 3, size=d), "n_new": int(rng.integers(60, 120)),
            "k": int(rng.choice([3, 5])), "seed": int(rng.integers(0, 1000))}


def on_neighbour_segments(X_min, synthetic, k, tol=1e-8):
    """Which synthetic rows lie on a segment between a minority point and one of its k nearest minority neighbours.

    A property of SMOTE's output (it verifies points, it does not make them); the hidden tests use it too.
    """
    X_min = np.asarray(X_min, float)
    d2 = ((X_min[:, None, :] - X_min[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d2, np.inf)
    nn = np.argsort(d2, axis=1, kind="stable")[:, :k]
    start = np.repeat(X_min, k, axis=0)                  # (n*k, d)
    step = X_min[nn.reshape(-1)] - start                 # (n*k, d)
    rel = synthetic[:, None, :] - start[None, :, :]      # (m, n*k, d)
    g = (rel * step[None]).sum(-1) / (step ** 2).sum(-1)[None]
    residual = np.linalg.norm(rel - g[..., None] * step[None], axis=-1)
    scale = 1.0 + np.abs(X_min).max()
    ok = (residual <= tol * scale) & (g >= -1e-9) & (g <= 1 + 1e-9)
    return ok.any(axis=1)


def _smote_properties(fn, data):
    X_min, n_new, k, seed = data["X_min"], data["n_new"], data["k"], data["seed"]
    before = X_min.copy()
    S = as_array(call(fn, X_min, n_new, k=k, seed=seed), f"smote(X_min, n_new={n_new}, k={k}, seed={seed})", ndim=2)
    expect(np.array_equal(X_min, before), "smote must not modify X_min.")
    expect(S.shape == (n_new, X_min.shape[1]), f"smote should return n_new new rows with the columns of X_min: shape ({n_new}, {X_min.shape[1]}), got {S.shape}.")
    expect(np.isfinite(S).all(), "The synthetic rows contain NaN or inf.")
    again = as_array(call(fn, X_min, n_new, k=k, seed=seed), "a second call with the same seed")
    expect(np.array_equal(S, again), "Two calls with the same seed gave different rows: draw every random number from np.random.default_rng(seed).")
    other = as_array(call(fn, X_min, n_new, k=k, seed=seed + 1), "a call with another seed")
    expect(not np.array_equal(S, other), "Two different seeds gave the same rows: the seed should drive the random choices.")
    on = on_neighbour_segments(X_min, S, k)
    expect(on.all(),
           f"{int((~on).sum())} of your {n_new} synthetic rows do not lie on a segment between a minority point and one of its "
           f"k={k} nearest minority neighbours (the point itself excluded). Use ONE random gap in [0, 1) per new row, "
           "shared by all its features.")
    copies = (np.abs(S[:, None, :] - X_min[None, :, :]).max(-1) < 1e-12).any(axis=1)
    expect(copies.mean() < 0.5, "Most synthetic rows are exact copies of minority rows: is the neighbour the point itself, or the gap always 0?")


# --- a threshold for a recall target --------------------------------------------------------------

def _threshold_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    y = (rng.random(700) < 0.08).astype(int)
    y[:3] = 1
    scores = np.round(1 / (1 + np.exp(-rng.normal(loc=2.0 * y - 2.5, scale=1.2))), 3)  # rounding makes ties
    return {"y_true": y, "scores": scores, "target_recall": float(rng.choice([0.75, 0.8, 0.9]))}


def _recall_at(y, s, t) -> float:
    return float(((s >= t) & (y == 1)).sum() / (y == 1).sum())


def _threshold_matches(fn, data):
    y, s, target = data["y_true"], data["scores"], data["target_recall"]
    t = call(fn, y, s, target)
    expect(isinstance(t, (float, np.floating)), f"threshold_for_recall should return a float, got {type(t).__name__}.")
    t = scalar(t, "The threshold")
    recall = _recall_at(y, s, t)
    expect(recall >= target - 1e-12,
           f"Predicting positive when score >= your threshold gives recall {recall:.3f}, below the target {target}: "
           "count the positives you need with a ceiling, not a floor.")
    higher = s[s > t]
    expect(len(higher) == 0 or _recall_at(y, s, higher.min()) < target - 1e-12,
           "Your threshold meets the recall target but is not the highest one that does: a higher threshold keeps "
           "the recall and gains precision. Return the largest score t with recall(score >= t) >= target_recall.")


TASKS = [
    Task(
        id="smote_oversampler",
        assignment=A,
        question="S9",
        title="A SMOTE-style oversampler by hand",
        function="smote",
        points=3,
        hints=(
            "Each new row is made from one minority row x and one of its k nearest minority neighbours z "
            "(never x itself): a random point on the segment from x to z.",
            "Neighbours: the pairwise squared distances of the minority rows with the diagonal set to inf; "
            "`np.argsort(d2, axis=1)[:, :k]`. Then, with rng = np.random.default_rng(seed), draw for each new row "
            "a base index, one of its k neighbours, and ONE gap in [0, 1).",
            "new = X[base] + gap[:, None] * (X[neighbour] - X[base]) — the gap has shape (n_new, 1), the same for "
            "all features. Handle n_new = 0 (an empty (0, d) array) and reject k outside 1..n_min-1 with ValueError.",
        ),
        checks=(_smote_properties,),
        make_data=_smote_data,
    ),
    Task(
        id="recall_threshold",
        assignment=A,
        question="S9",
        title="The decision threshold for a recall target",
        function="threshold_for_recall",
        points=2,
        hints=(
            "Lowering the threshold can only add predicted positives: recall rises and precision usually falls. "
            "You want the highest threshold that still reaches the target recall.",
            "Only the positives' scores matter for recall. If P positives exist, you must catch "
            "m = ceil(target_recall · P) of them: the m-th highest positive score is the answer.",
            "Floating point: 0.07 · 100 is 7.000000000000001, whose ceiling is 8. Use `math.ceil(target * P - 1e-9)`. "
            "Raise ValueError without positives, for NaN scores, or for a target outside (0, 1].",
        ),
        checks=(_threshold_matches,),
        make_data=_threshold_data,
    ),
]
