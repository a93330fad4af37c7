"""Each attack or fault, graded by `mlcourse grade`, and shown to work against an unprotected kernel."""
from __future__ import annotations

import json
import subprocess
import time

import nbformat
import pytest
from conftest import ASSIGNMENT, INTEGRITY, run_plain

from attacks import ALLOCATE_6GIB, MARK_SLEEP

pytestmark = pytest.mark.slow   # they share one graded batch of every attack (about a minute)

def task_gid(attack_texts):
    return f"{attack_texts[1].id}_tests"


def test_batch_finishes_with_summary(attack_batch):
    out = attack_batch.proc.stdout
    assert f"{ASSIGNMENT}:" in out and "graded" in out and "in " in out
    assert "not-json" in out and "FAILED" in out
    assert "done" in attack_batch.proc.stderr  # the progress bar


def test_reference_gets_full_marks_and_blank_zero(attack_batch, attack_texts):
    ref = attack_batch.result("reference")
    assert ref["status"] == "graded"
    # The reference submission solves the first task and answers every quiz; other tasks are stubs.
    solved = [v for v in ref["verdicts"] if v["kind"] == "quiz" or v["grade_id"] == task_gid(attack_texts)]
    assert solved and all(v["score"] == v["max_score"] > 0 for v in solved), ref
    assert all(v["status"] == "not attempted" for v in ref["verdicts"] if v not in solved)
    blank = attack_batch.result("blank")
    assert all(v["score"] == 0 for v in blank["verdicts"])
    assert {v["status"] for v in blank["verdicts"]} == {"not attempted"}
    book = attack_batch.gradebook_scores("reference")
    assert book == {v["grade_id"]: v["score"] for v in ref["verdicts"]}
    executed = nbformat.read(attack_batch.root / "autograded" / "reference" / ASSIGNMENT / "foundations.ipynb", 4)
    assert any(c.get("outputs") for c in executed.cells if c.cell_type == "code")
    assert (attack_batch.root / "autograded" / "reference" / ASSIGNMENT / "timestamp.txt").exists()


@pytest.mark.parametrize("attack", INTEGRITY)
def test_integrity_attack_scores_zero_but_fools_stock_nbgrader(attack, attack_batch, stock, attack_texts):
    from attacks import RIGGED

    if attack == "patched-course-helpers":   # a rebound grade_quiz passes every unanswered quiz in stock nbgrader
        quizzes = lambda scores: sum(v for k, v in scores.items() if k.startswith("quiz_"))  # noqa: E731
        assert quizzes(stock.gradebook_scores(attack)) > 0, f"{attack} should fool stock nbgrader (unprotected)"
        assert quizzes(attack_batch.gradebook_scores(attack)) == 0
        return
    gid = f"{attack_texts[2].id}_tests" if attack in RIGGED else task_gid(attack_texts)
    assert stock.gradebook_scores(attack)[gid] > 0, f"{attack} should fool stock nbgrader (unprotected)"
    assert attack_batch.score(attack, gid) == 0
    assert attack_batch.gradebook_scores(attack)[gid] == 0


def test_input_transformer_also_loses_the_quizzes(attack_batch, stock):
    stolen = stock.gradebook_scores("input-transformer-empties-cells")
    assert sum(v for k, v in stolen.items() if k.startswith("quiz_")) > 0   # stock: empty cells pass
    ours = attack_batch.result("input-transformer-empties-cells")
    assert sum(v["score"] for v in ours["verdicts"] if v["kind"] == "quiz") == 0


def test_instructor_files_are_out_of_sight(attack_batch, stock, built_course):
    # The attack names the paths of the built course: stock nbgrader (unprotected) reads its source/
    # and gradebook.db and writes there; in the sandbox those paths do not exist.
    assert (built_course / "PWNED").exists()
    executed = (attack_batch.root / "autograded" / "reads-instructor-files" / ASSIGNMENT / "foundations.ipynb").read_text()
    assert "FileNotFoundError" in executed or "No such file" in executed


def test_no_network(attack_batch, listener, tmp_path, attack_texts):
    executed = (attack_batch.root / "autograded" / "network" / ASSIGNMENT / "foundations.ipynb").read_text()
    assert "no network:" in executed and '"CONNECTED\\n"' not in executed
    assert attack_batch.score("network", task_gid(attack_texts)) > 0
    before = len(listener.received)
    nb, _ = run_plain([f"import socket; socket.create_connection(('127.0.0.1', {listener.port}), timeout=3).sendall(b'leak')"],
                      tmp_path, attack_batch.root)
    time.sleep(0.5)
    assert len(listener.received) == before + 1     # unprotected: the connection goes through


def test_memory_limit(attack_batch, tmp_path, attack_texts):
    executed = (attack_batch.root / "autograded" / "allocates-6gib" / ASSIGNMENT / "foundations.ipynb").read_text()
    assert "MemoryError" in executed and "ALLOCATED 6442450944" not in executed
    assert attack_batch.score("allocates-6gib", task_gid(attack_texts)) > 0
    nb, _ = run_plain([ALLOCATE_6GIB], tmp_path, attack_batch.root)
    assert "ALLOCATED 6442450944" in json.dumps(nb.cells[0].outputs)   # unprotected: 6 GiB granted


def _alive(mark: str) -> list[int]:
    out = subprocess.run(["pgrep", "-f", f"sleep {mark}"], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def test_no_process_outlives_grading(attack_batch, tmp_path):
    assert _alive(MARK_SLEEP) == []
    mark = "876543"
    run_plain([f"import subprocess; subprocess.Popen(['sleep', '{mark}'], start_new_session=True)"], tmp_path, attack_batch.root)
    survivors = _alive(mark)
    try:
        assert survivors, "unprotected: the background process outlives the kernel"
    finally:
        for pid in survivors:
            subprocess.run(["kill", "-9", str(pid)])


def test_infinite_loop_ignoring_sigint_is_stopped_and_the_rest_graded(attack_batch, tmp_path, attack_texts):
    result = attack_batch.result("infinite-loop-ignores-sigint")
    assert attack_batch.score("infinite-loop-ignores-sigint", task_gid(attack_texts)) > 0
    assert any("longer than" in e for e in result["events"])
    _, err = run_plain(["import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.1)"],
                       tmp_path, attack_batch.root, timeout=3)
    assert err is not None    # unprotected: the cell never ends on its own, the run breaks down


def test_printing_gigabytes_is_capped(attack_batch, tmp_path, attack_texts):
    path = attack_batch.root / "autograded" / "prints-gigabytes" / ASSIGNMENT / "foundations.ipynb"
    assert path.stat().st_size < 4 << 20
    assert attack_batch.score("prints-gigabytes", task_gid(attack_texts)) > 0
    nb, _ = run_plain(["line = 'x' * 1_000_000\nfor _ in range(12):\n    print(line)"], tmp_path, attack_batch.root)
    assert len(json.dumps(nb.cells[0].outputs)) > 10_000_000   # unprotected: every byte is kept (10× our cap)


@pytest.mark.parametrize("attack", ["kills-kernel", "sys-exit"])
def test_kernel_death_is_survived(attack, attack_batch, tmp_path, attack_texts):
    result = attack_batch.result(attack)
    assert result["status"] == "graded"
    assert attack_batch.score(attack, task_gid(attack_texts)) > 0
    assert any("kernel" in e for e in result["events"])
    code = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)" if attack == "kills-kernel" else "import os\nos._exit(0)"
    _, err = run_plain([code, "print('after')"], tmp_path, attack_batch.root)
    assert err is not None and "Dead" in type(err).__name__   # unprotected: the run stops for good


def test_every_submission_is_recorded_and_the_batch_goes_on(attack_batch, attack_texts):
    # patched-checks-no-ops makes the probes record no call at all; judging that must not stop the
    # batch: every student, those sorted after it included, has a result with a status.
    for student in attack_texts[0]:
        assert attack_batch.result(student)["status"] in ("graded", "failed"), student
    result = attack_batch.result("patched-checks-no-ops")
    assert result["status"] == "graded"
    assert all(v["score"] == 0 for v in result["verdicts"] if v["kind"] == "task")
    assert attack_batch.proc.returncode in (0, 1) and "list index out of range" not in attack_batch.proc.stderr


def test_symlinked_notebook_is_refused_but_fools_stock_nbgrader(attack_batch, stock, attack_texts):
    gid = task_gid(attack_texts)
    assert stock.gradebook_scores("symlinked-notebook")[gid] > 0, "stock nbgrader follows the link to the source notebook"
    result = attack_batch.result("symlinked-notebook")
    assert result["status"] == "failed" and "symbolic link" in result["reason"] and "\n" not in result["reason"]
    assert all(v == 0 for v in attack_batch.gradebook_scores("symlinked-notebook").values())


def test_linked_files_are_left_out_with_reasons(attack_batch, attack_texts):
    import os

    folder = attack_batch.root / "submitted" / "linked-files" / ASSIGNMENT
    # What a reader that follows names would get: the instructor's gradebook and sources.
    assert (folder / "data.csv").read_bytes()[:15] == b"SQLite format 3"
    assert (folder / "notes" / "01_foundations").is_dir() or any((folder / "notes").iterdir())
    assert os.stat(folder / "secret.txt").st_nlink == 2
    result = attack_batch.result("linked-files")
    assert result["status"] == "graded" and attack_batch.score("linked-files", task_gid(attack_texts)) > 0
    events = " | ".join(result["events"])
    for name, what in [("data.csv", "symbolic link"), ("notes", "symbolic link"), ("secret.txt", "hard link"), ("pipe", "FIFO")]:
        assert f"left out {name} is a {what}" in events, events
    graded = attack_batch.root / "autograded" / "linked-files" / ASSIGNMENT
    assert not any((graded / n).exists() or (graded / n).is_symlink() for n in ("data.csv", "notes", "secret.txt", "pipe", "null"))


def test_not_json_fails_with_one_line_reason(attack_batch):
    result = attack_batch.result("not-json")
    assert result["status"] == "failed" and "not valid JSON" in result["reason"] and "\n" not in result["reason"]
    assert all(v == 0 for v in attack_batch.gradebook_scores("not-json").values())
    text = (attack_batch.root / "submitted" / "not-json" / ASSIGNMENT / "foundations.ipynb").read_text()
    with pytest.raises(Exception):
        nbformat.reads(text, as_version=4)   # the fault is real


def test_old_nbformat_is_upgraded_and_graded(attack_batch, attack_texts):
    text = (attack_batch.root / "submitted" / "old-nbformat" / ASSIGNMENT / "foundations.ipynb").read_text()
    assert json.loads(text)["nbformat"] == 3
    assert attack_batch.score("old-nbformat", task_gid(attack_texts)) > 0


def test_deleted_duplicated_retyped_cells_are_graded_for_what_is_there(attack_batch, attack_texts):
    result = attack_batch.result("deleted-duplicated-retyped-cells")
    assert attack_batch.score("deleted-duplicated-retyped-cells", task_gid(attack_texts)) > 0
    assert all(v["score"] == 0 for v in result["verdicts"] if v["kind"] == "quiz")


def test_submitted_files_are_never_modified(attack_batch, attack_texts):
    texts = attack_texts[0]
    for name, text in texts.items():
        path = attack_batch.root / "submitted" / name / ASSIGNMENT / "foundations.ipynb"
        if name == "symlinked-notebook":
            assert path.is_symlink()     # still the student's link, untouched
            continue
        assert path.read_text() == text


def test_feedback_shows_points_and_messages_without_hidden_tests(attack_batch, attack_texts):
    from conftest import mlcourse

    done = mlcourse(attack_batch.root, "feedback", ASSIGNMENT)
    assert done.returncode == 0, done.stderr
    page = (attack_batch.root / "feedback" / "blank" / ASSIGNMENT / "foundations.html").read_text()
    assert "not attempted" in page and "Score: 0" in page
    seeds = json.loads((attack_batch.root / ".mlcourse" / "grading" / ASSIGNMENT / "seeds.json").read_text())
    for student in ("blank", "reference", "rigged-eq-patched-allclose"):
        page = (attack_batch.root / "feedback" / student / ASSIGNMENT / "foundations.html").read_text()
        assert "HIDDEN TESTS" not in page and not any(str(s) in page for s in seeds)
