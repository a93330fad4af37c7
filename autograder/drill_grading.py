"""``mlcourse drill --grade NOTEBOOK``: grade a drill on the learner's variant and on hidden ones."""
from __future__ import annotations

from pathlib import Path

from course.drills import DrillError, learner_seed
from course.notebook import NotebookProblem, read_cells

from .coursedir import CourseDir
from .errors import CourseError
from .grading.limits import Limits

HIDDEN_VARIANTS = 2


def drill_of(path: Path) -> dict:
    """The drill metadata of a notebook (learner, topic, seed, tasks), or a clear error."""
    try:
        metadata, _ = read_cells(path)
    except NotebookProblem:
        if not path.exists():
            raise DrillError(f"{path} does not exist: give the drill notebook that `mlcourse drill` wrote.") from None
        raise DrillError(f"{path} is not a readable notebook: give the drill notebook that `mlcourse drill` wrote.") from None
    drill = metadata.get("mlcourse", {}).get("drill")
    if not drill or not drill.get("tasks"):
        raise DrillError(f"{path} is not a drill notebook: make one with `mlcourse drill --topic ID`.")
    return drill


def hidden_seeds(drill: dict) -> list[int]:
    """Variants the learner never sees, derived from their own so that grading is repeatable."""
    return [learner_seed(drill["learner"], f"{drill['topic']}:hidden:{i}") for i in range(HIDDEN_VARIANTS)]


def grade_drill(path: Path, sandbox: bool = True, source: str = "drill") -> int:
    """Grade a drill notebook at once and print one line per task; 0 when every task passes.

    Every task's outcome is added to the learner's review history (``source`` says where it came from).
    """
    from .grading.sandbox import sandbox_problem
    from .grading.single import grade_notebook

    path = Path(path)
    drill = drill_of(path)
    course = CourseDir.find(path.resolve().parent) if _inside_course(path) else CourseDir.find()
    if sandbox and sandbox_problem():
        print(f"Note: grading without the sandbox ({sandbox_problem().split(':')[0]}); only grade code you trust this way.")
        sandbox = False
    # A drill runs with the default limits: reading the course's configuration would cost a second.
    results = grade_notebook(course.root, path, drill["tasks"], [drill["seed"], *hidden_seeds(drill)], sandbox=sandbox,
                             limits=Limits())
    print(f"Drill of {drill['learner']} (variant {drill['seed']}), graded with hidden variants:")
    for r in results:
        status = r.status or ("passed" if r.passed else "failed")
        print(f"  {r.task_id:<28} {status}" + (f": {r.message}" if r.message and not r.passed else ""))
    passed = sum(r.passed for r in results)
    print(f"{passed}/{len(results)} tasks passed.")
    record_results(results, source)
    return 0 if passed == len(results) else 1


def record_results(results, source: str) -> None:
    """Add graded tasks to the review history, printing a note when that is not possible."""
    from course import history
    from course.tasks import find_task

    events = [history.task_event(r.task_id, find_task(r.task_id).question, r.status or ("passed" if r.passed else "failed"),
                                 source) for r in results]
    try:
        notes = history.record(events)
    except history.HistoryError as err:
        notes = [f"The results were not added to your review history: {err}"]
    for note in notes:
        print(f"Note: {note}")


def _inside_course(path: Path) -> bool:
    try:
        CourseDir.find(path.resolve().parent)
        return True
    except CourseError:
        return False
