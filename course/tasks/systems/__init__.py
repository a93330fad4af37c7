"""Coding tasks of assignment 3, "AI/ML systems" (syllabus A1–A10), in notebook order.

Reference solutions and hidden tests live in ``source/03_systems/`` only; the visible checks use
properties, hand-worked examples and library oracles. The seeded data that the tasks and the
notebook share are in :mod:`course.datasets.systems`.
"""
A = "03_systems"

from . import attention, baselines, contracts, decisions, encoding, fairness, metrics, serving  # noqa: E402

TASKS = [
    *baselines.TASKS,   # A1 rule vs model, A2 transfer features
    *encoding.TASKS,    # A3 categorical features
    *attention.TASKS,   # A4 attention
    *serving.TASKS,     # A5 one pipeline for training and serving, skew
    *decisions.TASKS,   # A6 bandits and Q-learning
    *metrics.TASKS,     # A7 regression and ranking metrics
    *contracts.TASKS,   # A8 schema, A9 request validation
    *fairness.TASKS,    # A10 fairness gaps and group thresholds
]
