"""Strict reading of the JSON text that crosses the sandbox boundary: plain data or nothing."""
from __future__ import annotations

import json
import math

#: Largest probe report read, in characters.
MAX_TEXT = 64 << 20


class NotPlainData(ValueError):
    """The text is not JSON of plain values in the expected shape."""


def _check(value, depth: int = 0):
    if depth > 40:
        raise NotPlainData("nested too deeply")
    if value is None or type(value) in (bool, str, int):
        return value
    if type(value) is float:
        return value
    if type(value) is list:
        for item in value:
            _check(item, depth + 1)
        return value
    if type(value) is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise NotPlainData("a dict key is not a string")
            _check(item, depth + 1)
        return value
    raise NotPlainData(f"{type(value).__name__} is not plain data")


def loads(text) -> object:
    """Parse ``text`` as JSON of plain values (numbers, strings, bools, None, lists, dicts).

    Raises
    ------
    NotPlainData
        If ``text`` is not a string, too long, not JSON, or holds anything else.

    Examples
    --------
    >>> loads('[1, 2.5, "a", {"b": NaN}]')[3]["b"] != 0
    True
    """
    if type(text) is not str:
        raise NotPlainData("the report is not text")
    if len(text) > MAX_TEXT:
        raise NotPlainData("the report is too large")
    try:
        value = json.loads(text, parse_constant=lambda name: {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[name])
    except (ValueError, KeyError, RecursionError) as err:
        raise NotPlainData(f"not JSON ({type(err).__name__})") from None
    return _check(value)


def _call_record(call) -> bool:
    """Whether ``call`` is a record of one call: ``{"value": ...}`` or ``{"raised", "message"[, "mro"]}``."""
    if type(call) is not dict:
        return False
    if set(call) == {"value"} or (set(call) == {"value", "reduced"} and call["reduced"] is True):
        return True
    if set(call) not in ({"raised", "message"}, {"raised", "message", "mro"}):
        return False
    mro = call.get("mro", [])
    return (type(call["raised"]) is str and type(call["message"]) is str and type(mro) is list
            and len(mro) <= 50 and all(type(m) is str for m in mro))


def task_report(text, task_id: str, n_seeds: int) -> dict:
    """Validate a task probe's report.

    Its shape is ``{"task", "defined", "callable", "seeds": [[call, ...] per seed], "visible":
    {"status", "message"}, "cases": [call, ...]}``; ``visible`` and ``cases`` may be absent
    (then the visible checks' status is unknown and no case was recorded).
    """
    report = loads(text)
    if type(report) is not dict or report.get("task") != task_id:
        raise NotPlainData("the report is for another task")
    if type(report.get("defined")) is not bool or type(report.get("callable")) is not bool:
        raise NotPlainData("the report lacks its flags")
    seeds = report.get("seeds")
    if type(seeds) is not list or len(seeds) != n_seeds:
        raise NotPlainData("the report has the wrong number of variants")
    for calls in seeds:
        if type(calls) is not list:
            raise NotPlainData("a variant is not a list of calls")
        if not all(_call_record(call) for call in calls):
            raise NotPlainData("a call record has the wrong shape")
    cases = report.setdefault("cases", [])
    if type(cases) is not list or not all(_call_record(call) for call in cases):
        raise NotPlainData("the cases are not a list of call records")
    visible = report.setdefault("visible", {"status": "", "message": ""})
    if type(visible) is not dict or type(visible.get("status")) is not str or type(visible.get("message")) is not str:
        raise NotPlainData("the visible checks' status cannot be read")
    return report


def quiz_report(text) -> dict:
    """Validate the quiz probe's report: ``{"answers": {qid: str | number | [str]}}``."""
    report = loads(text)
    answers = report.get("answers") if type(report) is dict else None
    if type(answers) is not dict:
        raise NotPlainData("the quiz report has no answers")
    for answer in answers.values():
        ok = type(answer) in (str, int, float) or (type(answer) is list and all(type(a) is str for a in answer))
        if not ok:
            raise NotPlainData("a quiz answer is not a string, number or list of strings")
    return answers
