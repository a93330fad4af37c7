"""Benchmark: `mlcourse grade` (sandboxed, parallel) vs stock `nbgrader autograde` on N reference submissions.

Usage: python benchmarks/grade_benchmark.py [N] [--full] [--variants]
(default 8 submissions of the cut-down assignment 1 the grading tests use; ``--full``: the whole
assignment 1 notebook; ``--variants``: per-student variants on, so the reference runs once per
student; works in a temporary copy of the course; prints figures, asserts nothing)

Measured in the same run, on the same submissions of assignment 1:

* wall time of `mlcourse grade` (sandbox on) with 1 worker and with one worker per core, and of
  stock `nbgrader autograde` (one submission after another, no protection);
* per-submission overhead beyond the notebook's own compute: an empty notebook through the same
  path (sandbox, driver, kernel start, probes, shutdown), median of 3;
* peak memory per worker: every ~50 ms the resident memory of all processes of each sandbox (one
  PID namespace per sandbox) is summed; the largest sum is reported.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
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


class SandboxMemory:
    """Peak of the summed RSS of the processes of any one sandbox (grouped by PID namespace)."""

    def __init__(self):
        self.peak = 0
        self.own_ns = os.readlink("/proc/self/ns/pid")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.is_set():
            per_ns: dict[str, int] = {}
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    ns = os.readlink(f"/proc/{pid}/ns/pid")
                    if ns == self.own_ns:
                        continue
                    with open(f"/proc/{pid}/statm") as f:
                        rss = int(f.read().split()[1]) * page
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        cmd = f.read()
                except (OSError, ValueError, IndexError):
                    continue
                if b"ipykernel_launcher" in cmd or b"autograder.grading.driver" in cmd:
                    per_ns[ns] = per_ns.get(ns, 0) + rss
            if per_ns:
                self.peak = max(self.peak, max(per_ns.values()))
            self._stop.wait(0.05)


def timed(fn, *args, **kwargs):
    started = time.monotonic()
    out = fn(*args, **kwargs)
    return out, time.monotonic() - started


def clear(root: Path) -> None:
    shutil.rmtree(root / "autograded", ignore_errors=True)


def main(n: int = 8, full: bool = False, variants: bool = False) -> None:
    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores, load average at start {os.getloadavg()[0]:.1f}; "
          f"{'whole' if full else 'cut-down'} assignment 1; per-student variants {'on' if variants else 'off'}")
    with tempfile.TemporaryDirectory(prefix="mlcourse-bench-") as tmp:
        base = copy_course(Path(tmp) / "base", full=full)
        if variants:
            with open(base / "nbgrader_config.py", "a") as config:
                config.write(f"\nc.MLCourse.variants = [{ASSIGNMENT!r}]\n")
        done = mlcourse(base, "build", ASSIGNMENT, "--no-check")
        if done.returncode:
            sys.exit(done.stderr)
        text = nbformat.writes(solved_notebook(base, first_task(base)))
        roots = {}
        for name in ("ours", "stock"):
            roots[name] = Path(tmp) / name
            shutil.copytree(base, roots[name])
            submit(roots[name], {f"s{i:02d}": text for i in range(n)})
        ours = roots["ours"]
        # Warm the reference cache (once per assignment and seed set, then reused by every batch).
        _, t_warm = timed(mlcourse, ours, "grade", ASSIGNMENT, "--student", "s00")
        print(f"first batch of 1 (runs and caches the reference solution): {t_warm:.1f} s")
        if variants:   # every other student's variant is new to the reference: time the batch that meets them
            _, t_new = timed(mlcourse, ours, "grade", ASSIGNMENT)
            print(f"batch of the other {n - 1} with their own variants (reference runs {n - 1} new seeds): {t_new:.1f} s")

        results = {}
        for workers in sorted({1, cores}):
            clear(ours)
            with SandboxMemory() as memory:
                proc, seconds = timed(mlcourse, ours, "grade", ASSIGNMENT, "--workers", str(workers))
            per = [json.loads(p.read_text()).get("seconds") or 0 for p in (ours / "autograded").glob(f"*/{ASSIGNMENT}/.mlcourse-grade.json")]
            results[workers] = seconds
            print(f"mlcourse grade, {workers} worker(s): {seconds:.1f} s for {n} ({n / seconds * 60:.1f} submissions/min); "
                  f"per submission in its sandbox: mean {statistics.mean(per):.2f} s; "
                  f"peak memory of one sandbox: {memory.peak / 2**20:.0f} MiB  [{proc.stdout.splitlines()[0] if proc.stdout else proc.stderr[-300:]}]")
        stock, t_stock = timed(subprocess.run, [str(BIN / "nbgrader"), "autograde", ASSIGNMENT, "--create"], cwd=roots["stock"],
                               env=env_for(roots["stock"]), capture_output=True, text=True)
        print(f"stock nbgrader autograde: {t_stock:.1f} s for {n} ({n / t_stock * 60:.1f} submissions/min; rc {stock.returncode})")
        best = results[max(results)]
        print(f"speed-up of mlcourse grade ({max(results)} workers) over stock nbgrader: {t_stock / best:.2f}x; "
              f"1 -> {max(results)} workers: {results[1] / best:.2f}x")

        # Overhead: an empty notebook through the same path (3 runs, median).
        empty = nbformat.writes(nbformat.v4.new_notebook())
        shutil.rmtree(ours / "submitted")
        overhead = []
        for i in range(3):
            clear(ours)
            submit(ours, {"empty": empty + " " * i})   # a new hash each time: graded, not kept
            mlcourse(ours, "grade", ASSIGNMENT, "--student", "empty")
            record = json.loads((ours / "autograded" / "empty" / ASSIGNMENT / ".mlcourse-grade.json").read_text())
            overhead.append(record.get("seconds") or float("nan"))
        print(f"per-submission overhead (sandbox + driver + kernel start + probes + shutdown, empty notebook): "
              f"median {statistics.median(overhead):.2f} s (runs: {', '.join(f'{x:.2f}' for x in overhead)})")
        print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Benchmark mlcourse grade against stock nbgrader autograde.")
    parser.add_argument("n", nargs="?", type=int, default=8, help="submissions (default 8)")
    parser.add_argument("--full", action="store_true", help="the whole assignment 1 notebook")
    parser.add_argument("--variants", action="store_true", help="per-student variants on")
    args = parser.parse_args()
    main(args.n, args.full, args.variants)
