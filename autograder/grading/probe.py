"""The code that runs in the learner's kernel after the notebook: it reports plain data, never verdicts.

For each task it calls the learner's function on the inputs of the visible seed 0 and of hidden
seeds chosen at grading time, records what each call returned, or what the task's ``Task.call``
reduced the results to, as JSON text (numbers, strings, bools, lists, dicts with string keys) and
publishes it as a display output of a private MIME type.
The grader parses that text in another process and decides pass or fail there: whatever the
learner's code does to this kernel, it can only change the data it reports.
"""
from __future__ import annotations

import json

MIME = "application/vnd.mlcourse.probe+json"

# Runs in the kernel; everything it uses is imported inside the function so that names the
# learner rebound in the notebook's namespace do not matter (code that patches modules can still
# only change the data that is reported).
_TASK_PROBE = r'''
def __mlcourse_probe(task_id, function, seeds, mime, max_items=200000):
    import json, math
    from IPython import get_ipython
    from IPython.display import publish_display_data

    if function is not None and get_ipython().user_ns.get(function) is None:
        # Nothing to call: report so without importing the course (an empty notebook stays cheap).
        publish_display_data({mime: json.dumps({"task": task_id, "defined": False, "callable": False,
                                                "seeds": [[] for _ in seeds]})})
        return
    from course.tasks import CheckFailure, NotAttempted, find_task

    budget = [max_items]

    def plain(value, depth=0):
        budget[0] -= 1
        if budget[0] < 0 or depth > 20:
            raise ValueError("output too large or too deeply nested")
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        if isinstance(value, dict):
            return {str(k): plain(v, depth + 1) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v, depth + 1) for v in value]
        if hasattr(value, "to_numpy") and hasattr(value, "index") and hasattr(value, "columns"):
            # A frame keeps its labels so the grader can rebuild it for the visible checks' messages.
            return {"__frame__": {"columns": plain(list(value.columns), depth + 1), "index": labels(value.index, depth),
                                  "data": plain(value.to_numpy(), depth + 1)}}
        if hasattr(value, "to_numpy") and hasattr(value, "index") and hasattr(value, "name"):
            return {"__series__": {"name": plain(value.name, depth + 1), "index": labels(value.index, depth),
                                   "data": plain(value.to_numpy(), depth + 1)}}
        if hasattr(value, "to_numpy"):
            return plain(value.to_numpy(), depth + 1)
        if hasattr(value, "tolist"):
            return plain(value.tolist(), depth + 1)
        return {"__unsupported__": type(value).__name__}

    def labels(index, depth):
        kind = type(index).__name__
        if kind == "PeriodIndex":
            return {"period": str(index.freqstr), "values": [str(v) for v in index]}
        if kind == "DatetimeIndex":
            return {"datetime": True, "values": [v.isoformat() for v in index]}
        return plain(list(index), depth + 1)

    def failure(err):
        if isinstance(err, NotImplementedError):
            return {"raised": "NotImplementedError", "message": ""}
        return {"raised": type(err).__name__, "message": str(err)[:300]}

    def outcome(value):
        try:
            return {"value": plain(value)}
        except Exception as err:
            return {"raised": "UnreadableOutput", "message": str(err)[:300]}

    def reduce(call, recorder, data, calls):
        # What call returns replaces the values fn returned (objects, often); so does an exception
        # that escapes it, and what is replaced does not count towards the size limit. A visible
        # check failing inside call leaves the records as they are: the grader re-runs it on them.
        left = budget[0]
        try:
            value = call(recorder, data)
        except (CheckFailure, NotAttempted):
            return
        except Exception as err:
            budget[0] = left
            calls[:] = [failure(err)]
            return
        if value is not None:
            budget[0] = left
            record = outcome(value)
            if "value" in record:
                record["reduced"] = True   # numbers standing for an object: the visible checks cannot read them
            calls[:] = [record]

    task = find_task(task_id)
    fn = get_ipython().user_ns.get(task.function)
    report = {"task": task_id, "defined": fn is not None, "callable": callable(fn), "seeds": []}
    for seed in seeds:
        calls = []

        def recorder(*args, **kwargs):
            try:
                result = fn(*args, **kwargs)
            except Exception as err:
                calls.append(failure(err))
                raise
            calls.append(outcome(result))
            return result

        recorder.__name__ = task.function
        if callable(fn):
            try:
                data = task.data(seed)
                if task.call is not None:
                    reduce(task.call, recorder, data, calls)
                else:
                    for visible_check in task.checks:
                        visible_check(recorder, data)
            except Exception:
                pass
        report["seeds"].append(calls)
    publish_display_data({mime: json.dumps(report, allow_nan=True)})
'''

_QUIZ_PROBE = r'''
def __mlcourse_answers(mime):
    import json, sys
    from IPython.display import publish_display_data
    answers = {}
    # Answers live in course.quiz's memory: a notebook that never imported it recorded none.
    recorded = sys.modules["course.quiz"].recorded_answers() if "course.quiz" in sys.modules else {}
    for qid, answer in recorded.items():
        if isinstance(answer, (list, tuple)):
            answer = [str(a) for a in answer]
        elif not isinstance(answer, (str, int, float)) or isinstance(answer, bool):
            answer = str(answer)
        answers[str(qid)] = answer
    publish_display_data({mime: json.dumps({"answers": answers})})
'''


def task_probe_source(task_id: str, seeds: list[int], function: str | None = None) -> str:
    """Source of the probe cell for one task (``function``: its function's name, if the caller knows it)."""
    return (f"{_TASK_PROBE}\n__mlcourse_probe({task_id!r}, {function!r}, {list(map(int, seeds))!r}, {MIME!r})\n"
            "del __mlcourse_probe\n")


def quiz_probe_source() -> str:
    """Source of the probe cell that reports the recorded quiz answers."""
    return f"{_QUIZ_PROBE}\n__mlcourse_answers({MIME!r})\ndel __mlcourse_answers\n"


def probe_payload(outputs) -> str | None:
    """The probe's JSON text from a cell's outputs, or ``None`` (only the last report counts)."""
    found = None
    for out in outputs or []:
        if isinstance(out, dict) and out.get("output_type") == "display_data":
            text = (out.get("data") or {}).get(MIME)
            if isinstance(text, str):
                found = text
            elif text is not None:
                found = json.dumps(text)
    return found
