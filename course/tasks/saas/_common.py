"""Small helpers shared by the checks of assignment 4 (``unpack`` and ``scalar`` come from ``_expect``)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._expect import CheckFailure, as_array, expect, scalar, unpack  # noqa: F401  (re-exported)


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


def is_fitted(estimator) -> bool:
    """Whether a scikit-learn estimator has been fitted (``check_is_fitted`` without the exception)."""
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    return True
