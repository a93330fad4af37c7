"""Every scikit-learn, shap and Optuna name the course mentions exists in the installed libraries.

The notebooks' explanations name APIs in prose (`sklearn.frozen.FrozenEstimator`), in worked examples
(`from sklearn.metrics import root_mean_squared_error`) and in quiz texts. A name that a library renamed
or removed, or one that only exists in a newer release than the pinned minimum, fails here with the
place it was found, so the reviewer fixes the text or the pin instead of a learner finding out.
"""
from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = ("sklearn", "shap", "optuna")
DOTTED = re.compile(r"\b((?:%s)(?:\.[A-Za-z_][A-Za-z0-9_]*)+)" % "|".join(LIBRARIES))
ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if (p / "quizzes.yaml").exists())


def resolve(dotted: str) -> bool:
    """Whether ``dotted`` (``package.module.Name.attr``) names something importable."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return True
    return False


def code_imports(source: str) -> list[str]:
    """``package.module.name`` for every ``from <library>... import name`` in a code cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError:          # a cell with IPython magics
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in LIBRARIES:
            names += [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names if alias.name.split(".")[0] in LIBRARIES]
    return names


def mentions(assignment: str) -> list[tuple[str, str]]:
    """``(where, name)`` for every library name in the assignment's notebook and quiz file."""
    folder = ROOT / "source" / assignment
    found = []
    for notebook in sorted(folder.glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            text = "".join(cell["source"])
            where = f"{notebook.relative_to(ROOT)} cell {index} ({cell.get('id')})"
            found += [(where, name.rstrip(".")) for name in DOTTED.findall(text)]
            if cell["cell_type"] == "code":
                found += [(where, name) for name in code_imports(text)]
    quizzes = folder / "quizzes.yaml"
    for number, line in enumerate(quizzes.read_text(encoding="utf-8").splitlines(), 1):
        found += [(f"{quizzes.relative_to(ROOT)} line {number}", name.rstrip(".")) for name in DOTTED.findall(line)]
    return found


def text_mentions(path: Path) -> list[tuple[str, str]]:
    """``(where, name)`` for library names in the string literals (hints, messages, docstrings) of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            where = f"{path.relative_to(ROOT)} line {node.lineno}"
            found += [(where, name.rstrip(".")) for name in DOTTED.findall(node.value)]
    return found


COURSE_MODULES = sorted((ROOT / "course" / "tasks").rglob("*.py")) + sorted((ROOT / "course" / "datasets").glob("*.py"))


def test_resolve_tells_real_names_from_missing_ones():
    assert resolve("sklearn.model_selection.StratifiedKFold")
    assert resolve("sklearn.model_selection.StratifiedKFold.split")
    assert not resolve("sklearn.model_selection.StratifiedKFolds")
    assert not resolve("sklearn.no_such_module.Thing")


def test_mentions_finds_prose_and_imports(tmp_path):
    assert code_imports("from sklearn.frozen import FrozenEstimator\nimport optuna") == [
        "sklearn.frozen.FrozenEstimator", "optuna"]
    assert DOTTED.findall("wrap it in `sklearn.frozen.FrozenEstimator`.") == ["sklearn.frozen.FrozenEstimator"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_named_api_exists(assignment):
    missing = sorted({f"{where}: {name}" for where, name in mentions(assignment) if not resolve(name)})
    assert not missing, (
        "These names do not exist in the installed scikit-learn/shap/Optuna; fix the text, or raise the "
        "minimum version in pyproject.toml if the course needs a newer release:\n  " + "\n  ".join(missing))


def test_hints_and_messages_name_existing_apis():
    missing = sorted({f"{where}: {name}" for path in COURSE_MODULES for where, name in text_mentions(path)
                      if not resolve(name)})
    assert not missing, "Hints or messages name APIs that do not exist:\n  " + "\n  ".join(missing)
