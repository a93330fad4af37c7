"""Recording verdicts in nbgrader's gradebook (main process only), as ``nbgrader autograde`` does.

Late penalties are nbgrader's own: after the scores of a submission are stored, each notebook gets
the penalty of nbgrader's configured late-submission plugin, exactly as its ``AssignLatePenalties``
preprocessor assigns it, so ``c.AssignLatePenalties.plugin_class``,
``c.LateSubmissionPlugin.penalty_method``, the assignment's ``duedate`` and a student's extension
(``Gradebook.grant_extension``) give the same ``late_submission_penalty`` (and the same
``nbgrader export`` score) as ``nbgrader autograde``.
"""
from __future__ import annotations

import logging
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from ..coursedir import working_directory
from ..errors import CourseError


_QUIET = logging.getLogger("mlcourse.grade.late")   # nbgrader's messages would break the progress bar
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False


def read_timestamp(folder: Path) -> str | None:
    """The submission time from ``timestamp.txt``, as nbgrader's collect step leaves it."""
    from .submitted import Refused, read_file

    try:
        text = read_file(folder, "timestamp.txt", limit=4096).decode("utf-8", "replace").strip()
    except (Refused, OSError):      # missing, a link, or not a regular file: no timestamp
        return None
    return text or None


class GradebookWriter:
    """One open gradebook for the whole batch; ``record`` stores one submission's scores."""

    def __init__(self, course, assignment: str):
        # nbgrader's gradebook API triggers SQLAlchemy's autoflush warnings on every update; they
        # say nothing to an instructor and would break the progress bar.
        from sqlalchemy.exc import SAWarning

        warnings.filterwarnings("ignore", category=SAWarning, module=r"nbgrader\.")
        config = course.config()
        self.config = config
        self._late = None
        self.db_url = config.CourseDirectory.get("db_url", "sqlite:///gradebook.db")
        self.course_id = config.CourseDirectory.get("course_id", "")
        self.course = course
        self.assignment = assignment
        with working_directory(course.root):
            self.gb = Gradebook(self.db_url, self.course_id)
        try:
            self.gb.find_assignment(assignment)
        except MissingEntry:
            self.gb.close()
            raise CourseError(f"The gradebook has no assignment {assignment!r}: run `mlcourse build {assignment}` "
                              f"(or nbgrader generate_assignment) first.") from None

    def students(self) -> set[str]:
        """Ids of the students in the gradebook."""
        return {s.id for s in self.gb.students}

    def record(self, student: str, timestamp: str | None, scores: dict) -> None:
        """Create or update the submission and set each graded cell's ``auto_score`` (missing ids get 0)."""
        from nbgrader.utils import parse_utc

        self.gb.update_or_create_student(student)
        kwargs = {}
        if timestamp:
            try:
                kwargs["timestamp"] = parse_utc(timestamp)
            except ValueError:
                pass
        submission = self.gb.update_or_create_submission(self.assignment, student, **kwargs)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = float(scores.get(grade.cell.name, 0.0))
        self.gb.db.commit()
        self.assign_late_penalties(student, [nb.name for nb in submission.notebooks])

    def assign_late_penalties(self, student: str, notebooks: list[str]) -> None:
        """Set each notebook's ``late_submission_penalty`` as nbgrader's ``AssignLatePenalties`` does.

        nbgrader's own pieces do the work: the configured plugin (``c.AssignLatePenalties.plugin_class``,
        by default ``LateSubmissionPlugin`` with its ``penalty_method``), the gradebook's
        ``total_seconds_late`` (due date plus extension) and the preprocessor's clamping of the
        penalty to ``[0, score]``. Only the loop is here: the preprocessor itself would open a new
        ``Gradebook`` per notebook, and every one runs ``alembic heads`` in a subprocess.
        """
        from nbgrader.preprocessors import AssignLatePenalties

        if self._late is None:
            self._late = AssignLatePenalties(config=self.config, log=_QUIET)
            self._late.init_plugin()
        submission = self.gb.find_submission(self.assignment, student)
        for name in notebooks:
            notebook = self.gb.find_submission_notebook(name, self.assignment, student)
            notebook.late_submission_penalty = None
            if submission.total_seconds_late > 0:
                penalty = self._late.plugin_inst.late_submission_penalty(student, notebook.score, submission.total_seconds_late)
                if penalty is not None:
                    notebook.late_submission_penalty = self._late._check_late_penalty(notebook, penalty)
        self.gb.db.commit()

    def rollback(self) -> None:
        """Drop what a failed :meth:`record` left half-done, so the next submission starts clean."""
        self.gb.db.rollback()

    def close(self) -> None:
        self.gb.close()
