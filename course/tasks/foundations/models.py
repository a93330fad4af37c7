"""Coding tasks of assignment 1 for questions F11–F20: regularization, PCA, trees, optimisation, ROC."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, call, expect, expect_close
from .._task import Task
from . import A

TASKS = []
