"""Short auto-graded drills: one to three tasks on a learner's own variant of the data.

A variant is data, not a copy of the task: every task declares ``make_data(seed)``, and a drill
only chooses the seed, derived from the learner's name and the topic, so the same learner always
gets the same numbers and two learners get different ones.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import json

from .notebook import COURSE_IMPORT_GUARD, SETUP_ID, cell_text, grade_id, imports_of, is_graded, read_cells, tags
from .tasks import ASSIGNMENT_MODULES, Task, assignment_tasks, find_task
from .variants import seed_from

MAX_TASKS = 3


class DrillError(ValueError):
    """A drill that cannot be made as asked; the message says what to do instead."""


def learner_seed(learner: str, topic: str) -> int:
    """The variant seed of ``learner`` for ``topic``: stable, never 0 (0 is the notebook's example)."""
    return seed_from("mlcourse-drill", learner.strip().lower(), topic)


def drillable_tasks(topic: str | None = None) -> list[Task]:
    """Tasks that can vary per learner, for one syllabus question (``F6``), a section (``F``) or all."""
    tasks = [t for a in ASSIGNMENT_MODULES for t in assignment_tasks(a) if t.make_data is not None]
    if topic:
        topic = topic.strip().upper()
        tasks = [t for t in tasks if t.question == topic or (topic.isalpha() and t.question.startswith(topic))]
    return tasks


def choose(learner: str, topic: str | None) -> tuple[int, list[Task]]:
    """The seed and the tasks of a learner's drill: one to three, plus any they need (:attr:`Task.needs`)."""
    pool = drillable_tasks(topic)
    if not pool:
        known = sorted({t.question for t in drillable_tasks()}, key=lambda q: (q[0], int(q[1:])))
        raise DrillError(f"No drill for topic {topic!r}: choose one of {', '.join(known)} (or a section letter such as F).")
    seed = learner_seed(learner, topic or "any")
    picked = random.Random(seed).sample(pool, k=min(MAX_TASKS, len(pool)))
    needed = [find_task(n) for t in picked for n in t.needs if n not in {p.id for p in picked}]
    order = {t.id: i for i, t in enumerate(drillable_tasks())}
    return seed, sorted(dict.fromkeys(needed + picked), key=lambda t: order.get(t.id, -1))


def drill_data(task_id: str, seed: int) -> dict:
    """The inputs of variant ``seed`` of a task (what the drill notebook gives the learner)."""
    return find_task(task_id).data(seed)


def _cell(kind: str, source: str, **metadata) -> dict:
    cell = {"cell_type": kind, "metadata": metadata, "source": source}
    if kind == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def _release_cells(release_root: Path, assignment: str) -> list[dict] | None:
    notebooks = sorted((release_root / assignment).glob("*.ipynb"))
    return read_cells(notebooks[0])[1] if notebooks else None


def _statement_and_stub(cells: list[dict] | None, task: Task) -> tuple[str, str]:
    if cells is None:
        return f"Write `{task.function}`.", f"def {task.function}(*args, **kwargs):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    for i, cell in enumerate(cells):
        if grade_id(cell) == task.id:
            if not is_released_stub(cell):
                raise DrillError(
                    f"The stub of task {task.id} in release/{task.assignment}/ was edited, and a drill starts from the "
                    f"course's blank stub: restore it with `git checkout -- release/{task.assignment}` "
                    "(your own work belongs in my-work/, which that leaves alone).")
            statement = next((cell_text(c) for c in reversed(cells[:i]) if c["cell_type"] == "markdown"), "")
            return statement, cell_text(cell)
    raise DrillError(f"Task {task.id} is missing from release/{task.assignment}/: rebuild the course with `mlcourse build`.")


def is_released_stub(cell: dict) -> bool:
    """Whether a solution cell is exactly as ``mlcourse build`` released it (nbgrader's checksum of it).

    A cell without a checksum (a notebook not made by nbgrader) counts as released."""
    from nbformat import from_dict
    from nbgrader.utils import compute_checksum

    want = cell.get("metadata", {}).get("nbgrader", {}).get("checksum")
    return want is None or compute_checksum(from_dict({**cell, "source": cell_text(cell)})) == want


_PLOTTING = {"plt", "matplotlib", "sns", "seaborn"}


def _imports(cells: list[dict] | None, task: Task, mentioned: str) -> list[str]:
    """The imports a learner has at hand in the assignment when writing ``task``: the setup cell's, those
    of the worked examples in the task's section (cells tagged ``q:<question>``), and any other import of
    a name the statement or the stub (``mentioned``) uses. Plotting libraries only when mentioned: they
    take a second to import in every graded run, and a drill is about the function."""
    if cells is None:
        return []
    section = f"q:{task.question}"
    words = set(re.findall(r"[A-Za-z_]\w*", mentioned))
    return [statement for c in cells if c["cell_type"] == "code" and not is_graded(c)
            for statement, names in imports_of(cell_text(c))
            if names & words or ((grade_id(c) == SETUP_ID or section in tags(c)) and not names & _PLOTTING)]


def make_drill(learner: str, topic: str | None, release_root: Path) -> dict:
    """Build the drill notebook of ``learner`` for ``topic`` (an nbformat 4 notebook as a dict).

    Statements and stubs come from the released notebooks in ``release_root`` (the course's blank
    copies, never the learner's working copy), so a drill never starts from the learner's own code.
    """
    seed, tasks = choose(learner, topic)
    metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "mlcourse": {"drill": {"learner": learner, "topic": topic or "any", "seed": seed, "tasks": [t.id for t in tasks]}},
    }
    release = {a: _release_cells(release_root, a) for a in dict.fromkeys(t.assignment for t in tasks)}
    texts = {t.id: _statement_and_stub(release[t.assignment], t) for t in tasks}
    imports = dict.fromkeys(["import numpy as np"]
                            + [i for t in tasks for i in _imports(release[t.assignment], t, "\n".join(texts[t.id]))
                               if not i.startswith("from course import")]
                            + ["from course import check, hint", "from course.drills import drill_data"])
    cells = []
    cells.append(_cell("markdown", 
        f"# Drill for {learner}: {', '.join(t.title for t in tasks)}\n\n"
        f"Your own variant (seed {seed}): the inputs differ from the assignment's and from other learners'. "
        "Write each function, run its check cell, and grade the whole drill from a terminal with "
        "`mlcourse drill --grade <this notebook>`. Hidden tests use other inputs too. "
        "To plot your variant, `import matplotlib.pyplot as plt` first."
    ))
    cells.append(_cell("code", "\n".join([COURSE_IMPORT_GUARD, *imports])))
    for task in tasks:
        statement, stub = texts[task.id]
        cells.append(_cell("markdown", f"## {task.question} · {task.title}\n\n{statement}"))
        cells.append(_cell("code",
            f'data = drill_data("{task.id}", seed={seed})  # your variant\'s inputs\n'
            "{k: getattr(v, 'shape', v) for k, v in data.items()}"
        ))
        cells.append(_cell("code", stub, mlcourse={"task": task.id}))
        cells.append(_cell("code", f'check("{task.id}", seed={seed})', mlcourse={"check": task.id}))
    for index, cell in enumerate(cells):
        cell["id"] = f"drill-{index}"
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def write_drill(nb, path: Path) -> Path:
    """Write a drill notebook, refusing to overwrite one that exists (it may hold the learner's work)."""
    if path.exists():
        raise DrillError(f"{path} already exists and may hold your work: open it, or give another --out.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
