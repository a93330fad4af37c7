"""Small helpers shared by the checks of assignment 4.

``unpack`` and ``scalar`` are general (not specific to this assignment): they are meant to move to
``course.tasks._expect``; import them from there once they have moved.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._expect import CheckFailure, as_array, expect


def unpack(result, n: int, name: str) -> tuple:
    """Split a function's tuple result into ``n`` parts, or fail saying what was returned."""
    if not isinstance(result, (tuple, list)) or len(result) != n:
        got = f"a {type(result).__name__} of length {len(result)}" if isinstance(result, (tuple, list)) else f"a {type(result).__name__}"
        raise CheckFailure(f"`{name}` should return a tuple of {n} values, got {got}.")
    return tuple(result)


def scalar(value, what: str) -> float:
    """``value`` as one float, or fail saying it is not a single number."""
    arr = as_array(value, what)
    expect(arr.size == 1, f"{what} should be a single number, got shape {arr.shape}.")
    return float(arr.reshape(-1)[0])


def expect_frame(value, what: str) -> pd.DataFrame:
    """Fail unless ``value`` is a DataFrame."""
    expect(isinstance(value, pd.DataFrame), f"{what} should be a pandas DataFrame, got {type(value).__name__}.")
    return value


def expect_columns(frame: pd.DataFrame, columns, what: str) -> None:
    """Fail unless ``frame`` has every column of ``columns``."""
    missing = [c for c in columns if c not in frame.columns]
    expect(not missing, f"{what} lacks the column(s) {missing}; it has {list(frame.columns)}.")


def month_index(months: pd.Series) -> np.ndarray:
    """Position of each month among the sorted distinct months (0, 1, 2, ...)."""
    values = np.sort(months.unique())
    return np.searchsorted(values, months.to_numpy())


def quiet_optuna() -> None:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
