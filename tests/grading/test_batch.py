"""Batch behaviour: late penalties as nbgrader gives them, resuming an interrupted batch, a real Dask cluster."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ASSIGNMENT, BIN, EXTENDED, copy_graded, env_for, export_scores, make_late, mlcourse, submit

pytestmark = pytest.mark.slow


def _fresh_copy(batch, tmp_path: Path, students: dict | None = None) -> Path:
    """A copy of the graded attack course (reference cache and seeds kept); ``students`` resubmitted afresh."""
    root = copy_graded(batch.root, tmp_path / "course", "PWNED")
    if students is not None:
        for name in ("submitted", "autograded", "feedback"):
            shutil.rmtree(root / name, ignore_errors=True)
        submit(root, students)
    return root


def test_late_penalties_follow_nbgrader(attack_batch, stock, attack_texts, tmp_path):
    # The stock copy was autograded by nbgrader with a due date before every timestamp, one
    # extension and penalty_method = "zero"; give our graded copy the same settings and re-run the
    # command (nothing is regraded: the scores are re-recorded and the penalties assigned).
    theirs = export_scores(stock.root)
    assert theirs["reference"][0] == 0 < theirs["reference"][1]                  # late: nbgrader zeroes it
    assert theirs[EXTENDED["stock"]][0] > 0 == theirs[EXTENDED["stock"]][1]      # extension: not late
    root = _fresh_copy(attack_batch, tmp_path)
    graded = [p.parts[-3] for p in (root / "autograded").glob(f"*/{ASSIGNMENT}/.mlcourse-grade.json")]
    before = {s: (sum(v["score"] for v in attack_batch.result(s)["verdicts"]), 0.0) for s in graded}
    make_late(root, EXTENDED["ours"])
    done = mlcourse(root, "grade", ASSIGNMENT, "--full")        # as the attack batch was graded
    assert "already graded" in done.stdout, done.stdout + done.stderr[-2000:]
    ours = export_scores(root)
    assert ours["reference"] == theirs["reference"]                              # same submission, same export
    full = before[EXTENDED["ours"]][0]
    assert full > 0 and ours[EXTENDED["ours"]] == (full, 0.0)                    # extension honoured
    assert all(score == 0 and penalty == before[s][0] for s, (score, penalty) in ours.items() if s != EXTENDED["ours"])


def _result_files(root: Path) -> dict:
    return {p.parts[-3]: p.stat().st_mtime_ns for p in (root / "autograded").glob(f"*/{ASSIGNMENT}/.mlcourse-grade.json")}


def test_interrupted_batch_resumes_without_regrading(attack_batch, attack_texts, tmp_path):
    texts = attack_texts[0]
    students = {"r0": texts["reference"], "r1": texts["blank"], "r2": texts["blank"]}
    root = _fresh_copy(attack_batch, tmp_path, students)
    proc = subprocess.Popen([str(BIN / "mlcourse"), "grade", ASSIGNMENT, "--workers", "1"], cwd=root, env=env_for(root),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not _result_files(root) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)                                           # Ctrl-C
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    first = _result_files(root)
    assert proc.returncode == 130 and "run the same command" in err, err[-2000:]
    assert 1 <= len(first) < len(students)
    done = mlcourse(root, "grade", ASSIGNMENT)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert f"{len(first)} already graded" in done.stdout
    after = _result_files(root)
    assert set(after) == set(students)
    assert all(after[s] == mtime for s, mtime in first.items())                  # finished ones not regraded
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "mlcourse") as gb:
        scores = {s.student.id: s.score for s in gb.find_assignment(ASSIGNMENT).submissions if s.student.id in students}
    assert set(scores) == set(students)
    assert scores["r0"] > 0 == scores["r1"] == scores["r2"]


def _start(args, root: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=root, env=env_for(root), stdout=open(log, "w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_real_dask_scheduler_and_worker(attack_batch, attack_texts, tmp_path):
    texts = attack_texts[0]
    students = {name: texts[name] for name in ("reference", "blank")}
    root = _fresh_copy(attack_batch, tmp_path, students)
    scheduler_file = tmp_path / "scheduler.json"
    procs = []
    try:
        procs.append(_start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                             "--scheduler-file", str(scheduler_file)], root, tmp_path / "scheduler.log"))
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        procs.append(_start([str(BIN / "dask"), "worker", address, "--nthreads", "2", "--no-nanny", "--no-dashboard",
                             "--host", "127.0.0.1", "--name", "grader-1"], root, tmp_path / "worker.log"))
        done = mlcourse(root, "grade", ASSIGNMENT, "--scheduler", address, timeout=300)
        assert "Traceback" not in done.stderr, done.stderr[-3000:] + (tmp_path / "worker.log").read_text()[-3000:]
        for student in students:
            ours = json.loads((root / "autograded" / student / ASSIGNMENT / ".mlcourse-grade.json").read_text())
            local = attack_batch.result(student)
            assert ours["status"] == local["status"] == "graded"
            assert [(v["grade_id"], v["score"]) for v in ours["verdicts"]] == [(v["grade_id"], v["score"]) for v in local["verdicts"]]
        assert "Register worker" in (tmp_path / "scheduler.log").read_text()
    finally:
        for proc in reversed(procs):
            _stop(proc)
