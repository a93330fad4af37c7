"""``mlcourse feedback ASSIGNMENT``: per-student HTML from the grader's verdicts, nothing of hidden tests.

Each page lists every task and quiz with its points and the failure message that
``mlcourse grade`` recorded. Those messages come from the visible checks or say how many hidden
variants failed; hidden seeds, inputs, tests and expected values are never stored with them.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from .coursedir import CourseDir
from .errors import CourseError
from .grading.storage import RESULT_FILE, atomic_write_text

_STYLE = """body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;color:#1f2328}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:.4rem;text-align:left;vertical-align:top}
.passed{color:#1a7f37}.failed{color:#cf222e}.not{color:#9a6700}"""


def render(student: str, assignment: str, record: dict) -> str:
    """The feedback page of one student's graded assignment."""
    rows, total, best = [], 0.0, 0.0
    for v in record.get("verdicts", []):
        total += v["score"]
        best += v["max_score"]
        css = "passed" if v["status"] == "passed" else ("not" if v["status"] == "not attempted" else "failed")
        rows.append(f"<tr><td>{html.escape(v['title'])}</td><td class='{css}'>{html.escape(v['status'])}</td>"
                    f"<td>{v['score']:g} / {v['max_score']:g}</td><td>{html.escape(v.get('message', ''))}</td></tr>")
    notes = "".join(f"<li>{html.escape(e)}</li>" for e in record.get("events", []))
    if record.get("status") == "failed":
        notes += f"<li>Your submission could not be graded: {html.escape(record.get('reason', ''))}</li>"
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(assignment)} feedback</title>"
            f"<style>{_STYLE}</style></head><body><h1>{html.escape(assignment)}: feedback for {html.escape(student)}</h1>"
            f"<p><b>Score: {total:g} / {best:g}</b></p>"
            + (f"<ul>{notes}</ul>" if notes else "")
            + "<table><tr><th>Item</th><th>Result</th><th>Points</th><th>What to look at</th></tr>"
            + "".join(rows) + "</table></body></html>\n")


def write_feedback(course: CourseDir, assignment: str, student: str | None = None) -> list[Path]:
    """Write ``feedback/<student>/<assignment>/<notebook>.html`` for every graded submission.

    Returns
    -------
    list of Path
        The pages written.
    """
    from .grading.assignment import Assignment

    course.require_assignment(assignment)
    notebook = Assignment.load(course, assignment).notebook
    written = []
    for result in sorted((course.root / "autograded").glob(f"*/{assignment}/{RESULT_FILE}")):
        name = result.parent.parent.name
        if student is not None and name != student:
            continue
        record = json.loads(result.read_text())
        path = course.root / "feedback" / name / assignment / f"{notebook}.html"
        atomic_write_text(path, render(name, assignment, record))
        # `nbgrader release_feedback` pairs each page with the submission's timestamp and secret,
        # which its own generate_feedback copies next to the page.
        for kept in ("timestamp.txt", "submission_secret.txt"):
            src = course.root / "submitted" / name / assignment / kept
            if src.is_file():
                atomic_write_text(path.parent / kept, src.read_text(encoding="utf-8"))
        written.append(path)
    if not written:
        raise CourseError(f"Nothing graded for {assignment} yet: run `mlcourse grade {assignment}` first.")
    return written
