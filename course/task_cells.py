"""The cells of coding tasks on a chosen variant, as drills show them, for review and interview notebooks."""
from __future__ import annotations

from pathlib import Path

from .drills import _cell, _imports, _release_cells, _statement_and_stub
from .tasks import Task


def task_cells(tasks: list[Task], seed: int, release_root: Path) -> tuple[list[str], list[dict]]:
    """The import lines the tasks need and, per task, its statement, inputs, stub and check cells.

    Parameters
    ----------
    tasks : list of Task
        Tasks that vary per learner (``make_data`` is declared).
    seed : int
        The variant every task uses.
    release_root : Path
        The course's ``release/`` folder, where the statements and stubs are read.

    Returns
    -------
    (list of str, list of dict)
        Import statements (one per line) and the notebook cells.
    """
    release = {a: _release_cells(release_root, a) for a in dict.fromkeys(t.assignment for t in tasks)}
    texts = {t.id: _statement_and_stub(release[t.assignment], t) for t in tasks}
    imports = list(dict.fromkeys(["import numpy as np"]
                                 + [i for t in tasks for i in _imports(release[t.assignment], t, "\n".join(texts[t.id]))
                                    if not i.startswith("from course import")]
                                 + ["from course import check, hint", "from course.drills import drill_data"]))
    cells = []
    for task in tasks:
        statement, stub = texts[task.id]
        cells.append(_cell("markdown", f"### {task.question} · {task.title}\n\n{statement}"))
        cells.append(_cell("code", f'data = drill_data("{task.id}", seed={seed})  # this variant\'s inputs\n'
                                   "{k: getattr(v, 'shape', v) for k, v in data.items()}"))
        cells.append(_cell("code", stub, mlcourse={"task": task.id}))
        cells.append(_cell("code", f'check("{task.id}", seed={seed})', mlcourse={"check": task.id}))
    return imports, cells
