"""The hidden tests as ``nbgrader autograde`` runs them: in the kernel, with the reference run beside.

The source notebook's hidden test cell of a task is ``hidden_tests("<task id>")``. It records the
learner's function with :func:`~autograder.specs.runner.task_record` on the visible variant, the
batch's hidden variants and the spec's cases, records the reference solution (the task's solution
cells of ``source/``, run in a private namespace of this kernel) on the same inputs, and applies
:func:`~autograder.specs.decide.decide`: the rule ``mlcourse grade`` applies outside its sandbox.
"""
from __future__ import annotations

import builtins
import json
from pathlib import Path

#: Hidden variants when no course folder is found above the notebook (they are then always these).
FALLBACK_SEEDS = (101, 202, 303)

_functions: dict = {}
_records: dict = {}


class HiddenTestFailed(AssertionError):
    """A hidden case failed; IPython shows it as one line."""

    def _render_traceback_(self):
        return [f"\x1b[1;31m✘ {self}\x1b[0m"]


def _course_root() -> Path | None:
    from ..coursedir import find_root

    try:
        return find_root()
    except Exception:
        pass
    import course

    candidate = Path(course.__file__).resolve().parents[1]
    return candidate if (candidate / "nbgrader_config.py").is_file() else None


def _hidden_seeds(root: Path | None, assignment: str) -> list[int]:
    if root is None:
        return list(FALLBACK_SEEDS)
    from ..coursedir import CourseDir
    from ..errors import CourseError
    from ..grading.storage import hidden_seeds

    try:
        return hidden_seeds(CourseDir(root), assignment)
    except OSError:
        return list(FALLBACK_SEEDS)
    except CourseError as err:  # the instructor's seeds.json is malformed
        raise HiddenTestFailed(str(err)) from None


def reference_function(task, root: Path | None):
    """The reference solution of ``task``: its solution cells (and those of ``Task.needs``) run privately."""
    from IPython.utils.capture import capture_output

    from ..grading.reference import solution_notebook

    if task.id in _functions:
        return _functions[task.id]
    folder = (root or Path(__file__).resolve().parents[2]) / "source" / task.assignment
    notebooks = sorted(folder.glob("*.ipynb"))
    if len(notebooks) != 1:
        raise HiddenTestFailed(f"the reference solution of {task.id} cannot be found: {folder} should hold one notebook.")
    cells = json.loads(solution_notebook(notebooks[0].read_text(encoding="utf-8"), [*task.needs, task.id]))["cells"]
    namespace = {"__name__": "__mlcourse_reference__", "__builtins__": builtins}
    with capture_output():
        for cell in cells:
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            # Magics (%matplotlib) and shell escapes set up the notebook, not the functions.
            code = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.splitlines())
            exec(compile(code, f"<reference {task.id}>", "exec"), namespace)  # noqa: S102 - the instructor's own solution
    fn = namespace.get(task.function)
    _functions[task.id] = fn
    return fn


def hidden_tests(task_id: str) -> None:
    """Record and judge the learner's function of ``task_id`` against the reference, in this kernel.

    Raises
    ------
    HiddenTestFailed
        (an ``AssertionError``) with a one-line message when the task does not pass.
    """
    from IPython import get_ipython

    from course.tasks import find_task
    from course.variants import current_seed

    from . import record_of, spec_for
    from .decide import PASSED, decide

    task = find_task(task_id)
    spec = spec_for(task_id)
    root = _course_root()
    seeds = [current_seed(), *_hidden_seeds(root, task.assignment)]
    fn = get_ipython().user_ns.get(task.function)
    got = record_of(task_id, fn, seeds)
    key = (task_id, tuple(seeds))
    if key not in _records:
        _records[key] = record_of(task_id, reference_function(task, root), seeds)
    expected = _records[key]
    decision = decide(task, spec, got, expected["seeds"], expected["cases"], seeds)
    if decision.status != PASSED:
        raise HiddenTestFailed(f"{task_id}: {decision.status}: {decision.message}")
