"""Expected outputs: the instructor's reference solution, run outside the sandbox and cached per seed.

The reference runs a cut-down copy of the source notebook: its setup cell, the imports the
solutions use and the solution cells of the tasks asked for, which takes seconds instead of the
whole notebook's minute of worked examples and plots. Should a solution cell need something an earlier example cell defined, that
run fails and the whole source notebook runs instead.
"""
from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from course.notebook import SETUP_ID, cell_text, grade_id, imports_of, is_graded

from ..errors import CourseError
from .compare import unsupported
from .limits import Limits
from .plaindata import NotPlainData, task_report
from .storage import atomic_write_text, state_dir
from .worker import encode_files, run_job

class _RunFailed(CourseError):
    """The reference did not run or a solution raised: possibly because the cut-down notebook lacks something."""


def _cache_file(course, assignment) -> Path:
    return state_dir(course, assignment.name) / f"reference-{assignment.key}.json"


def solution_notebook(source_text: str, task_ids) -> str:
    """The source notebook cut to what the reference needs, as JSON text.

    That is the setup cell, the imports of other cells that bind a name the solutions use (a
    solution may rely on an example's import), and the solution cells of ``task_ids``.
    """
    nb = json.loads(source_text)
    code = [c for c in nb["cells"] if c.get("cell_type") == "code"]
    text = {id(c): cell_text(c) for c in code}
    setup = [c for c in code if grade_id(c) == SETUP_ID]
    solutions = [c for c in code if grade_id(c) in task_ids]
    used = set(re.findall(r"[A-Za-z_]\w*", "\n".join(text[id(c)] for c in solutions)))
    imports = dict.fromkeys(statement for c in code if c not in setup and c not in solutions and not is_graded(c)
                            for statement, names in imports_of(text[id(c)]) if names & used)
    import_cell = {"cell_type": "code", "id": "reference-imports", "metadata": {}, "outputs": [], "execution_count": None,
                   "source": "\n".join(imports)}
    nb["cells"] = setup + [import_cell] + solutions
    return json.dumps(nb)


def _run(assignment, course, notebook_text: str, tasks: list, seeds: list[int], limits: Limits) -> dict:
    """``{task_id: [calls of seed, ...]}`` of one reference run; raises :class:`CourseError` on failure."""
    job = {"notebook_text": notebook_text, "notebook_name": assignment.source_path.name,
           "files": encode_files(assignment.source_path.parent, skip={assignment.source_path.name, "quizzes.yaml"}),
           "skip_ids": assignment.graded_ids, "tasks": [t.id for t in tasks], "functions": {t.id: t.function for t in tasks},
           "seeds": seeds, "limits": Limits(timeout=max(limits.timeout, 300), notebook_timeout=max(limits.notebook_timeout, 1800)).as_dict(),
           "sandbox": False, "rlimits": False, "course_root": str(course.root)}
    result = run_job(job)
    if result["status"] != "ran":
        raise _RunFailed(f"The reference solution of {assignment.name} could not run: {result['reason']}.")
    out = {}
    for task in tasks:
        try:
            report = task_report(result["probes"].get(f"task:{task.id}"), task.id, len(seeds))
        except NotPlainData as err:
            raise _RunFailed(f"The reference solution of task {task.id} gave no readable result ({err}); run mlcourse build to see why.") from None
        _check_cases(task, report["cases"])
        for seed, calls in zip(seeds, report["seeds"]):
            bad = [c for c in calls if "value" not in c]
            if not calls or bad:
                why = f"{bad[0]['raised']}: {bad[0]['message']}" if bad else "the function was never called"
                raise _RunFailed(f"The reference solution of task {task.id} fails on seed {seed} ({why}): fix make_data or the solution.")
            odd = next((unsupported(c["value"]) for c in calls if unsupported(c["value"])), None)
            if odd:
                raise CourseError(f"Task {task.id} returns a {odd}, which the grader cannot compare: declare Task.call to reduce it to numbers.")
        out[task.id] = {"seeds": report["seeds"], "cases": report["cases"]}
    return out


def _check_cases(task, records: list) -> None:
    """The reference must return on every case and raise exactly where its spec says it raises."""
    from autograder.specs import spec_for

    cases = spec_for(task.id).cases
    if len(records) != len(cases):
        raise _RunFailed(f"The reference solution of task {task.id} recorded {len(records)} of its {len(cases)} hidden cases.")
    for case, record in zip(cases, records):
        raised = record.get("raised")
        if case.raises and (raised is None or case.raises not in record.get("mro", [raised])):
            raise CourseError(f"The reference solution of task {task.id} does not raise {case.raises} for {case.name}: fix the spec or the solution.")
        if not case.raises and raised is not None:
            raise CourseError(f"The reference solution of task {task.id} raises {raised} for {case.name} "
                              f"({record.get('message', '')}): fix the spec or the solution.")
        if "value" in record and unsupported(record["value"]):
            raise CourseError(f"Task {task.id} returns a {unsupported(record['value'])} for {case.name}, which the grader "
                              "cannot compare: give its spec a run= that reduces it to numbers.")


def reference_run(course, assignment, seeds: list[int], limits: Limits, tasks=None, workers: int = 1) -> tuple[dict, dict]:
    """The reference solution's records: ``({task_id: [calls of seed, ...]}, {task_id: [record per case]})``.

    Parameters
    ----------
    course : CourseDir
    assignment : Assignment
    seeds : list of int
    limits : Limits
        The grading limits (the reference gets at least 5 minutes a cell).
    tasks : list of Task, optional
        Only these tasks of the assignment (a drill's); default all of them.
    workers : int, default 1
        Reference runs in parallel, each on its share of the seeds not cached yet (a cohort with
        per-student variants has a seed per student).

    Returns
    -------
    tuple of dict
        The calls per seed and the records of the named cases, per task. Seeds already in the
        cache (same source notebook, same course code and specs) are not run again.

    Raises
    ------
    CourseError
        If the reference fails a seed or returns something the grader cannot compare.
    """
    tasks = list(assignment.tasks if tasks is None else tasks)
    cache_path = _cache_file(course, assignment)
    try:
        cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    except ValueError:
        cache = {}
    cases = cache.setdefault("cases", {})
    missing = [s for s in dict.fromkeys(seeds) if any(t.id not in cache.get(str(s), {}) for t in tasks)]
    if not missing and any(t.id not in cases for t in tasks):
        missing = list(dict.fromkeys(seeds))[:1]
    if missing:
        todo = [t for t in tasks if any(t.id not in cache.get(str(s), {}) for s in missing)]
        source = assignment.source_path.read_text(encoding="utf-8")
        quick = solution_notebook(source, [i for t in todo for i in (*t.needs, t.id)])

        def run(chunk):
            try:
                return chunk, _run(assignment, course, quick, todo, chunk, limits)
            except _RunFailed:
                return chunk, _run(assignment, course, source, todo, chunk, limits)

        n = max(1, min(workers, len(missing)))
        chunks = [missing[i::n] for i in range(n)]
        with ThreadPoolExecutor(max_workers=n, thread_name_prefix="mlcourse-reference") as pool:
            for chunk, found in pool.map(run, chunks):
                for task_id, found_task in found.items():
                    for seed, calls in zip(chunk, found_task["seeds"]):
                        cache.setdefault(str(seed), {})[task_id] = calls
                    cases[task_id] = found_task["cases"]
        atomic_write_text(cache_path, json.dumps(cache))
    return {t.id: [cache[str(s)][t.id] for s in seeds] for t in tasks}, {t.id: cases[t.id] for t in tasks}
