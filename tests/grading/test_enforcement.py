"""Which whole-sandbox enforcement this machine offers, and the CPU budget of a whole sandbox.

The CPU case is shown to work unprotected first: per-process CPU limits let two children use more
than the limit together.
"""
from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest

from autograder.errors import CourseError
from autograder.grading import enforcement
from autograder.grading.limits import Limits
from autograder.grading.sandbox import sandbox_problem

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CPU = 6
#: Two children that each keep a core busy for 20 s: 40 CPU seconds, far past the budget.
SPIN = """import subprocess, sys
code = "import time\\nt = time.time()\\nwhile time.time() - t < 20: pass"
children = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(2)]
print("EXITS", [child.wait() for child in children])
"""


def test_detection_names_what_is_in_effect(monkeypatch):
    monkeypatch.delenv(enforcement.ENV, raising=False)
    found = enforcement.method()
    if os.geteuid() == 0 and found.kind == "watchdog":
        pytest.skip(f"no writable cgroup here ({found.why})")
    expected = {"cgroup1", "cgroup2"} if os.geteuid() == 0 else {"systemd", "watchdog"}
    assert found.kind in expected
    line = found.describe(Limits())
    assert line.startswith("Limits: 3 GiB of memory, 256 processes, 600 CPU seconds per submission") and "\n" not in line
    assert enforcement.method("watchdog").kind == "watchdog"


def test_a_method_that_is_not_available_is_refused_in_one_sentence():
    with pytest.raises(CourseError, match="is not a method: use auto, cgroup, systemd or watchdog"):
        enforcement.method("containers")
    other = "systemd" if os.geteuid() == 0 else "cgroup"     # root gets cgroups, never a user scope
    if other == "systemd" or not os.path.exists("/sys/fs/cgroup"):
        with pytest.raises(CourseError, match=f"{enforcement.ENV}={other}"):
            enforcement.method(other)


@pytest.mark.slow
def test_per_process_cpu_limits_let_children_use_more_together():
    # Unprotected, RLIMIT_CPU of 6 s on each child: two children of 4 CPU seconds each end normally (8 s in all).
    code = ("import resource, time; resource.setrlimit(resource.RLIMIT_CPU, (6, 6)); t = time.process_time()\n"
            "while time.process_time() - t < 4: pass")
    children = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(2)]
    assert [child.wait(timeout=120) for child in children] == [0, 0]


@pytest.mark.slow
@pytest.mark.parametrize("how", ["auto", "watchdog"])
def test_cpu_budget_is_for_the_whole_sandbox(how, monkeypatch):
    if sandbox_problem():
        pytest.skip(sandbox_problem())
    from autograder.grading.worker import run_job

    monkeypatch.setenv(enforcement.ENV, how)
    cells = ["x = 41", SPIN, "print('after', x + 1)"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    job = {"notebook_text": nbformat.writes(nb), "skip_ids": [], "tasks": [], "seeds": [0], "files": {},
           "limits": Limits(cpu=CPU, timeout=60).as_dict(), "sandbox": True, "course_root": REPO}
    result = run_job(job)
    assert result["status"] == "ran", result
    assert result["events"][0].startswith(f"used more than {CPU} CPU seconds (all its processes together)"), result["events"]
    assert any(e.startswith("cell 2 was stopped") for e in result["events"])
    executed = nbformat.reads(result["notebook"], 4)
    printed = "".join(o.get("text", "") for o in executed.cells[1].outputs)
    assert executed.cells[1].outputs and "EXITS" not in printed        # stopped: the children did not run to the end
    assert "not run: the submission used up its CPU time" in str(executed.cells[2].outputs)
    assert result["usage"]["cpu_seconds"] < CPU + enforcement.CPU_GRACE


def test_cgroup2_bookkeeping_on_a_stand_in_folder(tmp_path):
    # Not a real cgroup file system (this checks which settings are written and how the kernel's
    # event counters are read; the real v1 path runs in test_cpu_budget_is_for_the_whole_sandbox
    # and test_limits.py when the grader is root).
    watch = enforcement.SandboxWatch(Limits(memory=512 << 20, processes=64), enforcement.Method("cgroup2", {"unified": tmp_path}))
    folder = tmp_path / watch.name
    assert (folder / "memory.max").read_text() == str(512 << 20)
    assert (folder / "memory.swap.max").read_text() == "0" and (folder / "pids.max").read_text() == "64"
    (folder / "memory.events").write_text("low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\n")
    (folder / "memory.peak").write_text(str(500 << 20))
    (folder / "pids.events").write_text("max 3\n")
    events = watch.stop()
    assert events == ["used more than 512 MiB of memory (all its processes together): the kernel killed its largest process",
                      "tried to run more than 64 processes at once: starting more failed"]
    assert watch.peak_memory == 500 << 20


def test_systemd_scope_command():
    watch = enforcement.SandboxWatch(Limits(memory=1 << 30, processes=100), enforcement.Method("systemd", {}))
    argv = watch.command(["bwrap", "--", "python"])
    assert argv[:4] == ["systemd-run", "--user", "--scope", "--quiet"] and argv[-3:] == ["bwrap", "--", "python"]
    assert {"MemoryMax=1073741824", "MemorySwapMax=0", "TasksMax=100"} <= set(argv)
