"""A simulated cohort in a real nbgrader gradebook, to preview a report or measure its speed.

Students get an ability and items a difficulty (a two-parameter logistic model); scores and quiz
choices are written straight into the gradebook's tables and into ``submitted/``.
"""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, text


def simulate_cohort(db_url: str, submitted: Path, assignment: str, notebook: str, quiz_options: dict,
                    keys: dict, n_students: int = 1000, seed: int = 0) -> None:
    """Add ``n_students`` graded submissions of ``assignment`` to the gradebook at ``db_url``.

    The assignment must already be in the gradebook (``mlcourse build`` puts it there).
    ``quiz_options`` maps quiz id → number of options; ``keys`` quiz id → key letter(s).
    """
    rng = np.random.default_rng(seed)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        aid = conn.execute(text("SELECT id FROM assignment WHERE name=:a"), {"a": assignment}).scalar_one()
        nid = conn.execute(text("SELECT id FROM notebook WHERE assignment_id=:a AND name=:n"), {"a": aid, "n": notebook}).scalar_one()
        cells = conn.execute(text(
            "SELECT bc.id, bc.name, gc.max_score FROM base_cell bc JOIN grade_cells gc ON gc.id = bc.id WHERE bc.notebook_id=:n"
        ), {"n": nid}).all()
        difficulty = rng.normal(-0.5, 1.0, size=len(cells))
        students, subs, nbs, grades = [], [], [], []
        for i in range(n_students):
            student = f"student{i:04d}"
            ability = rng.normal()
            sa, sn = uuid.uuid4().hex, uuid.uuid4().hex
            students.append({"id": student})
            subs.append({"id": sa, "a": aid, "s": student})
            nbs.append({"id": sn, "a": sa, "n": nid})
            passed = rng.random(len(cells)) < 1 / (1 + np.exp(-1.7 * (ability - difficulty)))
            for (cid, name, max_score), ok in zip(cells, passed):
                grades.append({"id": uuid.uuid4().hex, "nb": sn, "c": cid, "s": float(max_score) if ok else 0.0})
            _write_choices(submitted / student / assignment / f"{notebook}.ipynb", rng, ability, quiz_options, keys)
        conn.execute(text("INSERT INTO student (id) VALUES (:id)"), students)
        conn.execute(text("INSERT INTO submitted_assignment (id, assignment_id, student_id) VALUES (:id, :a, :s)"), subs)
        conn.execute(text("INSERT INTO submitted_notebook (id, assignment_id, notebook_id, flagged, late_submission_penalty) "
                          "VALUES (:id, :a, :n, false, 0)"), nbs)
        conn.execute(text("INSERT INTO grade (id, notebook_id, cell_id, auto_score, needs_manual_grade) "
                          "VALUES (:id, :nb, :c, :s, false)"), grades)
    engine.dispose()


def _write_choices(path: Path, rng, ability: float, quiz_options: dict, keys: dict) -> None:
    cells = []
    for qid, n in quiz_options.items():
        key = keys.get(qid, "A")
        answer = key if rng.random() < 1 / (1 + np.exp(-1.5 * ability)) else "ABCDEFGH"[int(rng.integers(n))]
        cells.append({"cell_type": "code", "metadata": {"tags": ["quiz"]}, "source": f'quiz("{qid}", answer="{answer}")',
                      "outputs": [], "execution_count": None})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
