"""A simulated cohort in a real nbgrader gradebook, to preview a report or measure its speed.

Students get an ability and items a difficulty (a two-parameter logistic model); scores are written
straight into the gradebook's tables, and each quiz answer, consistent with the quiz's score (the
key when it scored, a wrong option or a wrong number otherwise), into ``submitted/``.
"""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, text

from .items import item_of


def simulate_cohort(db_url: str, submitted: Path, assignment: str, notebook: str, quizzes: dict,
                    n_students: int = 1000, seed: int = 0) -> None:
    """Add ``n_students`` graded submissions of ``assignment`` to the gradebook at ``db_url``.

    Parameters
    ----------
    db_url : str
        The gradebook; the assignment must already be in it (``mlcourse build`` puts it there).
    submitted : Path
        nbgrader's ``submitted/`` folder, where each student's notebook with quiz answers goes.
    assignment, notebook : str
        Assignment folder and notebook name (without ``.ipynb``).
    quizzes : dict
        The assignment's quiz declarations (:func:`autograder.quizbank.load_quiz_source`).
    n_students : int, default 1000
    seed : int, default 0
        Seed of the simulation.
    """
    from course.quiz._key import LETTERS, canonical

    rng = np.random.default_rng(seed)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        aid = conn.execute(text("SELECT id FROM assignment WHERE name=:a"), {"a": assignment}).scalar_one()
        nid = conn.execute(text("SELECT id FROM notebook WHERE assignment_id=:a AND name=:n"), {"a": aid, "n": notebook}).scalar_one()
        cells = conn.execute(text(
            "SELECT bc.id, bc.name, gc.max_score FROM base_cell bc JOIN grade_cells gc ON gc.id = bc.id WHERE bc.notebook_id=:n"
        ), {"n": nid}).all()
        difficulty = rng.normal(-0.5, 1.0, size=len(cells))
        keys = {q: canonical(v["kind"], v["answer"], len(v.get("options", []))) for q, v in quizzes.items() if v["kind"] != "numeric"}
        students, subs, nbs, grades = [], [], [], []
        for i in range(n_students):
            student = f"student{i:04d}"
            ability = rng.normal()
            sa, sn = uuid.uuid4().hex, uuid.uuid4().hex
            students.append({"id": student})
            subs.append({"id": sa, "a": aid, "s": student})
            nbs.append({"id": sn, "a": sa, "n": nid})
            passed = rng.random(len(cells)) < 1 / (1 + np.exp(-1.7 * (ability - difficulty)))
            answers = {}
            for (cid, name, max_score), ok in zip(cells, passed):
                grades.append({"id": uuid.uuid4().hex, "nb": sn, "c": cid, "s": float(max_score) if ok else 0.0})
                kind, qid = item_of(name)
                if kind == "quiz" and qid in quizzes:
                    answers[qid] = _answer(rng, quizzes[qid], keys.get(qid), bool(ok), LETTERS)
            _write_answers(submitted / student / assignment / f"{notebook}.ipynb", answers)
        conn.execute(text("INSERT INTO student (id) VALUES (:id)"), students)
        conn.execute(text("INSERT INTO submitted_assignment (id, assignment_id, student_id) VALUES (:id, :a, :s)"), subs)
        conn.execute(text("INSERT INTO submitted_notebook (id, assignment_id, notebook_id, flagged, late_submission_penalty) "
                          "VALUES (:id, :a, :n, false, 0)"), nbs)
        conn.execute(text("INSERT INTO grade (id, notebook_id, cell_id, auto_score, needs_manual_grade) "
                          "VALUES (:id, :nb, :c, :s, false)"), grades)
    engine.dispose()


def _answer(rng, spec: dict, key: str | None, right: bool, letters: str):
    """An answer to one quiz: the key when ``right``, otherwise a typical wrong one."""
    if spec["kind"] == "numeric":
        answer, tolerance = float(spec["answer"]), float(spec["tolerance"])
        if right:
            return round(answer + rng.uniform(-0.5, 0.5) * tolerance, 6)
        if rng.random() < 0.2:   # a percentage typed as a proportion, or the other way round
            return round(answer * 100, 6)
        return round(answer + rng.choice([-1, 1]) * rng.uniform(3, 15) * tolerance, 6)
    options = letters[:len(spec.get("options", []))]
    if right or len(options) < 2:
        return key
    if spec["kind"] == "single":
        return str(rng.choice([o for o in options if o != key]))
    while True:
        picked = "".join(o for o in options if rng.random() < 0.5)
        if picked and picked != key:
            return picked


def _write_answers(path: Path, answers: dict) -> None:
    cells = [{"cell_type": "code", "metadata": {"tags": ["quiz"]}, "source": f"quiz({json.dumps(qid)}, answer={json.dumps(answer)})",
              "outputs": [], "execution_count": None} for qid, answer in answers.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
