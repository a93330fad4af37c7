"""Checks on the shape of what a learner's function returns (tuples, scalars), shared by S1–S10."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, expect


def unpack(result, n: int, name: str) -> tuple:
    """Split a function's tuple result into ``n`` parts, or fail saying what was returned."""
    if not isinstance(result, (tuple, list)) or len(result) != n:
        got = f"a {type(result).__name__} of length {len(result)}" if isinstance(result, (tuple, list)) else f"a {type(result).__name__}"
        raise CheckFailure(f"`{name}` should return a tuple of {n} values, got {got}.")
    return tuple(result)


def scalar(value, what: str) -> float:
    """``value`` as a float, failing unless it is a single finite-or-not number."""
    arr = as_array(value, what)
    expect(arr.ndim == 0 or arr.size == 1, f"{what} should be a single number, got shape {arr.shape}.")
    return float(arr.reshape(-1)[0])
