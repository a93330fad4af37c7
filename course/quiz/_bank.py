"""The public quiz bank of an assignment: questions, options and key digests, read from JSON."""
from __future__ import annotations

import functools
import itertools
import json
import os
from dataclasses import dataclass
from importlib import resources

from . import _key

SECRET_ENV = "MLCOURSE_QUIZ_SECRET"


class QuizError(LookupError):
    """A quiz that cannot be found or graded, with a message a learner can act on."""


@dataclass(frozen=True)
class Question:
    """One quiz question as the learner sees it.

    Attributes
    ----------
    qid : str
        Unique id, such as ``"F7a"``: the syllabus question (``F7``) and a letter.
    assignment : str
        The assignment folder, such as ``"01_foundations"``.
    kind : {"single", "multiple", "numeric"}
        Single choice, several correct options, or a number within a tolerance.
    prompt : str
        The question, in Markdown with inline code.
    options : tuple of str
        The options (empty for numeric questions).
    tolerance : float or None
        Absolute tolerance of a numeric question.
    points : float
        Points the graded quiz cell gives.
    digest : str
        Keyed digest of the correct answer.
    salt : str or None
        Public salt; ``None`` when the instructor keeps the key secret (feedback off).
    feedback : bool
        Whether the widget says right or wrong at once.
    explanation : str
        Sealed explanation of the correct answer.
    why : tuple of str
        Sealed explanation per option.
    """

    qid: str
    assignment: str
    kind: str
    prompt: str
    options: tuple
    tolerance: float | None
    points: float
    digest: str
    salt: str | None
    feedback: bool
    explanation: str
    why: tuple

    @property
    def topic(self) -> str:
        """The syllabus question this quiz checks, e.g. ``"F7"`` for ``"F7a"``."""
        return self.qid.rstrip("abcdefghijklmnopqrstuvwxyz")

    def canonical(self, answer) -> str:
        """Return the canonical form of ``answer`` (raises :class:`_key.AnswerError`)."""
        return _key.canonical(self.kind, answer, len(self.options), self.tolerance)

    def is_correct(self, answer) -> bool:
        """Tell whether ``answer`` is right; raises :class:`QuizError` if the key is secret and unknown."""
        salt = self.salt
        if salt is None:
            secret = os.environ.get(SECRET_ENV)
            if not secret:
                raise QuizError(
                    f"Quiz {self.qid} is graded with the instructor's secret key: set {SECRET_ENV} to grade it."
                )
            salt = secret_salt(secret, self.assignment, self.qid)
        return _key.matches(self.kind, salt, self.qid, self.canonical(answer), self.digest)

    def key_letters(self) -> str | None:
        """The letters of the correct options, found by trying every choice against the key digest.

        ``None`` for numeric questions and when the key is secret (feedback off). With a public salt
        the widget can already test any answer, so this reveals nothing it could not find; it lets
        the feedback mark each ticked option right or wrong and count the missing ones.
        """
        if self.kind == "numeric" or self.salt is None:
            return None
        n = len(self.options)
        sizes = (1,) if self.kind == "single" else range(1, n + 1)
        for size in sizes:
            for combo in itertools.combinations(_key.LETTERS[:n], size):
                letters = "".join(combo)
                if _key.matches(self.kind, self.salt, self.qid, letters, self.digest):
                    return letters
        return None

    def direction(self, answer, reach: int = 10_000) -> int:
        """Where the key of a numeric question lies from ``answer``: ``-1`` lower, ``+1`` higher,
        ``0`` when ``answer`` is right or the key is not within ``reach`` tolerances of it (or secret)."""
        if self.kind != "numeric" or self.salt is None:
            return 0
        bucket = int(self.canonical(answer))
        if _key.matches(self.kind, self.salt, self.qid, str(bucket), self.digest):
            return 0
        for step in range(2, reach + 2):
            for sign in (-1, 1):
                if _key.digest(self.salt, self.qid, str(bucket + sign * step)) == self.digest:
                    return sign
        return 0

    def explain(self) -> str:
        """The explanation of the correct answer (shown after an attempt)."""
        return _key.unseal(self.explanation) if self.explanation else ""

    def why_option(self, index: int) -> str:
        """The explanation of one option (shown after the learner chose it)."""
        if index < len(self.why) and self.why[index]:
            return _key.unseal(self.why[index])
        return ""


def secret_salt(secret: str, assignment: str, qid: str) -> str:
    """Salt used when the instructor keeps the key secret."""
    return _key.digest(secret, qid, _key.public_salt(assignment, qid))[:32]


def bank_path(assignment: str):
    """Location of an assignment's compiled bank inside the ``course`` package."""
    return resources.files("course").joinpath("banks", f"{assignment}.json")


@functools.lru_cache(maxsize=None)
def load_bank(assignment: str) -> dict:
    """Load the compiled bank of ``assignment`` as ``{qid: Question}``."""
    path = bank_path(assignment)
    if not path.is_file():
        raise QuizError(f"No quiz bank for assignment {assignment!r}: run `mlcourse build {assignment}`.")
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {qid: _question(assignment, qid, q, raw.get("feedback", True)) for qid, q in raw["questions"].items()}


def _question(assignment: str, qid: str, q: dict, feedback: bool) -> Question:
    return Question(
        qid=qid,
        assignment=assignment,
        kind=q["kind"],
        prompt=q["prompt"],
        options=tuple(q.get("options", ())),
        tolerance=q.get("tolerance"),
        points=float(q.get("points", 1)),
        digest=q["digest"],
        salt=q.get("salt"),
        feedback=feedback,
        explanation=q.get("explanation", ""),
        why=tuple(q.get("why", ())),
    )


def all_banks() -> list[str]:
    """Names of the assignments that have a compiled bank."""
    folder = resources.files("course").joinpath("banks")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


def find_question(qid: str) -> Question:
    """Look a question up by id in every bank."""
    for assignment in all_banks():
        bank = load_bank(assignment)
        if qid in bank:
            return bank[qid]
    raise QuizError(f"There is no quiz question {qid!r}: check the id in the cell (for example quiz(\"F7a\")).")
