"""The first cell of every notebook, in a kernel whose Python lacks the course package (a hub server
where nobody installed it): one sentence saying what to do, no traceback. With the package, the same
cell runs silently (every test that runs a notebook shows that)."""
from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime, timedelta, timezone

import nbformat
import pytest

import _support as S
from course.notebook import COURSE_IMPORT_GUARD, SETUP_ID


def _setup_source(assignment: str) -> str:
    return next(c.source for c in S.read(S.source_notebook(assignment)).cells if S.grade_id(c) == SETUP_ID)


@pytest.mark.parametrize("assignment", S.assignments())
def test_the_setup_cell_checks_for_the_course_package_before_anything_else(assignment):
    source = _setup_source(assignment)
    assert COURSE_IMPORT_GUARD in source, f"{assignment}: the setup cell must start with course.notebook.COURSE_IMPORT_GUARD"
    before = source[:source.index(COURSE_IMPORT_GUARD)]
    # Only settings that must precede numpy's import (OMP_NUM_THREADS) may come first: not a magic, not a package.
    assert all(line.startswith(("import os", "os.environ")) for line in before.splitlines()), before


@pytest.fixture(scope="module")
def kernel_without_course(tmp_path_factory):
    """``(kernel name, kernel folder)`` of a Jupyter kernel whose Python has Jupyter, numpy... but not the course."""
    folder = tmp_path_factory.mktemp("no-course")
    python = S.python_without_course(folder)
    probe = subprocess.run([str(python), "-c", "import ipykernel, numpy; import course"], cwd=folder,
                           env=S.without_course_env(), capture_output=True, text=True)
    assert "No module named 'course'" in probe.stderr, probe.stderr   # the premise: Jupyter yes, the course no
    spec = folder / "kernels" / "no-course"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python without the course", "language": "python"}), encoding="utf-8")
    return "no-course", folder


def _generated_first_cells(tmp_path, monkeypatch) -> dict[str, str]:
    """The first code cell of each notebook ``mlcourse`` writes: a drill, a review, a mock interview."""
    from course import history
    from course.drills import drillable_tasks, make_drill
    from course.interview import make_interview
    from course.review import make_review

    monkeypatch.setenv("MLCOURSE_HOME", str(tmp_path / "home"))
    release = S.REPO / "release"
    past = datetime.now(timezone.utc) - timedelta(days=30)
    task = drillable_tasks("F")[0]
    events = [history.quiz_event("F7a", False, "quiz", past), history.task_event(task.id, task.question, "failed", "drill", past)]
    made = {"drill": make_drill("ada", None, release), "review": make_review("ada", release, events=events),
            "interview": make_interview("ada", release)}
    return {name: next(_text(c) for c in nb["cells"] if c["cell_type"] == "code") for name, nb in made.items()}


def _text(cell) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def test_without_the_course_package_each_first_cell_says_one_sentence(kernel_without_course, tmp_path, monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    name, folder = kernel_without_course
    firsts = {a: _setup_source(a) for a in S.assignments()} | _generated_first_cells(tmp_path, monkeypatch)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in firsts.values()])
    km = KernelManager(kernel_name=name, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(folder / "kernels")]))
    client = NotebookClient(nb, km=km, allow_errors=True, timeout=60, resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=S.without_course_env())
    for (which, _), cell in zip(firsts.items(), nb.cells):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert len(errors) == 1 and len(cell.outputs) == 1, (which, cell.outputs)
        shown = "\n".join(errors[0].traceback)          # what JupyterLab and Notebook 7 show
        assert errors[0].traceback == [shown] and "\n" not in shown and "Traceback" not in shown, (which, shown)
        assert "no module named 'course'" in shown and "jupyterhub-singleuser" in shown, (which, shown)
        assert "Hub Control Panel" in shown and "bash start.sh" in shown, (which, shown)
        assert shown.endswith(".") and not re.search(r"[.!?]\s+[A-Z]", shown), f"{which}: not one sentence: {shown}"
