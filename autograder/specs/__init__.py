"""Hidden tests of every graded task: one specification per task, used by both graders.

Instructor-only: the ``course`` package that students import never refers to it. Per assignment,
a module declares ``SPECS``, one :class:`Spec` per task (named cases and a judge); a task without
one is judged by the exact comparison the grader has always used (``Task.compare`` or numbers
within 1e-6).

``mlcourse grade`` runs the cases through the probe in the sandbox (:mod:`.runner`) and decides
outside (:mod:`.decide`); the hidden test cell of the source notebook calls :func:`hidden_tests`,
which records and decides the same way in the kernel, so both graders give the same verdict.
"""
from __future__ import annotations

import importlib
import importlib.util
from functools import lru_cache

from ._spec import Args, Case, Inputs, Judge, Spec, keep_inputs

__all__ = ["Args", "Case", "Inputs", "Judge", "Spec", "keep_inputs", "spec_for", "record_of", "verdict_of", "hidden_tests", "SPEC_MODULES"]

#: Assignment folder -> module declaring its SPECS.
SPEC_MODULES = {
    "01_foundations": "autograder.specs.foundations",
    "02_production": "autograder.specs.production",
    "03_systems": "autograder.specs.systems",
    "04_saas": "autograder.specs.saas",
}


def _exact(task):
    from ..grading.compare import close

    compare = task.compare or close

    def judge(got, expected, inputs=None):
        try:
            return None if compare(got, expected) is True else "differs from the correct result"
        except Exception:
            return "cannot be compared with the correct result"

    return judge


@lru_cache(maxsize=None)
def _declared(assignment: str) -> dict:
    name = SPEC_MODULES.get(assignment)
    if name is None or importlib.util.find_spec(name) is None:
        return {}
    specs = importlib.import_module(name).SPECS
    return {s.task: s for s in specs}


def spec_for(task_id: str) -> Spec:
    """The hidden tests of task ``task_id`` (the exact comparison when none are declared)."""
    from course.tasks import find_task

    task = find_task(task_id)
    return _declared(task.assignment).get(task_id) or Spec(task_id, judge=_exact(task))


def record_of(task_id: str, fn, seeds: list[int]) -> dict:
    """What the graders record of ``fn`` as task ``task_id`` on ``seeds`` (visible first), as the plain
    data that crosses the sandbox's boundary (through JSON, so NaN and tuples arrive as they would)."""
    import json

    from .runner import task_record

    return json.loads(json.dumps(task_record(task_id, fn, seeds), allow_nan=True))


def verdict_of(task_id: str, fn, reference, seeds: list[int]):
    """The :class:`~autograder.specs.decide.Decision` for ``fn`` against the reference on ``seeds``
    (visible first), recorded and judged in this process exactly as both graders do.

    Parameters
    ----------
    task_id : str
    fn : object
        The learner's function (or whatever the notebook bound to its name).
    reference : callable or dict
        The reference solution, or its :func:`record_of` on the same ``seeds`` (to record it once
        for many learners).
    seeds : list of int
    """
    from course.tasks import find_task

    from .decide import decide

    expected = reference if isinstance(reference, dict) else record_of(task_id, reference, seeds)
    return decide(find_task(task_id), spec_for(task_id), record_of(task_id, fn, seeds), expected["seeds"], expected["cases"], list(seeds))


def hidden_tests(task_id: str) -> None:
    """Run and judge task ``task_id``'s hidden tests in this kernel (the source notebook's hidden test cell).

    Raises
    ------
    AssertionError
        With a one-line message when the function fails any hidden case; nbgrader gives the cell
        no points.
    """
    from .kernel import hidden_tests as run

    run(task_id)
