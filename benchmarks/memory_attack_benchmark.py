"""Benchmark: how far the machine's available memory drops while memory attacks are graded.

Usage: python benchmarks/memory_attack_benchmark.py [N] [--memory SIZE] [--workers W] [--enforcement METHOD]
(default 4 submissions, ``--memory 1G``, 2 workers, the machine's best enforcement; ``--enforcement
watchdog`` forces the watchdog; works in a temporary copy of the course; prints figures, asserts nothing)

Each submission solves the first task, then runs a cell that starts five children which each
allocate and touch 800 MiB and hold it for 4 s: 4 GiB at once per submission when nothing limits
the sandbox as a whole, 8 GiB with two workers. ``MemAvailable`` of ``/proc/meminfo`` is sampled
every 20 ms during the batch; the figure reported is the largest drop below its value just before
the batch, next to the bound ``workers × memory limit + 1 GiB``. The reference solution is cached
by a first one-student batch, so the measured batch holds the grader and its sandboxes only.
Other programs on the machine move ``MemAvailable`` too: the largest drop over ``--idle`` seconds
with nothing graded is printed beside it.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "grading"))

from conftest import ASSIGNMENT, BIN, copy_course, env_for, first_task, mlcourse, solved_notebook, submit  # noqa: E402

import nbformat  # noqa: E402

from attacks import _with_cell_after  # noqa: E402

CHILDREN_800MIB = """import subprocess, sys
code = "import time; b = b'x' * (800 << 20); print('HELD', flush=True); time.sleep(4)"
children = [subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, text=True) for _ in range(5)]
print('CHILDREN HELD', sum('HELD' in c.communicate()[0] for c in children), 'x 800 MiB at once')
"""


def available() -> int:
    with open("/proc/meminfo") as info:
        for line in info:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) << 10
    raise RuntimeError("no MemAvailable in /proc/meminfo")


class LowestAvailable:
    """The lowest ``MemAvailable`` seen while the ``with`` block runs (sampled every 20 ms)."""

    def __init__(self):
        self.start = self.lowest = available()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.wait(0.02):
            self.lowest = min(self.lowest, available())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=4)
    parser.add_argument("--memory", default="1G")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--enforcement", default=None, help="auto, cgroup, systemd or watchdog")
    parser.add_argument("--idle", type=float, default=20, help="seconds of sampling with nothing graded, before the batch")
    args = parser.parse_args()
    from autograder.grading.limits import format_size, parse_size

    limit = parse_size(args.memory)
    with tempfile.TemporaryDirectory(prefix="mlcourse-memory-bench-") as tmp:
        root = copy_course(Path(tmp) / "course")
        done = mlcourse(root, "build", ASSIGNMENT, "--no-check")
        if done.returncode != 0:
            sys.exit(done.stdout + done.stderr)
        task = first_task(root)
        attack = nbformat.writes(_with_cell_after(solved_notebook(root, task), task.id, CHILDREN_800MIB))
        submit(root, {"warm-up": nbformat.writes(solved_notebook(root, task)), **{f"s{i:02d}": attack for i in range(args.n)}})
        env = env_for(root, **({"MLCOURSE_GRADE_ENFORCEMENT": args.enforcement} if args.enforcement else {}))
        # The reference solution runs (unsandboxed) with the first batch: cache it first, so that
        # the measured batch holds the grader and its sandboxes only.
        subprocess.run([str(BIN / "mlcourse"), "grade", ASSIGNMENT, "--student", "warm-up"], cwd=root, env=env,
                       capture_output=True, text=True)
        with LowestAvailable() as idle:      # what the rest of the machine does meanwhile
            time.sleep(args.idle)
        idle_drop = idle.start - idle.lowest
        before = available()
        started = time.monotonic()
        with LowestAvailable() as watch:
            done = subprocess.run([str(BIN / "mlcourse"), "grade", ASSIGNMENT, "--memory", args.memory, "--workers",
                                   str(args.workers), "--timeout", "60"], cwd=root, env=env, capture_output=True, text=True)
        seconds = time.monotonic() - started
        results = [json.loads(p.read_text()) for p in sorted((root / "autograded").glob(f"s*/{ASSIGNMENT}/.mlcourse-grade.json"))]
    drop = before - watch.lowest
    bound = args.workers * limit + (1 << 30)
    print(next((line for line in done.stderr.splitlines() if line.startswith("Limits:")), "Limits: (not printed)"))
    print(f"submissions: {args.n}, workers: {args.workers}, memory limit: {format_size(limit)}, batch: {seconds:.1f} s, "
          f"exit status {done.returncode}")
    print(f"largest drop of MemAvailable in {args.idle:g} s with nothing graded (the rest of the machine): {format_size(max(idle_drop, 0))}")
    print(f"unprotected, each submission would hold 5 × 800 MiB = {format_size(5 * (800 << 20))} at once")
    print(f"MemAvailable before: {format_size(before)}; largest drop during the batch: {format_size(max(drop, 0))}; "
          f"bound workers × limit + 1 GiB: {format_size(bound)} -> {'within' if drop <= bound else 'OVER'} the bound")
    peaks = [r.get("usage", {}).get("peak_memory", 0) for r in results if r.get("usage")]
    if peaks:
        print(f"peak memory of one sandbox (its own accounting): max {format_size(max(peaks))}")
    over = sum(any(e.startswith("used more than") for e in r.get("events", [])) for r in results)
    print(f"submissions recorded as over the memory limit: {over} of {len(results)}")


if __name__ == "__main__":
    main()
