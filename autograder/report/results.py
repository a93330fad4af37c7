"""Read per-student, per-cell scores from nbgrader's gradebook, and quiz choices from submissions."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from ..errors import CourseError

_SCORES = text("""
SELECT sa.student_id AS student, bc.name AS cell, gc.max_score AS max_score,
       COALESCE(g.manual_score, g.auto_score, 0) + COALESCE(g.extra_credit, 0) AS score
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN assignment a ON sa.assignment_id = a.id
JOIN base_cell bc ON g.cell_id = bc.id
JOIN grade_cells gc ON gc.id = bc.id
WHERE a.name = :assignment
""")


def load_scores(db_url: str, assignment: str) -> pd.DataFrame:
    """One row per student and graded cell: ``student, cell, max_score, score``.

    Raises
    ------
    CourseError
        If the gradebook is missing, from an older nbgrader, or has no graded submission.
    """
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).is_file():
        raise CourseError(f"There is no gradebook at {db_url[len('sqlite:///'):]}: build and grade the assignment first.")
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            known = conn.execute(text("SELECT COUNT(*) FROM assignment WHERE name = :a"), {"a": assignment}).scalar()
            if not known:
                raise CourseError(f"Assignment {assignment!r} is not in the gradebook: release it (mlcourse build) and grade it before reporting.")
            frame = pd.read_sql_query(_SCORES, conn, params={"assignment": assignment})
    except (OperationalError, ProgrammingError) as err:
        raise CourseError(
            f"The gradebook at {engine.url!r} does not have nbgrader 0.9's tables ({type(err.orig).__name__}): "
            "upgrade it with `nbgrader db upgrade`."
        ) from None
    finally:
        engine.dispose()
    if frame.empty:
        raise CourseError(f"No graded submissions of {assignment!r} yet: collect and grade them (mlcourse grade {assignment}).")
    return frame


def load_quiz_choices(folder: Path, assignment: str) -> pd.DataFrame:
    """One row per student and answered quiz, ``student, quiz, answer``, read from their notebooks.

    ``folder`` is nbgrader's ``submitted`` (or ``autograded``) directory.
    """
    from course.notebook import QUIZ_CALL
    from course.progress import _ANSWER

    rows = []
    for path in sorted(Path(folder).glob(f"*/{assignment}/*.ipynb")):
        student = path.parent.parent.name
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        for cell in cells:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code" or "quiz" not in cell.get("metadata", {}).get("tags", []):
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            call, answered = QUIZ_CALL.search(source), _ANSWER.search(source.strip())
            if call and answered:
                rows.append({"student": student, "quiz": call.group(1), "answer": _answer_literal(answered.group(2))})
    return pd.DataFrame(rows, columns=["student", "quiz", "answer"])


def _answer_literal(text: str):
    """The Python literal of a recorded answer (``"B"``, ``0.75``, ``["A", "C"]``), or None.

    The widget writes double-quoted strings and plain numbers, which JSON reads many times faster
    than :func:`ast.literal_eval`; anything else (single quotes, tuples) goes to the latter.
    """
    from course.progress import _literal

    try:
        value = json.loads(text)
    except ValueError:
        return _literal(text)
    return value if type(value) in (str, int, float, list) else _literal(text)
