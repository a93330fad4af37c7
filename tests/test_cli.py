"""``mlcourse check`` and ``mlcourse build`` from a terminal: bad input gets one clear sentence and no
traceback, the learner's file is never changed, and good notebooks get the right verdicts."""
from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import subprocess
import time
import warnings

import pytest

import _support as S

WITH_TASKS = [a for a in S.assignments() if S.tasks_of(a)]
FIRST = WITH_TASKS[0] if WITH_TASKS else None


def _digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _assert_one_sentence(proc, *mentions):
    err = proc.stderr.strip()
    assert proc.returncode != 0, S.explain(proc)
    assert err, S.explain(proc)
    assert "Traceback" not in proc.stderr, S.explain(proc)
    assert len(err.splitlines()) == 1, f"expected one line on stderr, got:\n{proc.stderr}"
    assert err.startswith("mlcourse: ") and err.endswith("."), err
    assert not re.search(r"[.!?]\s+[A-Z]", err), f"expected one sentence, got: {err}"
    for text in mentions:
        assert text in err, f"{text!r} not in {err!r}"
    return err


_QUIET = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)


@pytest.fixture
def cli(capsys, monkeypatch):
    """``cli(cwd, *args)``: ``mlcourse ARGS`` in this process (fast); any warning Python would print fails."""
    from autograder.cli import main

    def run(cwd, *args):
        monkeypatch.chdir(cwd)
        monkeypatch.setenv("PATH", os.environ.get("PATH", ""))  # main() may prepend its scripts folder
        capsys.readouterr()
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        shown = [f"{w.category.__name__}: {w.message}" for w in seen if not issubclass(w.category, _QUIET)]
        err += "".join(f"{line}\n" for line in shown)
        return subprocess.CompletedProcess(["mlcourse", *map(str, args)], code, out, err)

    return run


def _write_json(nb, path):
    # json, not nbformat.write: nbformat would quietly repair duplicate cell ids
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# --- broken notebooks, made from a release notebook ---------------------------------------------------------

def _without_metadata(nb, task):
    del nb.metadata["mlcourse"]
    return nb


def _other_assignment(nb, task):
    nb.metadata["mlcourse"]["assignment"] = "99_not_in_this_course"
    return nb


def _task_cell_deleted(nb, task):
    nb.cells = [c for c in nb.cells if S.grade_id(c) != task.id]
    return nb


def _cells_reordered(nb, task):
    ids = [S.grade_id(c) for c in nb.cells]
    i, j = ids.index(task.id), ids.index(task.test_id)
    nb.cells[i], nb.cells[j] = nb.cells[j], nb.cells[i]
    return nb


def _cell_duplicated(nb, task):
    ids = [S.grade_id(c) for c in nb.cells]
    i = ids.index(task.id)
    nb.cells.insert(i + 1, copy.deepcopy(nb.cells[i]))  # same cell id too, as a text editor would copy it
    return nb


BROKEN = {
    "no-course-metadata": (_without_metadata, "not a notebook of this course"),
    "other-assignment": (_other_assignment, "99_not_in_this_course"),
    "task-cell-deleted": (_task_cell_deleted, "missing"),
    "cells-reordered": (_cells_reordered, "order"),
    "cell-duplicated": (_cell_duplicated, "duplicated"),
}

RAW = {
    "missing-file": (None, "does not exist"),
    "not-a-notebook": ("notes.txt", "is not a notebook"),
    "not-json": ("damaged.ipynb", "not valid notebook JSON"),
    "json-but-not-a-notebook": ("data.ipynb", "not a Jupyter notebook"),
    "a-folder": ("folder.ipynb", "is a folder"),
}


def _write_raw(case, folder):
    name, _ = RAW[case]
    if name is None:
        return folder / "foundations_missing.ipynb"
    path = folder / name
    if case == "not-a-notebook":
        path.write_text("my notes\n", encoding="utf-8")
    elif case == "not-json":
        path.write_text('{"cells": [ {"cell_type": "code", "sou', encoding="utf-8")
    elif case == "json-but-not-a-notebook":
        path.write_text(json.dumps({"answers": [1, 2, 3]}), encoding="utf-8")
    else:
        path.mkdir()
    return path


needs_task = pytest.mark.skipif(FIRST is None, reason="no assignment declares a coding task yet")


@pytest.mark.parametrize("case", sorted(RAW))
def test_check_rejects_a_file_that_is_not_a_course_notebook(case, tmp_path, course_copy, cli):
    path = _write_raw(case, tmp_path)
    before = _digest(tmp_path)
    proc = cli(course_copy, "check", path)
    _assert_one_sentence(proc, RAW[case][1], path.name)
    assert _digest(tmp_path) == before
    assert proc.stdout == ""


def _damaged(case, folder):
    break_it, mention = BROKEN[case]
    nb = break_it(S.read(S.release_notebook(FIRST)), S.tasks_of(FIRST)[0])
    path = folder / S.release_notebook(FIRST).name
    _write_json(nb, path)
    return path, mention


@needs_task
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_check_rejects_a_damaged_notebook_and_leaves_it_alone(case, tmp_path, course_copy, cli):
    path, mention = _damaged(case, tmp_path)
    before = path.read_bytes()
    proc = cli(course_copy, "check", path)
    _assert_one_sentence(proc, mention, path.name)
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.rglob("*") if p != path], "mlcourse check left files beside the notebook"


# --- mlcourse build on a broken source --------------------------------------------------------------------

@pytest.fixture(scope="module")
def build_copy(make_course_copy):
    return make_course_copy("badbuild")


@pytest.fixture
def broken_source(build_copy):
    """Break the source notebook of the first assignment with tasks; restore it afterwards."""
    path = S.source_notebook(FIRST, build_copy)
    original = path.read_bytes()
    outputs = {d: _digest(build_copy / d) for d in ("release", "course/banks")}
    yield path
    path.write_bytes(original)
    for d, digest in outputs.items():
        assert _digest(build_copy / d) == digest, f"a failed build changed {d}/"


@needs_task
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_build_rejects_a_damaged_source_notebook(case, broken_source, build_copy, cli):
    break_it, _ = BROKEN[case]
    if case == "other-assignment":
        mention = "99_not_in_this_course"
    elif case == "no-course-metadata":
        mention = "mlcourse.assignment"
    else:
        mention = {"task-cell-deleted": "missing", "cells-reordered": "order", "cell-duplicated": "more than once"}[case]
    nb = break_it(S.read(broken_source), S.tasks_of(FIRST)[0])
    _write_json(nb, broken_source)
    before = broken_source.read_bytes()
    proc = cli(build_copy, "build", FIRST, "--no-check")
    _assert_one_sentence(proc, mention, broken_source.name)
    assert broken_source.read_bytes() == before


@needs_task
@pytest.mark.parametrize("case", ["not-json", "json-but-not-a-notebook", "no-notebook", "two-notebooks"])
def test_build_rejects_a_source_folder_without_one_readable_notebook(case, broken_source, build_copy, cli):
    mention = {"not-json": "not valid notebook JSON", "json-but-not-a-notebook": "not a Jupyter notebook",
               "no-notebook": "exactly one notebook, found 0", "two-notebooks": "exactly one notebook, found 2"}[case]
    extra = broken_source.parent / "copy.ipynb"
    try:
        if case == "not-json":
            broken_source.write_text("{ not json", encoding="utf-8")
        elif case == "json-but-not-a-notebook":
            broken_source.write_text("[]", encoding="utf-8")
        elif case == "no-notebook":
            broken_source.unlink()
        else:
            extra.write_bytes(broken_source.read_bytes())
        proc = cli(build_copy, "build", FIRST, "--no-check")
        _assert_one_sentence(proc, mention)
    finally:
        extra.unlink(missing_ok=True)


def test_build_rejects_an_unknown_assignment(course_copy, cli):
    proc = cli(course_copy, "build", "99_nothing", "--no-check")
    _assert_one_sentence(proc, "There is no assignment '99_nothing'", S.assignments()[0])


# The same through the installed console script, as a learner types it (a few cases: each start costs seconds).

@needs_task
@pytest.mark.parametrize("case", ["cell-duplicated", "task-cell-deleted"])
def test_console_check_rejects_a_damaged_notebook(case, tmp_path, course_copy):
    path, mention = _damaged(case, tmp_path)
    before = path.read_bytes()
    proc = S.mlcourse(course_copy, "check", path, timeout=300, cwd=tmp_path)
    _assert_one_sentence(proc, mention, path.name)
    assert path.read_bytes() == before and proc.stdout == ""


def test_console_check_rejects_a_missing_file(tmp_path, course_copy):
    proc = S.mlcourse(course_copy, "check", tmp_path / "nowhere.ipynb", timeout=300)
    _assert_one_sentence(proc, "does not exist", "nowhere.ipynb")


@needs_task
def test_console_build_rejects_reordered_task_cells(broken_source, build_copy):
    nb = _cells_reordered(S.read(broken_source), S.tasks_of(FIRST)[0])
    _write_json(nb, broken_source)
    proc = S.mlcourse(build_copy, "build", FIRST, "--no-check", timeout=300)
    _assert_one_sentence(proc, "out of order", broken_source.name)


# --- mlcourse check on good notebooks --------------------------------------------------------------------

def _task_lines(stdout, assignment):
    lines = {}
    for task in S.tasks_of(assignment):
        found = [ln for ln in stdout.splitlines() if f" {task.id} " in f"{ln} "]
        assert len(found) == 1, f"{task.id} should appear once in:\n{stdout}"
        lines[task.id] = found[0]
    return lines


@pytest.mark.slow
@pytest.mark.parametrize("assignment", S.sample_assignments())
def test_check_of_the_release_notebook_says_not_attempted(assignment, self_checks):
    proc, unchanged = self_checks[assignment, "release"]
    tasks = S.tasks_of(assignment)
    assert proc.returncode == (1 if tasks else 0), S.explain(proc)
    for task_id, line in _task_lines(proc.stdout, assignment).items():
        assert "not attempted" in line, line
    assert f"Tasks: 0 passed, 0 failed, {len(tasks)} not attempted." in proc.stdout, S.explain(proc)
    n_quizzes = len(S.quiz_cells(S.read(S.release_notebook(assignment))))
    assert f"Quizzes: 0 of {n_quizzes} answered." in proc.stdout, S.explain(proc)
    assert unchanged, "mlcourse check changed the notebook it checked"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", S.sample_assignments())
def test_check_of_the_reference_notebook_says_passed(assignment, self_checks):
    proc, unchanged = self_checks[assignment, "reference"]
    assert proc.returncode == 0, S.explain(proc)
    for task_id, line in _task_lines(proc.stdout, assignment).items():
        assert "passed" in line and "not attempted" not in line, line
    n = len(S.tasks_of(assignment))
    assert f"Tasks: {n} passed, 0 failed, 0 not attempted." in proc.stdout, S.explain(proc)
    n_quizzes = len(S.quiz_cells(S.read(S.source_notebook(assignment))))
    if n_quizzes:
        assert f"Quizzes: {n_quizzes} of {n_quizzes} answered, {n_quizzes} correct." in proc.stdout, S.explain(proc)
    assert "Note:" not in proc.stdout, "a cell of the reference notebook raised:\n" + proc.stdout
    assert unchanged, "mlcourse check changed the notebook it checked"


# --- how fast is one self-check once the kernel is up ---------------------------------------------------

@pytest.mark.parametrize("assignment, task", S.all_tasks(), ids=[t.id for _, t in S.all_tasks()])
def test_self_check_of_one_task_is_fast(assignment, task, task_namespace, report, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from course.checks import PASSED, check

    cell = S.cell_of(S.source_notebook(assignment), task.id)
    fn = S.function_from(cell.source, task.function, task_namespace(assignment, task.id))
    timings = []
    for _ in range(2):  # the first call also imports what the checks use, as the first run in a kernel does
        start = time.perf_counter()
        verdict = check(task.id, fn)
        timings.append(time.perf_counter() - start)
    assert verdict.status == PASSED, str(verdict)
    report(f"check({task.id!r}): {timings[0] * 1000:.0f} ms first call, {timings[1] * 1000:.0f} ms again")
    assert timings[1] < 60, "a self-check should take seconds, not minutes"
