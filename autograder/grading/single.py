"""Grade one notebook file with the batch grader's engine: :func:`grade_notebook` (used by drills).

Any notebook that defines the functions of some tasks can be graded: an assignment notebook, or
a drill notebook whose metadata lists its task ids and variant seed. It runs exactly as in
``mlcourse grade`` — in a bubblewrap sandbox, probes in the kernel reporting plain JSON, the
verdicts decided here against the instructor's reference solution — except that the seeds are
the caller's: the first one is the visible variant (the drill's seed, in place of the
assignment's seed 0), the others are hidden variants.

Example
-------
>>> results = grade_notebook(".", "drills/ada-f6.ipynb", ["kfold_cv"], [seed, *hidden])  # doctest: +SKIP
>>> [(r.task_id, r.passed, r.message) for r in results]                                  # doctest: +SKIP
[('kfold_cv', True, '')]
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import CourseError


@dataclass(frozen=True)
class TaskResult:
    """One task's outcome: ``passed`` or not, and the learner-facing message (never hidden data)."""

    task_id: str
    passed: bool
    message: str = ""
    status: str = ""           # "passed", "failed" or "not attempted"


def _tasks(assignment_or_tasks) -> list:
    from course.tasks import ASSIGNMENT_MODULES, Task, assignment_tasks, find_task

    if isinstance(assignment_or_tasks, str):
        if assignment_or_tasks in ASSIGNMENT_MODULES:
            return assignment_tasks(assignment_or_tasks)
        return [find_task(assignment_or_tasks)]
    tasks = [t if isinstance(t, Task) else find_task(str(t)) for t in assignment_or_tasks]
    if not tasks:
        raise CourseError("grade_notebook needs at least one task.")
    return tasks


def grade_notebook(course_root, notebook_path, assignment_or_tasks, seeds, sandbox: bool = True, limits=None) -> list[TaskResult]:
    """Grade the tasks of one notebook file on the given seeds.

    Parameters
    ----------
    course_root : path
        The course folder (``nbgrader_config.py`` and ``source/``): the reference solutions are
        the solution cells of ``source/<assignment>/``, run outside the sandbox once per seed and
        cached in ``.mlcourse/grading/<assignment>/``.
    notebook_path : path
        The notebook to grade. All its code cells run except nbgrader-graded test cells.
    assignment_or_tasks : str or list
        An assignment folder name (all its tasks), a task id, or a list of task ids or
        :class:`course.tasks.Task`.
    seeds : list of int
        Variant seeds; the first is the visible one (messages are about it only), the rest hidden.
    sandbox : bool, default True
        Run the notebook in bubblewrap (raises :class:`CourseError` if it cannot be had); ``False``
        runs it unprotected, for the learner's own code only.
    limits : Limits, optional
        Default: ``c.MLCourseGrade`` of the course's configuration.

    Returns
    -------
    list of TaskResult
        One per task, in the order given. A notebook that cannot be read or run gives every task
        ``passed=False`` with the one-line reason.
    """
    from ..coursedir import CourseDir
    from .assignment import Assignment
    from .limits import Limits
    from .reference import reference_run
    from .sandbox import sandbox_problem
    from .verdict import PASSED, judge_task
    from .worker import run_job

    seeds = [int(s) for s in seeds]
    if not seeds:
        raise CourseError("grade_notebook needs at least one seed (the visible variant).")
    course = CourseDir(Path(course_root).resolve())
    tasks = _tasks(assignment_or_tasks)
    if limits is None:
        has_config = (course.root / "nbgrader_config.py").is_file()
        limits = Limits.from_config(course.config().get("MLCourseGrade", {})) if has_config else Limits()
    if sandbox and sandbox_problem():
        raise CourseError(sandbox_problem())
    path = Path(notebook_path)
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError as err:
        return [TaskResult(t.id, False, f"cannot read {path.name}: {err.strerror}", "failed") for t in tasks]
    job = {"student": "-", "notebook_name": path.name, "notebook_text": text, "files": {}, "skip_ids": [],
           "tasks": [t.id for t in tasks], "functions": {t.id: t.function for t in tasks}, "seeds": seeds, "limits": limits.as_dict(), "sandbox": sandbox,
           "course_root": str(course.root)}
    names = list(dict.fromkeys(t.assignment for t in tasks))
    # The notebook starts first; the reference (cached per seed after the first time) runs meanwhile.
    with ThreadPoolExecutor(max_workers=1 + len(names)) as pool:
        running = pool.submit(run_job, job)
        infos = [Assignment.load(course, name) for name in names]
        references = [pool.submit(reference_run, course, info, seeds, limits, [t for t in tasks if t.assignment == info.name])
                      for info in infos]
        result = running.result()
        expected, cases = {}, {}
        for future in references:
            found_seeds, found_cases = future.result()
            expected.update(found_seeds)
            cases.update(found_cases)
    if result["status"] != "ran":
        return [TaskResult(t.id, False, result["reason"], "failed") for t in tasks]
    out = []
    for task in tasks:
        v = judge_task(task, result["probes"].get(f"task:{task.id}"), expected[task.id], len(seeds) - 1, visible_seed=seeds[0],
                       cases=cases[task.id], seeds=seeds)
        out.append(TaskResult(task.id, v.status == PASSED, v.message, v.status))
    return out
