"""Coding task for A4: scaled dot-product attention with a mask and a stable softmax."""
from __future__ import annotations

import warnings

import numpy as np

from .._expect import CheckFailure, as_array, call, expect, expect_close
from .._task import Task
from . import A
from ._common import unpack


def reference_attention(Q, K, V, mask=None):
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    logits = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), logits.shape)
        logits = np.where(mask, logits, -np.inf)
    top = np.max(logits, axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    e = np.exp(logits - top)
    total = e.sum(axis=-1, keepdims=True)
    weights = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
    return weights @ V, weights


def _attention_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    n_q, n_k, d_k, d_v = 5, 7, 8, 3
    mask = np.ones((n_q, n_k), dtype=bool)
    mask[:, -2:] = False           # two padding positions nobody may attend to
    mask[1, :3] = False            # one query that may not see the first three keys
    return {"Q": rng.normal(size=(n_q, d_k)), "K": rng.normal(size=(n_k, d_k)),
            "V": rng.normal(size=(n_k, d_v)), "mask": mask}


def _run(fn, Q, K, V, mask, label):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            out = call(fn, Q, K, V, mask=mask)
        except CheckFailure as err:
            if "Warning" in str(err):
                raise CheckFailure(f"{label} triggers a numerical warning ({err}): subtract each row's maximum "
                                   "before exponentiating.") from None
            raise
    out, weights = unpack(out, 2, "attention")
    return as_array(out, "the output"), as_array(weights, "the weights")


def _attention_correct(fn, data):
    Q, K, V, mask = data["Q"], data["K"], data["V"], data["mask"]
    out, w = _run(fn, Q, K, V, None, "attention(Q, K, V)")
    expect(w.shape == (len(Q), len(K)), f"The weights should have one row per query and one column per key: shape {(len(Q), len(K))}, got {w.shape}.")
    expect(out.shape == (len(Q), V.shape[1]), f"The output should have one row per query and V's width: shape {(len(Q), V.shape[1])}, got {out.shape}.")
    expect(np.allclose(w.sum(axis=-1), 1.0), "Each row of the weights should sum to 1: softmax over the keys (the last axis).")
    ref_out, ref_w = reference_attention(Q, K, V)
    expect_close(w, ref_w, "The weight matrix without a mask", rtol=1e-7, atol=1e-10,
                 hint="The logits are Q Kᵀ divided by sqrt(d_k), where d_k is the width of Q and K.")
    expect_close(out, ref_out, "The output without a mask", rtol=1e-7, atol=1e-10)
    out, w = _run(fn, Q, K, V, mask, "attention(Q, K, V, mask)")
    expect(np.all(w[~mask] == 0), "Masked positions (mask False) must get exactly zero weight.")
    ref_out, ref_w = reference_attention(Q, K, V, mask)
    expect_close(w, ref_w, "The masked weight matrix", rtol=1e-7, atol=1e-10,
                 hint="Set the logits of masked positions to -inf before the softmax, then renormalise over the rest.")
    expect_close(out, ref_out, "The masked output", rtol=1e-7, atol=1e-10)
    out, w = _run(fn, 300 * Q, 300 * K, V, mask, "attention with large logits")
    expect(np.isfinite(out).all() and np.isfinite(w).all(),
           "With large logits your weights overflow to NaN or inf: subtract each row's maximum before np.exp.")
    ref_out, ref_w = reference_attention(300 * Q, 300 * K, V, mask)
    expect_close(w, ref_w, "The weight matrix for large logits", rtol=1e-7, atol=1e-10)


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
