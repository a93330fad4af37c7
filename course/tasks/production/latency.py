"""Coding task of assignment 2 for question S10: symmetric per-column int8 weight quantization."""
from __future__ import annotations

import numpy as np

from .._expect import as_array, call, expect, expect_close, unpack
from .._task import Task
from . import A


def _quantize_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    n_in, n_out = int(rng.integers(20, 64)), int(rng.integers(5, 16))
    W = rng.normal(size=(n_in, n_out)) * rng.uniform(0.01, 2.0, size=n_out)  # columns on very different scales
    return {"W": W}


def _quantize_matches(fn, data):
    W = data["W"]
    before = W.copy()
    q, scale = unpack(call(fn, W), 2, "quantize_int8")
    expect(np.array_equal(W, before), "quantize_int8 must not modify W.")
    expect(isinstance(q, np.ndarray) and q.dtype == np.int8, f"q should be a NumPy array of dtype int8, got {getattr(q, 'dtype', type(q).__name__)}.")
    expect(q.shape == W.shape, f"q should have the shape of W, {W.shape}, got {q.shape}.")
    scale = as_array(scale, "scale", ndim=1)
    expect(scale.shape == (W.shape[1],), f"scale should hold one number per column (output unit) of W: shape ({W.shape[1]},), got {scale.shape}.")
    expect(np.all(scale > 0), "Every scale should be positive.")
    expect(int(np.abs(q.astype(int)).max()) <= 127, "Symmetric int8 quantization uses the range -127..127 (never -128).")
    error = np.abs(q * scale - W)
    expect(np.all(error <= scale / 2 + 1e-12),
           "Some dequantized weights (q * scale) are more than half a step (scale / 2) from W: round to the nearest "
           "integer before converting to int8 (astype truncates).")
    peak = np.abs(W).max(axis=0)
    expect_close(scale * 127, peak, "scale · 127", rtol=1e-12,
                 hint="Each column's scale maps its largest absolute weight to 127 (symmetric: the sign does not matter).")
    expect(np.all(np.abs(q.astype(int)).max(axis=0) == 127),
           "In every column the weight of largest magnitude should be quantized to ±127: the full int8 range is used.")


TASKS = [
    Task(
        id="int8_quantization",
        assignment=A,
        question="S10",
        title="Per-channel int8 weight quantization",
        function="quantize_int8",
        points=3,
        hints=(
            "Symmetric quantization stores w ≈ q · scale with an integer q in -127..127; each column (output unit) "
            "gets its own scale so that small-weight columns keep their precision.",
            "scale = max |W[:, j]| / 127 per column (`np.abs(W).max(axis=0) / 127`); an all-zero column would give "
            "scale 0, so use 1.0 there.",
            "q = np.clip(np.round(W / scale), -127, 127).astype(np.int8). Validate first: W must be 2-D and finite "
            "(ValueError otherwise).",
        ),
        checks=(_quantize_matches,),
        make_data=_quantize_data,
    ),
]
