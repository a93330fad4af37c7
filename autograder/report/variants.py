"""Item statistics per variant: with per-student variants on, is one kind of variant harder?

Each student's seed is their own (``course.variants.variant_seed``), so no two students share a
variant exactly; what they share are the variant's *parameters*: the single values among a task's
inputs, such as the number of folds ``k`` or the ``test_size``, that ``make_data(seed)`` draws from
a few choices. A parameter that takes from 2 to :data:`MAX_LEVELS` values across the cohort splits
the students into groups, and each group gets the task's facility, share of full marks and
discrimination index (:mod:`autograder.report.stats`). From :data:`flags.MIN_STUDENTS` students in a
group and in the rest, a group whose share of full marks differs from the rest's with Fisher's exact
test (``scipy.stats.fisher_exact``, two-sided) below :data:`SIGNIFICANCE` divided by the number of
groups of that parameter (Bonferroni) is flagged harder or easier than the other variants.

Building the inputs of every student's variant takes a few milliseconds to a second per task, so
the parameters are kept in ``.mlcourse/report/<assignment>/variant-parameters.json`` (instructor
state; delete it to rebuild) and only new seeds are built on the next report.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from .flags import MIN_STUDENTS
from .stats import item_statistics

#: A parameter with more distinct values than this across the cohort is a number, not a choice of variant.
MAX_LEVELS = 8
#: Family-wise significance level of the per-parameter comparison.
SIGNIFICANCE = 0.05

BREAKDOWN_COLUMNS = ["item", "parameter", "value", "n", "facility", "pass_rate", "discrimination_index", "p_value", "flag"]


def _scalar(value):
    """A single JSON value (number, string, bool) of an input, or None for arrays, frames, objects."""
    if isinstance(value, np.generic) and np.ndim(value) == 0:
        value = value.item()
    if isinstance(value, bool) or isinstance(value, (int, str)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return None


def variant_parameters(tasks, seeds: dict, cache: Path | None = None) -> pd.DataFrame:
    """The single-value inputs of every student's variant of every task.

    Parameters
    ----------
    tasks : list of course.tasks.Task
        The assignment's tasks (those without ``make_data`` have no variants).
    seeds : dict
        Student → variant seed.
    cache : Path, optional
        JSON file of parameters already built, read and then updated.

    Returns
    -------
    DataFrame
        ``student, item, parameter, value`` (value as text), one row per single-value input.
    """
    known: dict = {}
    if cache is not None and cache.is_file():
        try:
            known = json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        if not isinstance(known, dict):
            known = {}
    changed = False
    rows = []
    for task in tasks:
        if task.make_data is None:
            continue
        built = known.setdefault(task.id, {})
        for student, seed in seeds.items():
            if str(seed) not in built:
                try:
                    data = task.data(seed)
                except Exception:  # an instructor's generator that fails on one seed: no parameters for it
                    data = {}
                built[str(seed)] = {k: v for k, v in ((k, _scalar(v)) for k, v in data.items()) if v is not None}
                changed = True
            for name, value in built[str(seed)].items():
                rows.append((student, task.id, name, str(value)))
    if changed and cache is not None:
        from ..grading.storage import atomic_write_text

        atomic_write_text(cache, json.dumps(known))
    return pd.DataFrame(rows, columns=["student", "item", "parameter", "value"])


def variant_breakdown(table: pd.DataFrame, max_scores: pd.Series, parameters: pd.DataFrame,
                      cell_of: dict) -> pd.DataFrame:
    """Statistics of each task per value of each of its variant parameters.

    Parameters
    ----------
    table : DataFrame
        Students × grade cells marks (:func:`items.marks_table`).
    max_scores : Series
        Maximum marks per grade cell.
    parameters : DataFrame
        :func:`variant_parameters`.
    cell_of : dict
        Task id → its grade cell.

    Returns
    -------
    DataFrame
        ``item, parameter, value, n, facility, pass_rate, discrimination_index, p_value, flag``;
        only parameters with 2 to :data:`MAX_LEVELS` values; ``p_value`` is NaN where a group or
        the rest has fewer than :data:`flags.MIN_STUDENTS` students.
    """
    rows = []
    if parameters.empty:
        return pd.DataFrame(rows, columns=BREAKDOWN_COLUMNS)
    columns = list(table.columns)
    marks = table.to_numpy()
    maxima = max_scores.to_numpy()
    index = {s: i for i, s in enumerate(table.index)}
    for (item, parameter), group in parameters.groupby(["item", "parameter"], sort=False):
        cell = cell_of.get(item)
        if cell not in columns:
            continue
        values = group.drop_duplicates("student").set_index("student")["value"]
        values = values[values.index.isin(index)]
        levels = sorted(values.unique(), key=_level_key)
        if not 2 <= len(levels) <= MAX_LEVELS:
            continue
        j = columns.index(cell)
        full = marks[:, j] >= maxima[j] - 1e-9
        tested = [v for v in levels if MIN_STUDENTS <= (values == v).sum() <= len(values) - MIN_STUDENTS]
        for level in levels:
            rows_in = np.array([index[s] for s in values.index[values == level]])
            rest = np.array([index[s] for s in values.index[values != level]])
            sub = item_statistics(marks[rows_in], maxima)
            p_value, flag = float("nan"), ""
            if level in tested:
                a, b = int(full[rows_in].sum()), int(len(rows_in) - full[rows_in].sum())
                c, d = int(full[rest].sum()), int(len(rest) - full[rest].sum())
                p_value = float(stats.fisher_exact([[a, b], [c, d]]).pvalue)
                if p_value < SIGNIFICANCE / len(tested):
                    flag = "harder than the other variants" if a / (a + b) < c / (c + d) else "easier than the other variants"
            rows.append({"item": item, "parameter": parameter, "value": level, "n": len(rows_in),
                         "facility": float(sub["facility"][j]), "pass_rate": float(full[rows_in].mean()),
                         "discrimination_index": float(sub["discrimination_index"][j]), "p_value": p_value, "flag": flag})
    return pd.DataFrame(rows, columns=BREAKDOWN_COLUMNS)


def describe(seeds: dict, breakdown: pd.DataFrame) -> str:
    """The page's sentence on how students were grouped by variant."""
    text = (f"Per-student variants are on: the {len(seeds)} students had {len(set(seeds.values()))} different variants. "
            f"Students are grouped by the inputs their variants draw from a few values (at most {MAX_LEVELS}); "
            f"a group of at least {MIN_STUDENTS} students whose share of full marks differs from the others' "
            f"(Fisher's exact test, {SIGNIFICANCE:.0%} level with a Bonferroni correction) is flagged.")
    if breakdown.empty:
        text += " No task of this assignment has such an input."
    return text


def _level_key(value: str):
    try:
        return (0, float(value), "")
    except ValueError:
        return (1, 0.0, value)
