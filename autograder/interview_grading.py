"""``mlcourse interview --grade NOTEBOOK``: score a mock interview, write its report, feed the review history.

Three parts, each scored from 0 to 1: the quizzes (share answered correctly, read from the saved
cells), the coding task (graded in the sandbox on the interview's variant and on hidden ones, as a
drill is), and the design answer (share of the rubric's points it mentions). The report goes beside
the notebook as ``<notebook>-report.md``, never over an existing file.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from course import history
from course.drills import learner_seed
from course.notebook import NotebookProblem, cell_text, read_cells

from .errors import CourseError

HIDDEN_VARIANTS = 2
#: A design answer that covers at least this share of its rubric counts as remembered in the review history.
DESIGN_PASS = 0.5
PLACEHOLDER = "*Your answer here.*"


@dataclass
class Part:
    """One part's score and what it says."""

    name: str
    score: float
    detail: str
    weak: list = field(default_factory=list)   # syllabus questions to review


def interview_of(path: Path) -> tuple[dict, list]:
    """The interview metadata and the cells of a notebook, or a clear error."""
    try:
        metadata, cells = read_cells(path)
    except NotebookProblem as err:
        raise CourseError(f"{err} Give the notebook that `mlcourse interview` wrote.") from None
    info = metadata.get("mlcourse", {}).get("interview")
    if not info or "design" not in info:
        raise CourseError(f"{path} is not a mock interview notebook: make one with `mlcourse interview`.")
    return info, cells


def quiz_answers(cells: list) -> dict:
    """``{qid: answer}`` of the quiz cells that hold a recorded answer."""
    from course.progress import _ANSWER, _literal

    out = {}
    for cell in cells:
        if cell.get("cell_type") == "code":
            match = _ANSWER.search(cell_text(cell).strip())
            if match:
                out[match.group(1)] = _literal(match.group(2))
    return out


def design_answer(cells: list, question: str) -> str:
    """The learner's design answer: the Markdown cell marked for it ('' when left as it was)."""
    from course.interview import DESIGN_CELL

    for cell in cells:
        if cell.get("metadata", {}).get("mlcourse", {}).get(DESIGN_CELL) == question:
            text = cell_text(cell).strip()
            return "" if text == PLACEHOLDER else text
    return ""


def rubric_coverage(answer: str, rubric: list) -> list[bool]:
    """Per rubric point, whether the answer mentions one of its ``look_for`` phrases (case-insensitive)."""
    low = answer.lower()
    return [any(str(p).lower() in low for p in point.get("look_for", ())) for point in rubric]


def score_quizzes(info: dict, answers: dict) -> tuple[Part, list]:
    from course.quiz import find_question

    right, events, weak = 0, [], []
    for qid in info["quizzes"]:
        question = find_question(qid)
        answer = answers.get(qid)
        correct = False
        if answer is not None:
            try:
                correct = question.is_correct(answer)
            except Exception:  # an unreadable answer is a wrong one
                correct = False
        right += correct
        events.append((qid, correct))
        if not correct:
            weak.append(question.topic)
    total = len(info["quizzes"])
    return Part("Quizzes", right / total if total else 1.0, f"{right}/{total} correct", weak), events


def task_notebook(path: Path) -> dict:
    """The interview notebook cut down to what the task's grade needs: the imports and the learner's code cells.

    Quizzes, the clock, the reveal and the visible check do not change the verdict; leaving them out
    keeps grading as quick as a drill's.
    """
    from course.interview import CLOCK_LINES

    nb = json.loads(path.read_text(encoding="utf-8"))
    kept = []
    for cell in nb["cells"]:
        source = cell_text(cell)
        meta = cell.get("metadata", {}).get("mlcourse", {})
        if cell.get("cell_type") != "code" or "quiz" in cell.get("metadata", {}).get("tags", ()) or "check" in meta:
            continue
        if source.startswith("reveal("):
            continue
        lines = [line for line in source.splitlines() if not line.startswith(CLOCK_LINES)]
        kept.append({**cell, "source": "\n".join(lines), "outputs": []})
    nb["cells"] = kept
    return nb


def score_task(course_root: Path, path: Path, info: dict, sandbox: bool):
    from course.tasks import find_task

    from .grading.limits import Limits
    from .grading.single import grade_notebook

    if not info.get("task"):
        return None, None
    hidden = [learner_seed(info["learner"], f"interview:{info['id']}:hidden:{i}") for i in range(HIDDEN_VARIANTS)]
    with tempfile.TemporaryDirectory(prefix="mlcourse-interview-") as tmp:
        task_only = Path(tmp) / path.name
        task_only.write_text(json.dumps(task_notebook(path)), encoding="utf-8")
        result = grade_notebook(course_root, task_only, [info["task"]], [info["seed"], *hidden], sandbox=sandbox,
                                limits=Limits())[0]
    status = result.status or ("passed" if result.passed else "failed")
    task = find_task(info["task"])
    detail = f"{info['task']}: {status}" + (f" ({result.message})" if result.message and not result.passed else "")
    return Part("Coding task", 1.0 if result.passed else 0.0, detail, [] if result.passed else [task.question]), result


def score_design(info: dict, cells: list) -> tuple[Part, list]:
    from course.interview import design_questions

    entry = design_questions()[info["design"]]
    covered = rubric_coverage(design_answer(cells, info["design"]), entry["rubric"])
    missing = [r["point"] for r, ok in zip(entry["rubric"], covered) if not ok]
    detail = f"{sum(covered)}/{len(covered)} rubric points mentioned"
    part = Part(f"Design ({info['design']})", sum(covered) / len(covered), detail,
                [info["design"]] if sum(covered) / len(covered) < DESIGN_PASS else [])
    return part, missing


def time_used(info: dict, now: datetime) -> tuple[float | None, str]:
    """Minutes used (``None`` when the clock never started) and a sentence about it."""
    from course.interview import read_clock

    clock = read_clock(info["id"])
    if not clock:
        return None, "the clock was never started (the first cell did not run)"
    started = datetime.fromisoformat(clock["started"])
    ended = datetime.fromisoformat(clock["done"]) if "done" in clock else now
    minutes = max(0.0, (ended - started).total_seconds() / 60)
    over = " (over time)" if minutes > info["minutes"] else ""
    return minutes, f"{minutes:.0f} of {info['minutes']} minutes{over}"


def section_link(question: str, report_folder: Path, release_root: Path) -> str:
    """A Markdown link to the assignment notebook that teaches ``question``, relative to the report."""
    from course.interview import SECTION_ASSIGNMENTS
    from course.quiz._bank import all_banks, load_bank

    assignment = next((a for a in all_banks() if any(q.topic == question for q in load_bank(a).values())),
                      SECTION_ASSIGNMENTS.get(question[:1]))
    if assignment is None:
        return question
    notebooks = sorted((release_root / assignment).glob("*.ipynb"))
    if not notebooks:
        return f"{question} in {assignment}"
    return f"[{question} in {assignment}]({os.path.relpath(notebooks[0], report_folder)})"


def grade_interview(path: Path, sandbox: bool = True, now: datetime | None = None) -> int:
    """Score a mock interview notebook, print and write its report, and add its outcomes to the review history."""
    from course.review import free_path

    from .coursedir import CourseDir
    from .drill_grading import _inside_course
    from .grading.sandbox import sandbox_problem

    path = Path(path)
    info, cells = interview_of(path)
    now = now or history.now_utc()
    course = CourseDir.find(path.resolve().parent) if _inside_course(path) else CourseDir.find()
    if sandbox and sandbox_problem():
        print(f"Note: grading without the sandbox ({sandbox_problem().split(':')[0]}); only grade code you trust this way.")
        sandbox = False
    quizzes, quiz_events = score_quizzes(info, quiz_answers(cells))
    task, task_result = score_task(course.root, path, info, sandbox)
    design, missing = score_design(info, cells)
    parts = [p for p in (quizzes, task, design) if p is not None]
    minutes, time_text = time_used(info, now)
    overall = sum(p.score for p in parts) / len(parts)
    weak = list(dict.fromkeys(q for p in parts for q in p.weak))
    report_path = free_path(path.parent, f"{path.stem}-report", ".md")
    lines = [f"# Mock interview report: {info['learner']} ({info['level']}, {now.astimezone():%Y-%m-%d})", "",
             f"Overall: **{100 * overall:.0f}%** · time used: {time_text}.", "", "| part | score | detail |", "|---|---|---|"]
    lines += [f"| {p.name} | {100 * p.score:.0f}% | {p.detail} |" for p in parts]
    if missing:
        lines += ["", "Rubric points your design answer did not mention:", *[f"- {m}" for m in missing]]
    lines += ["", "## What to review next"]
    lines += [f"- {section_link(q, report_path.parent, course.release)}" for q in weak] or ["- Nothing: every part went well. "
                                                                                          "Try `--level senior` or fewer minutes."]
    report_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for p in parts:
        print(f"  {p.name:<16} {100 * p.score:>4.0f}%  {p.detail}")
    print(f"Overall {100 * overall:.0f}%; time used: {time_text}. Report: {report_path}")
    _record(info, quiz_events, task_result, design, now)
    return 0


def _record(info: dict, quiz_events: list, task_result, design: Part, now: datetime) -> None:
    """Feed the outcomes into the review history; a quiz already recorded by its widget since the start is not counted twice."""
    from course.interview import read_clock
    from course.tasks import find_task

    try:
        past = history.load()
    except history.HistoryError as err:
        print(f"Note: the results were not added to your review history: {err}")
        return
    clock = read_clock(info["id"])
    started = datetime.fromisoformat(clock["started"]) if clock else datetime.fromisoformat(info["made"])
    seen = {e.item for e in past if e.at >= started}
    events = [history.quiz_event(q, ok, "interview", now) for q, ok in quiz_events if f"quiz:{q}" not in seen]
    if task_result is not None:
        events.append(history.task_event(info["task"], find_task(info["task"]).question,
                                         task_result.status or ("passed" if task_result.passed else "failed"), "interview", now))
    events.append(history.Event(f"design:{info['design']}", info["design"],
                                "correct" if design.score >= DESIGN_PASS else "incorrect", now, "interview"))
    try:
        notes = history.record(events)
    except history.HistoryError as err:
        notes = [f"The results were not added to your review history: {err}"]
    for note in notes:
        print(f"Note: {note}")
