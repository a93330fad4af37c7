"""Hidden tests of the tasks of S11–S20 of assignment 2, one :class:`~autograder.specs.Spec` per task.

Each spec accepts exactly what its task's statement allows (the markdown cell above the task's
solution cell in ``source/``) and names every edge case the statement mentions.
"""
from __future__ import annotations

SPECS = ()
