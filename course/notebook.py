"""Reading a course notebook and checking its structure, with one clear sentence per problem."""
from __future__ import annotations

import json
import re
import warnings
from pathlib import Path


#: ``grade_id`` of every assignment's setup cell (its imports), which drills and the grader's reference reuse.
SETUP_ID = "setup"

#: The first lines of every setup cell (and of the notebooks ``mlcourse`` writes): in a kernel whose Python
#: lacks the course package, the cell says in one sentence what to do instead of showing a traceback
#: (IPython shows what an exception's ``_render_traceback_`` returns). It must not need the package itself.
COURSE_IMPORT_GUARD = """\
try:
    import course
except ModuleNotFoundError as missing:
    class CourseNotInstalled(Exception):
        def _render_traceback_(self):  # Jupyter shows this sentence instead of a traceback
            return [str(self)]
    raise CourseNotInstalled(
        f"This notebook's kernel cannot import the course package (no module named {missing.name!r}): "
        "on JupyterHub, ask your instructor to install the course where jupyterhub-singleuser runs, then restart "
        "your server from File > Hub Control Panel; on your own computer, run `bash start.sh` in the course folder."
    ) from None"""

QUIZ_CALL = re.compile(r"""quiz\(\s*["']([A-Z]\d+[a-z])["']""")

#: Marks a newer release of a notebook put next to the learner's own copy (``foundations.course-update-2026-12-03.ipynb``).
UPDATE_MARK = ".course-update-"


def is_update_copy(path: Path | str) -> bool:
    """Whether ``path`` is a course update put next to a learner's notebook, not the learner's own notebook."""
    return UPDATE_MARK in Path(path).name


class NotebookProblem(ValueError):
    """A notebook that cannot be used as given; the message says what is wrong and what to do."""


def read_notebook(path: Path | str) -> nbformat.NotebookNode:
    """Read a notebook as nbformat 4, or raise :class:`NotebookProblem` saying why it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise NotebookProblem(f"{path} does not exist: check the path (notebooks live in release/<assignment>/).")
    if path.is_dir():
        raise NotebookProblem(f"{path} is a folder: give the .ipynb file inside it.")
    if path.suffix != ".ipynb":
        raise NotebookProblem(f"{path} is not a notebook (.ipynb): give the notebook file of the assignment.")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise NotebookProblem(f"{path} is not valid notebook JSON (damaged or not a notebook): restore it from a checkpoint or a fresh copy.") from None
    if not isinstance(raw, dict) or "cells" not in raw and "worksheets" not in raw:
        raise NotebookProblem(f"{path} is JSON but not a Jupyter notebook: give the assignment's .ipynb file.")
    import nbformat  # imported here: it takes seconds to import, and progress does not need it

    try:
        with warnings.catch_warnings():
            # nbformat warns about duplicate or missing cell ids and fixes them; that is not the reader's business
            warnings.simplefilter("ignore")
            nb = nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as err:  # nbformat raises several types for malformed notebooks
        raise NotebookProblem(f"{path} is not a readable notebook ({type(err).__name__}): restore it from a fresh copy.") from None
    return nb


def read_cells(path: Path | str) -> tuple[dict, list[dict]]:
    """Read a saved notebook quickly as plain JSON: ``(metadata, cells)``, each cell's source one string.

    For read-only summaries (progress, reports) of notebooks in nbformat 4; raises
    :class:`NotebookProblem` when the file cannot be read as one.
    """
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        cells = raw["cells"]
        metadata = raw.get("metadata", {})
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise NotebookProblem(f"{path} cannot be read as a notebook.") from None
    for cell in cells:
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    return metadata, cells


def assignment_of(nb, path: Path | str = "notebook") -> str:
    """The assignment a notebook belongs to, from its ``mlcourse`` metadata."""
    name = nb.metadata.get("mlcourse", {}).get("assignment")
    if not name:
        raise NotebookProblem(f"{path} is not a notebook of this course (it has no course metadata): open one from release/.")
    return name


def grade_id(cell) -> str | None:
    """The nbgrader grade id of a cell, if it has one."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def is_graded(cell) -> bool:
    """Whether nbgrader grades this cell (an autograder test cell)."""
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("grade"))


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def quiz_ids(nb) -> list[str]:
    """Quiz ids in notebook order, from the cells tagged ``quiz`` that show a quiz."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "quiz" in tags(cell):
            match = QUIZ_CALL.search(cell.source)
            if match and not is_graded(cell):
                found.append(match.group(1))
    return found


def check_cells(nb, path, required) -> None:
    """Raise :class:`NotebookProblem` if any of the ``required`` grade ids (in this order) was
    deleted, retyped, duplicated or moved out of order."""
    present = [gid for gid in (grade_id(c) for c in nb.cells) if gid]
    duplicated = sorted({g for g in present if present.count(g) > 1})
    if duplicated:
        raise NotebookProblem(f"{path} has duplicated cells ({', '.join(duplicated)}): delete the copies and keep one of each.")
    missing = [g for g in required if g not in present]
    if missing:
        raise NotebookProblem(
            f"{path} is missing the cells {', '.join(missing)} (deleted or retyped): copy your answers into a fresh copy of the release notebook."
        )
    if [g for g in present if g in required] != list(required):
        raise NotebookProblem(
            f"{path} has its task cells in a different order than the assignment: move them back, or copy your answers into a fresh copy of the release notebook."
        )


def cell_text(cell) -> str:
    """A cell's source as one string (notebook files may store it as a list of lines)."""
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def imports_of(source: str) -> list[tuple[str, set]]:
    """The top-level import statements of a code cell, each with the names it binds (magics ignored).

    Example: ``"import numpy as np"`` gives ``[("import numpy as np", {"np"})]``.
    """
    import ast

    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return []
    return [(ast.unparse(node), {(a.asname or a.name).split(".")[0] for a in node.names})
            for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
