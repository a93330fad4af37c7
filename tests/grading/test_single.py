"""`grade_notebook`: one notebook file (such as a drill) graded by the batch engine on the caller's seeds."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import nbformat
import pytest
from conftest import ASSIGNMENT, env_for

pytestmark = pytest.mark.slow

CODE = r"""
import json, sys
from pathlib import Path
from autograder.grading import grade_notebook
root, task_id = sys.argv[1], sys.argv[2]
out = {}
for name in ("right", "wrong"):
    res = grade_notebook(root, Path(root) / f"{name}.ipynb", [task_id], [7, 1234, 98765])
    out[name] = [[r.task_id, r.passed, r.message] for r in res]
print(json.dumps(out))
"""


def test_grade_notebook_on_a_tiny_drill(built_course, attack_texts, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(built_course, root, ignore=shutil.ignore_patterns("PWNED"))
    task = attack_texts[1]
    source = nbformat.read(next((root / "source" / ASSIGNMENT).glob("*.ipynb")), 4)
    solution = next(c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == task.id)
    setup = next(c.source for c in source.cells if c.cell_type == "code")   # the notebook's imports

    def drill(body):   # a drill-like notebook: its metadata lists the task and the variant seed
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(setup), nbformat.v4.new_code_cell(body)])
        nb.metadata["mlcourse"] = {"drill": {"tasks": [task.id], "seed": 7}}
        return nbformat.writes(nb)
    (root / "right.ipynb").write_text(drill(solution))
    (root / "wrong.ipynb").write_text(drill(f"def {task.function}(*args, **kwargs):\n    return [0.5, 0.25]"))
    done = subprocess.run([sys.executable, "-c", CODE, str(root), task.id], cwd=root, env=env_for(root),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["right"] == [[task.id, True, ""]]
    (tid, passed, message), = out["wrong"]
    assert tid == task.id and passed is False and message and "1234" not in message and "98765" not in message
