"""Coding task for A4: scaled dot-product attention with a mask and a stable softmax."""
from __future__ import annotations

import numpy as np

from .._expect import as_array, call_without_warnings, expect, unpack
from .._task import Task
from . import A

# A hand-worked example: d_k = 4, so the logits are (2·1 / sqrt(4), 0) = (1, 0) and the weights are
# (e / (e + 1), 1 / (e + 1)).
_TINY = {"Q": [[2.0, 0.0, 0.0, 0.0]], "K": [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]], "V": [[1.0], [0.0]]}
_TINY_WEIGHTS = [[0.7310585786300049, 0.2689414213699951]]


def _attention_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    n_q, n_k, d_k, d_v = 5, 7, 8, 3
    mask = np.ones((n_q, n_k), dtype=bool)
    mask[:, -2:] = False           # two padding positions nobody may attend to
    mask[1, :3] = False            # one query that may not see the first three keys
    return {"Q": rng.normal(size=(n_q, d_k)), "K": rng.normal(size=(n_k, d_k)),
            "V": rng.normal(size=(n_k, d_v)), "mask": mask}


def _run(fn, Q, K, V, mask, label):
    out = call_without_warnings(fn, Q, K, V, mask=mask, what=label,
                                advice="subtract each row's maximum before exponentiating.")
    out, weights = unpack(out, 2, "attention")
    return as_array(out, "the output"), as_array(weights, "the weights")


def _softmax_of_scaled_scores(w, Q, K, allowed, what, floor=0.0):
    """Fail unless, row by row, the allowed weights are proportional to exp(Q Kᵀ / sqrt(d_k)).

    Equivalently log(w) - Q Kᵀ / sqrt(d_k) is the same number across the allowed keys of a row (the
    softmax's normaliser); weights at or below ``floor`` are left out (exp underflows there).
    """
    scores = np.asarray(Q, float) @ np.asarray(K, float).T / np.sqrt(np.shape(Q)[-1])
    for i in range(w.shape[0]):
        keep = allowed[i] & (w[i] > floor)
        if keep.sum() < 2:
            continue
        offset = np.log(w[i, keep]) - scores[i, keep]
        expect(np.ptp(offset) < 1e-7 * max(1.0, np.abs(scores[i, keep]).max()),
               f"{what} are not a softmax of Q Kᵀ / sqrt(d_k) over the keys: divide the scores by the square root of "
               "d_k (the width of Q and K), then exponentiate and normalise each row.")


def _attention_correct(fn, data):
    Q, K, V, mask = data["Q"], data["K"], data["V"], data["mask"]
    n_q, n_k = len(Q), len(K)
    out, w = _run(fn, Q, K, V, None, "attention(Q, K, V)")
    expect(w.shape == (n_q, n_k), f"The weights should have one row per query and one column per key: shape {(n_q, n_k)}, got {w.shape}.")
    expect(out.shape == (n_q, V.shape[1]), f"The output should have one row per query and V's width: shape {(n_q, V.shape[1])}, got {out.shape}.")
    expect(np.all(w >= 0), "Attention weights are probabilities: none may be negative.")
    expect(np.allclose(w.sum(axis=-1), 1.0), "Each row of the weights should sum to 1: softmax over the keys (the last axis).")
    expect(np.allclose(out, w @ V, rtol=1e-9, atol=1e-12), "The output should be the weights times V (weights @ V).")
    _softmax_of_scaled_scores(w, Q, K, np.ones((n_q, n_k), dtype=bool), "The weights without a mask")
    _, tiny_w = _run(fn, np.array(_TINY["Q"]), np.array(_TINY["K"]), np.array(_TINY["V"]), None,
                     "attention on a one-query example")
    expect(tiny_w.shape == (1, 2) and np.allclose(tiny_w, _TINY_WEIGHTS, rtol=1e-9, atol=1e-12),
           "The weights of a small hand-worked example (one query, two keys, d_k = 4) are wrong: the logits are Q Kᵀ "
           "divided by sqrt(d_k), where d_k is the width of Q and K.")
    out, w = _run(fn, Q, K, V, mask, "attention(Q, K, V, mask)")
    expect(w.shape == (n_q, n_k), f"The masked weights should have shape {(n_q, n_k)}, got {w.shape}.")
    expect(np.all(w[~mask] == 0), "Masked positions (mask False) must get exactly zero weight.")
    expect(np.allclose(w.sum(axis=-1), 1.0),
           "With a mask, each row of the weights should still sum to 1 over the keys it may see: set the masked "
           "logits to -inf before the softmax, then renormalise over the rest.")
    expect(np.allclose(out, w @ V, rtol=1e-9, atol=1e-12), "The masked output should be the masked weights times V.")
    _softmax_of_scaled_scores(w, Q, K, mask, "The masked weights")
    out, w = _run(fn, 300 * Q, 300 * K, V, mask, "attention with large logits")
    expect(np.isfinite(out).all() and np.isfinite(w).all(),
           "With large logits your weights overflow to NaN or inf: subtract each row's maximum before np.exp.")
    expect(np.all(w[~mask] == 0) and np.allclose(w.sum(axis=-1), 1.0),
           "With large logits the weights should still be zero where masked and sum to 1 in every row.")
    scores = np.where(mask, (300 * Q) @ (300 * K).T, -np.inf)
    expect(np.array_equal(np.argmax(w, axis=-1), np.argmax(scores, axis=-1)),
           "With large logits each query should put (almost) all its weight on its highest-scoring allowed key.")
    _softmax_of_scaled_scores(w, 300 * Q, 300 * K, mask, "The weights for large logits", floor=1e-250)


TASKS = [
    Task(
        id="scaled_dot_product_attention",
        assignment=A,
        question="A4",
        title="Scaled dot-product attention with a mask and a stable softmax",
        function="attention",
        points=3,
        hints=(
            "Three steps: scores = Q Kᵀ / sqrt(d_k); a softmax over the keys (the last axis) turns each row of scores "
            "into weights; the output is weights @ V. Write Kᵀ as np.swapaxes(K, -1, -2) so batches work too.",
            "Masking: where mask is False, replace the score by -np.inf before the softmax, so exp gives exactly 0. "
            "Stability: subtract each row's maximum (keepdims=True) before np.exp; the softmax does not change.",
            "A row whose keys are all masked has maximum -inf: use 0 instead of that maximum, and divide with "
            "np.divide(e, total, out=np.zeros_like(e), where=total > 0) so the row's weights stay 0.",
        ),
        checks=(_attention_correct,),
        make_data=_attention_data,
    ),
]
