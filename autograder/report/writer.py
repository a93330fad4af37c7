"""``mlcourse report``: read the gradebook and submissions, analyse, write two CSV files and a page."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..coursedir import CourseDir
from .items import analyse_items, item_of, marks_table, question_scores
from .results import load_quiz_choices, load_scores
from .stats import score_statistics


@dataclass(frozen=True)
class ReportFiles:
    """What ``mlcourse report`` wrote."""

    items_csv: Path
    students_csv: Path
    html: Path


def _db_url(course: CourseDir, config) -> str:
    db_url = config.CourseDirectory.get("db_url", "sqlite:///gradebook.db")
    if db_url.startswith("sqlite:///") and not Path(db_url[10:]).is_absolute():
        db_url = f"sqlite:///{course.root / db_url[10:]}"
    return db_url


def _grade_cell_order(course: CourseDir, assignment: str) -> list[str]:
    """Grade cell names in the order of the source notebook."""
    try:
        nb = json.loads(course.source_notebook(assignment).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    ids = (c.get("metadata", {}).get("nbgrader", {}) for c in nb.get("cells", []) if isinstance(c, dict))
    return [meta["grade_id"] for meta in ids if meta.get("grade") and meta.get("grade_id")]


def quiz_keys_and_answers(source: dict, choices: pd.DataFrame) -> tuple[dict, pd.DataFrame, dict]:
    """Keys as shown, canonical option answers, and the numbers given to numeric quizzes.

    Returns
    -------
    keys : dict
        Quiz id → ``"B"``, ``"AC"`` or ``"0.015 ± 0.001"``.
    options : DataFrame
        ``student, quiz, answer`` for option quizzes, answers as canonical letters (``invalid`` for
        an answer naming no option).
    numbers : dict
        Numeric quiz id → array of the finite numbers given.
    """
    from course.quiz._key import canonical

    keys = {}
    for qid, spec in source.items():
        if spec["kind"] == "numeric":
            keys[qid] = f"{float(spec['answer']):g} ± {float(spec['tolerance']):g}"
        else:
            keys[qid] = canonical(spec["kind"], spec["answer"], len(spec.get("options", [])))
    numbers: dict = {}
    option_rows = []
    memo: dict = {}
    for qid, group in choices.groupby("quiz", sort=False):
        spec = source.get(qid)
        if spec is None:
            continue
        if spec["kind"] == "numeric":
            values = pd.to_numeric(group["answer"].map(lambda a: a if isinstance(a, (int, float)) and not isinstance(a, bool)
                                                         else str(a).replace(",", "")), errors="coerce").to_numpy(dtype=float)
            numbers[qid] = values[np.isfinite(values)]
            continue
        for student, answer in zip(group["student"], group["answer"]):
            token = (qid, repr(answer))
            if token not in memo:
                try:
                    memo[token] = canonical(spec["kind"], answer, len(spec.get("options", [])))
                except ValueError:
                    memo[token] = "invalid"
            option_rows.append((student, qid, memo[token]))
    return keys, pd.DataFrame(option_rows, columns=["student", "quiz", "answer"]), numbers


def student_table(table: pd.DataFrame, max_scores: pd.Series, shares: pd.DataFrame,
                  seeds: dict | None = None) -> pd.DataFrame:
    """``students.csv``: each student's points, share and share of every syllabus question's points.

    ``below_half`` lists the questions where the student has less than half of the points.
    """
    maximum = float(max_scores.sum())
    out = pd.DataFrame(index=table.index)
    if seeds is not None:
        out["variant_seed"] = [seeds.get(s) for s in table.index]
    out["score"] = table.sum(axis=1)
    out["max_score"] = maximum
    out["share"] = out["score"] / maximum if maximum else np.nan
    for question in shares.columns:
        out[question] = shares[question]
    names = np.array(shares.columns, dtype=object)
    out["below_half"] = [" ".join(names[row]) for row in shares.lt(0.5).to_numpy()]
    return out.reset_index().rename(columns={"index": "student"})


def write_report(course: CourseDir, assignment: str, out_dir: Path | None = None) -> ReportFiles:
    """Analyse ``assignment`` from the gradebook and submissions; write the CSV files and the page.

    Parameters
    ----------
    course : CourseDir
    assignment : str
        Assignment folder, e.g. ``"01_foundations"``.
    out_dir : Path, optional
        Where to write (default ``reports/<assignment>/``).

    Returns
    -------
    ReportFiles
        ``items.csv`` (one row per item, syllabus order), ``students.csv`` (one row per student)
        and ``report.html``.

    Raises
    ------
    CourseError
        If the assignment is unknown or has no graded submission.
    """
    from course.tasks import assignment_tasks

    from ..quizbank import load_quiz_source
    from . import answers, figures, page
    from .variants import describe, variant_breakdown, variant_parameters

    # nbgrader_config.py imports nbgrader, whose nbformat would compile jsonschema's optional URI
    # grammar (seconds on a loaded machine) for nothing: importing the grading package turns it off.
    from .. import grading  # noqa: F401

    course.require_assignment(assignment)
    config = course.config()
    scores = load_scores(_db_url(course, config), assignment)
    source = load_quiz_source(course.quiz_file(assignment)) if course.quiz_file(assignment).is_file() else {}
    keys, options, numbers = quiz_keys_and_answers(source, load_quiz_choices(course.root / "submitted", assignment))
    tasks = assignment_tasks(assignment)
    items, totals = analyse_items(scores, options, keys, {t.id: t.question for t in tasks},
                                  _grade_cell_order(course, assignment))
    table, max_scores = marks_table(scores)
    test = score_statistics(table.to_numpy(), max_scores.to_numpy())
    question_by_item = dict(zip(items["item"], items["question"]))
    question_of = {cell: question_by_item.get(item_of(cell)[1], "") for cell in table.columns}
    shares = question_scores(table, max_scores, question_of)

    seed_of = course.variant_seeds(assignment, config)
    seeds = {s: seed_of(s) for s in table.index} if seed_of else None
    variants = None
    if seeds is not None:
        cache = course.root / ".mlcourse" / "report" / assignment / "variant-parameters.json"
        breakdown = variant_breakdown(table, max_scores, variant_parameters(tasks, seeds, cache),
                                      {t.id: t.test_id for t in tasks})
        variants = {"breakdown": breakdown, "note": describe(seeds, breakdown)}

    out_dir = Path(out_dir) if out_dir else course.root / "reports" / assignment
    out_dir.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(out_dir / "items.csv", out_dir / "students.csv", out_dir / "report.html")
    items.to_csv(files.items_csv, index=False, float_format="%.4f")
    student_table(table, max_scores, shares, seeds).to_csv(files.students_csv, index=False, float_format="%.4f")

    drawn = {}
    if test.n:
        drawn["scores"] = figures.score_histogram(totals)
    if items["discrimination_index"].astype(float).map(math.isfinite).any():
        drawn["items"] = figures.facility_discrimination(items)
    drawn["answers"] = answers.render(answers.panels(items, source, options, numbers))
    files.html.write_text(page.render(assignment, test, items, shares, drawn, variants,
                                      [files.items_csv.name, files.students_csv.name]), encoding="utf-8")
    return files
