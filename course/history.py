"""The learner's review history: every checked quiz answer and every graded task, with its outcome.

The history is the one source of truth of spaced review: the scheduler's cards are recomputed from
it (:mod:`course.review`), so an upgrade of the scheduler never invalidates what a learner did. It
lives beside the progress file (``$MLCOURSE_HOME/review-history.json`` or
``~/.mlcourse/review-history.json``), never in the course repository, as a small versioned JSON
file::

    {"format": "mlcourse-review-history", "version": 1,
     "events": [{"item": "quiz:F7a", "question": "F7", "outcome": "correct",
                 "at": "2026-12-03T14:00:00+00:00", "source": "quiz"}, ...]}

Every write is atomic (a temporary file renamed over the old one) and first copies the previous
file to ``review-history.json.bak``, so neither a crash nor a bad write loses a learner's history.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

FORMAT = "mlcourse-review-history"
VERSION = 1
#: Outcomes that count as remembered; every other outcome counts as forgotten.
GOOD_OUTCOMES = frozenset({"correct", "passed"})
OUTCOMES = frozenset({"correct", "incorrect", "passed", "failed", "not attempted"})


class HistoryError(ValueError):
    """A history file that cannot be used as it is; the message says what to do."""


@dataclass(frozen=True)
class Event:
    """One review: ``item`` is ``quiz:<qid>`` or ``task:<task id>``; ``at`` is an aware UTC datetime."""

    item: str
    question: str
    outcome: str
    at: datetime
    source: str = ""

    @property
    def remembered(self) -> bool:
        """Whether the learner got it right."""
        return self.outcome in GOOD_OUTCOMES

    def as_json(self) -> dict:
        data = asdict(self)
        data["at"] = self.at.isoformat()
        return data


def history_path() -> Path:
    """The history file: ``$MLCOURSE_HOME/review-history.json`` or ``~/.mlcourse/review-history.json``."""
    home = os.environ.get("MLCOURSE_HOME") or Path.home() / ".mlcourse"
    return Path(home) / "review-history.json"


def now_utc() -> datetime:
    """The current time as an aware UTC datetime (the one clock of the review code; tests pass their own)."""
    return datetime.now(timezone.utc)


def _parse_event(raw) -> Event:
    at = datetime.fromisoformat(raw["at"])
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return Event(str(raw["item"]), str(raw["question"]), str(raw["outcome"]), at.astimezone(timezone.utc),
                 str(raw.get("source", "")))


def load(path: Path | None = None) -> list[Event]:
    """The events of the history file, oldest first; ``[]`` when there is no file yet.

    Raises
    ------
    HistoryError
        When the file is damaged or was written by a newer version of the course (the file is left
        as it is, so nothing is lost).
    """
    path = Path(path or history_path())
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as err:
        raise HistoryError(f"The review history {path} cannot be read ({err.strerror}): check its permissions.") from None
    backup = _backup_path(path)
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError
        version = data.get("version")
        if isinstance(version, int) and version > VERSION:
            raise HistoryError(
                f"The review history {path} was written by a newer version of the course (format {version}, this one "
                f"reads {VERSION}): upgrade the course with `pip install -U` in its folder; the file is kept as it is.")
        if version != VERSION:
            raise ValueError
        events = [_parse_event(e) for e in data["events"]]
    except HistoryError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError):
        hint = f"restore the previous one with `cp {backup} {path}`" if backup.exists() else "move it away to start afresh"
        raise HistoryError(f"The review history {path} is damaged and was left untouched: {hint}.") from None
    return sorted(events, key=lambda e: e.at)


def _backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def save(events: list[Event], path: Path | None = None) -> Path:
    """Write ``events`` atomically, after copying the previous file to ``<name>.bak``."""
    path = Path(path or history_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": FORMAT, "version": VERSION, "events": [e.as_json() for e in sorted(events, key=lambda e: e.at)]}
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp", encoding="utf-8") as tmp:
        json.dump(data, tmp, indent=1)
        tmp.flush()
        os.fsync(tmp.fileno())
    if path.exists():
        shutil.copy2(path, _backup_path(path))
    os.replace(tmp.name, path)
    return path


def record(new: list[Event], path: Path | None = None, now: datetime | None = None) -> list[str]:
    """Append events to the history; return notes for the learner (empty when all went as expected).

    An event dated before the latest one in the history means the clock went backwards: it is kept,
    dated at the latest event instead, so that the history stays in order, and a note says so.
    """
    if not new:
        return []
    events = load(path)
    notes = []
    latest = events[-1].at if events else None
    fixed = []
    for event in sorted(new, key=lambda e: e.at):
        if latest is not None and event.at < latest:
            if not notes:
                notes.append(clock_note(event.at, latest) + " The review is kept, dated at the last one.")
            event = Event(event.item, event.question, event.outcome, latest, event.source)
        fixed.append(event)
        latest = event.at
    save(events + fixed, path)
    return notes


def question_of(qid: str) -> str:
    """The syllabus question of a quiz id: ``F7`` for ``F7a``."""
    return qid.rstrip("abcdefghijklmnopqrstuvwxyz")


def clock_note(now: datetime, latest: datetime) -> str:
    """The sentence for a clock that reads earlier than the latest review."""
    return (f"The clock reads {now:%Y-%m-%d %H:%M} UTC, before your last review ({latest:%Y-%m-%d %H:%M} UTC): "
            "check the date of this computer.")


def quiz_event(qid: str, correct: bool, source: str, at: datetime | None = None) -> Event:
    """The event of one checked quiz answer."""
    return Event(f"quiz:{qid}", question_of(qid), "correct" if correct else "incorrect",
                 at or now_utc(), source)


def task_event(task_id: str, question: str, status: str, source: str, at: datetime | None = None) -> Event:
    """The event of one graded task (``status``: passed, failed or not attempted)."""
    return Event(f"task:{task_id}", question, status if status in OUTCOMES else "failed", at or now_utc(), source)


def record_quiz_answer(question, answer, source: str = "quiz") -> str:
    """Record a checked quiz answer as a review event; return a note for the learner ('' when all is well).

    Never raises: a quiz must keep working when the history cannot be written. A quiz whose key the
    instructor keeps secret records nothing (its outcome is unknown here).
    """
    if not question.feedback:
        return ""
    try:
        notes = record([quiz_event(question.qid, question.is_correct(answer), source)])
    except HistoryError as err:
        return f"This answer was not added to your review history: {err}"
    except Exception as err:  # a full disk, a read-only home: say it, keep the quiz going
        return f"This answer was not added to your review history ({type(err).__name__}: {err})."
    return " ".join(notes)
