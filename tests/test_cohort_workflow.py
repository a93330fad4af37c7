"""An instructor's whole cohort workflow with three students, through nbgrader's exchange:

build, release, fetch, submit (on time, late, resubmitted), collect, ``mlcourse grade``, feedback
released and fetched, export. The exported grades must match what each student's work deserves.
The same workflow runs on SQLite (the default) and on a real PostgreSQL server.
"""
from __future__ import annotations

import csv
import sys
import datetime as dt
import shutil
import time
import zipfile
from pathlib import Path

import pytest

import _support as S
import _postgres

ASSIGNMENT = "01_foundations"

pytestmark = pytest.mark.slow


# nbgrader names a student after the OS account that runs it; the test plays three students from one
# account, so each student's command runs nbgrader with that lookup answering the student's name.
_AS_STUDENT = (
    "import os, sys, nbgrader.utils as u; u.get_osusername = lambda: os.environ['MLCOURSE_TEST_STUDENT']; "
    "from nbgrader.apps.nbgraderapp import main; sys.argv[0] = 'nbgrader'; sys.exit(main())"
)


def _student_run(root: Path, home: Path, student: str, exchange: Path, *args) -> None:
    env = S.course_env(root, MLCOURSE_TEST_STUDENT=student, HOME=home)
    proc = S.run([sys.executable, "-c", _AS_STUDENT, *args, "--course", "mlcourse", f"--Exchange.root={exchange}"], root, cwd=home, env=env)
    assert proc.returncode == 0, f"{student}: nbgrader {' '.join(args)} failed:\n{S.explain(proc)}"


def _instructor(root: Path, *args) -> None:
    proc = S.nbgrader(root, *args)
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{S.explain(proc)}"


def _work(path: Path, solved: bool, root: Path) -> None:
    """Fill a fetched notebook with the reference answers (every task and quiz) or leave it blank."""
    if not solved:
        return
    reference = S.by_grade_id(S.read(S.source_notebook(ASSIGNMENT, root)))
    nb = S.read(path)
    key = S.quiz_key(ASSIGNMENT, root)
    for task in S.tasks_of(ASSIGNMENT):
        S.by_grade_id(nb)[task.id].source = reference[task.id].source
    for cell, qid in S.quiz_cells(nb):
        cell.source = f'quiz("{qid}", answer={S.answer_literal(key[qid])})'
    S.write(nb, path)


def run_workflow(root: Path, tmp: Path, db_url: str | None = None) -> dict:
    """Run the cohort workflow in the course copy ``root``; return ``{student: (score, max_score)}``."""
    S.pin_hidden_seeds(root, ASSIGNMENT)
    exchange = tmp / "exchange"
    exchange.mkdir(mode=0o777)
    extra = [
        f"c.Exchange.root = {str(exchange)!r}",
        'c.LateSubmissionPlugin.penalty_method = "zero"',
        'c.ZipCollectApp.archive_directory = "archive"',
        r'c.FileNameCollectorPlugin.named_regexp = r".+_(?P<student_id>\w+)_attempt_(?P<timestamp>[0-9\-]+)_(?P<file_id>\w+\.ipynb)"',
    ]
    if db_url:
        extra.append(f"c.CourseDirectory.db_url = {db_url!r}")
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as cfg:
        cfg.write("\n" + "\n".join(extra) + "\n")

    proc = S.mlcourse(root, "build", ASSIGNMENT, "--no-check")
    assert proc.returncode == 0, S.explain(proc)
    for student in ("alice", "bob", "carol", "dana"):
        _instructor(root, "db", "student", "add", student, f"--last-name={student.title()}")
    _instructor(root, "release_assignment", ASSIGNMENT)

    homes = {s: tmp / "home" / s for s in ("alice", "bob", "carol")}
    name = S.source_notebook(ASSIGNMENT, root).name
    for student, home in homes.items():
        home.mkdir(parents=True)
        _student_run(root, home, student, exchange, "fetch_assignment", ASSIGNMENT)
    # alice: solves everything, on time. carol: submits a blank notebook, then resubmits solved.
    _work(homes["alice"] / ASSIGNMENT / name, True, root)
    _student_run(root, homes["alice"], "alice", exchange, "submit", ASSIGNMENT)
    _student_run(root, homes["carol"], "carol", exchange, "submit", ASSIGNMENT)
    time.sleep(1.1)  # a later timestamp for the resubmission
    _work(homes["carol"] / ASSIGNMENT / name, True, root)
    _student_run(root, homes["carol"], "carol", exchange, "submit", ASSIGNMENT)
    # The due date passes now (lateness is computed from each submission's timestamp when grading).
    due = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=2)
    _instructor(root, "db", "assignment", "add", ASSIGNMENT, f"--duedate={due.strftime('%Y-%m-%d %H:%M:%S')} UTC")
    # bob: solves everything, but after the due date.
    while dt.datetime.now(dt.timezone.utc) < due + dt.timedelta(seconds=1):
        time.sleep(0.5)
    _work(homes["bob"] / ASSIGNMENT / name, True, root)
    _student_run(root, homes["bob"], "bob", exchange, "submit", ASSIGNMENT)

    _instructor(root, "collect", ASSIGNMENT)
    # dana's work arrives as an LMS download instead.
    archive = root / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    shutil.copy(S.release_notebook(ASSIGNMENT, root), archive / f"lms_dana_attempt_2020-01-01-10-00-00_{name}")
    _instructor(root, "zip_collect", ASSIGNMENT)

    proc = S.mlcourse(root, "grade", ASSIGNMENT, timeout=1800)
    assert proc.returncode == 0, S.explain(proc)
    proc = S.mlcourse(root, "feedback", ASSIGNMENT)
    assert proc.returncode == 0, S.explain(proc)
    for student in homes:  # dana's feedback goes back through the LMS, not the exchange
        _instructor(root, "release_feedback", ASSIGNMENT, f"--student={student}")
    for student, home in homes.items():
        _student_run(root, home, student, exchange, "fetch_feedback", ASSIGNMENT)
        pages = list((home / ASSIGNMENT / "feedback").glob("*/*.html"))
        assert pages, f"{student} fetched no feedback"
        assert "BEGIN HIDDEN TESTS" not in pages[0].read_text(encoding="utf-8")

    _instructor(root, "export", "--to", str(tmp / "grades.csv"))
    with open(tmp / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f) if r["assignment"] == ASSIGNMENT}
    return {s: (float(r["score"]), float(r["max_score"]), float(r["raw_score"])) for s, r in rows.items()}


def _check_grades(grades: dict) -> None:
    full = grades["alice"][1]
    assert full > 0
    assert grades["alice"][0] == full, "on time and correct: full marks"
    assert grades["carol"][0] == full, "the resubmission, not the first blank attempt, is graded"
    assert grades["bob"][2] == full and grades["bob"][0] == 0, "late with penalty 'zero': raw score full, final zero"
    assert grades["dana"][0] == 0, "the blank notebook from the LMS download earns nothing"


@pytest.mark.skipif(_postgres.available(), reason="the same workflow runs on PostgreSQL below; the SQLite gradebook "
                                                 "is graded by every other grading test and by the hub test")
def test_cohort_workflow_on_sqlite(make_course_copy, tmp_path):
    root = make_course_copy("cohort")
    _check_grades(run_workflow(root, tmp_path))


@pytest.mark.skipif(not _postgres.available(), reason="PostgreSQL server binaries are not installed (apt-get install postgresql)")
def test_cohort_workflow_on_postgresql(make_course_copy, tmp_path):
    root = make_course_copy("cohort-pg")
    with _postgres.server() as db_url:
        _check_grades(run_workflow(root, tmp_path, db_url))
