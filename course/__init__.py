"""What a learner imports: quizzes, self-checks, hints and offline datasets.

>>> from course import quiz, check, hint  # doctest: +SKIP
"""
from .checks import check, hint
from .quiz import grade_quiz, quiz
from .variants import my_data

__all__ = ["quiz", "grade_quiz", "check", "hint", "my_data"]
