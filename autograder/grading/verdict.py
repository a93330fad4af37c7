"""Pass or fail, decided in the grader's process from plain data only.

A task passes when its visible checks passed in the sandbox and the task's judge
(:mod:`autograder.specs`) accepts what the learner's function returned on the visible seed, on
every hidden seed and on every named hidden case, compared with the instructor's reference
solution. Messages name what is wrong on the visible example, or the kind of hidden input that
failed: never a hidden seed, input or expected value.
"""
from __future__ import annotations

import ast
import keyword
from dataclasses import asdict, dataclass

from course.tasks import CheckFailure, NotAttempted

from .compare import labelled, close
from .plaindata import NotPlainData, quiz_report, task_report

PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"


@dataclass
class CellVerdict:
    """The outcome of one graded cell (a task's test cell or a quiz's test cell)."""

    grade_id: str
    kind: str
    title: str
    status: str
    score: float
    max_score: float
    message: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _same(got: list, expected: list, compare) -> bool:
    if len(got) != len(expected):
        return False
    for g, e in zip(got, expected):
        if "value" not in g:
            return False
        try:
            if compare(g["value"], e["value"]) is not True:
                return False
        except Exception:
            return False
    return True


def _revive(value):
    """Plain data back as the learner's function returned it, where the probe kept the labels (frames)."""
    kind = labelled(value)
    if kind is not None:
        import pandas as pd

        record = value[kind]
        index = record.get("index")
        try:
            if type(index) is dict and "period" in index:
                index = pd.PeriodIndex(index["values"], freq=index["period"])
            elif type(index) is dict and index.get("datetime") is True:
                index = pd.DatetimeIndex(index["values"])
            if kind == "__frame__":
                return pd.DataFrame(record["data"], index=index, columns=record["columns"])
            return pd.Series(record["data"], index=index, name=record["name"])
        except Exception:   # labels that do not fit the values: give the checks the values alone
            return record.get("data")
    if type(value) is list:
        return [_revive(v) for v in value]
    if type(value) is dict:
        return {k: _revive(v) for k, v in value.items()}
    return value


def _replay(task, calls):
    """A stand-in for the learner's function that returns what it returned in the sandbox."""
    pending = list(calls)

    def fn(*args, **kwargs):
        if not pending:
            raise RuntimeError("was called more often here than in your notebook")
        call = pending.pop(0)
        if "raised" in call:
            name = call["raised"] if call["raised"].isidentifier() and not keyword.iskeyword(call["raised"]) else "Exception"
            if name == "NotImplementedError":
                raise NotImplementedError()
            raise type(name, (Exception,), {})(call["message"])
        return _revive(call["value"])

    fn.__name__ = task.function
    return fn


def _reduced_message(task, calls, expected) -> str:
    """For a task whose ``Task.call`` reduced the result to numbers: which part differs from the reference."""
    got = calls[0]["value"] if len(calls) == 1 else None
    want = expected[0]["value"] if len(expected) == 1 and "value" in expected[0] else None
    part = ""
    if isinstance(got, dict) and isinstance(want, dict):
        compare = task.compare or close
        differing = [k for k in want if k not in got or not _same([{"value": got[k]}], [{"value": want[k]}], compare)]
        if differing:
            part = f" (`{differing[0]}` differs from the reference solution's)"
    return (f"wrong result on the visible example{part}: run check(\"{task.id}\") in your notebook for a more "
            "specific message.")


def _visible_checks(task, calls, seed: int) -> str | None:
    """Run the visible checks on a replay of ``calls``: ``None`` if they pass, else the message."""
    fn = _replay(task, calls)
    try:
        data = task.data(seed)
        for visible_check in task.checks:
            visible_check(fn, data)
    except NotAttempted:
        return f"`{task.function}` still raises NotImplementedError: replace the stub with your code."
    except CheckFailure as err:
        return str(err)
    except Exception:
        return _GENERIC
    return None


_GENERIC = "wrong result on the visible example."


def visible_message(task, calls, seed: int = 0, expected=None) -> str:
    """The visible checks' message for the learner's outputs on the visible seed, re-run here on plain data.

    Where ``Task.call`` reduced an object to numbers, which the visible checks cannot read, the
    message says which part of that record differs from ``expected`` (the reference's) instead. So
    it does where the checks watch more than what the function returns (the models it fits, say):
    the reference's own record, replayed, would fail them too.
    """
    if not calls:
        return _GENERIC
    if len(calls) == 1 and calls[0].get("reduced"):
        return _reduced_message(task, calls, expected or [])
    message = _visible_checks(task, calls, seed)
    if message is None or message == _GENERIC:
        return _GENERIC
    if expected and not calls[0].get("raised") and _visible_checks(task, expected, seed) is not None:
        return _reduced_message(task, calls, expected)
    return message


def judge_task(task, report_text, expected: list, n_hidden: int, visible_seed: int = 0, cases=None, seeds=None) -> CellVerdict:
    """Verdict of one task from the probe's JSON text and the reference's records.

    Parameters
    ----------
    task : course.tasks.Task
    report_text : str or None
        The probe's JSON text (untrusted: anything that is not a valid report fails with a reason).
    expected : list
        The reference's calls per seed, the visible seed first.
    n_hidden : int
        Number of hidden seeds.
    visible_seed : int, default 0
        The visible variant (0 in an assignment, the learner's own in a drill or with variants on);
        messages are drawn from it and from the named cases only.
    cases : list, optional
        The reference's record per case of the task's spec (:mod:`autograder.specs`).
    seeds : list of int, optional
        All seeds, visible first, so judges can look at a variant's inputs.
    """
    from autograder.specs import spec_for
    from autograder.specs.decide import decide

    def verdict(status, message=""):
        score = float(task.points) if status == PASSED else 0.0
        return CellVerdict(task.test_id, "task", task.title, status, score, float(task.points), message)

    if report_text is None:
        return verdict(FAILED, "no result: the notebook stopped (or was stopped) before this task could be checked.")
    try:
        report = task_report(report_text, task.id, len(expected))
    except NotPlainData as err:
        return verdict(FAILED, f"the grader could not read this task's result ({err}).")
    seeds = list(seeds) if seeds is not None else [visible_seed, *[None] * n_hidden]
    spec = spec_for(task.id)
    try:
        decision = decide(task, spec, report, expected, list(cases or []), seeds)
    except Exception as err:   # whatever the report holds, this submission gets a verdict and the batch goes on
        return verdict(FAILED, f"the grader could not judge this task's result ({type(err).__name__}).")
    if decision.status != FAILED or decision.where != "visible" or spec.variant is not None:
        # (a spec that calls the function once per variant recorded no visible-check calls to replay)
        return verdict(decision.status, decision.message)
    calls = report["seeds"][0] if report["seeds"] else []
    try:
        replayed = visible_message(task, calls, visible_seed, expected[0] if expected else [])
    except Exception:
        replayed = _GENERIC
    return verdict(FAILED, replayed if replayed != _GENERIC else (decision.message or _GENERIC))


def static_answers(nb) -> dict:
    """Quiz answers written as literals in the notebook's quiz cells: ``quiz("F7a", answer="B")``."""
    found = {}
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "quiz" and node.args:
                try:
                    qid = ast.literal_eval(node.args[0])
                    answer = next((ast.literal_eval(k.value) for k in node.keywords if k.arg == "answer"), None)
                except (ValueError, SyntaxError, TypeError):
                    continue
                if isinstance(qid, str) and answer is not None:
                    found[qid] = answer
    return found


def quiz_answers(report_text, nb) -> dict:
    """Answers the kernel recorded, completed by literal answers for quizzes whose cell did not run."""
    answers = static_answers(nb)
    if report_text is not None:
        try:
            answers.update(quiz_report(report_text))
        except NotPlainData:
            pass
    return answers


def judge_quiz(question, grade_id: str, points: float, answers: dict) -> CellVerdict:
    """Verdict of one quiz from the recorded answer, checked against the bank here."""
    from course.quiz._key import AnswerError

    def verdict(status, message=""):
        return CellVerdict(grade_id, "quiz", f"Quiz {question.qid}", status, float(points) if status == PASSED else 0.0,
                           float(points), message)

    if question.qid not in answers:
        return verdict(NOT_ATTEMPTED, "no recorded answer: answer it with the widget and save the notebook.")
    answer = answers[question.qid]
    if not (type(answer) in (str, int, float) or (type(answer) is list and all(type(a) is str for a in answer))):
        return verdict(FAILED, "the recorded answer cannot be read.")
    try:
        right = question.is_correct(answer)
    except AnswerError:
        return verdict(FAILED, "the recorded answer cannot be read: pick it again in the widget.")
    return verdict(PASSED) if right else verdict(FAILED, "the recorded answer is not correct.")
