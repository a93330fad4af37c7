"""Every graded task's hidden tests (autograder/specs) against solutions written from its statement.

In this process, recorded and judged exactly as both graders do (:func:`autograder.specs.verdict_of`):
the reference passes, the untouched stub is not attempted, the typical wrong answer fails, every
further correct solution in ``tests/alternatives/`` passes and every common mistake there passes the
visible check but fails the hidden tests, with a one-line message. The slow test in
``tests/grading/test_grader_agreement.py`` grades the same solutions with ``mlcourse grade`` and stock
``nbgrader autograde`` and asserts that they agree.
"""
from __future__ import annotations

import re

import pytest

import _support as S

#: The visible variant and one hidden one (the agreement run judges three hidden variants).
SEEDS = [0, 11]

GRADED_TASKS = [(a, t) for a in S.graded_assignments() for t in S.tasks_of(a)]
ALTERNATIVES = S.load_alternatives()


def _solution_source(assignment: str, task_id: str) -> str:
    return S.by_grade_id(S.read(S.source_notebook(assignment)))[task_id].source


def _stub_source(assignment: str, task_id: str) -> str:
    return S.by_grade_id(S.read(S.release_notebook(assignment)))[task_id].source


_EXPECTED: dict = {}


def _decide(task, source: str, task_namespace):
    """What both graders decide for the solution cell ``source`` (the reference's record made once per task)."""
    from autograder.specs import record_of, verdict_of

    namespace = task_namespace(task.assignment, task.id)
    if task.id not in _EXPECTED:
        reference = S.function_from(_solution_source(task.assignment, task.id), task.function, namespace)
        _EXPECTED[task.id] = record_of(task.id, reference, SEEDS)
    return verdict_of(task.id, S.function_from(source, task.function, namespace), _EXPECTED[task.id], SEEDS)


def _visible(task, source: str, task_namespace):
    from course.checks import run_checks

    return run_checks(task, S.function_from(source, task.function, task_namespace(task.assignment, task.id)))


def _cases(kind: str):
    return [pytest.param(t, label, source, id=f"{t.id}-{label}")
            for _, t in GRADED_TASKS for label, source in ALTERNATIVES.get(t.id, {}).get(kind, {}).items()]


def _one_line(message: str) -> bool:
    return bool(message) and "\n" not in message and "Traceback" not in message and len(message) < 400


@pytest.mark.parametrize("task", [t for _, t in GRADED_TASKS], ids=lambda t: t.id)
def test_reference_passes_stub_is_not_attempted_typical_mistake_fails(task, task_namespace):
    assert _decide(task, _solution_source(task.assignment, task.id), task_namespace).status == "passed"
    assert _decide(task, _stub_source(task.assignment, task.id), task_namespace).status == "not attempted"
    wrong = _decide(task, S.load_wrong_answers()[task.id], task_namespace)
    assert wrong.status == "failed" and _one_line(wrong.message), wrong


@pytest.mark.parametrize("task, label, source", _cases("correct"))
def test_another_correct_solution_passes(task, label, source, task_namespace):
    decision = _decide(task, source, task_namespace)
    assert decision.status == "passed", f"{task.id} ({label}): {decision.message}"


@pytest.mark.parametrize("task, label, source", _cases("wrong"))
def test_a_common_mistake_passes_the_visible_check_but_fails_the_hidden_tests(task, label, source, task_namespace):
    visible = _visible(task, source, task_namespace)
    assert visible.status == "passed", f"{task.id} ({label}) should pass the visible check, so the hidden tests are what catch it: {visible.message}"
    decision = _decide(task, source, task_namespace)
    assert decision.status == "failed", f"{task.id} ({label}) passes the hidden tests"
    assert _one_line(decision.message), decision.message


@pytest.mark.parametrize("task", [t for _, t in GRADED_TASKS], ids=lambda t: t.id)
def test_hidden_test_cell_runs_the_tasks_spec(task):
    source = S.by_grade_id(S.read(S.source_notebook(task.assignment)))[task.test_id].source
    hidden = "\n".join(S.hidden_lines(source))
    assert re.search(rf'hidden_tests\("{task.id}"\)', hidden), (
        f"the hidden test cell of {task.id} should call hidden_tests(\"{task.id}\") so that nbgrader and mlcourse grade agree")


@pytest.mark.parametrize("task", [t for _, t in GRADED_TASKS], ids=lambda t: t.id)
def test_every_task_has_further_solutions_and_mistakes(task):
    found = ALTERNATIVES.get(task.id, {})
    assert len(found.get("correct", {})) >= 2, f"add two further correct solutions of {task.id} to tests/alternatives/"
    assert len(found.get("wrong", {})) >= 2, f"add two common mistakes of {task.id} that pass the visible check to tests/alternatives/"
