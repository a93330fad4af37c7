"""Which cells `mlcourse grade` runs: the static analysis of autograder/grading/slicing.py, case by case.

Each case is a tiny notebook (a list of cell sources) named after what it covers; the graded
function is ``f`` and cell 0 is the setup cell.
"""
from __future__ import annotations

import pytest

from autograder.grading.slicing import lean_setup, plan

SETUP = "import numpy as np\nfrom course import quiz"

KEPT = {
    "an example that only plots is left out": (
        [SETUP, "def f(x):\n    return np.sum(x)", "import matplotlib.pyplot as plt\nplt.plot([1, 2])"], [0, 1]),
    "a helper the function calls is kept, transitively": (
        [SETUP, "SCALE = 3", "def helper(x):\n    return x * SCALE", "demo = helper(2)", "def f(x):\n    return helper(x)"],
        [0, 1, 2, 4]),
    "a later cell that rebinds the function is kept": (
        [SETUP, "def f(x):\n    return 1", "print(f(2))", "f = lambda x: 2"], [0, 1, 3]),
    "a cell that mutates a global the function reads is kept": (
        [SETUP, "table = []", "table.append(5)", "def f():\n    return table", "print(len(table))"], [0, 1, 2, 3]),
    "a cell that patches an imported module is kept": (
        [SETUP, "def f(x):\n    return np.allclose(x, 0)", "import numpy\nnumpy.allclose = lambda *a, **k: True"], [0, 1, 2]),
    "a function's parameters and locals are not globals": (
        [SETUP, "X = np.ones(3)\nprint(X)", "def f(X):\n    y = X * 2\n    return y"], [0, 2]),
    "a cell with a syntax error binds nothing": (
        [SETUP, "def f(x):\n    return x", "this is not python"], [0, 1]),
    "an example's import of a module the function uses runs without the example": (
        [SETUP, "import pandas as pd\nframe = pd.DataFrame({'a': [1]})\nprint(frame)", "def f(x):\n    return pd.Series(x)"], [0, 2]),
    "quiz cells always run": (
        [SETUP, "def f(x):\n    return x", 'quiz("F1a", answer="B")', "print(3)"], [0, 1, 2]),
}

WHOLE = {
    "exec in any cell": [SETUP, "def f(x):\n    return x", 'exec("f = lambda x: 0")'],
    "globals() in any cell": [SETUP, "def f(x):\n    return x", 'globals()["f"] = None'],
    "a star import": [SETUP, "def f(x):\n    return x", "from math import *"],
    "%run": [SETUP, "def f(x):\n    return x", "%run other.py"],
    "a cell magic": [SETUP, "def f(x):\n    return x", "%%capture out\nprint(1)"],
    "a shell escape": [SETUP, "def f(x):\n    return x", "!echo hi > data.txt"],
    "sys.modules": [SETUP, "def f(x):\n    return x", "import sys\nsys.modules['numpy'].sum = len"],
    "a function that assigns a global": [SETUP, "def f():\n    return counter", "def bump():\n    global counter\n    counter = 9", "bump()"],
    "a file a left-out cell writes and a kept cell reads": [
        SETUP, "open('numbers.txt', 'w').write('1 2 3')", "def f():\n    return open('numbers.txt').read()"],
}


@pytest.mark.parametrize("case", KEPT)
def test_cells_the_verdicts_depend_on(case):
    sources, kept = KEPT[case]
    quizzes = [i for i, s in enumerate(sources) if s.startswith("quiz(")]
    found = plan(sources, {"f"}, setup=0, always=quizzes)
    assert not found.whole, found.reason
    assert found.cells == kept


@pytest.mark.parametrize("case", WHOLE)
def test_what_the_analysis_cannot_follow_runs_the_whole_notebook(case):
    found = plan(WHOLE[case], {"f"}, setup=0)
    assert found.whole and found.cells == list(range(len(WHOLE[case])))
    assert found.reason and "\n" not in found.reason


def test_quiz_cells_with_literal_answers_need_not_run():
    from autograder.grading.slicing import literal_quiz

    assert literal_quiz('quiz("F7a", answer="B")') and literal_quiz('quiz("F7b", answer=["A", "C"])')
    assert literal_quiz('quiz("F12c", answer=0.25)')
    assert not literal_quiz('quiz("F7a", answer=pick())') and not literal_quiz('quiz("F7a")\nx = 1')


def test_imports_of_left_out_cells_are_run_when_needed():
    found = plan([SETUP, "import pandas as pd\nfrom scipy import stats\nprint(pd, stats)", "def f(x):\n    return pd.Series(x)"],
                 {"f"}, setup=0)
    assert found.cells == [0, 2] and found.imports == ["import pandas as pd"]


def test_the_setup_cell_leaves_out_matplotlib_when_nothing_plots():
    setup = "%matplotlib inline\nimport numpy as np\nimport matplotlib.pyplot as plt\nfrom course import quiz\nplt.rcParams.update({})"
    lean = lean_setup(setup, {"np", "quiz"})
    assert "matplotlib" not in lean and "plt" not in lean
    assert "import numpy as np" in lean and "from course import quiz" in lean
    assert "matplotlib" in lean_setup(setup, {"np", "quiz", "plt"})


def test_the_course_package_check_of_the_setup_cell_neither_blocks_slicing_nor_stays_in_the_lean_cell():
    from course.notebook import COURSE_IMPORT_GUARD

    setup = f"{COURSE_IMPORT_GUARD}\n%matplotlib inline\nimport numpy as np\nfrom course import quiz"
    found = plan([setup, "x = np.ones(3)", "print('a plot')", "def f():\n    return x"], {"f"}, setup=0)
    assert not found.whole and found.cells == [0, 1, 3], found
    lean = lean_setup(setup, {"np", "quiz", "x"})
    assert "CourseNotInstalled" not in lean and "import numpy as np" in lean and "from course import quiz" in lean
