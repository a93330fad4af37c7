"""Both graders give the same verdict per task, and the verdict follows the statement.

Each graded assignment is cut down to its solution and test cells; four students submit the further
correct solutions and common mistakes of ``tests/alternatives/`` (see :func:`conftest.agreement_submissions`).
Stock ``nbgrader autograde`` (hidden test cells calling the task's spec in the kernel) and
``mlcourse grade`` (probe in the sandbox, verdict outside) grade them on the same hidden variants.
"""
from __future__ import annotations

import pytest

import _support as S

GRADED = S.graded_assignments()
STUDENTS = ("correct1", "correct2", "mistake1", "mistake2")

def _verdicts(agreement, grader, assignment, student) -> dict:
    key = (grader, assignment, student)
    assert key in agreement["verdicts"], f"{grader} recorded no grades of {student}:\n{agreement['logs'].get((grader, assignment))}"
    return agreement["verdicts"][key]


@pytest.mark.slow
@pytest.mark.parametrize("assignment", GRADED)
@pytest.mark.parametrize("student", STUDENTS)
def test_both_graders_agree_on_every_task(agreement, assignment, student):
    stock = _verdicts(agreement, "nbgrader", assignment, student)
    ours = _verdicts(agreement, "mlcourse", assignment, student)
    assert set(stock) == set(ours) == {t.id for t in S.tasks_of(assignment)}
    differ = {t: ("nbgrader passes" if stock[t] else "mlcourse grade passes") for t in stock if stock[t] != ours[t]}
    assert not differ, f"{student}: the graders disagree on {differ}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", GRADED)
@pytest.mark.parametrize("student", STUDENTS)
def test_correct_solutions_pass_and_common_mistakes_fail(agreement, assignment, student):
    ours = _verdicts(agreement, "mlcourse", assignment, student)
    messages = agreement["verdicts"]["messages", assignment, student]
    if student.startswith("correct"):
        failed = {t: messages[t] for t, ok in ours.items() if not ok}
        assert not failed, f"correct solutions fail: {failed}"
    else:
        passed = [t for t, ok in ours.items() if ok]
        assert not passed, f"common mistakes pass: {passed}"
        long = {t: m for t, m in messages.items() if not m or "\n" in m or "Traceback" in m}
        assert not long, f"messages should be one line: {long}"
