"""`mlcourse drill` and `mlcourse drill --grade` from the command line, in a course copy: a learner's correct
work passes their own variant, the untouched stub is not attempted, and answers copied from another
learner's drill fail."""
from __future__ import annotations

import json
import shutil

import pytest
from conftest import RIGGED_TASK, copied_answer, mlcourse, reference_values

from course.drills import learner_seed

pytestmark = pytest.mark.slow

TOPIC = "F6"   # one task, kfold_cv (the cut-down assignment keeps it)


def _drill(root, learner):
    out = root / "drills" / f"{learner}.ipynb"
    done = mlcourse(root, "drill", "--topic", TOPIC, "--learner", learner, "--out", str(out))
    assert done.returncode == 0 and "Wrote" in done.stdout, done.stdout + done.stderr
    return out, json.loads(out.read_text())


def _fill(path, nb, source):
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("mlcourse", {}).get("task") == RIGGED_TASK:
            cell["source"] = source
    path.write_text(json.dumps(nb))


def test_drills_are_graded_on_the_learners_own_variant(built_course, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(built_course, root, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback", ".mlcourse"))
    source = json.loads(next((root / "source" / "01_foundations").glob("*.ipynb")).read_text())
    solution = next("".join(c["source"]) for c in source["cells"]
                    if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == RIGGED_TASK)

    stub_path, stub = _drill(root, "grace")
    done = mlcourse(root, "drill", "--grade", str(stub_path))
    assert done.returncode == 1 and f"{RIGGED_TASK}" in done.stdout and "not attempted" in done.stdout, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr

    ada_path, ada = _drill(root, "ada")
    assert ada["metadata"]["mlcourse"]["drill"]["seed"] == learner_seed("ada", TOPIC) != stub["metadata"]["mlcourse"]["drill"]["seed"]
    _fill(ada_path, ada, solution)
    done = mlcourse(root, "drill", "--grade", str(ada_path))
    assert done.returncode == 0 and "1/1 tasks passed" in done.stdout, done.stdout + done.stderr

    # Grace pastes in the numbers ada's drill produced instead of writing the function.
    _fill(stub_path, stub, copied_answer("kfold_scores", reference_values(root, learner_seed("ada", TOPIC), RIGGED_TASK)))
    done = mlcourse(root, "drill", "--grade", str(stub_path))
    assert done.returncode == 1 and "failed" in done.stdout and "0/1 tasks passed" in done.stdout, done.stdout + done.stderr
    assert str(learner_seed("ada", TOPIC)) not in done.stdout

    done = mlcourse(root, "drill", "--grade", str(root / "drills" / "nobody.ipynb"))
    assert done.returncode != 0 and "does not exist" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
