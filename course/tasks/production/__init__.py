"""Coding tasks of assignment 2, "ML in production" (syllabus S1–S20), in notebook order.

Reference solutions and hidden tests live in ``source/02_production/`` only; the visible checks use
properties, hand-worked examples and library oracles. The seeded data that the tasks and the
notebook share are in :mod:`course.datasets.production`.
"""
A = "02_production"

from . import online, drift, versioning, explain, embeddings, imbalance, latency  # noqa: E402  S1–S10
from . import feature_pipelines, tuning, leakage, abtest, recsys, multilabel, streams  # noqa: E402  S11–S20

TASKS = [*online.TASKS, *drift.TASKS, *versioning.TASKS, *explain.TASKS, *embeddings.TASKS, *imbalance.TASKS, *latency.TASKS,
         *feature_pipelines.TASKS, *tuning.TASKS, *leakage.TASKS, *abtest.TASKS, *recsys.TASKS, *multilabel.TASKS,
         *streams.TASKS]
