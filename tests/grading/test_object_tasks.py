"""Tasks whose function returns an object (an estimator, a callable): ``Task.call`` reduces it to numbers.

The probe's contract is tested in this process on a task of our own; the course's object tasks are
graded in kernels, on one small notebook per assignment and case (the setup, then only these tasks'
cells) in a course copy whose source notebook is cut down the same way.
"""
from __future__ import annotations

import ast
import copy
import json
import sys
import time
from types import SimpleNamespace

import nbformat
import pytest

import _support as S
from autograder.grading.probe import MIME, task_probe_source
from autograder.grading.verdict import FAILED, NOT_ATTEMPTED, PASSED, judge_task
from course.tasks import Task, call, expect

#: The tasks whose function returns what the probe cannot record as such (an estimator, a callable, a
#: frame holding dates), per assignment, in notebook order.
OBJECT_TASKS = {
    "02_production": ["prequential_partial_fit", "checkpoint_resume", "feature_pipeline", "optuna_tuning"],
    "04_saas": ["imputation_pipeline", "pruned_objective", "history_features", "calibrate_recent"],
}
CASES = ("reference", "stub", "wrong")
SEEDS = [0, 1]


# --- the probe's contract, on a task of our own -------------------------------------------------------

class Scaler:
    """What the learner's function returns: an object, not numbers."""

    def __init__(self, factor):
        self.factor = factor

    def transform(self, x):
        return [self.factor * v for v in x]


def _visible(fn, data):
    expect(call(fn, 2).transform([1.0]) == [2.0], "scale(2) should double.")


def _task(reduce):
    return Task(id="scale_it", assignment="99_test", question="T1", title="Return a scaler", function="make_scaler",
                points=1, hints=("a", "b"), checks=(_visible,), make_data=lambda seed: {"x": [1.0, 2.0 + seed]}, call=reduce)


def _probe(monkeypatch, task, fn, seeds=(0,)):
    """The probe's report (JSON text) on ``fn``, run in this process instead of a kernel."""
    import IPython
    import IPython.display

    import course.tasks

    published = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: SimpleNamespace(user_ns={task.function: fn}))
    monkeypatch.setattr(IPython.display, "publish_display_data", published.append)
    monkeypatch.setattr(course.tasks, "find_task", lambda task_id: task)
    exec(task_probe_source(task.id, list(seeds), task.function), {})  # noqa: S102 - the probe's own source
    return published[-1][MIME]


def _records(monkeypatch, task, fn, seeds=(0,)):
    """The recorded calls per seed, without the exception's base classes (``mro``) of a raised call."""
    seeds = json.loads(_probe(monkeypatch, task, fn, seeds))["seeds"]
    return [[{k: v for k, v in call.items() if k != "mro"} for call in calls] for calls in seeds]


def _reduce(fn, data):
    return {"scaled": fn(3).transform(data["x"])}


def test_what_call_returns_is_recorded(monkeypatch):
    assert _records(monkeypatch, _task(_reduce), Scaler, seeds=(0, 1)) == [[{"value": {"scaled": [3.0, 6.0]}, "reduced": True}],
                                                                          [{"value": {"scaled": [3.0, 9.0]}, "reduced": True}]]


def test_an_untouched_stub_is_recorded_as_not_implemented(monkeypatch):
    def stub(factor):
        raise NotImplementedError()
    assert _records(monkeypatch, _task(_reduce), stub) == [[{"raised": "NotImplementedError", "message": ""}]]


def test_an_error_of_the_reduction_replaces_the_records(monkeypatch):
    def no_return(factor):
        Scaler(factor)
    assert _records(monkeypatch, _task(_reduce), no_return) == [
        [{"raised": "AttributeError", "message": "'NoneType' object has no attribute 'transform'"}]]


def test_what_the_reduction_replaces_does_not_count_towards_the_size_limit(monkeypatch):
    def total(fn, data):
        return sum(len(fn(n)) for n in (150_000, 150_000))   # 300,000 values returned, more than the probe reports
    assert _records(monkeypatch, _task(total), lambda n: [0.5] * n) == [[{"value": 300_000, "reduced": True}]]

def test_a_call_that_returns_none_records_every_value(monkeypatch):
    def extra_cases(fn, data):
        fn(data["x"][0])
        fn(data["x"][1])
    assert _records(monkeypatch, _task(extra_cases), lambda x: 2 * x) == [[{"value": 2.0}, {"value": 4.0}]]


def test_a_visible_check_failing_inside_call_keeps_the_values(monkeypatch):
    def checks_first(fn, data):
        _visible(fn, data)
        return {"scaled": fn(3).transform(data["x"])}
    records = _records(monkeypatch, _task(checks_first), lambda factor: Scaler(factor + 1))
    assert records == [[{"value": {"__unsupported__": "Scaler"}}]]


def test_reduced_records_reach_the_right_verdicts(monkeypatch):
    task = _task(_reduce)
    expected = json.loads(_probe(monkeypatch, task, Scaler, seeds=(0, 1)))["seeds"]

    def judged(fn):
        return judge_task(task, _probe(monkeypatch, task, fn, seeds=(0, 1)), expected, n_hidden=1).status

    def stub(factor):
        raise NotImplementedError()
    assert judged(Scaler) == PASSED
    assert judged(stub) == NOT_ATTEMPTED
    assert judged(lambda factor: Scaler(factor + 1)) == FAILED


# --- the course's object tasks, graded in kernels ------------------------------------------------------

def _setup_source(assignment: str, last_task: str) -> str:
    """The notebook's setup cell and every import of the code cells before ``last_task``: all that the
    solution cells and the wrong answers of these tasks take from the notebook."""
    parts = []
    for cell in S.read(S.source_notebook(assignment)).cells:
        if S.grade_id(cell) == last_task:
            break
        if cell.cell_type != "code" or S.is_graded(cell):
            continue
        if S.grade_id(cell) == "setup":
            parts.append(cell.source)
            continue
        code = S.plain_python(cell.source)
        parts += [ast.get_source_segment(code, node) for node in ast.parse(code).body
                  if isinstance(node, (ast.Import, ast.ImportFrom))]
    return "\n".join(parts)


def _small_notebook(assignment: str, case: str) -> nbformat.NotebookNode:
    """Setup, then each object task's cell: its reference solution, untouched stub or typical wrong answer."""
    ids = OBJECT_TASKS[assignment]
    cells = {"reference": S.by_grade_id(S.read(S.source_notebook(assignment))),
             "stub": S.by_grade_id(S.read(S.release_notebook(assignment)))}
    wrong = S.load_wrong_answers()
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(_setup_source(assignment, ids[-1])))
    for task_id in ids:
        if case == "wrong":
            nb.cells.append(nbformat.v4.new_code_cell(wrong[task_id]))
        else:
            nb.cells.append(copy.deepcopy(cells[case][task_id]))
    return nb


GRADE = r"""
import json, sys
from pathlib import Path
from autograder.grading import grade_notebook
from autograder.grading.sandbox import sandbox_problem
root, plan, seeds = Path(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
out = {}
for name, (notebook, tasks) in plan.items():
    results = grade_notebook(root, root / notebook, tasks, seeds, sandbox=sandbox_problem() is None)
    out[name] = {r.task_id: [r.status, r.message] for r in results}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def graded(make_course_copy, report):
    """``{(assignment, case): {task_id: [status, message]}}`` from grading the small notebooks in a course copy
    whose source notebooks and task lists hold only the object tasks."""
    from course.tasks import ASSIGNMENT_MODULES

    root = make_course_copy("object-tasks")
    plan = {}
    for assignment, ids in OBJECT_TASKS.items():
        # The reference solution runs this small notebook instead of the whole assignment.
        S.write(_small_notebook(assignment, "reference"), S.source_notebook(assignment, root))
        package = root.joinpath(*ASSIGNMENT_MODULES[assignment].split(".")) / "__init__.py"
        package.write_text(package.read_text() + f"\nTASKS = [t for t in TASKS if t.id in {ids!r}]\n")
        for case in CASES:
            name = f"{assignment}-{case}.ipynb"
            S.write(_small_notebook(assignment, case), root / name)
            plan[f"{assignment}/{case}"] = [name, ids]
    started = time.monotonic()
    done = S.run([sys.executable, "-c", GRADE, root, json.dumps(plan), json.dumps(SEEDS)], root, timeout=900)
    assert done.returncode == 0, S.explain(done)
    report(f"object tasks: {len(plan)} small notebooks and {len(OBJECT_TASKS)} reference solutions graded in "
           f"{time.monotonic() - started:.0f} s")
    results = json.loads(done.stdout.strip().splitlines()[-1])
    return {tuple(key.split("/")): value for key, value in results.items()}


PARAMS = [(a, t, case) for a, tasks in OBJECT_TASKS.items() for t in tasks for case in CASES]


@pytest.mark.slow
@pytest.mark.parametrize("assignment, task_id, case", PARAMS, ids=[f"{t}-{c}" for _, t, c in PARAMS])
def test_object_task_verdicts(graded, assignment, task_id, case):
    status, message = graded[assignment, case][task_id]
    if case == "reference":
        assert (status, message) == (PASSED, ""), message
    elif case == "stub":
        assert status == NOT_ATTEMPTED and "NotImplementedError" in message, message
    else:
        assert status == FAILED and message and "\n" not in message, message


@pytest.mark.slow
def test_wrong_answer_messages_name_the_part_that_differs(graded):
    messages = [message for (_, case), results in graded.items() if case == "wrong" for _, message in results.values()]
    assert messages and not [m for m in messages if "got dict" in m or "got a dict" in m], messages
    assert all("check(" in m or "raised" in m for m in messages), messages
