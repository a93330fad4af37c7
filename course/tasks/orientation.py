"""The orientation notebook has quizzes only; it declares no coding tasks."""

TASKS = []
