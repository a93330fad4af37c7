"""Every section stands alone: a learner who jumps to F4 from the table of contents runs the notebook's
setup cell and then F4 only, and nothing fails except their own unsolved stub.

For every assignment, one kernel (a background job of conftest.py, on a copy of the course) runs each section of the source notebook as a learner has it (solutions
replaced by nbgrader's stub, hidden tests removed) after a ``%reset -f`` and the setup cell, so no name
leaks from an earlier section. Errors allowed: the stub's ``NotImplementedError`` and a test cell's
*not attempted*; anything else (a ``NameError`` for an import that lives in another section, say) fails.
"""
from __future__ import annotations

import re

import nbformat
import pytest

import _support as S

pytestmark = pytest.mark.slow

SETUP_ID = "setup"
SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*$", re.M | re.S)
STUB = "{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError()"
MARK = "# mlcourse-section "


def section_of(cell) -> str | None:
    """The syllabus question a cell belongs to (its ``q:F4`` tag)."""
    return next((t[2:] for t in cell.metadata.get("tags", []) if t.startswith("q:")), None)


def as_learner_has_it(cell):
    """A code cell as released: the solution replaced by the stub, hidden tests removed."""
    cell = nbformat.from_dict(dict(cell))
    if cell.metadata.get("nbgrader", {}).get("solution"):
        cell.source = SOLUTION.sub(lambda m: STUB.format(indent=m.group(1)), cell.source)
    cell.source = S.HIDDEN.sub("", cell.source)
    cell.outputs, cell.execution_count = [], None
    return cell


def sections(nb) -> dict[str, list]:
    """``{question: its code cells}`` in notebook order (a question's cells may be split by part headings)."""
    found: dict[str, list] = {}
    for cell in nb.cells:
        question = section_of(cell)
        if question and cell.cell_type == "code":
            found.setdefault(question, []).append(cell)
    return found


def section_runs(nb) -> nbformat.NotebookNode:
    """One notebook that runs, for every section, ``%reset -f``, the setup cell and that section alone."""
    setup = next((c for c in nb.cells if S.grade_id(c) == SETUP_ID), None)
    assert setup is not None, "the notebook has no setup cell (grade_id 'setup')"
    run = nbformat.v4.new_notebook(metadata=nb.metadata)
    for question, cells in sections(nb).items():
        run.cells.append(nbformat.v4.new_code_cell(f"{MARK}{question}\n%reset -f"))
        run.cells.append(as_learner_has_it(setup))
        run.cells += [as_learner_has_it(c) for c in cells]
    return run


STUB_ERRORS = ("NotImplementedError", "WrittenElsewhere")  # the stub, or a function written in another section


def allowed(error: str, unset: set) -> bool:
    """The learner's unsolved stub: raised directly, through a test cell's *not attempted*, or as a
    ``NameError`` for a name (in ``unset``) that a cell stopped by the stub did not get to define."""
    if error.startswith(STUB_ERRORS) or (error.startswith("TaskNotPassed") and "not attempted" in error):
        return True
    missing = re.match(r"NameError: name '(\w+)' is not defined", error)
    return bool(missing) and missing.group(1) in unset


def assigned_names(source: str) -> set:
    """Names a cell binds at its top level (assignments, imports, definitions)."""
    import ast

    try:
        tree = ast.parse(S.plain_python(source))
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def test_only_the_stub_and_what_it_left_undefined_are_excused():
    assert allowed("NotImplementedError: ", set()) and allowed("TaskNotPassed: f: not attempted: stub", set())
    assert allowed("NameError: name 'item_vectors' is not defined", {"item_vectors"})
    assert not allowed("NameError: name 'make_pipeline' is not defined", {"item_vectors"})
    assert not allowed("TaskNotPassed: f: failed: wrong shape", set()) and not allowed("ValueError: bad", set())


def test_a_stub_cell_is_what_nbgrader_releases():
    cell = nbformat.v4.new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n")
    cell.metadata["nbgrader"] = {"solution": True, "grade_id": "f"}
    assert as_learner_has_it(cell).source == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"


@pytest.mark.parametrize("assignment", S.assignments())
def test_every_section_runs_on_its_own_after_the_setup_cell(assignment, section_runs, report):
    from autograder.execute import cell_error

    run, stopped, seconds = section_runs[assignment]
    report(f"sections of {assignment} run one by one: {seconds:.0f} s")
    assert stopped is None, f"{assignment}: the run stopped: {stopped}"
    problems, question, unset = [], None, set()
    for cell in run.cells:
        if cell.source.startswith(MARK):
            question, unset = cell.source[len(MARK):].splitlines()[0], set()
            continue
        error = cell_error(cell)
        if error and allowed(error, unset):
            unset |= assigned_names(cell.source)
        elif error:
            first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
            problems.append(f"{question}: {error.splitlines()[0][:200]} (in the cell starting {first!r})")
    assert not problems, f"{assignment}: sections that fail on their own:\n" + "\n".join(problems)


def test_graded_quiz_cells_are_collapsed_in_source_and_release(scratch_copy):
    """Each quiz's graded cell shows only its comment line to a learner: collapsed, with that line as its
    label. ``mlcourse build`` keeps (and adds) the setting in release/."""
    from autograder.build import generate
    from autograder.coursedir import CourseDir

    assignment = next(a for a in S.graded_assignments(scratch_copy) if S.quiz_cells(S.read(S.source_notebook(a, scratch_copy))))
    source = S.read(S.source_notebook(assignment, scratch_copy))
    graded = [c for c in source.cells if S.is_graded(c) and S.grade_id(c).startswith("quiz_")]
    assert graded and all(c.metadata.get("jupyter", {}).get("source_hidden") for c in graded)
    assert all(c.source.startswith("# Graded") for c in graded), "the first line is the collapsed cell's label"
    del graded[0].metadata["jupyter"]                      # a quiz cell added without the setting
    S.write(source, S.source_notebook(assignment, scratch_copy))
    generate(CourseDir(scratch_copy), assignment)
    released = [c for c in S.read(S.release_notebook(assignment, scratch_copy)).cells
                if S.is_graded(c) and S.grade_id(c).startswith("quiz_")]
    assert len(released) == len(graded) and all(c.metadata["jupyter"]["source_hidden"] for c in released)
