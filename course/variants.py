"""Per-student variants: in a cohort, each student's checks and grade use their own data.

An instructor turns variants on for an assignment in ``nbgrader_config.py``
(``c.MLCourse.variants = ["02_production"]``); ``mlcourse build`` then puts a small
``variants.json`` in the released folder. In a folder holding that file, :func:`current_seed`
is the student's own seed, derived from their nbgrader student id, and ``check()`` uses it;
``mlcourse grade`` derives the same seed from the submission's student id. Without the file
(a learner working alone, the instructor's ``source/``) the seed is 0, the notebook's example.

The seed is not a secret: knowing another student's variant does not help, since each grade
compares a student's own function on their own variant and on hidden variants.
"""
from __future__ import annotations

import getpass
import hashlib
import json
import os
from pathlib import Path

VARIANT_FILE = "variants.json"
#: Seeds are drawn from 1 to this number; 0 stays the notebook's own example.
SEED_RANGE = 999_983


def seed_from(*parts: str) -> int:
    """A stable seed in ``1..SEED_RANGE`` from text parts (never 0, which is the notebook's example)."""
    digest = hashlib.sha256(":".join(parts).encode()).hexdigest()
    return int(digest[:8], 16) % SEED_RANGE + 1


def variant_seed(student: str, assignment: str, course_id: str = "mlcourse") -> int:
    """The variant seed of ``student`` in ``assignment`` of course ``course_id``.

    Parameters
    ----------
    student : str
        nbgrader student id (the name of the student's folder under ``submitted/``).
    assignment : str
        Assignment folder, such as ``"02_production"``.
    course_id : str, default "mlcourse"
        ``c.CourseDirectory.course_id``.

    Returns
    -------
    int
        The same number for the same student, assignment and course; different across students.
    """
    return seed_from("mlcourse-variant", course_id, assignment, student.strip())


def variant_settings(folder: Path | str | None = None) -> dict | None:
    """The contents of ``variants.json`` in ``folder`` (default: the current folder), or ``None``."""
    path = Path(folder or os.getcwd()) / VARIANT_FILE
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(settings, dict) or not isinstance(settings.get("assignment"), str):
        return None
    return settings


def student_id(folder: Path | str | None = None) -> str:
    """Who this notebook belongs to, by nbgrader's rules.

    ``$MLCOURSE_STUDENT`` if set; the ``<student>`` of ``autograded/<student>/<assignment>/``
    when nbgrader grades the notebook there; otherwise nbgrader's own rule for submissions: the
    login name, or ``$JUPYTERHUB_USER`` for the shared ``jovyan`` account of Jupyter's images.
    """
    if os.environ.get("MLCOURSE_STUDENT"):
        return os.environ["MLCOURSE_STUDENT"]
    here = Path(folder or os.getcwd()).resolve()
    if here.parent.parent.name == "autograded":
        return here.parent.name
    name = getpass.getuser()
    return os.environ.get("JUPYTERHUB_USER", name) if name == "jovyan" else name


def current_seed(folder: Path | str | None = None) -> int:
    """The variant the checks use here: the student's own seed where variants are on, else 0."""
    settings = variant_settings(folder)
    if settings is None:
        return 0
    return variant_seed(student_id(folder), settings["assignment"], str(settings.get("course_id", "mlcourse")))


def my_data(task_id: str) -> dict:
    """The inputs of your own variant of a task (the data its check uses), to explore or plot.

    Parameters
    ----------
    task_id : str
        The task's id, for example ``"kfold_cv"``.

    Returns
    -------
    dict
        The same inputs ``check(task_id)`` gives your function.
    """
    from .tasks import find_task

    return find_task(task_id).data(current_seed())
