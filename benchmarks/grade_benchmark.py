"""Benchmark: `mlcourse grade` (sandboxed, parallel) vs stock `nbgrader autograde` on N reference submissions.

Usage: python benchmarks/grade_benchmark.py [N] [--full] [--variants] [--assignment A] [--reference]
(default 8 submissions of the cut-down assignment 1 the grading tests use; ``--full``: the whole
notebook; ``--assignment``: another assignment (always whole); ``--reference``: every submission is
the instructor's source notebook, every task solved, instead of the release notebook with its first
task solved; ``--variants``: per-student variants on, so the reference runs once per student; works
in a temporary copy of the course; prints figures, asserts nothing)

Measured in the same run, on the same submissions of assignment 1:

* wall time of `mlcourse grade` (sandbox on) with 1 worker and with one worker per core, running
  only the cells the grades depend on (the default), and with one worker per core and ``--full``
  (every cell), and of stock `nbgrader autograde` (one submission after another, no protection);
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


def main(n: int = 8, full: bool = False, variants: bool = False, assignment: str = ASSIGNMENT, reference: bool = False) -> None:
    cores = os.cpu_count() or 1
    full = full or assignment != ASSIGNMENT
    print(f"machine: {cores} cores, load average at start {os.getloadavg()[0]:.1f}; "
          f"{'whole' if full else 'cut-down'} {assignment}; per-student variants {'on' if variants else 'off'}; "
          f"submissions: {'the reference notebook' if reference else 'the release notebook, first task solved'}")
    with tempfile.TemporaryDirectory(prefix="mlcourse-bench-") as tmp:
        base = copy_course(Path(tmp) / "base", full=full)
        if variants:
            with open(base / "nbgrader_config.py", "a") as config:
                config.write(f"\nc.MLCourse.variants = [{assignment!r}]\n")
        done = mlcourse(base, "build", assignment, "--no-check")
        if done.returncode:
            sys.exit(done.stderr)
        source = next((base / "source" / assignment).glob("*.ipynb"))
        text = source.read_text() if reference else nbformat.writes(solved_notebook(base, first_task(base)))
        roots = {}
        for name in ("ours", "stock"):
            roots[name] = Path(tmp) / name
            shutil.copytree(base, roots[name])
            submit(roots[name], {f"s{i:02d}": text for i in range(n)}, notebook=source.name)
        ours = roots["ours"]
        # Warm the reference cache (once per assignment and seed set, then reused by every batch).
        _, t_warm = timed(mlcourse, ours, "grade", assignment, "--student", "s00")
        print(f"first batch of 1 (runs and caches the reference solution): {t_warm:.1f} s")
        if variants:   # every other student's variant is new to the reference: time the batch that meets them
            _, t_new = timed(mlcourse, ours, "grade", assignment)
            print(f"batch of the other {n - 1} with their own variants (reference runs {n - 1} new seeds): {t_new:.1f} s")

        results = {}
        for workers, mode in [(w, "needed") for w in sorted({1, cores})] + [(cores, "all")]:
            clear(ours)
            with SandboxMemory() as memory:
                proc, seconds = timed(mlcourse, ours, "grade", assignment, "--workers", str(workers), *(["--full"] if mode == "all" else []))
            records = [json.loads(p.read_text()) for p in (ours / "autograded").glob(f"*/{assignment}/.mlcourse-grade.json")]
            per = [r.get("seconds") or 0 for r in records]
            phases = {k: statistics.mean((r.get("phases") or {}).get(k, 0) for r in records) for k in ("kernel_ready", "cells", "probes")}
            sliced = sum(r.get("run") == "sliced" for r in records)
            results[workers, mode] = seconds
            print(f"mlcourse grade ({'every cell' if mode == 'all' else 'cells the grades depend on'}), {workers} worker(s): "
                  f"{seconds:.1f} s for {n} ({n / seconds * 60:.1f} submissions/min); "
                  f"per submission in its sandbox: mean {statistics.mean(per):.2f} s (kernel ready {phases['kernel_ready']:.2f} s, "
                  f"cells {phases['cells']:.2f} s, probes {phases['probes']:.2f} s; {sliced} of {len(records)} sliced); "
                  f"peak memory of one sandbox: {memory.peak / 2**20:.0f} MiB  [{proc.stdout.splitlines()[0] if proc.stdout else proc.stderr[-300:]}]")
        stock, t_stock = timed(subprocess.run, [str(BIN / "nbgrader"), "autograde", assignment, "--create"], cwd=roots["stock"],
                               env=env_for(roots["stock"]), capture_output=True, text=True)
        print(f"stock nbgrader autograde: {t_stock:.1f} s for {n} ({n / t_stock * 60:.1f} submissions/min; rc {stock.returncode})")
        best = results[cores, "needed"]
        print(f"speed-up of mlcourse grade ({cores} workers) over stock nbgrader: {t_stock / best:.2f}x "
              f"(with --full: {t_stock / results[cores, 'all']:.2f}x); 1 -> {cores} workers: {results[1, 'needed'] / best:.2f}x")

        # Overhead: an empty notebook through the same path (3 runs, median).
        empty = nbformat.writes(nbformat.v4.new_notebook())
        shutil.rmtree(ours / "submitted")
        overhead = []
        for i in range(3):
            clear(ours)
            submit(ours, {"empty": empty + " " * i}, notebook=source.name)   # a new hash each time: graded, not kept
            mlcourse(ours, "grade", assignment, "--student", "empty")
            record = json.loads((ours / "autograded" / "empty" / assignment / ".mlcourse-grade.json").read_text())
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
    parser.add_argument("--assignment", default=ASSIGNMENT, help="assignment (default 01_foundations; others always whole)")
    parser.add_argument("--reference", action="store_true", help="submit the reference notebook (every task solved)")
    args = parser.parse_args()
    main(args.n, args.full, args.variants, args.assignment, args.reference)
