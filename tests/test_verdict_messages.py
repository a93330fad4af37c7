"""The grader's messages, rebuilt from plain data: frames keep their labels, and a message the visible
checks could only get wrong from a replay (they watch more than what the function returns) is not given."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from autograder.grading.compare import close
from autograder.grading.plaindata import task_report
from autograder.grading.verdict import FAILED, PASSED, judge_task
from course.tasks import Task, expect


def _monthly_data(seed):
    index = pd.period_range("2024-01", periods=6, freq="M")
    return {"metric": pd.Series(np.linspace(0.9, 0.7, 6) + seed / 100, index=index)}


def _monthly_check(fn, data):
    out = fn(data["metric"])
    expect(isinstance(out, pd.DataFrame), f"monthly should return a pandas DataFrame, got {type(out).__name__}.")
    expect(out.index.equals(data["metric"].index), "The result should have one row per month, with the index of `metric`.")
    expect(np.allclose(out["drop"], data["metric"].diff().fillna(0)), "drop is the change from the month before.")


MONTHLY = Task(id="monthly", assignment="99_test", question="T1", title="Monthly drops", function="monthly", points=1,
               hints=("a", "b"), checks=(_monthly_check,), make_data=_monthly_data)


def _right(metric):
    return pd.DataFrame({"drop": metric.diff().fillna(0), "value": metric})


def _wrong(metric):
    return pd.DataFrame({"drop": -metric.diff().fillna(0), "value": metric})


@pytest.fixture
def monthly(monkeypatch):
    monkeypatch.setattr("course.tasks.find_task", lambda task_id: MONTHLY)
    return MONTHLY


def test_a_frame_is_graded_and_explained_as_a_frame(monthly, probe):
    seeds = [0, 3]
    expected = task_report(probe(monthly, _right, seeds), monthly.id, 2)["seeds"]
    assert "__frame__" in expected[0][0]["value"]
    assert judge_task(monthly, probe(monthly, _right, seeds), expected, 1).status == PASSED
    verdict = judge_task(monthly, probe(monthly, _wrong, seeds), expected, 1)
    # The checks see the rebuilt frame, monthly index included: their own message, not "got list".
    assert verdict.status == FAILED and verdict.message == "drop is the change from the month before.", verdict.message


def test_frames_compare_by_values_not_labels():
    frame = {"__frame__": {"columns": ["a"], "index": [0, 1], "data": [[1.0], [2.0]]}}
    relabelled = {"__frame__": {"columns": ["b"], "index": ["x", "y"], "data": [[1.0], [2.0 + 1e-9]]}}
    assert close(relabelled, frame)
    assert not close({"__frame__": {"columns": ["a"], "index": [0, 1], "data": [[1.0], [2.5]]}}, frame)
    assert not close([[1.0], [2.0]], frame)


_fits = []


def _counted_check(fn, data):
    _fits.clear()
    value = fn(data["x"], lambda: _fits.append(1))
    expect(len(_fits) == 2, f"{len(_fits)} models were fitted: fit two.")
    expect(abs(value - 2 * data["x"]) < 1e-9, "the value is wrong.")


WATCHING = Task(id="watching", assignment="99_test", question="T2", title="Fits two models", function="fits_two", points=1,
                hints=("a", "b"), checks=(_counted_check,), make_data=lambda seed: {"x": 1.0 + seed})


def test_checks_that_watch_side_effects_give_no_replayed_message(monkeypatch, probe):
    monkeypatch.setattr("course.tasks.find_task", lambda task_id: WATCHING)

    def right(x, make_model):
        make_model(), make_model()
        return 2 * x

    def wrong(x, make_model):
        make_model(), make_model()
        return 3 * x

    expected = task_report(probe(WATCHING, right, [0]), WATCHING.id, 1)["seeds"]
    verdict = judge_task(WATCHING, probe(WATCHING, wrong, [0]), expected, 0)
    # Replayed, the learner's values would read "0 models were fitted", which is not true: the grader
    # notices that the reference's own record fails the same checks and says less, correctly.
    assert verdict.status == FAILED and "models were fitted" not in verdict.message
    assert 'check("watching")' in verdict.message
