"""A sliced run (only the cells the verdicts depend on) gives every submission the verdicts of a whole run.

The whole assignment 1 notebook (worked examples and plots included), five students: the reference,
the typical wrong answers, and three that try to use the slicing: a wrong function bound in a later
example cell, the same through ``globals()`` (which the analysis cannot follow, so the notebook runs
whole), and a correct solution that calls a helper defined in an example cell. Graded once by default
and once with ``--full``; every graded cell must get the same status in both.
"""
from __future__ import annotations

import json
import sys

import nbformat
import pytest

from conftest import ASSIGNMENT, REPO, copy_course, mlcourse, submit

sys.path.insert(0, str(REPO / "tests"))
import _support as S  # noqa: E402

TASK, FUNCTION = "pca_svd", "pca_svd"
WRONG_FUNCTION = "def pca_svd(X, n_components):\n    return np.eye(n_components, np.shape(X)[1]), np.ones(n_components) / n_components\n"
HELPER = "def centred(X):\n    X = np.asarray(X, dtype=float)\n    return X - X.mean(axis=0)\n\nprint(centred([[1.0], [3.0]]))\n"
USES_HELPER = ('def pca_svd(X, n_components):\n    Z = centred(X)\n    if not 1 <= n_components <= min(Z.shape):\n'
               '        raise ValueError("n_components out of range")\n    _, s, vt = np.linalg.svd(Z, full_matrices=False)\n'
               '    return vt[:n_components], s[:n_components] ** 2 / np.sum(s ** 2)\n')


def _with_example(nb, source: str, after: str = TASK):
    """``nb`` with a new (ungraded) code cell ``source`` a few cells after the solution cell of ``after``."""
    out = nbformat.from_dict(json.loads(json.dumps(nb)))
    at = next(i for i, c in enumerate(out.cells) if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == after)
    out.cells.insert(at + 3, nbformat.v4.new_code_cell(source))
    return out


def _statuses(root, student) -> dict:
    record = json.loads((root / "autograded" / student / ASSIGNMENT / ".mlcourse-grade.json").read_text())
    return {v["grade_id"]: v["status"] for v in record["verdicts"]}


@pytest.fixture(scope="module")
def graded_both_ways(tmp_path_factory):
    root = copy_course(tmp_path_factory.mktemp("sliced") / "course", full=True)
    assert mlcourse(root, "build", ASSIGNMENT, "--no-check").returncode == 0
    S.pin_hidden_seeds(root, ASSIGNMENT)
    source = nbformat.read(next((root / "source" / ASSIGNMENT).glob("*.ipynb")), 4)
    wrong = S.wrong_submission(ASSIGNMENT, source, {t.id: S.load_wrong_answers()[t.id] for t in S.tasks_of(ASSIGNMENT)})
    helper = _with_example(source, HELPER, after="stratified_split")
    for cell in helper.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == TASK:
            cell.source = USES_HELPER
    texts = {"reference": source, "wrong": wrong,
             "rebinds-later": _with_example(source, WRONG_FUNCTION),
             "rebinds-through-globals": _with_example(source, f'globals()["{FUNCTION}"] = lambda X, n: (None, None)\n'),
             "helper-in-an-example": helper}
    submit(root, {k: nbformat.writes(v) for k, v in texts.items()})
    runs = {}
    for mode in ("sliced", "full"):
        proc = mlcourse(root, "grade", ASSIGNMENT, "--workers", "2", *(["--full"] if mode == "full" else []), timeout=1800)
        assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr[-3000:]
        runs[mode] = {s: _statuses(root, s) for s in texts}
        runs[mode, "notebook"] = json.loads(next((root / "autograded" / "reference" / ASSIGNMENT).glob("*.ipynb")).read_text())
    return runs


@pytest.mark.slow
@pytest.mark.parametrize("student", ["reference", "wrong", "rebinds-later", "rebinds-through-globals", "helper-in-an-example"])
def test_a_sliced_run_gives_the_verdicts_of_a_whole_run(graded_both_ways, student):
    sliced, full = graded_both_ways["sliced"][student], graded_both_ways["full"][student]
    assert sliced == full, {g: (sliced[g], full.get(g)) for g in sliced if sliced[g] != full.get(g)}


@pytest.mark.slow
def test_slicing_cannot_be_used_to_skip_a_cell_that_fails_the_submission(graded_both_ways):
    runs = graded_both_ways["sliced"]
    assert runs["reference"][f"{TASK}_tests"] == "passed"
    assert runs["helper-in-an-example"][f"{TASK}_tests"] == "passed"
    assert runs["rebinds-later"][f"{TASK}_tests"] != "passed"
    assert runs["rebinds-through-globals"][f"{TASK}_tests"] != "passed"


@pytest.mark.slow
def test_the_autograded_notebook_says_which_cells_did_not_run(graded_both_ways):
    sliced_first = "".join(graded_both_ways["sliced", "notebook"]["cells"][0]["source"])
    full_first = "".join(graded_both_ways["full", "notebook"]["cells"][0]["source"])
    assert sliced_first.startswith("**Graded without running") and "--full" in sliced_first
    assert not full_first.startswith("**Graded without running")
