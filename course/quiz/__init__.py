"""Quizzes with immediate feedback whose answers are recorded in the notebook and graded.

A quiz cell holds one call, ``quiz("F7a")``. Answering in the widget rewrites the call to
``quiz("F7a", answer="B")`` so the answer survives nbgrader's re-execution; the hidden test cell
below it calls :func:`grade_quiz`.
"""
from __future__ import annotations

from ._bank import Question, QuizError, find_question, load_bank
from ._key import AnswerError

__all__ = ["quiz", "grade_quiz", "recorded_answers", "Question", "QuizError", "load_bank", "find_question"]

_ANSWERS: dict[str, object] = {}


def _record(qid: str, answer) -> None:
    _ANSWERS[qid] = answer


def recorded_answers() -> dict:
    """Answers recorded in this kernel so far, ``{qid: answer}``."""
    return dict(_ANSWERS)


def quiz(qid: str, answer=None) -> None:
    """Show quiz question ``qid`` and record ``answer`` if the cell already holds one.

    Parameters
    ----------
    qid : str
        The question id, such as ``"F7a"``.
    answer : str, list of str or float, optional
        The recorded answer: a letter (``"B"``), letters for several correct options (``"AC"``),
        or a number. The widget fills this in when you click *Check answer*.

    Examples
    --------
    >>> quiz("F7a", answer="B")  # doctest: +SKIP
    """
    question = find_question(qid)
    if answer is not None:
        try:
            question.canonical(answer)
        except AnswerError as err:
            print(f"Quiz {qid}: the recorded answer cannot be read ({err}) Pick it again in the widget.")
            answer = None
        else:
            _record(qid, answer)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython is a dependency
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        from ._widget import QuizWidget

        display(QuizWidget(question, _record, answer))
    else:
        print(f"Quiz {qid}: {question.prompt}")


def grade_quiz(qid: str) -> None:
    """Raise ``AssertionError`` unless quiz ``qid`` has a recorded, correct answer.

    Used by the hidden test cell under each quiz.
    """
    question = find_question(qid)
    if qid not in _ANSWERS:
        raise AssertionError(
            f"Quiz {qid} has no recorded answer: answer it with the widget (or write quiz(\"{qid}\", answer=...)) and save."
        )
    if not question.is_correct(_ANSWERS[qid]):
        raise AssertionError(f"Quiz {qid}: the recorded answer is not correct.")
