"""Random and adversarial probe reports fed to the judging code: every one is judged, none stops the batch.

What a sandbox sends back is untrusted data. These tests need no sandbox and no kernel: they call
the public judging entries (``judge_task``, ``judge_quiz``, ``quiz_answers``) and the batch's
per-cell guard directly, on payloads of every shape (empty, truncated, wrong types, huge, deeply
nested, NaN, strings where numbers belong, records of the wrong form).
"""
from __future__ import annotations

import json
import math
import random

import nbformat
import pytest

from autograder.grading.verdict import FAILED, NOT_ATTEMPTED, PASSED, CellVerdict, judge_quiz, judge_task, quiz_answers

N_HIDDEN = 3
#: The reference's value per task (each task's judge reads its own shape): a report dict, SHAP values and a base.
REFERENCE = {"top_k_lift": {"precision_at_k": 0.5, "base_rate": 0.25, "lift": 2.0}, "linear_shap": [[[0.5, -1.0]], 0.25]}
TASKS = tuple(REFERENCE)


def _task(task_id):
    from course.tasks import find_task

    return find_task(task_id)


def _expected(task_id):
    return [[{"value": REFERENCE[task_id]}] for _ in range(N_HIDDEN + 1)]


def _cases(task_id):
    """The reference's record of every named case of the task's spec (the same value, for this harness)."""
    from autograder.specs import spec_for

    return [{"raised": c.raises, "message": "", "mro": [c.raises]} if c.raises else {"value": REFERENCE[task_id]}
            for c in spec_for(task_id).cases]


def _scalar(rng):
    return rng.choice([None, True, False, 0, -1, 2**70, 1.5, math.nan, math.inf, -math.inf, "", "7", "NaN", "x" * 50,
                       [], {}, [1, "a", None], {"value": 1}])


def _value(rng, depth=0):
    kind = rng.randrange(9 if depth < 6 else 1)
    if kind == 0:
        return _scalar(rng)
    if kind == 1:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(5))]
    if kind == 2:
        return {rng.choice(["value", "raised", "message", "reduced", "a", ""]): _value(rng, depth + 1) for _ in range(rng.randrange(4))}
    if kind == 3:
        return {"__frame__": {"columns": _value(rng, depth + 1), "index": _value(rng, depth + 1), "data": _value(rng, depth + 1)}}
    if kind == 4:
        return {"__series__": {"name": _value(rng, depth + 1), "index": rng.choice([{"period": "M", "values": ["x"]},
                                                                                   {"datetime": True, "values": [1]}, None]),
                               "data": _value(rng, depth + 1)}}
    if kind == 5:
        return [rng.random() for _ in range(rng.randrange(50))]
    if kind == 6:
        return {"__unsupported__": "Thing"}
    if kind == 7:
        return rng.choice(["1", "0.5", "[1, 2]", "True"])
    return [[rng.random()] * 3 for _ in range(rng.randrange(4))]


def _call(rng, task_id):
    shape = rng.randrange(6)
    if shape == 0:
        return {"value": _value(rng)}
    if shape == 1:
        return {"raised": rng.choice(["NotImplementedError", "ValueError", "class", "1bad", "", "Exception", "x" * 300]),
                "message": rng.choice(["", "boom", "\n" * 5])}
    if shape == 2:
        return {"value": _value(rng), "reduced": True}
    if shape == 3:
        return _value(rng)
    if shape == 4:
        return {"value": REFERENCE[task_id]}
    return {}


def _report(rng, task_id):
    seeds = [[_call(rng, task_id) for _ in range(rng.randrange(4))] for _ in range(rng.choice([N_HIDDEN + 1, N_HIDDEN + 1, 0, 1, 9]))]
    report = {"task": rng.choice([task_id, task_id, "other", None]), "defined": rng.choice([True, True, False, "yes", None]),
              "callable": rng.choice([True, True, False, 1]), "seeds": rng.choice([seeds, seeds, seeds, None, "x", {}])}
    if rng.random() < 0.1:
        del report[rng.choice(list(report))]
    return report


def _texts(rng, task_id):
    """Report texts of every kind: well-formed reports of random content, then the malformed and the extreme."""
    for _ in range(300):
        yield json.dumps(_report(rng, task_id), allow_nan=True)
    good = _good(task_id)
    yield from [good, None, "", " ", "null", "[]", "{}", "0", "NaN", '"text"', good[: len(good) // 2], good + "garbage",
                "[" * 100_000 + "]" * 100_000,                                   # deeply nested
                json.dumps({"task": task_id, "defined": True, "callable": True,
                            "seeds": [[{"value": list(range(200_000))}]] * 4}),  # huge
                json.dumps({"task": task_id, "defined": True, "callable": True, "seeds": [[], [], [], []]}),
                json.dumps({"task": task_id, "defined": True, "callable": True, "seeds": [[], [{"value": 1}], [], []]}),
                json.dumps({"task": task_id, "defined": True, "callable": True, "seeds": [[{"value": "0.5"}]] * 4}),
                json.dumps({"task": task_id, "defined": True, "callable": True, "seeds": [[{"value": math.nan}]] * 4}),
                b"bytes".decode(), 12345, ["not", "text"], {"task": task_id}]


def _check_verdict(verdict, task, text, good_text):
    assert isinstance(verdict, CellVerdict)
    assert verdict.status in (PASSED, FAILED, NOT_ATTEMPTED)
    assert verdict.score in (0.0, float(task.points)) and (verdict.score > 0) == (verdict.status == PASSED)
    assert isinstance(verdict.message, str)
    if verdict.status == PASSED:    # only the reference's own values pass
        assert text == good_text or json.loads(text)["seeds"] == json.loads(good_text)["seeds"]


def _good(task_id):
    return json.dumps({"task": task_id, "defined": True, "callable": True, "seeds": [[{"value": REFERENCE[task_id]}]] * 4,
                       "visible": {"status": "passed", "message": ""}, "cases": _cases(task_id)})


@pytest.mark.parametrize("task_id", TASKS)
def test_batch_guard_judges_every_payload(task_id):
    from autograder.grading.batch import _verdicts

    task = _task(task_id)
    info = type("A", (), {"tasks": [task], "quizzes": {}})()
    rng = random.Random(f"batch-{task_id}")
    nb = nbformat.v4.new_notebook()
    passed = 0
    for text in _texts(rng, task_id):
        reference = {task_id: {"seeds": _expected(task_id), "cases": _cases(task_id), "values": list(range(N_HIDDEN + 1))}}
        verdicts, crashed = _verdicts(info, {"probes": {f"task:{task_id}": text}}, reference, nb)
        assert len(verdicts) == 1, text
        _check_verdict(verdicts[0], task, text, _good(task_id))
        passed += verdicts[0].status == PASSED
    assert passed >= 1      # the harness is not vacuous: the reference's values do pass


@pytest.mark.parametrize("task_id", TASKS)
def test_judge_task_judges_every_payload(task_id):
    task = _task(task_id)
    rng = random.Random(f"judge-{task_id}")
    for text in _texts(rng, task_id):
        verdict = judge_task(task, text, _expected(task_id), N_HIDDEN, visible_seed=0, cases=_cases(task_id))
        _check_verdict(verdict, task, text, _good(task_id))


def test_quiz_answers_and_judge_quiz_take_any_payload():
    from course.quiz import find_question

    rng = random.Random("quiz")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('quiz("F1a", answer="B")'),
                                         nbformat.v4.new_code_cell("quiz(")])
    question = next(iter(_some_questions()))
    texts = [None, "", "{", "[]", '{"answers": []}', '{"answers": {"F1a": {"x": 1}}}', '{"answers": {"F1a": [1, 2]}}',
             "[" * 50_000, json.dumps({"answers": {question.qid: math.nan}}, allow_nan=True)]
    texts += [json.dumps({"answers": {question.qid: _value(rng)}}, allow_nan=True) for _ in range(200)]
    for text in texts:
        answers = quiz_answers(text, nb)
        assert isinstance(answers, dict)
        verdict = judge_quiz(question, f"quiz_{question.qid}_test", 1, answers)
        assert verdict.status in (PASSED, FAILED, NOT_ATTEMPTED) and verdict.score in (0.0, 1.0)
    assert find_question(question.qid).qid == question.qid


def _some_questions():
    from course.quiz import find_question
    from course.notebook import quiz_ids, read_notebook
    from pathlib import Path

    source = next((Path(__file__).resolve().parents[2] / "source" / "01_foundations").glob("*.ipynb"))
    return [find_question(q) for q in sorted(quiz_ids(read_notebook(source)))[:3]]
