"""What the grader needs to know about one assignment, read from trusted files only."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from course.notebook import grade_id, is_graded, quiz_ids, read_notebook
from course.tasks import assignment_tasks

from ..coursedir import CourseDir

_SPECS = Path(__file__).resolve().parents[1] / "specs"

#: Bump when a change to the grader should regrade finished submissions.
GRADER_VERSION = "3"


@dataclass
class Assignment:
    """An assignment as the grader sees it: tasks, quizzes, graded cells, points and files."""

    name: str
    notebook: str
    source_path: Path
    release_dir: Path
    tasks: list
    quizzes: dict            # qid -> (grade_id, points)
    graded_ids: list         # grade_ids of every graded cell in the source, in order
    points: dict             # grade_id -> points
    release_sources: dict    # grade_id -> source of the graded cell as released (no hidden tests)
    key: str = ""            # hash of everything a verdict depends on besides the submission
    titles: dict = field(default_factory=dict)

    @classmethod
    def load(cls, course: CourseDir, name: str) -> "Assignment":
        source_path = course.source_notebook(name)
        nb = read_notebook(source_path)
        graded = [c for c in nb.cells if is_graded(c)]
        points = {grade_id(c): float(c.metadata.nbgrader.get("points", 0)) for c in graded}
        quizzes = {q: (f"quiz_{q}_test", points.get(f"quiz_{q}_test", 0.0)) for q in quiz_ids(nb)}
        release_nb = course.release_notebook(name)
        release_sources = {}
        if release_nb.exists():
            release_sources = {grade_id(c): c.source for c in read_notebook(release_nb).cells if is_graded(c)}
        digest = hashlib.sha256(GRADER_VERSION.encode() + source_path.read_bytes())
        course_pkg = course.root / "course"
        for path in sorted(course_pkg.rglob("*.py")) if course_pkg.is_dir() else []:
            digest.update(path.read_bytes())
        for path in sorted(_SPECS.rglob("*.py")):   # the hidden cases and judges
            digest.update(path.read_bytes())
        tasks = assignment_tasks(name)
        return cls(name, source_path.stem, source_path, course.release / name, tasks, quizzes,
                   [grade_id(c) for c in graded], points, release_sources, digest.hexdigest()[:16],
                   {t.test_id: t.title for t in tasks})
