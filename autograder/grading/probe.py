"""The code that runs in the learner's kernel after the notebook: it reports plain data, never verdicts.

For each task it runs :func:`autograder.specs.runner.task_record`: the learner's function on the
inputs of the visible seed, of hidden seeds chosen at grading time and of the task's named hidden
cases, recording what each call returned (or raised) as JSON text of plain values, published as a
display output of a private MIME type.
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
def __mlcourse_probe(task_id, function, seeds, mime):
    import json
    from IPython import get_ipython
    from IPython.display import publish_display_data

    fn = get_ipython().user_ns.get(function) if function is not None else None
    if function is not None and fn is None:
        # Nothing to call: report so without importing the course (an empty notebook stays cheap).
        publish_display_data({mime: json.dumps({"task": task_id, "defined": False, "callable": False,
                                                "seeds": [[] for _ in seeds], "cases": []})})
        return
    from autograder.specs.runner import task_record
    if function is None:
        from course.tasks import find_task
        fn = get_ipython().user_ns.get(find_task(task_id).function)
    publish_display_data({mime: json.dumps(task_record(task_id, fn, seeds), allow_nan=True)})
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
