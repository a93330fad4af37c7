"""Benchmark: `mlcourse drill` (generate) and `mlcourse drill --grade` (grade) for a new learner.

Usage: python benchmarks/drill_benchmark.py [TOPIC ...]   (default F6 S4 A4 Z2; works in a temporary
copy of the course; prints figures, asserts nothing)

For each topic, in a fresh copy with no grading cache:

* generate: wall time of ``mlcourse drill --topic T --learner L`` (the whole command: start-up,
  reading the release notebook, building the variant);
* grade, first time: ``mlcourse drill --grade`` on the drill with the reference solutions pasted
  in; the instructor's reference for the learner's seeds is not cached yet, so it runs too;
* grade, again: the same command once the reference is cached (a learner's second attempt).

The sandbox is used when bubblewrap works here (the figures say which).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SKIP = {".git", ".mlcourse", "submitted", "autograded", "feedback", "gradebook.db", "tests", "benchmarks",
        "__pycache__", ".venv", "node_modules", "drills", "mlcourse.egg-info"}


def _run(root: Path, *args) -> tuple[float, subprocess.CompletedProcess]:
    env = {**os.environ, "PYTHONPATH": str(root), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "mlcourse"), *args], cwd=root, env=env, capture_output=True, text=True, timeout=900)
    return time.perf_counter() - started, done


def _solve(root: Path, drill_path: Path) -> None:
    """Paste each task's reference solution (from source/) into the drill's solution cells."""
    from course.notebook import grade_id, read_cells

    nb = json.loads(drill_path.read_text())
    solutions = {}
    for source in (root / "source").glob("*/*.ipynb"):
        _, cells = read_cells(source)
        solutions.update({grade_id(c): c["source"] for c in cells if grade_id(c)})
    for cell in nb["cells"]:
        task = cell.get("metadata", {}).get("mlcourse", {}).get("task")
        if task:
            cell["source"] = solutions[task]
    drill_path.write_text(json.dumps(nb))


def main(topics: list[str]) -> None:
    from autograder.grading.sandbox import sandbox_problem

    print(f"sandbox: {'off (' + sandbox_problem() + ')' if sandbox_problem() else 'bubblewrap'}; "
          f"load average at start {os.getloadavg()[0]:.1f}")
    print(f"{'topic':<6} {'tasks':<52} {'generate':>9} {'grade 1st':>10} {'grade again':>12}  result")
    for topic in topics:
        with tempfile.TemporaryDirectory(prefix="mlcourse-drill-bench-") as tmp:
            root = Path(tmp) / "course"
            shutil.copytree(REPO, root, ignore=lambda folder, names: [n for n in names if n in SKIP])
            out = root / "drills" / "bench.ipynb"
            t_gen, done = _run(root, "drill", "--topic", topic, "--learner", "benchmark learner", "--out", str(out))
            if done.returncode:
                print(f"{topic:<6} generate failed: {done.stderr.strip()[-300:]}")
                continue
            tasks = json.loads(out.read_text())["metadata"]["mlcourse"]["drill"]["tasks"]
            _solve(root, out)
            no_sandbox = ["--no-sandbox"] if sandbox_problem() else []
            t_first, first = _run(root, "drill", "--grade", str(out), *no_sandbox)
            t_again, again = _run(root, "drill", "--grade", str(out), *no_sandbox)
            verdict = (first.stdout.strip().splitlines() or ["?"])[-1]
            if first.returncode or again.returncode:
                verdict += " | " + (first.stdout + first.stderr).strip()[-400:]
            print(f"{topic:<6} {', '.join(tasks):<52} {t_gen:>8.2f}s {t_first:>9.2f}s {t_again:>11.2f}s  {verdict}")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main(sys.argv[1:] or ["F6", "S4", "A4", "Z2"])
