"""Building blocks for judges: comparisons of plain data that accept what a statement allows.

Every judge is ``judge(got, expected, inputs) -> message or None`` on plain data (numbers,
strings, bools, None, lists, dicts, and the probe's records of frames and series). A message says
where the output differs (``item 2``, ``column 'psi'``), never a value.

Examples
--------
>>> approx()([1.0, 2.0000001], [1, 2], None) is None
True
>>> approx()([1.0, 2.1], [1, 2], None)
'item [1] differs from the correct result'
>>> unordered()(["b", "a"], ["a", "b"], None) is None
True
"""
from __future__ import annotations

import json
import math

from ..grading.compare import labelled

RTOL, ATOL = 1e-6, 1e-9
DIFFERS = "differs from the correct result"


def _number(x) -> bool:
    return type(x) in (int, float)


def _where(path: str) -> str:
    return f"item {path} " if path else ""


class _Close:
    """Recursive comparison with the options of :func:`approx`."""

    def __init__(self, rtol, atol, bools_as_numbers, columns, rows, order, index=False):
        self.rtol, self.atol, self.bools = rtol, atol, bools_as_numbers
        self.columns, self.rows, self.order, self.index = columns, rows, order, index

    def numbers(self, a, e) -> bool:
        if math.isnan(e) or math.isnan(a):
            return math.isnan(e) and math.isnan(a)
        if math.isinf(e) or math.isinf(a):
            return a == e
        return abs(a - e) <= self.atol + self.rtol * abs(e)

    def __call__(self, a, e, path="") -> str | None:
        if self.bools and type(a) is bool:
            a = int(a)
        if self.bools and type(e) is bool:
            e = int(e)
        if type(e) is bool or type(a) is bool:
            if type(a) is bool and type(e) is bool and a == e:
                return None
            return f"{_where(path)}{DIFFERS}" if type(a) is type(e) else f"{_where(path)}should be a bool (True/False)"
        if _number(e):
            if not _number(a):
                return f"{_where(path)}should be a number"
            return None if self.numbers(float(a), float(e)) else f"{_where(path)}{DIFFERS}"
        kind = labelled(e)
        if kind is not None:
            return self.frame(a, e, kind, path)
        if type(e) is list:
            if type(a) is not list:
                return f"{_where(path)}should be a sequence"
            if len(a) != len(e):
                return f"{_where(path)}has the wrong length"
            if self.order == "any":
                return _match(a, e, lambda x, y: self(x, y) is None, path)
            for i, (x, y) in enumerate(zip(a, e)):
                found = self(x, y, f"{path}[{i}]")
                if found:
                    return found
            return None
        if type(e) is dict:
            if type(a) is not dict:
                return f"{_where(path)}should be a dict"
            missing = [k for k in e if k not in a]
            if missing:
                return f"{_where(path)}lacks the key {missing[0]!r}"
            extra = [k for k in a if k not in e]
            if extra:
                return f"{_where(path)}has an unexpected key {extra[0]!r}"
            for k in e:
                found = self(a[k], e[k], f"{path}[{k!r}]")
                if found:
                    return found
            return None
        if a == e and type(a) is type(e):
            return None
        return f"{_where(path)}{DIFFERS}"

    def frame(self, a, e, kind, path) -> str | None:
        what = "a DataFrame" if kind == "__frame__" else "a Series"
        if labelled(a) != kind:
            return f"{_where(path)}should be {what}"
        got, want = a[kind], e[kind]
        if self.index and got.get("index") != want.get("index"):
            return f"{_where(path)}has the wrong index (row labels or their order)"
        if kind == "__series__":
            return self(got.get("data"), want.get("data"), path)
        g_cols, e_cols = got.get("columns"), want.get("columns")
        g_rows, e_rows = got.get("data"), want.get("data")
        if type(g_cols) is not list or type(g_rows) is not list or any(type(r) is not list for r in g_rows):
            return f"{_where(path)}cannot be read"
        if self.columns == "name":
            key = lambda c: json.dumps(c, sort_keys=True)  # noqa: E731 - column labels may be numbers
            if sorted(map(key, g_cols)) != sorted(map(key, e_cols)):
                lacking = [c for c in e_cols if key(c) not in set(map(key, g_cols))]
                return (f"{_where(path)}lacks the column {lacking[0]!r}" if lacking
                        else f"{_where(path)}has columns the statement does not ask for")
            position = {key(c): i for i, c in enumerate(g_cols)}
            order = [position[key(c)] for c in e_cols]
            g_rows = [[row[i] for i in order] for row in g_rows]
        elif len(g_cols) != len(e_cols):
            return f"{_where(path)}has the wrong number of columns"
        if len(g_rows) != len(e_rows):
            return f"{_where(path)}has the wrong number of rows"
        if self.rows == "any":
            return _match(g_rows, e_rows, lambda x, y: self(x, y) is None, path)
        for i, column in enumerate(e_cols):
            found = self([r[i] for r in g_rows], [r[i] for r in e_rows])
            if found:
                return f"{_where(path)}column {column!r} {DIFFERS}".strip()
        return None


def _match(got: list, expected: list, same, path="") -> str | None:
    """Whether ``got`` is a permutation of ``expected`` under ``same`` (greedy matching)."""
    left = list(range(len(got)))
    for e in expected:
        hit = next((i for i in left if same(got[i], e)), None)
        if hit is None:
            return f"{_where(path)}{DIFFERS} (order does not matter)".strip()
        left.remove(hit)
    return None


def approx(rtol: float = RTOL, atol: float = ATOL, bools_as_numbers: bool = False, columns: str = "name",
           rows: str = "ordered", order: str = "ordered", index: bool = False):
    """A judge: ``got`` equals ``expected`` within a tolerance.

    Parameters
    ----------
    rtol, atol : float
        Numbers agree when ``|got - expected| <= atol + rtol * |expected|``; NaN equals NaN; ints
        and floats (and NumPy's, recorded as numbers) are interchangeable.
    bools_as_numbers : bool, default False
        Accept ``1``/``0`` for ``True``/``False`` (where the statement does not ask for bools).
    columns : {"name", "position"}
        Frames: match columns by name (any order) or by position.
    rows : {"ordered", "any"}
        Frames: rows in the reference's order, or in any order.
    order : {"ordered", "any"}
        Lists: items in order, or in any order (a set returned as a list).
    index : bool, default False
        Frames and series: the row labels must equal the reference's too, in order.
    """
    close = _Close(rtol, atol, bools_as_numbers, columns, rows, order, index)
    return lambda got, expected, inputs=None: close(got, expected)


def unordered(rtol: float = RTOL, atol: float = ATOL):
    """A judge for a list whose order the statement leaves free."""
    return approx(rtol, atol, order="any")


def items(*judges):
    """A judge for a tuple or list output, one judge per position (``items(approx(), unordered())``)."""

    def judge(got, expected, inputs=None):
        if type(got) is not list or len(got) != len(judges):
            return f"should return {len(judges)} values"
        for i, (j, g, e) in enumerate(zip(judges, got, expected)):
            found = j(g, e, inputs)
            if found:
                return f"value {i + 1}: {found}"
        return None

    return judge


def keys(**judges):
    """A judge for a dict output, one judge per key; other keys are not allowed."""

    def judge(got, expected, inputs=None):
        if type(got) is not dict:
            return "should return a dict"
        if set(got) != set(judges):
            missing = sorted(set(judges) - set(got))
            return f"lacks the key {missing[0]!r}" if missing else f"has keys other than {', '.join(map(repr, judges))}"
        for k, j in judges.items():
            found = j(got[k], expected[k], inputs)
            if found:
                return f"{k!r}: {found}"
        return None

    return judge


def rows_up_to_sign(rtol: float = 1e-6, atol: float = 1e-8):
    """A judge for a matrix whose rows are defined up to sign (principal directions, eigenvectors)."""
    close = _Close(rtol, atol, False, "position", "ordered", "ordered")

    def judge(got, expected, inputs=None):
        if type(got) is not list or type(expected) is not list or len(got) != len(expected):
            return "has the wrong shape"
        for i, (g, e) in enumerate(zip(got, expected)):
            if type(e) is not list:
                return close(g, e)
            flipped = [-x if _number(x) else x for x in g] if type(g) is list else g
            if close(g, e) and close(flipped, e):
                return f"row {i} {DIFFERS} (even allowing for its sign)"
        return None

    return judge


def columns_up_to_sign(rtol: float = 1e-6, atol: float = 1e-8):
    """A judge for a matrix whose columns are defined up to sign (SVD or eigen-embeddings)."""
    rows = rows_up_to_sign(rtol, atol)

    def transpose(m):
        return [list(c) for c in zip(*m)] if type(m) is list and m and all(type(r) is list for r in m) else m

    def judge(got, expected, inputs=None):
        if type(got) is not list or type(expected) is not list or len(got) != len(expected):
            return "has the wrong shape"
        if any(type(r) is not list or len(r) != len(expected[0]) for r in got):
            return "has the wrong shape"
        found = rows(transpose(got), transpose(expected))
        return found.replace("row", "column") if found else None

    return judge


def unmodified(result):
    """A judge for a case run with :func:`autograder.specs.keep_inputs`: the inputs must be left as
    they were, and the result must pass ``result``."""
    same = approx(rtol=0, atol=0)

    def judge(got, expected, inputs=None):
        if type(got) is not dict or set(got) != {"result", "inputs"}:
            return "cannot be read"
        if same(got["inputs"], expected["inputs"]):
            return "modifies its input in place: work on a copy"
        return result(got["result"], expected["result"], inputs)

    return judge


def say(judge, message: str):
    """``judge`` with its failure message replaced by ``message`` (one sentence that fits the task)."""
    return lambda got, expected, inputs=None: message if judge(got, expected, inputs) else None


def all_of(*judges):
    """A judge that passes when every one of ``judges`` does (the first message wins)."""

    def judge(got, expected, inputs=None):
        for j in judges:
            found = j(got, expected, inputs)
            if found:
                return found
        return None

    return judge
