"""``mlcourse lab`` and the learner's working copy: ``my-work/`` is made from ``release/`` and never
written over, the Terminal finds ``mlcourse``, learner mode hides nbgrader's instructor panels, and the
learner's commands read the working copy while drills start from the released stub."""
from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import _support as S
from autograder import lab, workcopy
from autograder.coursedir import CourseDir

FIRST = S.assignments()[0]


def _notebook(course: CourseDir, assignment: str) -> Path:
    return workcopy.working_notebook(course, assignment)


def test_first_start_copies_release_into_the_working_copy(scratch_copy):
    course = CourseDir(scratch_copy)
    report = workcopy.sync(course)
    for assignment in S.assignments(scratch_copy):
        mine = _notebook(course, assignment)
        assert mine.read_bytes() == S.release_notebook(assignment, scratch_copy).read_bytes()
    assert len(report.copied) >= len(S.assignments(scratch_copy)) and not report.updates
    assert "my-work" in report.render()
    assert workcopy.sync(course).render() == "", "a second start has nothing to say"


def test_the_working_copy_is_git_ignored():
    ignored = (S.REPO / ".gitignore").read_text().splitlines()
    assert "/my-work/" in ignored


def test_a_course_update_goes_next_to_the_learners_file(scratch_copy):
    course = CourseDir(scratch_copy)
    workcopy.sync(course)
    mine = _notebook(course, FIRST)
    mine.write_text(mine.read_text().replace('"cells": [', '"cells": [', 1) + "\n", encoding="utf-8")  # the learner saved
    learner_bytes = mine.read_bytes()
    released = S.release_notebook(FIRST, scratch_copy)
    nb = json.loads(released.read_text())
    nb["cells"][0]["source"] = "# An updated introduction\n"
    released.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    day = datetime.date(2030, 1, 2)
    report = workcopy.sync(course, today=day)
    assert mine.read_bytes() == learner_bytes, "the learner's file is never touched"
    (pair,) = report.updates
    assert pair[0] == mine and pair[1].name == f"{mine.stem}.course-update-2030-01-02.ipynb"
    assert pair[1].read_bytes() == released.read_bytes()
    assert "your file was not changed" in report.render()
    assert workcopy.sync(course, today=day).updates == [], "an update is offered once"


def test_a_new_assignment_appears_and_a_deleted_copy_comes_back(scratch_copy):
    course = CourseDir(scratch_copy)
    workcopy.sync(course)
    shutil.copytree(scratch_copy / "release" / FIRST, scratch_copy / "release" / "99_new")
    _notebook(course, FIRST).unlink()
    report = workcopy.sync(course)
    names = {p.relative_to(course.work).parts[0] for p in report.copied}
    assert names == {FIRST, "99_new"}
    assert _notebook(course, FIRST).is_file()


def test_lab_opens_the_orientation_notebook_of_the_working_copy(scratch_copy):
    course = CourseDir(scratch_copy)
    workcopy.sync(course)
    cmd = lab.lab_command(course, None, 8888, open_browser=False)
    orientation = next(a for a in S.assignments(scratch_copy) if a.endswith("orientation"))
    want = _notebook(course, orientation).relative_to(scratch_copy).as_posix()
    assert f"--LabApp.default_url=/lab/tree/{want}" in cmd
    assert "--LabApp.custom_css=True" in cmd and "--LabApp.expose_app_in_browser=True" in cmd


def test_learner_mode_hides_the_instructor_panels(scratch_copy, monkeypatch):
    monkeypatch.setattr(lab, "DEFAULT_EXCHANGE", scratch_copy / "no-exchange")
    course = CourseDir(scratch_copy)
    folder = lab.write_lab_config(course)
    disabled = json.loads((folder / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    assert set(lab.INSTRUCTOR_PLUGINS) | set(lab.STUDENT_PLUGINS) == {k for k, v in disabled.items() if v}
    assert lab.disabled_plugins(course, instructor=True) == []
    (scratch_copy / "exchange").mkdir()
    with open(scratch_copy / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Exchange.root = {str(scratch_copy / 'exchange')!r}\n")
    assert lab.disabled_plugins(course) == list(lab.INSTRUCTOR_PLUGINS), "the Assignments list stays with an exchange"


def test_the_plugins_disabled_are_nbgraders_own():
    labext = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader" / "static"
    if not labext.is_dir():
        pytest.skip("nbgrader's JupyterLab extension is not installed here")
    code = "".join(p.read_text(errors="ignore") for p in labext.glob("*.js"))
    for plugin in (*lab.INSTRUCTOR_PLUGINS, *lab.STUDENT_PLUGINS):
        assert f'"{plugin}"' in code, f"nbgrader has no plugin {plugin}"


def test_lab_env_puts_the_course_scripts_first_and_its_settings_on_the_config_path(scratch_copy):
    course = CourseDir(scratch_copy)
    folder = lab.write_lab_config(course)
    env = lab.lab_env(course, folder, base={"PATH": "/usr/bin:/bin", "JUPYTER_CONFIG_PATH": "/elsewhere",
                                            "JUPYTER_CONFIG_DIR": "/mine"})
    assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
    assert env["JUPYTER_CONFIG_DIR"] == str(folder), "JupyterLab reads custom/custom.css from there only"
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == ["/mine", "/elsewhere"], "the learner's own config still applies"
    assert (folder / "custom" / "custom.css").read_text() == (Path(lab.__file__).parent / "lab_assets" / "custom.css").read_text()


@pytest.mark.skipif(not Path("/bin/bash").exists(), reason="needs bash")
def test_the_terminal_finds_mlcourse_after_a_login_profile_resets_path(tmp_path):
    """Jupyter's Terminal is a login shell; a profile that sets PATH anew (as Debian's /etc/profile does)
    must not hide the course's scripts."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bash_profile").write_text("PATH=/usr/bin:/bin\nexport PATH\n")
    cmd = lab.terminal_command(S.SCRIPTS, "/bin/bash")
    proc = subprocess.run(cmd, input="command -v mlcourse\nexit\n", capture_output=True, text=True, timeout=60,
                          env={"HOME": str(home), "PATH": "/usr/bin:/bin", "TERM": "dumb"})
    assert str(S.SCRIPTS / "mlcourse") in proc.stdout, proc.stdout + proc.stderr


def test_check_reads_the_working_copy(scratch_copy, monkeypatch, capsys):
    from autograder.cli import _notebook_to_check

    course = CourseDir(scratch_copy)
    workcopy.sync(course)
    monkeypatch.chdir(scratch_copy)
    mine = _notebook(course, FIRST)
    assert _notebook_to_check(FIRST) == mine
    assert _notebook_to_check(str(S.release_notebook(FIRST, scratch_copy).relative_to(scratch_copy))) == mine
    assert "working copy" in capsys.readouterr().out
    os.utime(mine, (2e9, 2e9))
    assert _notebook_to_check(None) == mine


def test_a_drill_starts_from_the_released_stub_not_the_learners_code(scratch_copy):
    from course import drills

    task = next(t for a in S.assignments(scratch_copy) for t in S.tasks_of(a) if t.make_data is not None)
    course = CourseDir(scratch_copy)
    workcopy.sync(course)
    solved = S.by_grade_id(S.read(S.source_notebook(task.assignment, scratch_copy)))[task.id].source
    mine = S.read(_notebook(course, task.assignment))
    S.by_grade_id(mine)[task.id].source = solved
    S.write(mine, _notebook(course, task.assignment))
    nb = drills.make_drill("ann", task.question, course.release)
    stubs = [c["source"] for c in nb["cells"] if c["metadata"].get("mlcourse", {}).get("task") == task.id]
    assert stubs and "raise NotImplementedError()" in stubs[0] and stubs[0] != solved
    released = S.read(S.release_notebook(task.assignment, scratch_copy))
    S.by_grade_id(released)[task.id].source = solved  # a learner who wrote into release/ as before
    S.write(released, S.release_notebook(task.assignment, scratch_copy))
    with pytest.raises(drills.DrillError, match="git checkout"):
        drills.make_drill("ann", task.question, course.release)
