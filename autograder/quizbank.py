"""Compile an assignment's plain-text quiz bank (instructor-only YAML) into the public JSON bank."""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from course.quiz import _key
from course.quiz._bank import secret_salt

from .errors import CourseError

QID = re.compile(r"^[A-Z]\d+[a-z]$")
KINDS = ("single", "multiple", "numeric")


def load_quiz_source(path: Path) -> dict:
    """Read and validate ``quizzes.yaml``; every problem is reported as one :class:`CourseError`."""
    if not path.is_file():
        raise CourseError(f"{path} does not exist: every assignment keeps its quiz questions there.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise CourseError(f"{path} is not valid YAML ({str(err).splitlines()[0]}): fix the line it names.") from None
    if not isinstance(data, dict):
        raise CourseError(f"{path} should map quiz ids (such as F7a) to questions.")
    for qid, q in data.items():
        _validate(path, str(qid), q)
    return data


def _validate(path: Path, qid: str, q) -> None:
    where = f"{path}: quiz {qid}"
    if not QID.match(qid):
        raise CourseError(f"{where}: ids are a syllabus id and a letter, such as F7a.")
    if not isinstance(q, dict) or q.get("kind") not in KINDS:
        raise CourseError(f"{where}: 'kind' must be one of {', '.join(KINDS)}.")
    if not q.get("prompt"):
        raise CourseError(f"{where}: 'prompt' is missing.")
    if "answer" not in q:
        raise CourseError(f"{where}: 'answer' is missing.")
    if q["kind"] == "numeric":
        if not isinstance(q.get("tolerance"), (int, float)) or q["tolerance"] <= 0:
            raise CourseError(f"{where}: numeric questions need a positive 'tolerance'.")
        if not isinstance(q["answer"], (int, float)):
            raise CourseError(f"{where}: the answer of a numeric question must be a number.")
        return
    options = q.get("options")
    if not isinstance(options, list) or len(options) < 2 or not all(isinstance(o, dict) and o.get("text") for o in options):
        raise CourseError(f"{where}: 'options' must list at least two items, each with a 'text' (and a 'why').")
    try:
        _key.canonical(q["kind"], q["answer"], len(options))
    except _key.AnswerError as err:
        raise CourseError(f"{where}: the answer is not valid ({err})") from None


def compile_bank(assignment: str, source: dict, feedback: bool = True, secret: str | None = None) -> dict:
    """Return the public bank: prompts, options, sealed explanations and keyed digests of the answers.

    Parameters
    ----------
    assignment : str
        Assignment folder name.
    source : dict
        The validated content of ``quizzes.yaml``.
    feedback : bool
        Whether the widget tells right from wrong at once. With ``False`` the digests are keyed by
        ``secret`` and left out of the bank's salt, so a learner cannot test answers offline.
    secret : str, optional
        The instructor's key, required when ``feedback`` is ``False``.
    """
    if not feedback and not secret:
        raise CourseError("Quiz feedback is off, so the key must be secret: set MLCOURSE_QUIZ_SECRET before building.")
    questions = {}
    for qid, q in source.items():
        n = len(q.get("options", []))
        salt = _key.public_salt(assignment, qid) if feedback else secret_salt(secret, assignment, qid)
        canonical = _key.canonical(q["kind"], q["answer"], n, q.get("tolerance"))
        entry = {
            "kind": q["kind"],
            "prompt": q["prompt"].strip(),
            "points": q.get("points", 1),
            "digest": _key.digest(salt, qid, canonical),
        }
        if feedback:
            entry["salt"] = salt
            entry["explanation"] = _key.seal(q.get("explanation", "").strip())
        if n:
            entry["options"] = [o["text"].strip() for o in q["options"]]
            if feedback:
                entry["why"] = [_key.seal(o.get("why", "").strip()) for o in q["options"]]
        if q["kind"] == "numeric":
            entry["tolerance"] = q["tolerance"]
        questions[qid] = entry
    return {"assignment": assignment, "feedback": feedback, "questions": questions}


def write_bank(bank: dict, path: Path) -> None:
    """Write the bank as stable, diff-friendly JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(bank, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
