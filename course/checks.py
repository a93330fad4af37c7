"""Self-checks and hints for coding tasks, called from the notebook: ``check("kfold_cv")``."""
from __future__ import annotations

import html
from dataclasses import dataclass, replace

from .stderr_capture import captured_stderr, summary
from .tasks import CheckFailure, NotAttempted, Task, find_task
from .variants import current_seed

PASSED, NOT_ATTEMPTED, FAILED = "passed", "not attempted", "failed"

_hint_level: dict[str, int] = {}


@dataclass(frozen=True)
class Verdict:
    """The outcome of a task's visible checks."""

    task: str
    status: str
    message: str = ""
    variant: int = 0          # the student's own variant seed, where the instructor turned variants on
    note: str = ""            # what the function wrote to standard error while checked, in one sentence

    def __str__(self) -> str:
        return f"{self.task}: {self.status}" + (f": {self.message}" if self.message else "")

    def _repr_html_(self) -> str:
        # JupyterLab's theme colours (light fall-backs elsewhere), so verdicts read in dark themes too
        colour = {PASSED: "var(--jp-success-color1, #1a7f37)", NOT_ATTEMPTED: "var(--jp-warn-color1, #9a6700)",
                  FAILED: "var(--jp-error-color1, #cf222e)"}[self.status]
        mark = {PASSED: "✔", NOT_ATTEMPTED: "…", FAILED: "✘"}[self.status]
        text = f"<b style='color:{colour}'>{mark} {html.escape(self.task)}: {self.status}</b>"
        if self.message:
            text += f" — {html.escape(self.message)}"
        if self.status == PASSED:
            text += " <span style='color:var(--jp-ui-font-color2, #57606a)'>(visible checks only; hidden tests run when graded)</span>"
        if self.variant:
            text += (f" <span style='color:var(--jp-ui-font-color2, #57606a)'>Checked on your own variant of the data ({self.variant}); "
                     f"see its inputs with <code>from course import my_data; my_data(\"{html.escape(self.task)}\")</code>.</span>")
        elif self.status == FAILED:
            text += f" <span style='color:var(--jp-ui-font-color2, #57606a)'>Stuck? <code>hint(\"{html.escape(self.task)}\")</code></span>"
        return text

    def __repr__(self) -> str:
        return str(self)


class TaskNotPassed(AssertionError):
    """Raised by a graded test cell whose visible checks fail; IPython shows it as one line."""

    def __init__(self, verdict: Verdict):
        super().__init__(str(verdict))
        self.verdict = verdict

    def _render_traceback_(self):
        hint_text = f' Stuck? hint("{self.verdict.task}")' if self.verdict.status == FAILED else ""
        return [f"\x1b[1;31m✘ {self.verdict}\x1b[0m{hint_text}"]


def run_checks(task: Task, fn, seed: int = 0) -> Verdict:
    """Run the visible checks of ``task`` against ``fn`` and return a :class:`Verdict`."""
    if fn is None:
        return Verdict(task.id, NOT_ATTEMPTED, f"`{task.function}` is not defined yet: run the cell where you write it.")
    if not callable(fn):
        return Verdict(task.id, FAILED, f"`{task.function}` should be a function, got {type(fn).__name__}.")
    data = task.data(seed)
    with captured_stderr() as captured:
        try:
            for visible_check in task.checks:
                visible_check(fn, data)
        except NotAttempted:
            verdict = Verdict(task.id, NOT_ATTEMPTED, f"`{task.function}` still raises NotImplementedError: replace the stub with your code.")
        except CheckFailure as err:
            verdict = Verdict(task.id, FAILED, str(err))
        else:
            verdict = Verdict(task.id, PASSED)
    return replace(verdict, note=summary(captured, f"`{task.function}`"))


def _caller_namespace() -> dict:
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover
        shell = None
    if shell is not None:
        return shell.user_ns
    import __main__

    return vars(__main__)


def check(task_id: str, fn=None, *, strict: bool = False, seed: int | None = None) -> Verdict:
    """Run the visible checks of a task on your function.

    Parameters
    ----------
    task_id : str
        The task's id, shown above its cell (for example ``"kfold_cv"``).
    fn : callable, optional
        The function to check; by default the one named in the task, from the notebook.
    strict : bool, default False
        Raise ``AssertionError`` unless the checks pass (used by graded test cells).
    seed : int, optional
        The variant to check against: by default your own where the instructor turned variants on
        (see :mod:`course.variants`), else 0, the notebook's example; drills pass the learner's.

    Returns
    -------
    Verdict
        ``passed``, ``not attempted`` or ``failed`` with a message.
    """
    try:
        task = find_task(task_id)
    except LookupError as err:
        if strict:
            raise AssertionError(str(err)) from None
        print(err)
        return None
    if fn is None:
        fn = _caller_namespace().get(task.function)
    variant = current_seed() if seed is None else 0
    verdict = replace(run_checks(task, fn, variant if seed is None else seed), variant=variant)
    if verdict.note:
        print(verdict.note)  # standard output: a graded cell's standard error would cost it its points
    if strict and verdict.status != PASSED:
        raise TaskNotPassed(verdict)
    return verdict


def hint(task_id: str, level: int | None = None) -> None:
    """Show the next hint for a task (or hint number ``level``), each more specific.

    Parameters
    ----------
    task_id : str
        The task's id, for example ``"kfold_cv"``.
    level : int, optional
        Which hint, from 1; by default the one after the last shown.
    """
    try:
        task = find_task(task_id)
    except LookupError as err:
        print(err)
        return
    n = len(task.hints)
    if level is None:
        level = min(_hint_level.get(task_id, 0) + 1, n)
    if not 1 <= level <= n:
        print(f"Task {task_id} has hints 1 to {n}.")
        return
    _hint_level[task_id] = level
    more = f" Run hint(\"{task_id}\") again for a more specific one." if level < n else " That was the last hint."
    text = f"Hint {level}/{n} for {task_id}: {task.hints[level - 1]}{more}"
    try:
        from IPython.display import Markdown, display

        display(Markdown(f"**Hint {level}/{n}** for `{task_id}`: {task.hints[level - 1]}\n\n*{more.strip()}*"))
    except ImportError:  # pragma: no cover
        print(text)
