"""Hidden tests of the tasks of assignment 4 (Z1–Z6), one :class:`~autograder.specs.Spec` per task.

Each spec accepts exactly what its task's statement allows (the markdown cell above the task's
solution cell in ``source/``) and names every edge case the statement mentions.
"""
from __future__ import annotations

SPECS = ()
