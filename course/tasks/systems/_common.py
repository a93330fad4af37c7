"""Helpers shared by the visible checks of assignment 3 (``unpack`` and ``scalar`` live in ``course.tasks``)."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, expect


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
