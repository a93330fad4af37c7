"""Coding tasks of assignment 1, "Foundations" (syllabus F1–F20), in notebook order.

Reference solutions and hidden tests live in ``source/01_foundations/`` only.
"""
A = "01_foundations"

from . import evaluation, models  # noqa: E402

TASKS = [*evaluation.TASKS, *models.TASKS]
