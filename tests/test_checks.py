"""Self-checks and hints: the verdicts, their messages, and every declared task's visible checks."""
from __future__ import annotations

import sys

import pytest

import _support as S
from course import checks
from course.checks import FAILED, NOT_ATTEMPTED, PASSED, TaskNotPassed, Verdict, check, hint, run_checks
from course.tasks import Task, call, expect_close

TASKS = S.all_tasks()
IDS = [t.id for _, t in TASKS]


@pytest.fixture(autouse=True)
def _work_in_a_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever a learner's function writes lands there, not in the repository


# --- the engine, on a task of our own ---------------------------------------------------------------------

def _doubles(fn, data):
    expect_close(call(fn, data["x"]), 2 * data["x"], "double(x)")


DOUBLE = Task(
    id="double_it", assignment="99_test", question="T1", title="Double a number", function="double",
    points=1, hints=("Think of multiplication.", "Multiply by a small integer.", "Return 2 * x."),
    checks=(_doubles,), make_data=lambda seed: {"x": 21.0 + seed},
)


def _raise(exc):
    def fn(*args, **kwargs):
        raise exc
    return fn


@pytest.fixture
def double_task(monkeypatch):
    monkeypatch.setattr(checks, "find_task", lambda task_id: DOUBLE if task_id == "double_it" else _unknown(task_id))
    monkeypatch.setattr(checks, "_hint_level", {})
    return DOUBLE


def _unknown(task_id):
    raise LookupError(f"There is no task {task_id!r}: check the id (for example check(\"kfold_cv\")).")


def test_a_right_function_passes():
    verdict = run_checks(DOUBLE, lambda x: 2 * x)
    assert verdict == Verdict("double_it", PASSED) and str(verdict) == "double_it: passed"


def _noisy_double(x):
    """Right, but warns and logs to standard error as scikit-learn and Optuna do."""
    import logging
    import warnings

    warnings.warn("X does not have valid feature names", UserWarning)
    logger = logging.getLogger("noisy_double")
    if not logger.handlers:
        logger.addHandler(logging.StreamHandler())  # created inside the check: bound to its buffer
    logger.warning("Trial 0 finished")
    print("raw line", file=sys.stderr)
    return 2 * x


def test_warnings_and_log_lines_of_a_right_function_stay_off_standard_error(double_task, capsys):
    # stock nbgrader gives a test cell with any standard-error output no points
    import logging

    verdict = check("double_it", _noisy_double, strict=True)
    out, err = capsys.readouterr()
    assert verdict.status == PASSED and err == ""
    assert "issued 1 warning while checked, the first: UserWarning: X does not have valid feature names" in out
    handler = logging.getLogger("noisy_double").handlers[0]
    assert handler.stream is sys.stderr, "a handler created during the check must get the real stream back"
    logging.getLogger("noisy_double").handlers.clear()


def test_a_quiet_function_gets_no_note(double_task, capsys):
    assert check("double_it", lambda x: 2 * x).note == ""
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("fn, status, message", [
    (_raise(NotImplementedError()), NOT_ATTEMPTED, "still raises NotImplementedError"),
    (None, NOT_ATTEMPTED, "`double` is not defined yet"),
    (42, FAILED, "`double` should be a function, got int"),
    (lambda x: None, FAILED, "returned None: did you forget a `return`?"),
    (_raise(ValueError("bad shape")), FAILED, "raised ValueError: bad shape"),
    (lambda x: 3 * x, FAILED, "double(x) has the wrong value on the visible example"),
    (lambda x: [2 * x, 0], FAILED, "double(x) should have shape ()"),
    (lambda x: "forty-two", FAILED, "should be numeric"),
])
def test_verdicts_name_what_is_wrong(fn, status, message):
    verdict = run_checks(DOUBLE, fn)
    assert verdict.status == status
    assert message in verdict.message
    assert "42" not in verdict.message  # never the expected value


def test_verdict_html_is_escaped_and_coloured():
    html = Verdict("t<1>", FAILED, "a <b> message")._repr_html_()
    assert "t&lt;1&gt;" in html and "a &lt;b&gt; message" in html and "#cf222e" in html and "hint(" in html
    assert "hidden tests run when graded" in Verdict("t", PASSED)._repr_html_()


def test_check_finds_the_function_in_the_notebook_namespace(double_task, monkeypatch):
    monkeypatch.setattr(sys.modules["__main__"], "double", lambda x: 2 * x, raising=False)
    assert check("double_it").status == PASSED
    monkeypatch.setattr(sys.modules["__main__"], "double", lambda x: x, raising=False)
    assert check("double_it").status == FAILED


def test_strict_check_raises_a_one_line_error(double_task):
    with pytest.raises(TaskNotPassed) as err:
        check("double_it", lambda x: None, strict=True)
    assert isinstance(err.value, AssertionError)
    lines = err.value._render_traceback_()
    assert len(lines) == 1 and "\n" not in lines[0]
    assert "double_it: failed" in lines[0] and 'hint("double_it")' in lines[0]


def test_strict_check_of_an_untouched_stub_says_not_attempted_without_a_hint(double_task):
    with pytest.raises(TaskNotPassed) as err:
        check("double_it", _raise(NotImplementedError()), strict=True)
    (line,) = err.value._render_traceback_()
    assert "double_it: not attempted" in line and "hint(" not in line


def test_strict_check_of_a_right_function_returns_the_verdict(double_task):
    assert check("double_it", lambda x: 2 * x, strict=True).status == PASSED


def test_unknown_task_id(double_task, capsys):
    assert check("no_such_task") is None
    assert "There is no task 'no_such_task'" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="There is no task 'no_such_task'"):
        check("no_such_task", strict=True)


def test_hints_come_in_tiers_and_stop_at_the_last(double_task, monkeypatch, capsys):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, *a, **k: shown.append(obj.data))
    for _ in range(4):
        hint("double_it")
    assert [s.split("**")[1] for s in shown] == ["Hint 1/3", "Hint 2/3", "Hint 3/3", "Hint 3/3"]
    assert "Think of multiplication." in shown[0] and "Return 2 * x." in shown[2]
    assert "again for a more specific one" in shown[0] and "That was the last hint." in shown[2]
    hint("double_it", level=2)
    assert "Hint 2/3" in shown[-1]
    hint("double_it", level=0)
    assert "has hints 1 to 3" in capsys.readouterr().out
    hint("no_such_task")
    assert "There is no task" in capsys.readouterr().out


# --- every declared task ------------------------------------------------------------------------------------

def _reference(assignment, task, namespace):
    cell = S.cell_of(S.source_notebook(assignment), task.id)
    return S.function_from(cell.source, task.function, namespace)


@pytest.mark.parametrize("assignment, task", TASKS, ids=IDS)
def test_task_is_declared_completely(assignment, task):
    assert task.assignment == assignment
    assert task.function.isidentifier() and task.points > 0 and task.checks
    assert len(task.hints) >= 2 and all(h.strip() for h in task.hints), "hints come in tiers, from a nudge to almost the answer"
    assert task.question and task.title
    assert IDS.count(task.id) == 1, f"task id {task.id} is used twice"


@pytest.mark.parametrize("assignment, task", TASKS, ids=IDS)
def test_reference_passes_the_visible_checks_on_several_variants(assignment, task, task_namespace):
    fn = _reference(assignment, task, task_namespace(assignment, task.id))
    assert callable(fn), f"the solution cell of {task.id} does not define {task.function}"
    for seed in (0, 1, 2):
        verdict = run_checks(task, fn, seed=seed)
        assert verdict.status == PASSED, f"seed {seed}: {verdict}"


@pytest.mark.parametrize("assignment, task", TASKS, ids=IDS)
def test_untouched_stub_is_not_attempted(assignment, task, task_namespace):
    stub = S.cell_of(S.release_notebook(assignment), task.id)
    fn = S.function_from(stub.source, task.function, task_namespace(assignment, task.id))
    verdict = run_checks(task, fn)
    assert verdict.status == NOT_ATTEMPTED, str(verdict)
    assert "NotImplementedError" in verdict.message


@pytest.mark.parametrize("assignment, task", TASKS, ids=IDS)
def test_missing_return_and_crashes_are_named(assignment, task):
    verdict = run_checks(task, lambda *a, **k: None)
    assert verdict.status == FAILED and "did you forget a `return`?" in verdict.message, str(verdict)
    verdict = run_checks(task, _raise(ZeroDivisionError("division by zero")))
    assert verdict.status == FAILED and "raised ZeroDivisionError: division by zero" in verdict.message, str(verdict)


@pytest.mark.parametrize("assignment, task", TASKS, ids=IDS)
def test_typical_wrong_answer_fails_with_a_helpful_message(assignment, task, task_namespace, report):
    wrong = S.load_wrong_answers()
    if task.id not in wrong:
        pytest.fail(f"no typical wrong answer for {task.id} in tests/wrong_answers/")
    fn = S.function_from(wrong[task.id], task.function, task_namespace(assignment, task.id))
    assert callable(fn), f"the wrong answer of {task.id} does not define {task.function}"
    verdict = run_checks(task, fn)
    assert verdict.status != NOT_ATTEMPTED, f"the wrong answer of {task.id} reads as not attempted: {verdict}"
    if verdict.status == PASSED:
        # Some mistakes only show on other inputs: then the hidden tests must exist (roundtrip proves they catch it).
        test_cell = S.cell_of(S.source_notebook(assignment), task.test_id)
        assert S.hidden_lines(test_cell.source), f"{task.id}: the wrong answer passes the visible checks and there are no hidden tests"
        report(f"{task.id}: typical wrong answer passes the visible checks; caught by hidden tests only")
        return
    message = verdict.message
    assert message and "\n" not in message and "Traceback" not in message, repr(message)
    assert len(message) < 400, "a verdict is one readable sentence"

