"""The declaration of a coding task: what the learner writes, how it is checked, and its hints."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Task:
    """One auto-graded coding task, declared as data.

    Attributes
    ----------
    id : str
        Unique id, also the nbgrader ``grade_id`` of the solution cell; the graded test cell is
        ``<id>_tests``.
    assignment : str
        Assignment folder, such as ``"01_foundations"``.
    question : str
        Syllabus question id, such as ``"F6"``.
    title : str
        Short title shown in reports.
    function : str
        Name of the function the learner writes.
    points : float
        Points of the graded test cell.
    hints : tuple of str
        Hints from a gentle nudge to an almost-solution; never the solution.
    checks : tuple of callables
        Visible checks ``check(fn, data)`` that raise :class:`course.tasks.CheckFailure`.
    make_data : callable, optional
        ``make_data(seed) -> dict`` builds the inputs of a variant of the task; seed 0 is the one
        the notebook shows.
    call : callable, optional
        ``call(fn, data)`` calls the learner's function ``fn`` on the inputs of one variant and
        returns what the grader records for it, as plain data (numbers, arrays, lists, dicts with
        string keys): for a function that returns an object the grader cannot compare (an
        estimator, a callable), the numbers that object gives on fixed inputs, computed
        deterministically (fixed seeds, one thread) since they are compared with the reference
        solution's. An exception that escapes ``call``, raised by ``fn`` or by the reduction, is
        recorded instead (so an untouched stub reads as not attempted). If ``call`` returns None,
        or a visible check it runs fails, every value ``fn`` returned is recorded, as for the
        visible checks. By default the grader records the calls that the visible ``checks`` make.
    needs : tuple of str
        Ids of tasks whose functions this one's solution calls (``drift_report`` uses ``psi``): a
        drill includes them, and the grader's reference runs their solution cells too.
    compare : callable, optional
        ``compare(actual, expected) -> bool`` on plain data (nested lists of numbers, strings,
        bools), for outputs defined only up to sign, order and the like; by default numbers are
        compared with a relative tolerance of 1e-6 and everything else exactly.
    """

    id: str
    assignment: str
    question: str
    title: str
    function: str
    points: float
    hints: tuple
    checks: tuple
    make_data: Callable[[int], dict[str, Any]] | None = field(default=None, compare=False)
    call: Callable[[Callable, dict], Any] | None = field(default=None, compare=False)
    compare: Callable[[Any, Any], bool] | None = field(default=None, compare=False)
    needs: tuple = ()

    @property
    def test_id(self) -> str:
        """nbgrader ``grade_id`` of the graded test cell."""
        return f"{self.id}_tests"

    def data(self, seed: int = 0) -> dict:
        """The inputs of variant ``seed`` (empty when the task has fixed inputs)."""
        return self.make_data(seed) if self.make_data is not None else {}
