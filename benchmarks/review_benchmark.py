"""Benchmark: `mlcourse review`, `mlcourse interview` (write the notebook) and `mlcourse interview --grade`.

Usage: python benchmarks/review_benchmark.py [LEVEL ...]   (default junior senior saas; works in a
temporary copy of the course with a temporary $MLCOURSE_HOME; prints figures, asserts nothing)

* review: wall time of ``mlcourse review`` (the whole command) with a history of 60 quiz answers and
  the level's coding task failed two days ago, so that quizzes and a task are due;
* interview: wall time of ``mlcourse interview --level L``;
* grade 1st / again: ``mlcourse interview --grade`` with the reference solution pasted in and the
  quizzes answered, first with the instructor's reference not yet cached for these seeds, then again.

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
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
BIN = Path(sys.executable).parent
SKIP = {".git", ".mlcourse", "submitted", "autograded", "feedback", "gradebook.db", "tests", "benchmarks",
        "__pycache__", ".venv", "node_modules", "drills", "mlcourse.egg-info"}


def _run(root: Path, home: Path, *args) -> tuple[float, subprocess.CompletedProcess]:
    env = {**os.environ, "PYTHONPATH": str(root), "MLCOURSE_HOME": str(home),
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "mlcourse"), *args], cwd=root, env=env, capture_output=True, text=True, timeout=900)
    return time.perf_counter() - started, done


def _history(home: Path, task: str | None) -> None:
    from course import history
    from course.quiz import load_bank
    from course.tasks import find_task

    past = datetime.now(timezone.utc) - timedelta(days=2)
    qids = sorted(q for a in ("01_foundations", "02_production") for q in load_bank(a))[:60]
    events = [history.quiz_event(q, i % 3 != 0, "quiz", past + timedelta(minutes=i)) for i, q in enumerate(qids)]
    if task:
        events.append(history.task_event(task, find_task(task).question, "failed", "drill", past))
    os.environ["MLCOURSE_HOME"] = str(home)
    history.save(events)


def _solve(root: Path, path: Path) -> None:
    """Paste the reference solution and the key's quiz answers into the interview notebook."""
    import yaml

    from course.notebook import grade_id, read_cells

    solutions, key = {}, {}
    for source in (root / "source").glob("*/*.ipynb"):
        _, cells = read_cells(source)
        solutions.update({grade_id(c): c["source"] for c in cells if grade_id(c)})
    for quizzes in (root / "source").glob("*/quizzes.yaml"):
        key.update({q: v["answer"] for q, v in (yaml.safe_load(quizzes.read_text()) or {}).items()})
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        task = cell.get("metadata", {}).get("mlcourse", {}).get("task")
        if task:
            cell["source"] = solutions[task]
        elif src.startswith('quiz("'):
            qid = src.split('"')[1]
            cell["source"] = f'quiz("{qid}", answer={json.dumps(key[qid])})'
    path.write_text(json.dumps(nb))


def main(levels: list[str]) -> None:
    from autograder.grading.sandbox import sandbox_problem

    print(f"sandbox: {'off (' + sandbox_problem() + ')' if sandbox_problem() else 'bubblewrap'}; "
          f"load average at start {os.getloadavg()[0]:.1f}; CPU cores {os.cpu_count()}")
    print(f"{'level':<7} {'task':<24} {'review':>7} {'interview':>10} {'grade 1st':>10} {'grade again':>12}  result")
    for level in levels:
        with tempfile.TemporaryDirectory(prefix="mlcourse-review-bench-") as tmp:
            root, home = Path(tmp) / "course", Path(tmp) / "home"
            shutil.copytree(REPO, root, ignore=lambda folder, names: [n for n in names if n in SKIP])
            out = root / "drills" / "bench-interview.ipynb"
            t_int, done = _run(root, home, "interview", "--level", level, "--learner", "bench", "--out", str(out))
            if done.returncode:
                print(f"{level:<7} interview failed: {done.stderr.strip()[-300:]}")
                continue
            task = json.loads(out.read_text())["metadata"]["mlcourse"]["interview"]["task"]
            _history(home, task)
            t_rev, rev = _run(root, home, "review", "--learner", "bench", "--out", str(root / "drills" / "bench-review.ipynb"))
            _solve(root, out)
            no_sandbox = ["--no-sandbox"] if sandbox_problem() else []
            t_first, first = _run(root, home, "interview", "--grade", str(out), *no_sandbox)
            t_again, again = _run(root, home, "interview", "--grade", str(out), *no_sandbox)
            verdict = next((line.strip() for line in first.stdout.splitlines() if line.startswith("Overall")), "?")
            if first.returncode or again.returncode or rev.returncode:
                verdict += " | " + (rev.stderr + first.stdout + first.stderr).strip()[-400:]
            print(f"{level:<7} {task or '-':<24} {t_rev:>6.2f}s {t_int:>9.2f}s {t_first:>9.2f}s {t_again:>11.2f}s  {verdict}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["junior", "senior", "saas"])
