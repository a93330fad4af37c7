"""Per-student variants in a cohort: `mlcourse grade` checks every student against their own variant, so an
answer hard-coded from a classmate's notebook fails while each student's own correct work passes."""
from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from conftest import (ASSIGNMENT, RIGGED_TASK, Batch, copied_answer, first_task, mlcourse, reference_values, solved_notebook,
                      submit)

from course.variants import VARIANT_FILE, variant_seed

pytestmark = pytest.mark.slow


def test_each_student_is_graded_on_their_own_variant(built_course, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(built_course, root, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback", ".mlcourse"))
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.MLCourse.variants = [{ASSIGNMENT!r}]\n")
    done = mlcourse(root, "build", ASSIGNMENT, "--no-check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads((root / "release" / ASSIGNMENT / VARIANT_FILE).read_text())["assignment"] == ASSIGNMENT

    task = first_task(root, RIGGED_TASK)
    solved = nbformat.writes(solved_notebook(root, task))
    submit(root, {"ada": solved})
    done = mlcourse(root, "grade", ASSIGNMENT)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "each on the student's own variant" in done.stdout
    batch = Batch(root, done, 0)
    assert batch.score("ada", f"{task.id}_tests") > 0, batch.result("ada")

    # What ada's correct function returned on her variant, as the instructor's reference recorded it.
    ada_seed = variant_seed("ada", ASSIGNMENT)
    ada_outputs = reference_values(root, ada_seed, task.id)

    nb = nbformat.reads(solved, 4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == task.id)
    cell.source = copied_answer(task.function, ada_outputs)
    submit(root, {"grace": nbformat.writes(nb), "ada": nbformat.writes(nb)})   # ada resubmits her own numbers
    done = mlcourse(root, "grade", ASSIGNMENT)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    batch = Batch(root, done, 0)

    copied = next(v for v in batch.result("grace")["verdicts"] if v["grade_id"] == f"{task.id}_tests")
    assert copied["status"] == "failed" and copied["score"] == 0, copied
    assert "hidden variants" not in copied["message"], copied      # wrong on grace's own (visible) variant
    # The same hard-coded numbers on ada's own variant pass the visible comparison and fail only on hidden
    # inputs (a named hidden case or a hidden variant): proof that each notebook was compared with its own
    # student's variant.
    own = next(v for v in batch.result("ada")["verdicts"] if v["grade_id"] == f"{task.id}_tests")
    hidden = "hidden variants" in own["message"] or own["message"].startswith(("Wrong result for", "Should raise", "Raised"))
    assert own["status"] == "failed" and hidden and "visible example" not in own["message"], own
    assert str(ada_seed) not in own["message"] + copied["message"]
