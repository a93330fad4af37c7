"""Print how long each assignment's reference notebook takes to run, and how fast a self-check answers.

Run from the course root: ``python benchmarks/notebook_benchmark.py [ASSIGNMENT ...]``.
The figures are printed, not asserted: shared machines are noisy.
"""
from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.coursedir import CourseDir  # noqa: E402
from autograder.execute import cell_error, execute, kernel_env  # noqa: E402
from course.notebook import is_graded, read_notebook  # noqa: E402
from course.tasks import assignment_tasks  # noqa: E402


def reference_seconds(course: CourseDir, assignment: str) -> tuple[float, int]:
    """Wall time of one top-to-bottom run of the reference notebook, and the number of failing cells."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / assignment
        shutil.copytree(course.source / assignment, work)
        nb = read_notebook(course.source_notebook(assignment))
        start = time.perf_counter()
        execute(nb, work, course.root)
        elapsed = time.perf_counter() - start
    return elapsed, sum(cell_error(c) is not None for c in nb.cells)


def self_check_seconds(course: CourseDir, assignment: str, repeats: int = 3) -> dict:
    """Median seconds of ``check(task)`` per task in a warm kernel that ran the reference notebook."""
    nb = read_notebook(course.source_notebook(assignment))
    km, kc = start_new_kernel(kernel_name="python3", env=kernel_env(course.root), cwd=str(course.source / assignment))
    try:
        for cell in nb.cells:
            if cell.cell_type == "code" and not is_graded(cell):
                kc.execute_interactive(cell.source, timeout=300, output_hook=lambda msg: None)
        times = {}
        for task in assignment_tasks(assignment):
            runs = []
            for _ in range(repeats):
                start = time.perf_counter()
                kc.execute_interactive(f'check("{task.id}")', timeout=60, output_hook=lambda msg: None)
                runs.append(time.perf_counter() - start)
            times[task.id] = statistics.median(runs)
        return times
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main(argv: list[str]) -> None:
    course = CourseDir(ROOT)
    for assignment in argv or course.assignments():
        seconds, failing = reference_seconds(course, assignment)
        print(f"{assignment}: reference notebook top to bottom in {seconds:.1f} s ({failing} failing cells)")
        times = self_check_seconds(course, assignment)
        for task_id, t in times.items():
            print(f"  self-check {task_id:<24} {t * 1000:7.0f} ms")
        print(f"  slowest self-check: {max(times.values()):.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
