"""Comparing a learner's plain outputs with the reference's, in the grader's own process."""
from __future__ import annotations

import math

RTOL = 1e-6
ATOL = 1e-9


def _is_number(x) -> bool:
    return type(x) in (int, float)


LABELLED = ("__frame__", "__series__")


def labelled(value) -> str | None:
    """``"__frame__"`` or ``"__series__"`` if ``value`` is the probe's record of a pandas object."""
    if type(value) is dict and len(value) == 1:
        key = next(iter(value))
        if key in LABELLED and type(value[key]) is dict:
            return key
    return None


def close(actual, expected, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """Whether two plain values agree: numbers within tolerance, everything else exactly.

    Bools only equal bools, lists must have equal lengths, dicts equal keys; NaN equals NaN.
    A pandas frame or series is compared by its values (labels may differ).

    Examples
    --------
    >>> close([1.0, [2.0000001]], [1, [2.0]])
    True
    >>> close(True, 1)
    False
    """
    if type(expected) is bool or type(actual) is bool:
        return type(actual) is bool and type(expected) is bool and actual == expected
    if _is_number(expected):
        if not _is_number(actual):
            return False
        if math.isnan(expected) or math.isnan(actual):
            return math.isnan(expected) and math.isnan(actual)
        if math.isinf(expected) or math.isinf(actual):
            return actual == expected
        return abs(actual - expected) <= atol + rtol * abs(expected)
    if type(expected) is list:
        return type(actual) is list and len(actual) == len(expected) and all(close(a, e, rtol, atol) for a, e in zip(actual, expected))
    kind = labelled(expected)
    if kind is not None:
        return labelled(actual) == kind and close(actual[kind].get("data"), expected[kind].get("data"), rtol, atol)
    if type(expected) is dict:
        return type(actual) is dict and set(actual) == set(expected) and all(close(actual[k], expected[k], rtol, atol) for k in expected)
    return type(actual) is type(expected) and actual == expected


def unsupported(value) -> str | None:
    """The type name the probe could not turn into plain data, if any part of ``value`` is one."""
    if type(value) is dict:
        if "__unsupported__" in value:
            return str(value["__unsupported__"])
        value = list(value.values())
    if type(value) is list:
        for item in value:
            found = unsupported(item)
            if found:
                return found
    return None
