"""Worked examples say what to write when the learner's function is not written yet.

In a release notebook every task function starts as a stub that raises ``NotImplementedError``. A
worked-example cell that calls one must catch it and print which function to write, instead of
showing a learner a traceback for a task they have not reached.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "source").glob("*/*.ipynb"))


def _nbgrader(cell) -> dict:
    return cell["metadata"].get("nbgrader", {})


def task_functions(cells) -> set[str]:
    """Names of the functions defined in the notebook's solution cells."""
    names = set()
    for cell in cells:
        if cell["cell_type"] == "code" and _nbgrader(cell).get("solution"):
            names |= set(re.findall(r"^def (\w+)\(", "".join(cell["source"]), re.M))
    return names


def unguarded_calls(source: str, functions: set[str]) -> list[str]:
    """Task functions called in ``source`` outside a ``try`` that handles ``NotImplementedError``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:          # a cell with IPython magics calls no task function
        return []

    def handles(node: ast.Try) -> bool:
        for handler in node.handlers:
            caught = handler.type
            names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
            if any(isinstance(n, ast.Name) and n.id == "NotImplementedError" for n in names):
                return True
        return False

    found = []

    def visit(node, guarded: bool, local_defs: frozenset):
        if isinstance(node, ast.Try) and handles(node):
            for child in node.body:
                visit(child, True, local_defs)
            for child in node.handlers + node.orelse + node.finalbody:
                visit(child, guarded, local_defs)
            return
        if isinstance(node, (ast.FunctionDef, ast.Lambda)):
            return                    # a helper's body runs where it is called, checked there
        if isinstance(node, ast.Call) and not guarded:
            target = node.func.id if isinstance(node.func, ast.Name) else None
            if target in functions or target in local_defs:
                found.append(target)
        for child in ast.iter_child_nodes(node):
            visit(child, guarded, local_defs)

    helpers = frozenset(
        f.name for f in tree.body if isinstance(f, ast.FunctionDef)
        and any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in functions
                for n in ast.walk(f)))
    for statement in tree.body:
        visit(statement, False, helpers)
    return sorted(set(found))


def test_unguarded_calls_sees_direct_and_helper_calls():
    functions = {"task"}
    assert unguarded_calls("x = task(1)", functions) == ["task"]
    assert unguarded_calls("def helper():\n    return task(1)\nhelper()", functions) == ["helper"]
    assert unguarded_calls("try:\n    task(1)\nexcept NotImplementedError:\n    print('write task')", functions) == []
    assert unguarded_calls("try:\n    task(1)\nexcept (NotImplementedError, NameError):\n    pass", functions) == []
    assert unguarded_calls("try:\n    task(1)\nexcept ValueError:\n    pass", functions) == ["task"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.parent.name)
def test_worked_examples_handle_an_unwritten_task(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    functions = task_functions(cells)
    problems = []
    for index, cell in enumerate(cells):
        meta = _nbgrader(cell)
        if cell["cell_type"] != "code" or meta.get("solution") or meta.get("grade"):
            continue
        calls = unguarded_calls("".join(cell["source"]), functions)
        if calls:
            problems.append(f"cell {index} ({cell.get('id')}) calls {', '.join(calls)}")
    assert not problems, (
        f"{path.relative_to(ROOT)}: wrap these calls in `try: ... except NotImplementedError: "
        "print(\"Write <function> above to run this cell.\")`:\n  " + "\n  ".join(problems))
