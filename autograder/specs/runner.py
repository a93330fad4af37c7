"""What runs in the kernel: call a function on a task's variants and cases and record plain data.

:func:`task_record` is the one recorder of both graders. ``mlcourse grade`` runs it inside the
sandbox on the learner's function (and, in a separate run, on the reference's) and reads its
JSON outside; the hidden test cell of ``nbgrader autograde`` runs it in the kernel on both and
judges there. Everything it records is plain data (numbers, strings, bools, None, lists, dicts
with string keys); frames and series keep their labels.
"""
from __future__ import annotations

#: Values recorded per task at most: more is reported as unreadable output.
MAX_ITEMS = 200_000


class _Budget:
    def __init__(self, items: int):
        self.left = items


def plain(value, budget: _Budget | None = None, depth: int = 0):
    """``value`` as plain data; raises ValueError when it is too large or too deeply nested."""
    budget = budget or _Budget(MAX_ITEMS)
    budget.left -= 1
    if budget.left < 0 or depth > 20:
        raise ValueError("output too large or too deeply nested")
    if value is None or type(value) in (bool, str):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dict):
        return {str(k): plain(v, budget, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, budget, depth + 1) for v in value]
    if hasattr(value, "to_numpy") and hasattr(value, "index") and hasattr(value, "columns"):
        # A frame keeps its labels: judges match columns by name, messages rebuild the frame.
        return {"__frame__": {"columns": plain(list(value.columns), budget, depth + 1), "index": _labels(value.index, budget, depth),
                              "data": plain(value.to_numpy(), budget, depth + 1)}}
    if hasattr(value, "to_numpy") and hasattr(value, "index") and hasattr(value, "name"):
        return {"__series__": {"name": plain(value.name, budget, depth + 1), "index": _labels(value.index, budget, depth),
                               "data": plain(value.to_numpy(), budget, depth + 1)}}
    if hasattr(value, "to_numpy"):
        return plain(value.to_numpy(), budget, depth + 1)
    if hasattr(value, "tolist"):
        return plain(value.tolist(), budget, depth + 1)
    return {"__unsupported__": type(value).__name__}


def _labels(index, budget, depth):
    kind = type(index).__name__
    if kind == "PeriodIndex":
        return {"period": str(index.freqstr), "values": [str(v) for v in index]}
    if kind == "DatetimeIndex":
        return {"datetime": True, "values": [v.isoformat() for v in index]}
    return plain(list(index), budget, depth + 1)


def failure(err: BaseException) -> dict:
    """The record of a call that raised: the exception's class, its bases' names and a short message."""
    names = [c.__name__ for c in type(err).__mro__ if c.__name__ not in ("object", "BaseException")][:12]
    if isinstance(err, NotImplementedError):
        return {"raised": "NotImplementedError", "message": "", "mro": names}
    return {"raised": type(err).__name__, "message": str(err)[:300], "mro": names}


def outcome(value, budget: _Budget) -> dict:
    """The record of a call that returned ``value``."""
    left = budget.left
    try:
        return {"value": plain(value, budget)}
    except Exception as err:
        budget.left = left
        return {"raised": "UnreadableOutput", "message": str(err)[:300], "mro": ["UnreadableOutput"]}


def _direct(task, spec, fn, seed: int, budget: _Budget, visible: bool) -> tuple[list, dict]:
    """For a spec with ``variant``: one recorded call per variant (and, on the visible one, the checks' status)."""
    from course.tasks import CheckFailure, NotAttempted

    checks = {"status": "passed", "message": ""}
    try:
        data = task.data(seed)
        if visible:
            for visible_check in task.checks:
                visible_check(fn, data)
    except NotAttempted:
        return [{"raised": "NotImplementedError", "message": "", "mro": ["NotImplementedError"]}], {"status": "not attempted", "message": ""}
    except CheckFailure as err:
        checks = {"status": "failed", "message": str(err)[:1000]}
    except Exception as err:
        checks = {"status": "failed", "message": f"{type(err).__name__} while checking"}
    try:
        value = spec.call(fn, spec.variant(task.data(seed)))
    except Exception as err:
        return [failure(err)], checks
    return [outcome(value, budget)], checks


def _variant(task, fn, seed: int, budget: _Budget) -> tuple[list, dict]:
    """Records of the calls made on variant ``seed``, and what its visible checks said."""
    from course.tasks import CheckFailure, NotAttempted

    calls: list = []
    checks = {"status": "passed", "message": ""}

    def recorder(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
        except Exception as err:
            calls.append(failure(err))
            raise
        calls.append(outcome(result, budget))
        return result

    recorder.__name__ = task.function
    try:
        data = task.data(seed)
        if task.call is not None:
            # What Task.call returns stands for the object the function returned (the visible
            # checks cannot read it); a visible check failing inside it leaves the records as they are.
            left = budget.left
            try:
                value = task.call(recorder, data)
            except NotAttempted:
                raise
            except CheckFailure:
                raise
            except Exception as err:
                budget.left = left
                calls[:] = [failure(err)]
                value = None
            if value is not None:
                budget.left = left
                record = outcome(value, budget)
                if "value" in record:
                    record["reduced"] = True
                calls[:] = [record]
        else:
            for visible_check in task.checks:
                visible_check(recorder, data)
    except NotAttempted:
        checks = {"status": "not attempted", "message": ""}
    except CheckFailure as err:
        checks = {"status": "failed", "message": str(err)[:1000]}
    except Exception as err:
        checks = {"status": "failed", "message": f"{type(err).__name__} while checking"}
    return calls, checks


def _case(spec, fn, case, budget: _Budget) -> dict:
    try:
        args = case.build()
    except Exception as err:   # a broken case is the course's fault: say so, never blame the learner
        return {"raised": "CaseError", "message": f"{type(err).__name__}: {err}"[:300], "mro": ["CaseError"]}
    try:
        value = spec.call(fn, args, case)
    except Exception as err:
        return failure(err)
    return outcome(value, budget)


def task_record(task_id: str, fn, seeds: list[int], budget_items: int = MAX_ITEMS) -> dict:
    """Run ``fn`` as the function of task ``task_id`` and record everything the judges need.

    Parameters
    ----------
    task_id : str
    fn : object
        What the notebook bound to the task's function name (``None`` if nothing).
    seeds : list of int
        The visible variant first, then hidden ones.

    Returns
    -------
    dict
        ``{"task", "defined", "callable", "seeds": [[call, ...] per seed], "visible": {"status",
        "message"}, "cases": [call per case of the task's spec]}``; a call is ``{"value": ...}``
        (``"reduced": True`` where ``Task.call`` stood for an object) or ``{"raised", "message",
        "mro"}``.
    """
    from course.stderr_capture import captured_stderr
    from course.tasks import find_task

    from . import spec_for

    task = find_task(task_id)
    report = {"task": task_id, "defined": fn is not None, "callable": callable(fn), "seeds": [],
              "visible": {"status": "not attempted", "message": ""}, "cases": []}
    if not callable(fn):
        report["seeds"] = [[] for _ in seeds]
        return report
    budget = _Budget(budget_items)
    spec = spec_for(task_id)
    # Warnings and log lines of the function stay out of the cell's output: stock nbgrader would
    # give a test cell with any standard-error output no points.
    with captured_stderr():
        for i, seed in enumerate(seeds):
            if spec.variant is not None:
                calls, checks = _direct(task, spec, fn, int(seed), budget, visible=i == 0)
            else:
                calls, checks = _variant(task, fn, int(seed), budget)
            report["seeds"].append(calls)
            if i == 0:
                report["visible"] = checks
        if report["visible"]["status"] != "not attempted":
            report["cases"] = [_case(spec, fn, case, budget) for case in spec.cases]
    return report
