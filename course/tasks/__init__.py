"""The course's coding tasks, declared as data, one module per assignment."""
from __future__ import annotations

import importlib

from ._expect import (
    CheckFailure, NotAttempted, as_array, call, expect, expect_close, expect_shape, expect_type, scalar, unpack,
)
from ._task import Task

__all__ = [
    "Task", "CheckFailure", "NotAttempted", "call", "expect", "expect_type", "expect_shape", "expect_close",
    "as_array", "scalar", "unpack", "assignment_tasks", "find_task", "ASSIGNMENT_MODULES",
]

# Assignment folder -> module declaring its TASKS, in course order.
ASSIGNMENT_MODULES = {
    "00_orientation": "course.tasks.orientation",
    "01_foundations": "course.tasks.foundations",
    "02_production": "course.tasks.production",
    "03_systems": "course.tasks.systems",
    "04_saas": "course.tasks.saas",
}


def assignment_tasks(assignment: str) -> list[Task]:
    """The tasks of ``assignment`` in notebook order."""
    if assignment not in ASSIGNMENT_MODULES:
        raise LookupError(f"Unknown assignment {assignment!r}; the course has {', '.join(ASSIGNMENT_MODULES)}.")
    return list(importlib.import_module(ASSIGNMENT_MODULES[assignment]).TASKS)


def find_task(task_id: str) -> Task:
    """Look a task up by id across the course."""
    for assignment in ASSIGNMENT_MODULES:
        for task in assignment_tasks(assignment):
            if task.id == task_id:
                return task
    raise LookupError(f"There is no task {task_id!r}: check the id (for example check(\"kfold_cv\")).")
