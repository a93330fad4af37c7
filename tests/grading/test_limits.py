"""Whole-sandbox limits and grading as a normal user, each case shown to work unprotected first.

One small batch (:func:`limits_batch`, ``--memory 1G``): the reference and a submission whose cell
starts five children of 400 MiB each (2 GiB at once unprotected, allowed by any per-process limit
of 1 GiB). As root it runs with a cgroup per sandbox; the same submission is then graded with the
watchdog forced (``MLCOURSE_GRADE_ENFORCEMENT=watchdog``), and a batch of attack and fault
submissions is graded by a throwaway unprivileged user (bubblewrap with user namespaces).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from conftest import ASSIGNMENT, BIN, env_for, mlcourse, plant_links, run_plain, submit

from attacks import CHILDREN_400MIB

pytestmark = pytest.mark.slow

MEMORY = "1G"
HELD = re.compile(r"CHILDREN HELD (\d) x 400 MiB at once")


def _held(executed_text: str) -> int | None:
    found = HELD.findall(executed_text)
    return int(found[-1]) if found else None


def _copy(built_course, tmp_path, texts) -> Path:
    root = tmp_path / "course"
    shutil.copytree(built_course, root)
    submit(root, texts)
    plant_links(root, texts)
    return root


def _result(root: Path, student: str) -> dict:
    return json.loads((root / "autograded" / student / ASSIGNMENT / ".mlcourse-grade.json").read_text())


def _executed(root: Path, student: str) -> str:
    return (root / "autograded" / student / ASSIGNMENT / "foundations.ipynb").read_text()


def _task_score(root: Path, student: str, grade_id: str) -> float:
    return next(v["score"] for v in _result(root, student)["verdicts"] if v["grade_id"] == grade_id)


@pytest.fixture(scope="module")
def memory_texts(attack_texts, limit_texts):
    texts, task, _ = attack_texts
    return {"reference": texts["reference"], **limit_texts}, task


def test_per_process_limits_let_children_hold_more_than_the_limit(tmp_path, built_course):
    # Unprotected, with the old per-process limit (RLIMIT_AS of 1 GiB on every child): all five
    # children hold their 400 MiB at once.
    limited = CHILDREN_400MIB.replace("[sys.executable, '-c', code]",
                                      "[sys.executable, '-c', 'import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); ' + code]")
    nb, err = run_plain([limited], tmp_path, built_course, timeout=60)
    assert err is None and _held(json.dumps(nb.cells[0].outputs)) == 5


@pytest.fixture(scope="module")
def limits_batch(built_course, memory_texts, tmp_path_factory):
    """The reference and the memory attack graded with ``--memory 1G`` and the machine's best enforcement."""
    texts, task = memory_texts
    root = _copy(built_course, tmp_path_factory.mktemp("limits"), texts)
    done = mlcourse(root, "grade", ASSIGNMENT, "--memory", MEMORY, "--timeout", "30", "--full")
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    return root, done, task


@pytest.mark.skipif(os.geteuid() != 0, reason="a cgroup per sandbox needs root; as a normal user see test_grading_as_a_normal_user")
def test_memory_of_all_processes_is_limited_by_a_cgroup(limits_batch):
    root, done, task = limits_batch
    assert "enforced by a cgroup" in done.stderr, done.stderr[-2000:]
    _check_memory_attack(root, task)
    # Sandbox cgroups are named mlcourse-<grader pid>-<n>: none of a finished grader is left behind.
    from autograder.grading.enforcement import method

    bases = method().base.values()
    assert bases
    left = [d for base in bases for d in base.glob("mlcourse-*-*") if not Path(f"/proc/{d.name.split('-')[1]}").exists()]
    assert left == []


def test_memory_of_all_processes_is_limited_by_the_watchdog(limits_batch, memory_texts, tmp_path):
    texts, task = memory_texts
    root = tmp_path / "course"
    shutil.copytree(limits_batch[0], root, ignore=shutil.ignore_patterns("autograded", "submitted"))
    submit(root, {"memory-in-child-processes": texts["memory-in-child-processes"]})
    done = subprocess.run([str(BIN / "mlcourse"), "grade", ASSIGNMENT, "--memory", MEMORY, "--timeout", "30", "--full"], cwd=root,
                          env=env_for(root, MLCOURSE_GRADE_ENFORCEMENT="watchdog"), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "enforced by a watchdog" in done.stderr
    _check_memory_attack(root, task)


def test_quiet_output(limits_batch):
    root, done, _ = limits_batch
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines[0].startswith("Limits: ") and all(line.startswith("[") for line in lines[1:]), done.stderr[-3000:]
    assert "Warning" not in done.stderr and "reference" in done.stdout


def _check_memory_attack(root: Path, task) -> None:
    result = _result(root, "memory-in-child-processes")
    assert result["status"] == "graded"
    assert result["events"][0].startswith("used more than 1 GiB of memory"), result["events"]
    held = _held(_executed(root, "memory-in-child-processes"))
    assert held is not None and held <= 2, held           # 1 GiB holds at most two children of 400 MiB
    assert _task_score(root, "memory-in-child-processes", f"{task.id}_tests") > 0   # graded for what it did
    # A cgroup never lets it past 1 GiB; the watchdog looks every 0.1 s, so one child's allocation may pass.
    assert result["usage"]["peak_memory"] <= (1 << 30) + (512 << 20), result["usage"]



# -- grading as a normal user ----------------------------------------------------------------

NORMAL_USER_CASES = ["reference", "memory-in-child-processes", "patched-checks-no-ops", "symlinked-notebook",
                     "linked-files", "not-json"]


def _blocked_ancestor(path: Path) -> Path | None:
    """The first folder above ``path`` that other users cannot enter (such as ``/root``), if any."""
    for parent in reversed(path.parents):
        if not os.stat(parent).st_mode & 0o001:
            return parent
    return None


def _as_user(user: str, home: Path, root: Path, argv: list[str], scratch: Path) -> list[str]:
    """``argv`` run as ``user``; where this Python lives under a folder closed to others (pyenv in
    ``/root``), in a private mount namespace that opens only the Python's own folder."""
    env = ["env", "-i", f"HOME={home}", f"PATH={BIN}:/usr/bin:/bin", f"PYTHONPATH={root}", "LANG=C.UTF-8"]
    command = ["runuser", "-u", user, "--", *env, *argv]
    prefix = Path(sys.base_prefix).resolve()
    blocked = _blocked_ancestor(prefix / "bin")
    if blocked is None:
        return command
    stash = Path(tempfile.mkdtemp(prefix="python-", dir=scratch))   # a mount point in the private namespace only
    script = (f"mount --bind {prefix} {stash} && mount -t tmpfs -o mode=755 tmpfs {blocked} && mkdir -p {prefix} && "
              f"mount --bind {stash} {prefix} && exec \"$@\"")
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", *command]


def _userns_problem() -> str | None:
    if os.geteuid() != 0:
        return "creating a throwaway user needs root"
    if not all(shutil.which(tool) for tool in ("useradd", "userdel", "runuser", "unshare", "bwrap")):
        return "useradd, userdel, runuser, unshare and bwrap are needed"
    return None


@pytest.fixture
def normal_user():
    problem = _userns_problem()
    if problem:
        pytest.skip(problem)
    name = f"mlg{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True, capture_output=True)
    try:
        probe = subprocess.run(["runuser", "-u", name, "--", "bwrap", "--unshare-user", "--unshare-pid", "--ro-bind", "/", "/", "true"],
                               capture_output=True, text=True)
        if probe.returncode != 0:
            pytest.skip(f"user namespaces are not available to normal users here ({probe.stderr.strip()[-200:]})")
        yield name
    finally:
        subprocess.run(["userdel", name], capture_output=True)


def test_grading_as_a_normal_user(limits_batch, attack_texts, limit_texts, normal_user, tmp_path):
    task, rigged = attack_texts[1:]
    texts = {**attack_texts[0], **limit_texts}
    base = Path(tempfile.mkdtemp(prefix="mlcourse-user-"))
    try:
        os.chmod(base, 0o755)
        root = base / "course"
        shutil.copytree(limits_batch[0], root, ignore=shutil.ignore_patterns("autograded", "submitted"))  # reference cached
        submit(root, {name: texts[name] for name in NORMAL_USER_CASES})
        plant_links(root, NORMAL_USER_CASES)
        home = base / "home"
        home.mkdir()
        subprocess.run(["chown", "-R", f"{normal_user}:{normal_user}", str(base)], check=True)
        argv = [str(BIN / "mlcourse"), "grade", ASSIGNMENT, "--memory", MEMORY, "--timeout", "30", "--full"]
        done = subprocess.run(_as_user(normal_user, home, root, argv, base), cwd=root, capture_output=True, text=True, timeout=600)
        assert "Traceback" not in done.stderr and done.returncode == 1, done.stdout + done.stderr[-3000:]   # 2 fail by design
        assert "Limits:" in done.stderr and "enforced by" in done.stderr
        ran = subprocess.run(["runuser", "-u", normal_user, "--", "id", "-u"], capture_output=True, text=True)
        owner = {p.stat().st_uid for p in (root / "autograded").rglob(".mlcourse-grade.json")}
        assert owner == {int(ran.stdout)}                                   # written by the normal user
        gid = f"{task.id}_tests"
        assert _task_score(root, "reference", gid) > 0
        _check_memory_attack(root, task)
        cheat = _result(root, "patched-checks-no-ops")
        assert cheat["status"] == "graded" and _task_score(root, "patched-checks-no-ops", f"{rigged.id}_tests") == 0
        assert "symbolic link" in _result(root, "symlinked-notebook")["reason"]
        assert any("hard link" in e for e in _result(root, "linked-files")["events"])
        assert "not valid JSON" in _result(root, "not-json")["reason"]
    finally:
        shutil.rmtree(base, ignore_errors=True)
