"""Where a learner stands: quizzes answered and tasks passing, per assignment and syllabus question.

Progress is read from the learner's own saved notebooks: a quiz counts as answered when its cell
holds ``answer=``, a task as passing when the saved output of its test cell says so. The summary is
kept in a plain JSON file in the learner's home folder (``~/.mlcourse/progress.json``, or
``$MLCOURSE_HOME``), never in the course repository, so it survives restarts and a fresh clone.
"""
from __future__ import annotations

import html
import json
import os
import re
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .notebook import NotebookProblem, QUIZ_CALL, grade_id, is_graded, read_cells, tags
from .quiz import QuizError, load_bank
from .tasks import assignment_tasks

_ANSWER = re.compile(r"""quiz\(\s*["']([A-Z]\d+[a-z])["']\s*,\s*answer\s*=\s*(.+?)\)\s*$""", re.S)
_VERDICT = re.compile(r"^([a-z0-9_]+): (passed|not attempted|failed)")


def progress_path() -> Path:
    """The learner's progress file: ``$MLCOURSE_HOME/progress.json`` or ``~/.mlcourse/progress.json``."""
    home = os.environ.get("MLCOURSE_HOME") or Path.home() / ".mlcourse"
    return Path(home) / "progress.json"


@dataclass
class Item:
    """One quiz or task and its state: ``correct``/``incorrect``/``answered``/``unanswered`` or a task status."""

    kind: str
    id: str
    question: str
    state: str


@dataclass
class NotebookProgress:
    """The state of every quiz and task of one notebook."""

    assignment: str
    path: str
    items: list = field(default_factory=list)


def _literal(text: str):
    import ast

    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return None


def _task_state(cell) -> str:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            match = _VERDICT.match(out.get("evalue", ""))
            return match.group(2) if match else "failed"
        text = out.get("data", {}).get("text/plain", "") if out.get("output_type") == "execute_result" else ""
        match = _VERDICT.match(text if isinstance(text, str) else "".join(text))
        if match:
            return match.group(2)
    return "not attempted"


def scan_notebook(path: Path | str) -> NotebookProgress:
    """Read one saved notebook and return the state of its quizzes and tasks (nothing is executed)."""
    metadata, cells = read_cells(path)
    assignment = metadata.get("mlcourse", {}).get("assignment")
    if not assignment:
        raise NotebookProblem(f"{path} is not a notebook of this course.")
    result = NotebookProgress(assignment, str(path))
    try:
        bank = load_bank(assignment)
    except QuizError:
        bank = {}
    task_ids = {t.test_id: t for t in assignment_tasks(assignment)}
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if "quiz" in tags(cell) and not is_graded(cell):
            call = QUIZ_CALL.search(source)
            if not call:
                continue
            qid = call.group(1)
            state = "unanswered"
            answered = _ANSWER.search(source.strip())
            if answered:
                answer = _literal(answered.group(2))
                state = "answered"
                question = bank.get(qid)
                if answer is not None and question is not None and question.feedback:
                    try:
                        state = "correct" if question.is_correct(answer) else "incorrect"
                    except Exception:  # an unreadable answer counts as answered, not as a crash
                        state = "answered"
            result.items.append(Item("quiz", qid, qid.rstrip("abcdefghijklmnopqrstuvwxyz"), state))
        elif grade_id(cell) in task_ids:
            task = task_ids[grade_id(cell)]
            result.items.append(Item("task", task.id, task.question, _task_state(cell)))
    return result


def collect(folder: Path | str) -> list[NotebookProgress]:
    """Scan every course notebook in ``folder`` and its assignment sub-folders, in course order."""
    folder = Path(folder)
    found = []
    for path in sorted([*folder.glob("*.ipynb"), *folder.glob("*/*.ipynb")]):
        if ".ipynb_checkpoints" in path.parts:
            continue
        try:
            found.append(scan_notebook(path))
        except (NotebookProblem, LookupError):
            continue
    return found


@dataclass
class QuestionScore:
    """Totals for one syllabus question."""

    question: str
    assignment: str
    quizzes: int = 0
    answered: int = 0
    correct: int = 0
    tasks: int = 0
    passed: int = 0

    @property
    def score(self) -> float:
        """Share of the question's quizzes and tasks done right (answered counts when correctness is hidden)."""
        total = self.quizzes + self.tasks
        return (self.correct + self.passed) / total if total else 1.0


def summarise(notebooks: list[NotebookProgress]) -> list[QuestionScore]:
    """Aggregate notebooks into one :class:`QuestionScore` per syllabus question, in course order."""
    scores: dict[str, QuestionScore] = {}
    for nb in notebooks:
        for item in nb.items:
            s = scores.setdefault(item.question, QuestionScore(item.question, nb.assignment))
            if item.kind == "quiz":
                s.quizzes += 1
                s.answered += item.state != "unanswered"
                s.correct += item.state in ("correct", "answered")
            else:
                s.tasks += 1
                s.passed += item.state == "passed"
    return list(scores.values())


def suggest(scores: list[QuestionScore]) -> QuestionScore | None:
    """The weakest question: lowest share done right, earliest in the course on ties."""
    open_ = [s for s in scores if s.score < 1.0]
    return min(open_, key=lambda s: s.score) if open_ else None


def save(notebooks: list[NotebookProgress], path: Path | None = None) -> Path:
    """Merge these results into the progress file (atomically) and return its path."""
    path = path or progress_path()
    data = load(path)
    for nb in notebooks:
        data["notebooks"][nb.assignment] = {"path": nb.path, "items": [asdict(i) for i in nb.items], "saved": time.time()}
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp", encoding="utf-8") as tmp:
        json.dump(data, tmp, indent=1, sort_keys=True)
    os.replace(tmp.name, path)
    return path


def load(path: Path | None = None) -> dict:
    """The progress file's content (empty when missing or unreadable)."""
    path = path or progress_path()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("notebooks"), dict):
            return data
    except (OSError, ValueError):
        pass
    return {"notebooks": {}}


def from_file(path: Path | None = None) -> list[NotebookProgress]:
    """Notebook results as last saved in the progress file."""
    out = []
    for assignment, entry in sorted(load(path)["notebooks"].items()):
        out.append(NotebookProgress(assignment, entry.get("path", ""), [Item(**i) for i in entry.get("items", [])]))
    return out


def render(scores: list[QuestionScore]) -> str:
    """A plain-text table of progress with a suggestion of what to do next."""
    if not scores:
        return "No course notebooks found: open one from release/ and save it, then run this again."
    lines = []
    current = None
    for s in scores:
        if s.assignment != current:
            current = s.assignment
            mine = [x for x in scores if x.assignment == current]
            done = sum(x.correct + x.passed for x in mine)
            total = sum(x.quizzes + x.tasks for x in mine)
            lines.append(f"{current}: {done}/{total} done")
        parts = []
        if s.quizzes:
            parts.append(f"quizzes {s.answered}/{s.quizzes} answered, {s.correct} right")
        if s.tasks:
            parts.append(f"tasks {s.passed}/{s.tasks} passing")
        bar = "#" * round(10 * s.score) + "." * (10 - round(10 * s.score))
        lines.append(f"  {s.question:<4} [{bar}] {'; '.join(parts)}")
    nxt = suggest(scores)
    lines.append(f"Next: {nxt.question} in {nxt.assignment} (your weakest topic)." if nxt else "Everything is done. Try a drill: mlcourse drill")
    return "\n".join(lines)


def show_progress(folder: Path | str | None = None) -> None:
    """Show a compact progress summary in a notebook (the cell at the top of each assignment)."""
    folder = Path(folder) if folder else Path.cwd().parent
    try:
        notebooks = collect(folder)
        scores = summarise(notebooks)
    except Exception as err:  # progress must never stop a notebook
        print(f"Progress is unavailable here ({type(err).__name__}); `mlcourse progress` shows it from a terminal.")
        return
    from IPython.display import HTML, display

    from .variants import current_seed, student_id

    variant = current_seed()
    if variant:
        display(HTML(f"<div class='mlcourse-variant'>This notebook has <b>your own variant</b> of the data "
                     f"(student <code>{html.escape(student_id())}</code>, variant {variant}): the checks and the "
                     "grade use it, so compare methods with classmates, not numbers.</div>"))
    if not scores:
        display(HTML("<i>No saved progress yet: answer a quiz or pass a task, save, and re-run this cell.</i>"))
        _offer_review()
        return
    by_assignment: dict[str, list[QuestionScore]] = {}
    for s in scores:
        by_assignment.setdefault(s.assignment, []).append(s)
    rows = []
    for assignment, items in by_assignment.items():
        done = sum(x.correct + x.passed for x in items)
        total = sum(x.quizzes + x.tasks for x in items)
        pct = 100 * done / total if total else 100
        rows.append(
            f"<tr><td style='padding-right:1em'>{assignment}</td><td><div style='width:160px;background:#eaeef2;height:10px'>"
            f"<div style='width:{pct:.0f}%;background:#2da44e;height:10px'></div></div></td><td>&nbsp;{done}/{total}</td></tr>"
        )
    nxt = suggest(scores)
    tip = f"Next: <b>{nxt.question}</b> ({nxt.assignment}), your weakest topic." if nxt else "All done."
    display(HTML(f"<div class='mlcourse-progress'><b>Your progress</b> (from saved notebooks)<table>{''.join(rows)}</table>{tip}</div>"))
    _offer_review()


def _offer_review() -> None:
    """Reviews due today, with a button to start them (see :func:`course.review.offer`)."""
    try:
        from .review import offer

        offer()
    except Exception:  # progress must never stop a notebook
        pass
