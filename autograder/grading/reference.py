"""Expected outputs: the instructor's reference solution, run outside the sandbox and cached per seed."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import CourseError
from .compare import unsupported
from .limits import Limits
from .plaindata import NotPlainData, task_report
from .storage import atomic_write_text, state_dir
from .worker import encode_files, run_job


def _cache_file(course, assignment) -> Path:
    return state_dir(course, assignment.name) / f"reference-{assignment.key}.json"


def reference_outputs(course, assignment, seeds: list[int], limits: Limits) -> dict:
    """``{task_id: [calls of seed, ...]}`` of the reference solution for ``seeds``.

    Seeds already in the cache (same source notebook, same course code) are not run again.
    Raises :class:`CourseError` if the reference fails a seed or returns something the grader
    cannot compare.
    """
    cache_path = _cache_file(course, assignment)
    cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    missing = [s for s in seeds if str(s) not in cache]
    if missing:
        job = {"notebook_text": assignment.source_path.read_text(encoding="utf-8"), "notebook_name": assignment.source_path.name,
               "files": encode_files(assignment.source_path.parent, skip={assignment.source_path.name, "quizzes.yaml"}),
               "skip_ids": assignment.graded_ids, "tasks": [t.id for t in assignment.tasks], "seeds": missing,
               "limits": Limits(timeout=max(limits.timeout, 300), notebook_timeout=max(limits.notebook_timeout, 1800)).as_dict(),
               "sandbox": False, "rlimits": False, "course_root": str(course.root)}
        result = run_job(job)
        if result["status"] != "ran":
            raise CourseError(f"The reference solution of {assignment.name} could not run: {result['reason']}.")
        for task in assignment.tasks:
            try:
                report = task_report(result["probes"].get(f"task:{task.id}"), task.id, len(missing))
            except NotPlainData as err:
                raise CourseError(f"The reference solution of task {task.id} gave no readable result ({err}); run mlcourse build to see why.") from None
            for seed, calls in zip(missing, report["seeds"]):
                bad = [c for c in calls if "value" not in c]
                if not calls or bad:
                    why = f"{bad[0]['raised']}: {bad[0]['message']}" if bad else "the function was never called"
                    raise CourseError(f"The reference solution of task {task.id} fails on seed {seed} ({why}): fix make_data or the solution.")
                odd = next((unsupported(c["value"]) for c in calls if unsupported(c["value"])), None)
                if odd:
                    raise CourseError(f"Task {task.id} returns a {odd}, which the grader cannot compare: declare Task.call to reduce it to numbers.")
                cache.setdefault(str(seed), {})[task.id] = calls
        atomic_write_text(cache_path, json.dumps(cache))
    return {t.id: [cache[str(s)][t.id] for s in seeds] for t in assignment.tasks}
