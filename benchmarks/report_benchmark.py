"""Time ``mlcourse report`` on a simulated cohort (default 1,000 students) of assignment 1.

Run from anywhere: ``python benchmarks/report_benchmark.py [N_STUDENTS]``. Works on a temporary copy
of the course; prints the figures, asserts nothing.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.build import build  # noqa: E402
from autograder.coursedir import CourseDir  # noqa: E402
from autograder.quizbank import load_quiz_source  # noqa: E402
from autograder.report import write_report  # noqa: E402
from autograder.report.simulate import simulate_cohort  # noqa: E402

ASSIGNMENT = "01_foundations"


def main(n_students: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(".git", ".venv", "gradebook.db", "submitted", "autograded", "feedback", "reports"))
        course = CourseDir(root)
        build(course, ASSIGNMENT, check=False)
        quizzes = load_quiz_source(course.quiz_file(ASSIGNMENT))
        options = {q: len(v.get("options", [])) for q, v in quizzes.items() if v["kind"] != "numeric"}
        keys = {q: str(v["answer"]) for q, v in quizzes.items() if v["kind"] != "numeric"}
        start = time.perf_counter()
        simulate_cohort(f"sqlite:///{root / 'gradebook.db'}", root / "submitted", ASSIGNMENT,
                        course.source_notebook(ASSIGNMENT).stem, options, keys, n_students)
        print(f"simulated {n_students} students in {time.perf_counter() - start:.1f} s (setup, not measured)")
        start = time.perf_counter()
        csv_path, html_path = write_report(course, ASSIGNMENT)
        print(f"mlcourse report on {n_students} students x {ASSIGNMENT}: {time.perf_counter() - start:.2f} s "
              f"({csv_path.stat().st_size // 1024} KiB CSV, {html_path.stat().st_size // 1024} KiB HTML)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
