"""Helpers shared by the visible checks of assignment 3."""
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
    """``value`` as one finite float, or fail naming ``what``."""
    arr = as_array(value, what)
    expect(arr.ndim == 0 or arr.size == 1, f"{what} should be a single number, got shape {arr.shape}.")
    out = float(arr.reshape(-1)[0])
    return out


def expect_dict(value, keys, what: str) -> dict:
    """Fail unless ``value`` is a dict holding (at least) ``keys``."""
    if not isinstance(value, dict):
        raise CheckFailure(f"{what} should be a dict, got {type(value).__name__}.")
    missing = [k for k in keys if k not in value]
    expect(not missing, f"{what} is missing the key(s) {', '.join(map(repr, missing))}.")
    return value


def close(a: float, b: float, tol: float = 1e-9) -> bool:
    """Whether two numbers agree (both NaN counts as agreement)."""
    if np.isnan(a) and np.isnan(b):
        return True
    return bool(abs(a - b) <= tol * max(1.0, abs(b)))
