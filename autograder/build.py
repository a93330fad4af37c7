"""``mlcourse build``: source/ → release/ through nbgrader, then proof that the tests are honest."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.apps import NbGraderAPI

from course.notebook import NotebookProblem, grade_id, is_graded, quiz_ids, read_notebook, tags
from course.quiz._bank import SECRET_ENV
from course.tasks import assignment_tasks
from course.variants import VARIANT_FILE

from .coursedir import CourseDir, put_own_scripts_on_path, working_directory
from .errors import CourseError
from .execute import cell_error, execute
from .quizbank import compile_bank, load_quiz_source, write_bank


@dataclass
class BuildReport:
    """What building one assignment did and found."""

    assignment: str
    problems: list = field(default_factory=list)
    graded_cells: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def quiz_test_id(qid: str) -> str:
    """nbgrader ``grade_id`` of the hidden test cell that grades quiz ``qid``."""
    return f"quiz_{qid}_test"


def expected_grade_ids(assignment: str, qids) -> list[str]:
    """Every graded or solution cell id the assignment's notebook must contain (order not implied)."""
    ids = []
    for task in assignment_tasks(assignment):
        ids += [task.id, task.test_id]
    ids += [quiz_test_id(q) for q in qids]
    return ids


def check_source(course: CourseDir, assignment: str, nb, quizzes: dict) -> None:
    """Raise :class:`CourseError` if the source notebook and the declarations disagree."""
    path = course.source_notebook(assignment)
    declared = nb.metadata.get("mlcourse", {}).get("assignment")
    if declared != assignment:
        raise CourseError(f"{path}: notebook metadata mlcourse.assignment is {declared!r}, expected {assignment!r}.")
    in_notebook = quiz_ids(nb)
    if sorted(in_notebook) != sorted(quizzes) or len(set(in_notebook)) != len(in_notebook):
        only_nb = sorted(set(in_notebook) - set(quizzes))
        only_yaml = sorted(set(quizzes) - set(in_notebook))
        raise CourseError(f"{path}: quiz cells and quizzes.yaml disagree (only in notebook: {only_nb}, only in YAML: {only_yaml}).")
    ids = [grade_id(c) for c in nb.cells]
    present = [g for g in ids if g]
    duplicated = sorted({g for g in present if present.count(g) > 1})
    if duplicated:
        raise CourseError(f"{path}: grade_id {', '.join(duplicated)} appears more than once: give every graded or solution cell its own id.")
    graded_quizzes = quizzes if nb.metadata.get("mlcourse", {}).get("graded", True) else []
    missing = [g for g in expected_grade_ids(assignment, graded_quizzes) if g not in ids]
    if missing:
        raise CourseError(f"{path}: cells with grade_id {', '.join(missing)} are missing.")
    tasks = assignment_tasks(assignment)
    task_cells = [g for t in tasks for g in (t.id, t.test_id)]
    if [g for g in present if g in task_cells] != task_cells:
        raise CourseError(
            f"{path}: the task cells are out of order: each solution cell must come before its test cell, "
            f"and the tasks in the order course/tasks declares them ({', '.join(t.id for t in tasks)})."
        )
    points = {grade_id(c): c.metadata.nbgrader.get("points") for c in nb.cells if is_graded(c)}
    for task in assignment_tasks(assignment):
        if points.get(task.test_id) != task.points:
            raise CourseError(f"{path}: cell {task.test_id} gives {points.get(task.test_id)} points but task {task.id} declares {task.points}.")
    for cell in nb.cells:
        if "quiz" in tags(cell) and not any(t.startswith("q:") for t in tags(cell)):
            raise CourseError(f"{path}: a quiz cell has no q:<ID> tag: tag it with the syllabus question it checks.")


def generate(course: CourseDir, assignment: str) -> None:
    """Run nbgrader's ``generate_assignment`` for one assignment into ``release/``."""
    put_own_scripts_on_path()
    api = NbGraderAPI(config=course.config())
    with working_directory(course.root):
        result = api.generate_assignment(assignment, force=True, create=True)
    if not result.get("success"):
        tail = (result.get("error") or result.get("log") or "").strip().splitlines()[-3:]
        raise CourseError(f"nbgrader could not generate {assignment}: {' / '.join(tail)}")
    shutil.rmtree(course.release / assignment / ".ipynb_checkpoints", ignore_errors=True)
    collapse_graded_quiz_cells(course.release_notebook(assignment))
    write_variant_file(course, assignment)


def collapse_graded_quiz_cells(path: Path) -> None:
    """Collapse the input of every graded quiz cell in a released notebook (``jupyter.source_hidden``).

    In the release such a cell holds only its comment line (the hidden test is removed), so shown open
    it looks like an empty cell; collapsed, JupyterLab shows that line as the cell's label. Quiz cells
    added to ``source/`` without the setting get it here too."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    changed = False
    for cell in nb.cells:
        if is_graded(cell) and (grade_id(cell) or "").startswith("quiz_") and not cell.metadata.get("jupyter", {}).get("source_hidden"):
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            changed = True
    if changed:
        nbformat.write(nb, str(path))


def write_variant_file(course: CourseDir, assignment: str) -> None:
    """Put ``variants.json`` in ``release/<assignment>/`` when variants are on for it, and take it out
    when they are off: students' checks find their own variant through it (:mod:`course.variants`)."""
    config = course.config()
    path = course.release / assignment / VARIANT_FILE
    if course.variant_seeds(assignment, config) is None:
        path.unlink(missing_ok=True)
        return
    path.write_text(json.dumps({"assignment": assignment, "course_id": course.course_id(config)}, indent=1) + "\n", encoding="utf-8")


def validate(course: CourseDir, assignment: str, report: BuildReport, timeout: int = 120) -> None:
    """Reference must pass every graded cell; the release stub (hidden tests restored) must fail each."""
    source_path = course.source_notebook(assignment)
    with tempfile.TemporaryDirectory(prefix="mlcourse-validate-") as tmp:
        work = Path(tmp) / "reference"
        shutil.copytree(source_path.parent, work)
        reference = read_notebook(source_path)
        stopped = execute(reference, work, course.root, timeout)
        if stopped:
            report.problems.append(f"reference run stopped: {stopped}")
        for cell in reference.cells:
            err = cell_error(cell)
            if err and (is_graded(cell) or cell.cell_type == "code"):
                report.problems.append(f"reference: cell {grade_id(cell) or _first_line(cell)} fails: {err}")
        report.graded_cells = sum(is_graded(c) for c in reference.cells)

        stub_dir = Path(tmp) / "stub"
        shutil.copytree(course.release / assignment, stub_dir)
        stub = read_notebook(course.release_notebook(assignment))
        full_tests = {grade_id(c): c.source for c in read_notebook(source_path).cells if is_graded(c)}
        for cell in stub.cells:
            if is_graded(cell):
                cell.source = full_tests[grade_id(cell)]
        execute(stub, stub_dir, course.root, timeout)
        for cell in stub.cells:
            if is_graded(cell) and cell.metadata.nbgrader.get("points", 0) > 0:
                err = cell_error(cell)
                if err is None:
                    report.problems.append(f"stub: graded cell {grade_id(cell)} passes without any work")
                elif grade_id(cell).startswith("quiz_"):
                    if "no recorded answer" not in err:
                        report.problems.append(f"stub: quiz cell {grade_id(cell)} fails for another reason: {err}")
                elif "not attempted" not in err:
                    report.problems.append(f"stub: {grade_id(cell)} should fail as not attempted, got {err}")


def _first_line(cell) -> str:
    return repr(cell.source.strip().splitlines()[0][:60]) if cell.source.strip() else "(empty)"


def build(course: CourseDir, assignment: str | None = None, check: bool = True, timeout: int = 120) -> list[BuildReport]:
    """Build one assignment (or all): compile its quiz bank, generate release/, and validate.

    Parameters
    ----------
    course : CourseDir
        The course folder.
    assignment : str, optional
        Assignment folder name; all assignments when omitted.
    check : bool, default True
        Execute the reference and the stub to prove the tests pass and fail as they should.
    timeout : int
        Seconds allowed per cell during validation.

    Returns
    -------
    list of BuildReport
    """
    names = [course.require_assignment(assignment)] if assignment else course.assignments()
    feedback = bool(course.setting("quiz_feedback", True))
    reports = []
    for name in names:
        report = BuildReport(name)
        try:
            nb = read_notebook(course.source_notebook(name))
        except NotebookProblem as err:
            raise CourseError(str(err)) from None
        quizzes = load_quiz_source(course.quiz_file(name))
        check_source(course, name, nb, quizzes)
        bank = compile_bank(name, quizzes, feedback=feedback, secret=os.environ.get(SECRET_ENV))
        write_bank(bank, course.root / "course" / "banks" / f"{name}.json")
        generate(course, name)
        if check:
            validate(course, name, report, timeout)
        reports.append(report)
    return reports
