"""Item statistics: difficulty (pass rate), point-biserial discrimination and distractor counts."""
from __future__ import annotations

import numpy as np
import pandas as pd

QUIZ_PREFIX, QUIZ_SUFFIX, TASK_SUFFIX = "quiz_", "_test", "_tests"


def item_of(cell: str) -> tuple[str, str]:
    """Map a grade cell name to ``(kind, item id)``: quiz ``F7a``, task ``kfold_cv`` or another cell."""
    if cell.startswith(QUIZ_PREFIX) and cell.endswith(QUIZ_SUFFIX):
        return "quiz", cell[len(QUIZ_PREFIX):-len(QUIZ_SUFFIX)]
    if cell.endswith(TASK_SUFFIX):
        return "task", cell[: -len(TASK_SUFFIX)]
    return "cell", cell


def _point_biserial(passed: np.ndarray, rest: np.ndarray) -> float:
    if len(passed) < 3 or passed.std() == 0 or rest.std() == 0:
        return float("nan")
    return float(np.corrcoef(passed, rest)[0, 1])


def analyse_items(scores: pd.DataFrame, choices: pd.DataFrame | None = None, keys: dict | None = None,
                  topics: dict | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Compute one row of statistics per item, and each student's total.

    Parameters
    ----------
    scores : DataFrame
        ``student, cell, max_score, score`` (see :func:`results.load_scores`).
    choices : DataFrame, optional
        ``student, quiz, answer`` with canonical answers (letters).
    keys : dict, optional
        Quiz id → canonical key, to compare distractors with the key.
    topics : dict, optional
        Item id → syllabus question.

    Returns
    -------
    items : DataFrame
        ``item, kind, question, points, n, pass_rate, mean_score, discrimination, flag, options,
        key, distractors_above_key``; discrimination is the point-biserial correlation of passing
        the item with the rest of the score (NaN with fewer than 3 students or no spread).
    totals : Series
        Each student's total score as a fraction of the maximum.
    """
    table = scores.pivot_table(index="student", columns="cell", values="score", aggfunc="sum").fillna(0.0)
    max_scores = scores.groupby("cell")["max_score"].max()
    full = table.ge(max_scores.reindex(table.columns) - 1e-9).astype(float)
    total = table.sum(axis=1)
    totals = total / max_scores.sum() if max_scores.sum() else total
    keys, topics = keys or {}, topics or {}
    option_counts = {}
    if choices is not None and not choices.empty:
        option_counts = {q: grp["answer"].value_counts().to_dict() for q, grp in choices.groupby("quiz")}
    rows = []
    for cell in table.columns:
        kind, item = item_of(cell)
        passed = full[cell].to_numpy()
        rest = (total - table[cell]).to_numpy()
        pass_rate = float(passed.mean())
        flag = ""
        if len(passed) >= 2 and pass_rate == 0:
            flag = "nobody passes: check the test or the teaching"
        elif len(passed) >= 2 and pass_rate == 1:
            flag = "everybody passes: a giveaway?"
        counts = option_counts.get(item, {}) if kind == "quiz" else {}
        key = keys.get(item, "")
        above = sorted(opt for opt, n in counts.items() if key and opt != key and n > counts.get(key, 0))
        discrimination = _point_biserial(passed, rest)
        if not flag and not np.isnan(discrimination) and discrimination < 0:
            flag = "negative discrimination: stronger students fail it more"
        rows.append({
            "item": item, "kind": kind, "question": topics.get(item, item.rstrip("abcdefghijklmnopqrstuvwxyz") if kind == "quiz" else ""),
            "points": float(max_scores[cell]), "n": int(len(passed)), "pass_rate": pass_rate,
            "mean_score": float(table[cell].mean()), "discrimination": discrimination, "flag": flag,
            "options": ";".join(f"{k}:{v}" for k, v in sorted(counts.items())), "key": key,
            "distractors_above_key": ",".join(above),
        })
    return pd.DataFrame(rows), totals
