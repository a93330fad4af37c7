"""Small assertions for visible checks; their messages say what is wrong, never the expected value."""
from __future__ import annotations

import numpy as np


class CheckFailure(AssertionError):
    """A visible check failed; the message tells the learner what to fix."""


class NotAttempted(Exception):
    """The learner's function still raises ``NotImplementedError`` (the untouched stub)."""


def dense(Z) -> np.ndarray:
    """A transformer's output as a dense float array (sparse matrices are expanded)."""
    return np.asarray(Z.toarray() if hasattr(Z, "toarray") else Z, dtype=float)


def call(fn, *args, **kwargs):
    """Call the learner's function, turning crashes into messages a learner can act on."""
    name = getattr(fn, "__name__", "your function")
    try:
        result = fn(*args, **kwargs)
    except NotImplementedError:
        raise NotAttempted(name) from None
    except Exception as err:  # the learner's code may raise anything
        raise CheckFailure(f"`{name}` raised {type(err).__name__}: {err}") from None
    if result is None:
        raise CheckFailure(f"`{name}` returned None: did you forget a `return`?")
    return result


def call_without_warnings(fn, *args, what: str, advice: str, **kwargs):
    """Like :func:`call`, but a numerical ``RuntimeWarning`` (overflow, division by zero) fails the
    check with ``what`` and ``advice`` (how to compute it stably)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            return call(fn, *args, **kwargs)
        except CheckFailure as err:
            if "Warning" in str(err):
                raise CheckFailure(f"{what} triggers a numerical warning ({err}): {advice}") from None
            raise


def expect(condition: bool, message: str) -> None:
    """Fail with ``message`` unless ``condition`` holds."""
    if not condition:
        raise CheckFailure(message)


def expect_type(value, types, what: str):
    """Fail unless ``value`` is an instance of ``types``; ``what`` names the value."""
    if not isinstance(value, types):
        names = " or ".join(t.__name__ for t in (types if isinstance(types, tuple) else (types,)))
        raise CheckFailure(f"{what} should be a {names}, got {type(value).__name__}.")
    return value


def as_array(value, what: str, ndim: int | None = None) -> np.ndarray:
    """Convert ``value`` to a float array, failing clearly if it is not numeric or has the wrong ndim."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailure(f"{what} should be numeric (a NumPy array or list of numbers), got {type(value).__name__}.") from None
    if ndim is not None and arr.ndim != ndim:
        raise CheckFailure(f"{what} should have {ndim} dimension(s), got shape {arr.shape}.")
    return arr


def expect_shape(value, shape: tuple, what: str) -> np.ndarray:
    """Fail unless ``value`` has ``shape``; returns it as an array."""
    arr = as_array(value, what)
    if arr.shape != tuple(shape):
        raise CheckFailure(f"{what} should have shape {tuple(shape)}, got {arr.shape}.")
    return arr


def expect_close(actual, expected, what: str, rtol: float = 1e-6, atol: float = 1e-8, hint: str = "") -> None:
    """Fail if ``actual`` and ``expected`` differ; the message does not reveal ``expected``."""
    a = as_array(actual, what)
    e = np.asarray(expected, dtype=float)
    if a.shape != e.shape:
        raise CheckFailure(f"{what} should have shape {e.shape}, got {a.shape}.")
    if np.isnan(a).any() and not np.isnan(e).any():
        raise CheckFailure(f"{what} contains NaN on the visible example.")
    if not np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=True):
        raise CheckFailure(f"{what} has the wrong value on the visible example.{(' ' + hint) if hint else ''}")


def unpack(result, n: int, name: str) -> tuple:
    """Split a function's tuple result into ``n`` parts, or fail saying what was returned."""
    if not isinstance(result, (tuple, list)) or len(result) != n:
        got = f"a {type(result).__name__} of length {len(result)}" if isinstance(result, (tuple, list)) else f"a {type(result).__name__}"
        raise CheckFailure(f"`{name}` should return a tuple of {n} values, got {got}.")
    return tuple(result)


def scalar(value, what: str) -> float:
    """``value`` as one float (finite or not), or fail naming ``what`` unless it is a single number."""
    arr = as_array(value, what)
    expect(arr.ndim == 0 or arr.size == 1, f"{what} should be a single number, got shape {arr.shape}.")
    return float(arr.reshape(-1)[0])
