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

    @property
    def test_id(self) -> str:
        """nbgrader ``grade_id`` of the graded test cell."""
        return f"{self.id}_tests"

    def data(self, seed: int = 0) -> dict:
        """The inputs of variant ``seed`` (empty when the task has fixed inputs)."""
        return self.make_data(seed) if self.make_data is not None else {}
