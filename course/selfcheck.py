"""``mlcourse check NOTEBOOK``: run a learner's notebook and its visible checks, task by task."""
from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .notebook import NotebookProblem, assignment_of, check_cells, is_graded, quiz_ids, read_notebook
from .tasks import assignment_tasks

_MARK = "MLCOURSE-SELFCHECK "

_REPORT_CELL = '''
import json as _json
from course.checks import run_checks as _run_checks
from course.tasks import assignment_tasks as _tasks
from course.quiz import recorded_answers as _answers, load_bank as _bank
_ns = get_ipython().user_ns
_out = {"tasks": [], "quizzes": {}}
for _t in _tasks(%(assignment)r):
    _v = _run_checks(_t, _ns.get(_t.function))
    _out["tasks"].append({"id": _t.id, "question": _t.question, "status": _v.status, "message": _v.message})
_b = _bank(%(assignment)r)
for _qid, _a in _answers().items():
    _q = _b.get(_qid)
    _out["quizzes"][_qid] = _q.is_correct(_a) if (_q is not None and _q.feedback) else None
print(%(mark)r + _json.dumps(_out))
'''


@dataclass
class SelfCheck:
    """Results of a self-check: one entry per task, quiz answers, and cells that raised."""

    assignment: str
    tasks: list
    quizzes: dict
    quiz_total: int
    cell_errors: list

    def render(self, name: str) -> str:
        """Human-readable report."""
        lines = [f"Self-check of {name} ({self.assignment}; visible checks only, hidden tests run when graded)"]
        for t in self.tasks:
            msg = f"  {t['message']}" if t["message"] else ""
            lines.append(f"  {t['question']:<4} {t['id']:<24} {t['status']}{msg}")
        counts = {s: sum(t["status"] == s for t in self.tasks) for s in ("passed", "failed", "not attempted")}
        lines.append(f"Tasks: {counts['passed']} passed, {counts['failed']} failed, {counts['not attempted']} not attempted.")
        answered = len(self.quizzes)
        correct = sum(1 for v in self.quizzes.values() if v)
        quiz_line = f"Quizzes: {answered} of {self.quiz_total} answered"
        if any(v is not None for v in self.quizzes.values()):
            quiz_line += f", {correct} correct"
        lines.append(quiz_line + ".")
        for err in self.cell_errors:
            lines.append(f"Note: {err}")
        return "\n".join(lines)

    @property
    def all_passed(self) -> bool:
        return all(t["status"] == "passed" for t in self.tasks)


def _course_root(path: Path) -> Path | None:
    for folder in path.resolve().parents:
        if (folder / "nbgrader_config.py").is_file() and (folder / "course").is_dir():
            return folder
    return None


def self_check(path: Path | str, timeout: int = 120) -> SelfCheck:
    """Run the notebook at ``path`` on a temporary copy and the visible checks of each task.

    The learner's file is only read, never written.

    Raises
    ------
    NotebookProblem
        If the file is missing, not a notebook, not of this course, or its graded cells were
        deleted, duplicated or reordered.
    """
    from autograder.execute import cell_error, execute  # the same runner as the grader

    path = Path(path)
    nb = read_notebook(path)
    assignment = assignment_of(nb, path)
    try:
        tasks = assignment_tasks(assignment)
    except LookupError:
        raise NotebookProblem(f"{path} belongs to assignment {assignment!r}, which this version of the course does not have: update the course.") from None
    check_cells(nb, path, [g for t in tasks for g in (t.id, t.test_id)])

    run = nbformat.v4.new_notebook(metadata=nb.metadata)
    run.cells = [c for c in nb.cells if not is_graded(c)]
    run.cells.append(nbformat.v4.new_code_cell(_REPORT_CELL % {"assignment": assignment, "mark": _MARK}))
    with tempfile.TemporaryDirectory(prefix="mlcourse-check-") as tmp:
        work = Path(tmp) / "nb"
        shutil.copytree(path.parent, work, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.ipynb"))
        stopped = execute(run, work, _course_root(path), timeout)
    errors = []
    if stopped:
        errors.append(f"the run stopped early: {stopped}")
    for i, cell in enumerate(run.cells[:-1]):
        err = cell_error(cell)
        if err:
            errors.append(f"a cell raised {err.splitlines()[0][:160]} (cell {i + 1}: {cell.source.strip().splitlines()[0][:50] if cell.source.strip() else ''!r})")
    result = {"tasks": [{"id": t.id, "question": t.question, "status": "not attempted",
                         "message": "the notebook stopped before this task could be checked"} for t in tasks], "quizzes": {}}
    for out in run.cells[-1].get("outputs", []):
        text = out.get("text", "")
        if out.get("output_type") == "stream" and _MARK in text:
            result = json.loads(text.split(_MARK, 1)[1].strip().splitlines()[0])
    return SelfCheck(assignment, result["tasks"], result["quizzes"], len(quiz_ids(nb)), errors)
