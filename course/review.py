"""Spaced review: which quizzes and tasks are due, chosen by the FSRS scheduler from the learner's history.

The scheduler is `fsrs <https://pypi.org/project/fsrs/>`_ (the Free Spaced Repetition Scheduler). Its
cards are not stored: they are recomputed from :mod:`course.history` by replaying every review
in order, a right answer (a correct quiz, a passing task) as ``Rating.Good`` and anything else as
``Rating.Again``. The scheduler has no minute-long learning steps (a review session is daily) and no
random fuzz (the same history gives the same schedule), so a wrong answer is due again the next day
and a right one a few days later, growing with each success.

A review session is a notebook in ``drills/``: the due quizzes, and the due coding tasks on a new
variant of their data (a seed never used before), so that a remembered number does not pass.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from . import history
from .history import Event
from .notebook import COURSE_IMPORT_GUARD

#: At most this many quizzes and tasks in one session (tasks are graded in a sandbox: keep it quick).
MAX_QUIZZES = 10
MAX_TASKS = 2


@dataclass(frozen=True)
class Due:
    """One item's schedule: when it is due next and how likely the learner still knows it now."""

    item: str
    question: str
    due: datetime
    retrievability: float
    reviews: int
    lapses: int

    @property
    def kind(self) -> str:
        """``quiz`` or ``task``."""
        return self.item.split(":", 1)[0]

    @property
    def id(self) -> str:
        """The quiz id (``F7a``) or the task id."""
        return self.item.split(":", 1)[1]


def scheduler():
    """The course's FSRS scheduler: day-sized steps only, no fuzz (reproducible schedules)."""
    from fsrs import Scheduler

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def schedule(events: list[Event], now: datetime | None = None) -> list[Due]:
    """Replay the history through the scheduler and return every reviewable item's schedule.

    Only quizzes and tasks are scheduled (interview design answers are kept in the history but are
    rehearsed in interviews, not in daily review).
    """
    from fsrs import Card, Rating

    now = now or history.now_utc()
    sched = scheduler()
    cards: dict[str, tuple] = {}
    for number, event in enumerate(sorted(events, key=lambda e: e.at)):
        if event.item.split(":", 1)[0] not in ("quiz", "task"):
            continue
        card, question, reviews, lapses = cards.get(event.item) or (Card(card_id=number + 1), event.question, 0, 0)
        rating = Rating.Good if event.remembered else Rating.Again
        card, _ = sched.review_card(card, rating, review_datetime=event.at)
        cards[event.item] = (card, question, reviews + 1, lapses + (not event.remembered))
    out = []
    for item, (card, question, reviews, lapses) in cards.items():
        at = max(now, card.last_review) if card.last_review else now
        out.append(Due(item, question, card.due, sched.get_card_retrievability(card, at), reviews, lapses))
    return sorted(out, key=lambda d: (d.due, d.retrievability))


def end_of_day(now: datetime) -> datetime:
    """The end of ``now``'s day in the computer's own time zone, in UTC."""
    local = now.astimezone()
    return (local.replace(hour=23, minute=59, second=59, microsecond=0)).astimezone(timezone.utc)


def available(due: list[Due]) -> list[Due]:
    """Items that the course still has: quizzes in a bank, tasks that vary per learner."""
    from .quiz import QuizError, find_question
    from .tasks import find_task

    out = []
    for d in due:
        if d.kind == "task":
            try:  # imports the task modules only up to this task's (some take a second to import)
                varies = find_task(d.id).make_data is not None
            except LookupError:
                continue
            if varies:
                out.append(d)
        elif d.kind == "quiz":
            try:
                find_question(d.id)
            except QuizError:
                continue
            out.append(d)
    return out


def due_today(events: list[Event], now: datetime | None = None) -> list[Due]:
    """Items due by the end of today, most overdue first."""
    now = now or history.now_utc()
    return [d for d in available(schedule(events, now)) if d.due <= end_of_day(now)]


def session_items(events: list[Event], now: datetime | None = None) -> tuple[list[Due], list[Due]]:
    """The quizzes and the tasks of today's session: each due item once, most overdue first."""
    due = due_today(events, now)
    quizzes = [d for d in due if d.kind == "quiz"][:MAX_QUIZZES]
    tasks = [d for d in due if d.kind == "task"][:MAX_TASKS]
    return quizzes, tasks


def weakest_topics(events: list[Event], now: datetime | None = None, count: int = 3) -> list[tuple[str, int, int]]:
    """Syllabus questions most often answered wrong, ``[(question, wrong, reviews)]``, worst share first.

    Ties go to the lower chance of recall now. (The scheduler's recall estimate alone counts whole
    days, so an item reviewed wrongly yesterday would read as fully known.)
    """
    by_question: dict[str, list[Due]] = {}
    for d in schedule(events, now):
        by_question.setdefault(d.question, []).append(d)
    stats = [(q, sum(d.lapses for d in ds), sum(d.reviews for d in ds), sum(d.retrievability for d in ds) / len(ds))
             for q, ds in by_question.items()]
    stats = [s for s in stats if s[1]]
    stats.sort(key=lambda s: (-s[1] / s[2], s[3], s[0]))
    return [(q, wrong, total) for q, wrong, total, _ in stats[:count]]


NO_HISTORY = ("No review history yet: answer quizzes in the assignment notebooks or grade a drill "
              "(`mlcourse drill`), then run `mlcourse review` again.")


def render_status(events: list[Event], now: datetime | None = None) -> str:
    """What ``mlcourse review --status`` prints: due today, due this week, the weakest topics."""
    if not events:
        return NO_HISTORY
    now = now or history.now_utc()
    items = available(schedule(events, now))
    today = [d for d in items if d.due <= end_of_day(now)]
    week = [d for d in items if end_of_day(now) < d.due <= end_of_day(now + timedelta(days=7))]

    def names(ds):
        return ", ".join(d.id for d in ds[:12]) + (f" and {len(ds) - 12} more" if len(ds) > 12 else "")

    latest = max(e.at for e in events)
    lines = [history.clock_note(now, latest)] if now < latest else []
    lines.append(f"Due today: {len(today)}" + (f" ({names(today)})" if today else ""))
    lines.append(f"Due in the next 7 days: {len(week)}" + (f" ({names(week)})" if week else ""))
    weak = weakest_topics(events, now)
    if weak:
        lines.append("Weakest topics: " + ", ".join(f"{q} ({wrong} of {total} reviews wrong)" for q, wrong, total in weak))
    upcoming = [d for d in items if d.due > end_of_day(now)]
    if today:
        lines.append("Start today's review with: mlcourse review")
    elif upcoming:
        lines.append(f"Nothing is due today; the next review is on {upcoming[0].due.astimezone():%Y-%m-%d}.")
    return "\n".join(lines)


# --- the review notebook ----------------------------------------------------------------------------

class ReviewError(ValueError):
    """A review that cannot be made; the message says what to do."""


def session_seed(learner: str, now: datetime) -> int:
    """A variant seed never used before: it depends on the learner and the moment the session is made."""
    from .variants import seed_from

    return seed_from("mlcourse-review", learner.strip().lower(), now.isoformat())


def make_review(learner: str, release_root: Path, events: list[Event] | None = None, now: datetime | None = None) -> dict:
    """Build today's review notebook for ``learner`` (an nbformat 4 notebook as a dict).

    Raises
    ------
    ReviewError
        When there is no history, or nothing is due today.
    """
    from .drills import _cell
    from .tasks import find_task
    from .task_cells import task_cells

    now = now or history.now_utc()
    events = history.load() if events is None else events
    if not events:
        raise ReviewError(NO_HISTORY)
    quizzes, due_tasks = session_items(events, now)
    if not quizzes and not due_tasks:
        upcoming = [d for d in available(schedule(events, now)) if d.due > now]
        when = f" The next one is due on {upcoming[0].due.astimezone():%Y-%m-%d}." if upcoming else ""
        raise ReviewError(f"Nothing is due for review today.{when} `mlcourse review --status` shows the plan.")
    seed = session_seed(learner, now)
    due = [find_task(d.id) for d in due_tasks]
    tasks = list(dict.fromkeys([find_task(n) for t in due for n in t.needs] + due))  # a task's helpers come first
    cells = [_cell("markdown",
        f"# Review for {learner}, {now.astimezone():%Y-%m-%d}\n\n"
        f"{len(quizzes)} quiz question(s) and {len(tasks)} coding task(s) are due: the scheduler brings back what you "
        "are about to forget. Each quiz counts when you click *Check answer*. The tasks use a **new variant** of "
        f"their data (seed {seed}); grade them from a terminal with `mlcourse review --grade <this notebook>`.")]
    setup, body = task_cells(tasks, seed, release_root) if tasks else ([], [])
    cells.append(_cell("code", "\n".join([COURSE_IMPORT_GUARD, "from course import quiz", *setup])))
    if quizzes:
        cells.append(_cell("markdown", "## Quizzes"))
        for d in quizzes:
            cells.append(_cell("code", f'quiz("{d.id}")', tags=["quiz", f"q:{d.question}"]))
    if tasks:
        cells.append(_cell("markdown", "## Coding tasks"))
        cells.extend(body)
    for index, cell in enumerate(cells):
        cell["id"] = f"review-{index}"
    review = {"learner": learner, "made": now.isoformat(), "quizzes": [d.id for d in quizzes], "tasks": [t.id for t in tasks]}
    metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "mlcourse": {"review": review},
    }
    if tasks:  # graded like a drill, with hidden variants of its own
        metadata["mlcourse"]["drill"] = {"learner": learner, "topic": f"review:{now.isoformat()}", "seed": seed,
                                          "tasks": [t.id for t in tasks]}
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def free_path(folder: Path, stem: str, suffix: str = ".ipynb") -> Path:
    """``folder/stem.ipynb``, or ``stem-2.ipynb``, ``stem-3.ipynb``… : the first name not taken."""
    path = folder / f"{stem}{suffix}"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}{suffix}"
        number += 1
    return path


def offer(course_root: Path | None = None) -> None:
    """In an assignment's progress cell: say how many reviews are due and offer a button that starts them.

    The button writes today's review notebook into ``drills/`` of the course (never over a file) and
    shows where it is. Nothing is shown when nothing is due; a problem is one sentence, never an error.
    """
    from IPython.display import HTML, display

    try:
        events = history.load()
    except history.HistoryError as err:
        display(HTML(f"<div class='mlcourse-review'>{_html(str(err))}</div>"))
        return
    due = len(due_today(events)) if events else 0
    if not due:
        return
    import getpass

    import ipywidgets as w

    button = w.Button(description="Start today's review", icon="repeat")
    out = w.HTML()

    def start(_):
        try:
            root = course_root or _course_root()
            learner = getpass.getuser()
            slug = "".join(ch if ch.isalnum() else "-" for ch in learner.lower()).strip("-") or "learner"
            nb = make_review(learner, root / "release", history.load())
            from .drills import write_drill

            path = write_drill(nb, free_path(root / "drills", f"{slug}-review-{history.now_utc().astimezone():%Y-%m-%d}"))
            out.value = f"Wrote <code>{_html(str(path))}</code>: open it from the file browser."
            button.disabled = True
        except Exception as err:  # the progress cell must never fail
            out.value = _html(f"The review could not be written: {err}")

    button.on_click(start)
    display(w.VBox([w.HTML(f"<div class='mlcourse-review'><b>{due} review(s) due today</b>: quizzes and tasks you "
                           "are about to forget (<code>mlcourse review</code> in a terminal does the same).</div>"),
                    button, out]))


def _html(text: str) -> str:
    import html

    return html.escape(text)


def _course_root() -> Path:
    """The course folder above the current one (the folder holding ``release/``)."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "release").is_dir():
            return folder
    raise ReviewError("the course folder (with release/) is not above this notebook")
