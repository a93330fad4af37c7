"""Timed mock interviews: quizzes across the chosen sections, a coding task on a fresh variant, a design question.

``mlcourse interview`` writes the notebook; its first cell starts the clock (:func:`start`), which
is kept in ``$MLCOURSE_HOME/interviews/<id>.json`` so that re-running the cell or restarting the
kernel does not reset it. The design question's model answer and rubric are not in the notebook:
the reveal cell (:func:`reveal`) reads them from ``course/design_questions.yaml`` once the time is
up or the learner says they are done.
"""
from __future__ import annotations

import functools
import html
import json
import os
import random
import tempfile
from datetime import datetime
from importlib import resources
from pathlib import Path

from . import history
from .notebook import COURSE_IMPORT_GUARD

#: Sections and design questions of each level.
LEVELS = {
    "junior": {"sections": ("F",), "design": ("A5", "A8")},
    "senior": {"sections": ("S", "A"), "design": ("S15", "S19", "A8", "A5")},
    "saas": {"sections": ("Z",), "design": ("Z5", "Z6")},
}
#: The assignment that teaches each syllabus section.
SECTION_ASSIGNMENTS = {"F": "01_foundations", "S": "02_production", "A": "03_systems", "Z": "04_saas"}
MIN_MINUTES, MAX_MINUTES = 10, 180
#: A quiz question takes about this many minutes of the interview; the task and the design question share the rest.
MINUTES_PER_QUIZ = 2
DESIGN_CELL = "design_answer"
#: The lines of the first cell that import and start the clock (left out when the task is graded).
CLOCK_LINES = ("from course.interview import", "start(")


class InterviewError(ValueError):
    """An interview that cannot be made or scored as asked; the message says what to do."""


@functools.lru_cache(maxsize=None)
def design_questions() -> dict:
    """The design questions, ``{question id: {prompt, model_answer, rubric, levels}}``."""
    import yaml

    text = resources.files("course").joinpath("design_questions.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _matches(question: str, topics: list[str]) -> bool:
    return any(question == t or (t.isalpha() and question.startswith(t)) for t in topics)


def parse_topics(level: str | None, topics: str | None) -> tuple[str, list[str]]:
    """The level's name and the syllabus questions or sections it covers (``--topics`` wins)."""
    if topics:
        chosen = [t.strip().upper() for t in topics.split(",") if t.strip()]
        if not chosen:
            raise InterviewError("--topics is empty: give syllabus questions or sections, e.g. --topics F,S9.")
        return "custom", chosen
    level = level or "junior"
    if level not in LEVELS:
        raise InterviewError(f"There is no level {level!r}: choose junior, senior or saas.")
    return level, list(LEVELS[level]["sections"])


def _quiz_pool(topics: list[str]) -> list:
    from .quiz import load_bank
    from .quiz._bank import all_banks

    return [q for a in all_banks() for q in load_bank(a).values() if _matches(q.topic, topics) and q.feedback]


def choose(learner: str, level: str, topics: list[str], minutes: int, now: datetime) -> dict:
    """The parts of one interview: quiz ids, a task id (or ``None``), a design question id and the seed."""
    from .tasks import assignment_tasks
    from .variants import seed_from

    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise InterviewError(f"--minutes {minutes} is outside {MIN_MINUTES}..{MAX_MINUTES}: a mock interview lasts 10 to 180 minutes.")
    seed = seed_from("mlcourse-interview", learner.strip().lower(), now.isoformat())
    rng = random.Random(seed)
    quizzes = _quiz_pool(topics)
    # Only the assignments of the chosen sections are imported: some tasks' modules take a second to import.
    assignments = dict.fromkeys(SECTION_ASSIGNMENTS[t[0]] for t in topics if t[:1] in SECTION_ASSIGNMENTS)
    tasks = [t for a in assignments for t in assignment_tasks(a)
             if t.make_data is not None and _matches(t.question, topics) and not t.needs]
    if not quizzes and not tasks:
        raise InterviewError(f"No quiz or task covers {', '.join(topics)}: give sections such as F, S, A or Z.")
    n_quiz = max(2, min(8, minutes // (3 * MINUTES_PER_QUIZ)))
    designs = list(LEVELS[level]["design"]) if level in LEVELS else [q for q in design_questions() if _matches(q, topics)]
    if not designs:  # no design question in these topics: one whose section is among them, else any
        designs = [q for q in design_questions() if any(q.startswith(t[0]) for t in topics)] or sorted(design_questions())
    return {
        "seed": seed,
        "quizzes": [q.qid for q in rng.sample(quizzes, k=min(n_quiz, len(quizzes)))],
        "task": rng.choice(tasks).id if tasks else None,
        "design": rng.choice(sorted(designs)),
    }


def make_interview(learner: str, release_root: Path, level: str | None = "junior", topics: str | None = None,
                   minutes: int = 45, now: datetime | None = None) -> dict:
    """Build a mock interview notebook (an nbformat 4 notebook as a dict)."""
    from .drills import _cell
    from .task_cells import task_cells
    from .tasks import find_task

    now = now or history.now_utc()
    level, chosen = parse_topics(level, topics)
    parts = choose(learner, level, chosen, minutes, now)
    interview_id = f"{learner.strip().lower()}-{parts['seed']}"
    design = design_questions()[parts["design"]]
    tasks = [find_task(parts["task"])] if parts["task"] else []
    setup, body = task_cells(tasks, parts["seed"], release_root) if tasks else ([], [])
    cells = [
        _cell("markdown", f"# Mock interview ({level}, {minutes} minutes) for {learner}\n\n"
                          "Run the first cell to start the clock: it shows the time left. Answer the quizzes, write the "
                          "function, and answer the design question in the cell under it, as you would speak it in an "
                          "interview. The model answer and its rubric open after the time is up (or when you run "
                          "the last cell with `done=True`). Save, then score it from a terminal with "
                          "`mlcourse interview --grade <this notebook>`."),
        _cell("code", "\n".join([COURSE_IMPORT_GUARD, "from course.interview import start, reveal", "from course import quiz",
                                 *setup, f'start("{interview_id}", minutes={minutes})'])),
        _cell("markdown", f"## Part 1 · Quizzes ({len(parts['quizzes'])})"),
        *[_cell("code", f'quiz("{q}")', tags=["quiz", f"q:{history.question_of(q)}"]) for q in parts["quizzes"]],
    ]
    if tasks:
        cells.append(_cell("markdown", "## Part 2 · Coding task\n\nRun the check cell as often as you like."))
        cells.extend(body)
    cells += [
        _cell("markdown", f"## Part 3 · Design question ({parts['design']})\n\n{design['prompt']}\n\n"
                          "Write your answer in the next cell (Markdown: double-click to edit)."),
        _cell("markdown", "*Your answer here.*", mlcourse={DESIGN_CELL: parts["design"]}),
        _cell("code", f'reveal("{interview_id}", "{parts["design"]}")  # reveal("{interview_id}", "{parts["design"]}", done=True) to finish early'),
    ]
    for index, cell in enumerate(cells):
        cell["id"] = f"interview-{index}"
    info = {"id": interview_id, "learner": learner, "level": level, "topics": chosen, "minutes": minutes,
            "made": now.isoformat(), **parts}
    metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "mlcourse": {"interview": info},
    }
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


# --- the clock -------------------------------------------------------------------------------------

def clock_path(interview_id: str) -> Path:
    """Where the start (and the end) of an interview is kept."""
    home = os.environ.get("MLCOURSE_HOME") or Path.home() / ".mlcourse"
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in interview_id)
    return Path(home) / "interviews" / f"{safe}.json"


def read_clock(interview_id: str) -> dict:
    """``{"started": iso, "minutes": n, "done": iso or absent}``, or ``{}`` when the clock never started."""
    try:
        data = json.loads(clock_path(interview_id).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and "started" in data else {}
    except (OSError, ValueError):
        return {}


def _write_clock(interview_id: str, data: dict) -> None:
    path = clock_path(interview_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp", encoding="utf-8") as tmp:
        json.dump(data, tmp)
    os.replace(tmp.name, path)


def seconds_left(clock: dict, now: datetime | None = None) -> float:
    """Seconds until the time is up (negative after), from a clock as :func:`read_clock` returns it."""
    now = now or history.now_utc()
    started = datetime.fromisoformat(clock["started"])
    return clock["minutes"] * 60 - (now - started).total_seconds()


def start(interview_id: str, minutes: int) -> None:
    """Start the interview's clock (once: running the cell again keeps the first start) and show the time left."""
    clock = read_clock(interview_id)
    if not clock:
        clock = {"started": history.now_utc().isoformat(), "minutes": minutes}
        try:
            _write_clock(interview_id, clock)
        except OSError as err:
            print(f"The start time could not be saved ({err.strerror}); the timer still runs in this notebook.")
    _show_timer(seconds_left(clock))


def _show_timer(left: float) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython is a dependency
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        from ._timer import Timer

        display(Timer(seconds=max(0, int(left))))
    else:
        print(f"Time left: {max(0, int(left)) // 60} min.")


def reveal(interview_id: str, question: str, done: bool = False) -> None:
    """Show the model answer and rubric of ``question`` once the time is up or ``done=True``."""
    clock = read_clock(interview_id)
    if not clock:
        print("The clock has not started: run the first cell of this notebook.")
        return
    left = seconds_left(clock)
    if left > 0 and not done and "done" not in clock:
        print(f"{int(left // 60)} min {int(left % 60)} s left: the model answer opens when the time is up, or run "
              f'reveal("{interview_id}", "{question}", done=True) when you are done.')
        return
    if "done" not in clock:
        clock["done"] = history.now_utc().isoformat()
        try:
            _write_clock(interview_id, clock)
        except OSError:
            pass
    entry = design_questions()[question]
    rubric = "".join(f"<li>{html.escape(r['point'])}</li>" for r in entry["rubric"])
    try:
        from IPython.display import HTML, Markdown, display
    except ImportError:  # pragma: no cover
        print(entry["model_answer"])
        return
    display(HTML(f"<div class='mlcourse-reveal'><b>Time is up.</b> Compare your answer with the rubric: each point is one "
                 f"mark.<ol>{rubric}</ol></div>"))
    display(Markdown("**Model answer**\n\n" + entry["model_answer"]))
