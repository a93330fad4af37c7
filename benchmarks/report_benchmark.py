"""Time ``mlcourse report`` on a simulated cohort (default 1,000 students) of assignment 1.

Run from anywhere: ``python benchmarks/report_benchmark.py [N_STUDENTS]``. Works on a temporary copy
of the course; prints the figures (with the machine's load average, since other work slows them
down), asserts nothing. The first report also pays for importing matplotlib and for reading the
submissions from a cold disk cache; with per-student variants on, the first report builds every
student's variant inputs and the next ones read them back.
"""
from __future__ import annotations

import os
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
        start = time.perf_counter()
        simulate_cohort(f"sqlite:///{root / 'gradebook.db'}", root / "submitted", ASSIGNMENT,
                        course.source_notebook(ASSIGNMENT).stem, load_quiz_source(course.quiz_file(ASSIGNMENT)), n_students)
        print(f"simulated {n_students} students in {time.perf_counter() - start:.1f} s (setup, not measured)")
        _time_report(course, n_students, "per-student variants off")
        # The same cohort with per-student variants on: the first report builds every student's
        # variant inputs (kept in .mlcourse/report/), the second reads them back.
        config = root / "nbgrader_config.py"
        config.write_text(config.read_text() + f"\nc.MLCourse.variants = [{ASSIGNMENT!r}]\n")
        _time_report(course, n_students, "variants on, first report")
        _time_report(course, n_students, "variants on, parameters cached")


def _time_report(course, n_students: int, what: str) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    files = write_report(course, ASSIGNMENT)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    size = {p.name: p.stat().st_size // 1024 for p in (files.items_csv, files.students_csv, files.html)}
    # CPU seconds of this process: close to the wall time on an idle machine, whatever the load.
    print(f"mlcourse report on {n_students} students x {ASSIGNMENT} ({what}): {wall:.2f} s wall, {cpu:.2f} s CPU "
          f"({', '.join(f'{name} {kib} KiB' for name, kib in size.items())}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
