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

from .notebook import NotebookProblem, QUIZ_CALL, grade_id, is_graded, is_update_copy, read_cells, tags
from .quiz import QuizError, load_bank
from .tasks import assignment_tasks

_ANSWER = re.compile(r"""quiz\(\s*["']([A-Z]\d+[a-z])["']\s*,\s*answer\s*=\s*(.+?)\)\s*$""", re.S)
_VERDICT = re.compile(r"^([a-z0-9_]+): (passed|not attempted|failed)")
_HEADING = re.compile(r"^##\s+([A-Z]\d+)\s*·\s*(.+)$", re.M)
#: States in which an item counts as done, and those in which it was not touched yet.
DONE = ("correct", "answered", "passed")
UNTOUCHED = ("unanswered", "not attempted")


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
    graded: bool = True                                # False for the ungraded orientation notebook
    titles: dict = field(default_factory=dict)         # syllabus question -> its section's title


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
    result = NotebookProgress(assignment, str(path), graded=metadata.get("mlcourse", {}).get("graded", True) is not False)
    try:
        bank = load_bank(assignment)
    except QuizError:
        bank = {}
    task_ids = {t.test_id: t for t in assignment_tasks(assignment)}
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for question, title in _HEADING.findall(cell.get("source", "")):
                result.titles.setdefault(question, title.strip())
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
    """Scan every course notebook in ``folder`` and its assignment sub-folders, in course order.

    One notebook per assignment: the learner's own (a course update put next to it is not theirs); if an
    assignment folder holds several, the most recently saved one.
    """
    folder = Path(folder)
    found: dict[str, tuple[float, NotebookProgress]] = {}
    for path in sorted([*folder.glob("*.ipynb"), *folder.glob("*/*.ipynb")]):
        if ".ipynb_checkpoints" in path.parts or is_update_copy(path):
            continue
        try:
            nb = scan_notebook(path)
        except (NotebookProblem, LookupError):
            continue
        saved = path.stat().st_mtime
        if nb.assignment not in found or saved > found[nb.assignment][0]:
            found[nb.assignment] = (saved, nb)
    return [found[a][1] for a in sorted(found)]


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
    graded: bool = True
    title: str = ""
    started: bool = False          # the learner answered a quiz or worked on a task of it

    @property
    def done(self) -> bool:
        """Every quiz right (or answered, where correctness is hidden) and every task passing."""
        return self.correct + self.passed == self.quizzes + self.tasks

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
            s = scores.setdefault(item.question, QuestionScore(item.question, nb.assignment, graded=nb.graded,
                                                               title=nb.titles.get(item.question, "")))
            s.started |= item.state not in UNTOUCHED
            if item.kind == "quiz":
                s.quizzes += 1
                s.answered += item.state != "unanswered"
                s.correct += item.state in DONE
            else:
                s.tasks += 1
                s.passed += item.state == "passed"
    return list(scores.values())


def suggestion(scores: list[QuestionScore]) -> tuple[QuestionScore, str] | None:
    """What to do next and why: the first unfinished graded section after the furthest one the learner
    worked in (a learner works through the course, possibly skipping ahead); else the first unfinished
    one. Ungraded notebooks (the orientation) are never suggested."""
    graded = [s for s in scores if s.graded]
    worked = [i for i, s in enumerate(graded) if s.started]
    if worked:
        furthest = graded[worked[-1]]
        after = [s for s in graded[worked[-1] + 1:] if not s.done]
        if after:
            return after[0], f"the next section after {furthest.question}, the furthest you have worked in"
        if not furthest.done:
            return furthest, "the furthest section you have worked in, not finished yet"
    open_ = [s for s in graded if not s.done]
    if not open_:
        return None
    return open_[0], ("the first section of the course" if not worked else "the earliest section still open")


def suggest(scores: list[QuestionScore]) -> QuestionScore | None:
    """The section :func:`suggestion` proposes, or ``None`` when every graded item is done."""
    found = suggestion(scores)
    return found[0] if found else None


def save(notebooks: list[NotebookProgress], path: Path | None = None) -> Path:
    """Merge these results into the progress file (atomically) and return its path."""
    path = path or progress_path()
    data = load(path)
    for nb in notebooks:
        data["notebooks"][nb.assignment] = {"path": nb.path, "items": [asdict(i) for i in nb.items], "saved": time.time(),
                                            "graded": nb.graded, "titles": nb.titles}
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
        out.append(NotebookProgress(assignment, entry.get("path", ""), [Item(**i) for i in entry.get("items", [])],
                                    graded=entry.get("graded", True) is not False, titles=entry.get("titles", {})))
    return out


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


@dataclass
class AssignmentCount:
    """One assignment's totals, in words for the progress cell and the terminal."""

    assignment: str
    graded: bool
    items: int
    done: int
    tasks_passed: int
    quizzes_right: int
    quizzes: int
    answered: int
    worked_in: list

    @property
    def share(self) -> float:
        return self.done / self.items if self.items else 1.0

    def words(self) -> str:
        """``6 of 58 graded items done: 3 tasks, 3 quizzes`` (or, ungraded, the quizzes answered)."""
        if not self.graded:
            return f"ungraded: {self.answered} of {_plural(self.quizzes, 'quiz', 'quizzes')} answered"
        text = f"{self.done} of {_plural(self.items, 'graded item')} done"
        if self.done:
            text += f": {_plural(self.tasks_passed, 'task')}, {_plural(self.quizzes_right, 'quiz', 'quizzes')}"
        return text


def by_assignment(scores: list[QuestionScore]) -> list[AssignmentCount]:
    """Totals per assignment, in course order."""
    groups: dict[str, list[QuestionScore]] = {}
    for s in scores:
        groups.setdefault(s.assignment, []).append(s)
    return [AssignmentCount(
        assignment, mine[0].graded, sum(x.quizzes + x.tasks for x in mine), sum(x.correct + x.passed for x in mine),
        sum(x.passed for x in mine), sum(x.correct for x in mine), sum(x.quizzes for x in mine),
        sum(x.answered for x in mine), [x.question for x in mine if x.started],
    ) for assignment, mine in groups.items()]


def _bar(share: float, width: int = 10) -> str:
    filled = round(width * share)
    return "#" * filled + "." * (width - filled)


def next_line(scores: list[QuestionScore]) -> str:
    """The suggestion as one sentence."""
    found = suggestion(scores)
    if found is None:
        return "Everything graded is done. Try a drill: mlcourse drill"
    s, why = found
    title = f" · {s.title}" if s.title else ""
    return f"Next: {s.question}{title} ({s.assignment}), {why}."


def render_compact(scores: list[QuestionScore]) -> str:
    """A few lines: each assignment in words, where the learner worked, and what to do next."""
    if not scores:
        return "No course notebooks found: open one in my-work/ (bash start.sh makes it), save it, and run this again."
    counts = by_assignment(scores)
    width = max(len(c.assignment) for c in counts)
    lines = ["Your progress, from your saved notebooks:"]
    for c in counts:
        bar = f"[{_bar(c.share)}] " if c.graded else " " * 13
        lines.append(f"  {c.assignment:<{width}}  {bar}{c.words()}")
        if c.worked_in and c.graded:
            open_ = [s.question for s in scores if s.assignment == c.assignment and s.started and not s.done]
            lines.append(f"  {'':<{width}}  {' ' * 13}worked in {', '.join(c.worked_in)}"
                         + (f"; not finished: {', '.join(open_)}" if open_ else ""))
    lines.append(next_line(scores))
    lines.append("Every question: mlcourse progress --all")
    return "\n".join(lines)


def render(scores: list[QuestionScore]) -> str:
    """A plain-text table of every syllabus question, with a suggestion of what to do next."""
    if not scores:
        return "No course notebooks found: open one in my-work/ (bash start.sh makes it), save it, and run this again."
    lines = []
    counts = {c.assignment: c for c in by_assignment(scores)}
    current = None
    for s in scores:
        if s.assignment != current:
            current = s.assignment
            lines.append(f"{current}: {counts[current].words()}")
        parts = []
        if s.quizzes:
            parts.append(f"quizzes {s.answered}/{s.quizzes} answered, {s.correct} right")
        if s.tasks:
            parts.append(f"tasks {s.passed}/{s.tasks} passing")
        lines.append(f"  {s.question:<4} [{_bar(s.score)}] {'; '.join(parts)}")
    lines.append(next_line(scores))
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
    display(HTML(progress_html(scores)))
    _offer_review()


def progress_html(scores: list[QuestionScore]) -> str:
    """The progress cell's table: a bar and the counts in words per assignment, and what to do next.
    Colours are JupyterLab's theme variables, so the bars fit light and dark themes."""
    rows = []
    for c in by_assignment(scores):
        bar = ("<div style='width:140px;height:8px;border-radius:4px;background:var(--jp-layout-color3, #eaeef2)'>"
               f"<div style='width:{100 * c.share:.0f}%;height:8px;border-radius:4px;"
               "background:var(--jp-success-color1, #2da44e)'></div></div>") if c.graded else ""
        rows.append(f"<tr><td style='padding-right:1em;text-align:left'>{html.escape(c.assignment)}</td>"
                    f"<td style='text-align:left'>{bar}</td><td style='padding-left:0.6em;text-align:left'>{html.escape(c.words())}</td></tr>")
    tip = html.escape(next_line(scores))
    return ("<div class='mlcourse-progress' style='color:var(--jp-content-font-color1, inherit)'>"
            "<b>Your progress</b> <span style='color:var(--jp-ui-font-color2, #57606a)'>(from your saved notebooks)</span>"
            f"<table style='margin:4px 0'>{''.join(rows)}</table>{tip}</div>")


def _offer_review() -> None:
    """Reviews due today, with a button to start them (see :func:`course.review.offer`)."""
    try:
        from .review import offer

        offer()
    except Exception:  # progress must never stop a notebook
        pass
