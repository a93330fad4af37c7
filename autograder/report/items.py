"""One row per graded item (task or quiz): Moodle's item statistics, flags and the answers chosen."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .flags import MIN_STUDENTS, is_dubious, item_flags
from .stats import item_statistics

QUIZ_PREFIX, QUIZ_SUFFIX, TASK_SUFFIX = "quiz_", "_test", "_tests"
_QUESTION = re.compile(r"^([A-Z]+)(\d+)")
ITEM_COLUMNS = ["item", "kind", "question", "points", "n", "facility", "sd", "pass_rate", "mean_score",
                "discrimination_index", "discriminative_efficiency", "dubious", "flag", "options", "key",
                "distractors_above_key"]


def item_of(cell: str) -> tuple[str, str]:
    """Map a grade cell name to ``(kind, item id)``: quiz ``F7a``, task ``kfold_cv`` or another cell."""
    if cell.startswith(QUIZ_PREFIX) and cell.endswith(QUIZ_SUFFIX):
        return "quiz", cell[len(QUIZ_PREFIX):-len(QUIZ_SUFFIX)]
    if cell.endswith(TASK_SUFFIX):
        return "task", cell[: -len(TASK_SUFFIX)]
    return "cell", cell


def quiz_question(quiz: str) -> str:
    """The syllabus question of a quiz id: ``F7a`` → ``F7`` (empty for an id without one)."""
    match = _QUESTION.match(quiz)
    return match.group(0) if match else ""


def question_key(question: str) -> tuple:
    """Sort key of a syllabus question in syllabus order: ``F2`` before ``F10``, unknown ones last."""
    match = _QUESTION.match(question or "")
    return (0, match.group(1), int(match.group(2))) if match else (1, question or "", 0)


def marks_table(scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Students × grade cells marks (points; a missing grade counts 0) and each cell's maximum."""
    table = scores.pivot_table(index="student", columns="cell", values="score", aggfunc="sum").fillna(0.0)
    max_scores = scores.groupby("cell")["max_score"].max().reindex(table.columns).astype(float)
    return table.astype(float), max_scores


def analyse_items(scores: pd.DataFrame, choices: pd.DataFrame | None = None, keys: dict | None = None,
                  topics: dict | None = None, order: list | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Compute one row of statistics per item, in syllabus order, and each student's total.

    Parameters
    ----------
    scores : DataFrame
        ``student, cell, max_score, score`` (see :func:`results.load_scores`).
    choices : DataFrame, optional
        ``student, quiz, answer`` with canonical answers (letters) of the option quizzes.
    keys : dict, optional
        Quiz id → key as shown (letters, or ``"0.015 ± 0.001"`` for a numeric quiz); option
        quizzes' keys are compared with the options chosen.
    topics : dict, optional
        Task id → syllabus question (a quiz ``F7a`` belongs to ``F7``).
    order : list of str, optional
        Grade cell names in notebook order, to order the items of one question.

    Returns
    -------
    items : DataFrame
        ``item, kind, question, points, n, facility, sd, pass_rate, mean_score,
        discrimination_index, discriminative_efficiency, dubious, flag, options, key,
        distractors_above_key``, sorted by syllabus question then notebook position. Statistics
        are defined in :mod:`autograder.report.stats`; ``pass_rate`` is the share of students with
        full points; ``flag`` lists the reasons of :func:`flags.item_flags`; ``options`` counts
        each answer given (``"AC:12;B:3"``); ``distractors_above_key`` is
        :func:`distractors_above_key` (flags and distractors from :data:`flags.MIN_STUDENTS` on).
    totals : Series
        Each student's total score as a fraction of the maximum.
    """
    table, max_scores = marks_table(scores)
    total = table.sum(axis=1)
    maximum = float(max_scores.sum())
    totals = total / maximum if maximum else total * 0.0
    keys, topics = keys or {}, topics or {}
    position = {cell: i for i, cell in enumerate(order or [])}
    option_counts = {}
    if choices is not None and not choices.empty:
        option_counts = {q: grp["answer"].value_counts().to_dict() for q, grp in choices.groupby("quiz")}
    marks = table.to_numpy()
    statistics = item_statistics(marks, max_scores.to_numpy())
    full = marks >= max_scores.to_numpy() - 1e-9
    n = len(table)
    rows = []
    for j, cell in enumerate(table.columns):
        kind, item = item_of(cell)
        question = topics.get(item, "") or (quiz_question(item) if kind == "quiz" else "")
        facility, discrimination, efficiency = (float(statistics[k][j]) for k in
                                                ("facility", "discrimination_index", "discriminative_efficiency"))
        counts = option_counts.get(item, {}) if kind == "quiz" else {}
        key = keys.get(item, "")
        above = distractors_above_key(counts, key) if n >= MIN_STUDENTS else []
        rows.append({
            "item": item, "kind": kind, "question": question, "points": float(max_scores[cell]), "n": n,
            "facility": facility, "sd": float(statistics["sd"][j]), "pass_rate": float(full[:, j].mean()) if n else float("nan"),
            "mean_score": float(marks[:, j].mean()) if n else float("nan"),
            "discrimination_index": discrimination, "discriminative_efficiency": efficiency,
            "dubious": is_dubious(n, efficiency), "flag": "; ".join(item_flags(n, facility, discrimination, efficiency)),
            "options": ";".join(f"{k}:{v}" for k, v in sorted(counts.items())), "key": key,
            "distractors_above_key": ",".join(above),
            "_sort": (question_key(question), position.get(cell, len(position)), _natural(item)),
        })
    rows.sort(key=lambda row: row["_sort"])   # the frame keeps ITEM_COLUMNS only
    return pd.DataFrame(rows, columns=ITEM_COLUMNS), totals


def distractors_above_key(counts: dict, key: str) -> list[str]:
    """Wrong options that more students chose (or, in a select-all quiz, ticked) than the key's least chosen option.

    ``counts`` maps canonical answers (``"B"``, ``"AC"``) to students; letters are counted per
    option, so one rule serves single-choice and select-all quizzes. A numeric key (with ``±``)
    has no options.
    """
    if not key or not key.isalpha() or not key.isupper() or not counts:
        return []
    ticks: dict = {}
    for answer, n in counts.items():
        if answer.isalpha() and answer.isupper():
            for letter in answer:
                ticks[letter] = ticks.get(letter, 0) + n
    least_key = min(ticks.get(letter, 0) for letter in key)
    return sorted(letter for letter, n in ticks.items() if letter not in key and n > least_key)


def _natural(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def question_scores(table: pd.DataFrame, max_scores: pd.Series, questions: dict) -> pd.DataFrame:
    """Each student's share of the points of every syllabus question, in syllabus order.

    ``questions`` maps grade cell → syllabus question; cells without one are left out.
    """
    cells = [c for c in table.columns if questions.get(c)]
    by_question = pd.Series({c: questions[c] for c in cells})
    ordered = sorted(set(by_question), key=question_key)
    points = table[cells].T.groupby(by_question).sum().T
    maximum = max_scores[cells].groupby(by_question).sum()
    shares = points[ordered] / maximum[ordered].replace(0, np.nan)
    return shares
