"""Coding tasks of assignment 4, "Applied ML in a SaaS product" (syllabus Z1–Z6), in notebook order.

Reference solutions and hidden tests live in ``source/04_saas/`` only.
"""
A = "04_saas"

from . import churn, drift, explain, missing, products, tuning  # noqa: E402

TASKS = [*products.TASKS, *missing.TASKS, *explain.TASKS, *tuning.TASKS, *churn.TASKS, *drift.TASKS]
