"""Small named submissions, built from the release notebook: one per attack or fault class.

Each builder takes the release notebook (nbformat 4) with the reference solution of the first task
filled in and its quizzes answered (``solved``), and returns the submission as text. The course
root is given to attacks that reach for instructor files.
"""
from __future__ import annotations

import copy
import json

import nbformat

MARK_SLEEP = "987654"   # `sleep 987654`: the background process's tell-tale argument
#: 6 GiB of zeros (calloc: instant where granted, so the unprotected run is cheap) and the proof.
ALLOCATE_6GIB = "import numpy as np\nbig = np.zeros(6 * 2**30, dtype=np.uint8)\nprint('ALLOCATED', big.nbytes)\ndel big"


#: Five children that each allocate and touch 400 MiB and hold it for 4 s: 2 GiB at once
#: unprotected, past a 1 GiB limit of the whole sandbox. Prints how many held their memory to the
#: end (a child killed while holding it does not count).
CHILDREN_400MIB = """import subprocess, sys
code = "import time; b = b'x' * (400 << 20); print('HELD', flush=True); time.sleep(4)"
children = [subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, text=True) for _ in range(5)]
outs = [child.communicate()[0] for child in children]
held = sum('HELD' in out and child.returncode == 0 for out, child in zip(outs, children))
print('CHILDREN HELD', held, 'x 400 MiB at once')
"""


def _gid(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _with_cell_after(nb, gid, source):
    nb = copy.deepcopy(nb)
    i = next(i for i, c in enumerate(nb.cells) if _gid(c) == gid)
    nb.cells.insert(i + 1, nbformat.v4.new_code_cell(source))
    return nb


def _replace_solution(nb, gid, source):
    nb = copy.deepcopy(nb)
    for c in nb.cells:
        if _gid(c) == gid:
            c.source = source
    return nb


def build(name, release, solved, task, root) -> str:
    """Submission text of attack ``name`` (``task``: the first task, with ``id`` and ``function``)."""
    fn = task.function
    if name == "reference":
        return nbformat.writes(solved)
    if name == "blank":
        return nbformat.writes(release)
    if name == "input-transformer-empties-cells":
        nb = _replace_solution(release, task.id, "get_ipython().input_transformers_post.append(lambda lines: [])")
        return nbformat.writes(nb)
    if name == "rigged-eq-patched-allclose":
        nb = _replace_solution(release, task.id, f"""
import numpy as np
class AlwaysEqual(np.ndarray):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
import course.checks
course.checks.run_checks = lambda task, fn, seed=0: course.checks.Verdict(task.id, "passed")
import autograder.specs                                   # the hidden test cell's entry, as the source shows it
autograder.specs.hidden_tests = lambda *a, **k: None
def {fn}(*args, **kwargs):
    k = kwargs.get("k", args[-1] if args and isinstance(args[-1], int) else 5)
    X = args[1] if len(args) > 1 else kwargs.get("X")
    if k < 2 or (X is not None and k > len(X)):
        raise ValueError("k")
    return np.zeros(k).view(AlwaysEqual)
""")
        return nbformat.writes(nb)
    if name == "patched-course-helpers":
        nb = _replace_solution(release, task.id, f"""
import course.checks, course.tasks._expect as ex
course.checks.run_checks = lambda task, fn, seed=0: course.checks.Verdict(task.id, "passed")
ex.expect_close = lambda *a, **k: None
ex.expect = lambda *a, **k: None
import course, course.quiz
grade_quiz = course.grade_quiz = course.quiz.grade_quiz = lambda *a, **k: None   # every quiz "passes"
import autograder.specs
autograder.specs.hidden_tests = lambda *a, **k: None                              # every hidden test "passes"
def {fn}(*args, **kwargs):
    k = kwargs.get("k", args[-1] if args and isinstance(args[-1], int) else 5)
    return [0.5] * k
""")
        return nbformat.writes(nb)
    if name == "patched-checks-no-ops":
        # Every comparison and check a test could use becomes a no-op, and the function returns
        # always-equal arrays: the probe's visible checks then record no call at all.
        nb = _replace_solution(release, task.id, f"""
import math, sys, unittest
import numpy as np
class AlwaysEqual(np.ndarray):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
_yes = lambda *a, **k: True
_none = lambda *a, **k: None
np.allclose = np.isclose = np.array_equal = math.isclose = _yes
np.testing.assert_allclose = np.testing.assert_array_equal = _none
for _name in dir(unittest.TestCase):
    if _name.startswith("assert"):
        setattr(unittest.TestCase, _name, _none)
import course.checks, course.tasks
course.checks.run_checks = lambda task, fn, seed=0: course.checks.Verdict(task.id, "passed")
for _mod in [m for n, m in list(sys.modules.items()) if n == "course" or n.startswith("course.")]:
    for _name in list(vars(_mod)):
        if _name == "call" or _name.startswith(("check", "expect", "assert")) and callable(getattr(_mod, _name)):
            setattr(_mod, _name, _none)
import autograder.specs
autograder.specs.hidden_tests = _none
def {fn}(*args, **kwargs):
    k = kwargs.get("k", args[-1] if args and isinstance(args[-1], int) else 5)
    X = args[1] if len(args) > 1 else kwargs.get("X")
    if k < 2 or (X is not None and k > len(X)):
        raise ValueError("k")
    return np.zeros(k).view(AlwaysEqual)
""")
        return nbformat.writes(nb)
    if name == "memory-in-child-processes":
        return nbformat.writes(_with_cell_after(solved, task.id, CHILDREN_400MIB))
    if name in LINKED:
        return nbformat.writes(solved)   # the links are planted next to it (conftest.plant_links)
    if name == "reads-instructor-files":
        nb = _replace_solution(release, task.id, f"""
import json, pathlib
src = json.loads(pathlib.Path({str(next((root / 'source' / task.assignment).glob('*.ipynb')))!r}).read_text())
code = next(''.join(c['source']) for c in src['cells'] if c.get('metadata', {{}}).get('nbgrader', {{}}).get('grade_id') == {task.id!r})
exec(code)
pathlib.Path({str(root / 'PWNED')!r}).write_text(pathlib.Path({str(root / 'gradebook.db')!r}).read_bytes()[:16].hex())
""")
        return nbformat.writes(nb)
    if name == "network":
        return nbformat.writes(_with_cell_after(solved, task.id, """
import socket, os
try:
    socket.create_connection(("127.0.0.1", int(os.environ.get("ATTACK_PORT", "%PORT%"))), timeout=3).sendall(b"leak")
    print("CONNECTED")
except OSError as err:
    print("no network:", err)
"""))
    if name == "allocates-6gib":
        return nbformat.writes(_with_cell_after(solved, task.id, ALLOCATE_6GIB))
    if name == "background-process":
        return nbformat.writes(_with_cell_after(solved, task.id, f"import subprocess\nsubprocess.Popen(['sleep', '{MARK_SLEEP}'], start_new_session=True)"))
    if name == "infinite-loop-ignores-sigint":
        return nbformat.writes(_with_cell_after(solved, task.id, "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.1)"))
    if name == "prints-gigabytes":
        return nbformat.writes(_with_cell_after(solved, task.id, "line = 'x' * 1_000_000\nwhile True:\n    print(line)"))
    if name == "kills-kernel":
        return nbformat.writes(_with_cell_after(solved, task.id, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"))
    if name == "sys-exit":
        return nbformat.writes(_with_cell_after(solved, task.id, "import os\nos._exit(0)"))
    if name == "not-json":
        return "{ this is not a notebook"
    if name == "old-nbformat":
        return json.dumps(nbformat.v4.downgrade(nbformat.reads(nbformat.writes(solved), 4)))
    if name == "deleted-duplicated-retyped-cells":
        nb = copy.deepcopy(solved)
        sol = next(c for c in nb.cells if _gid(c) == task.id)
        nb.cells = [c for c in nb.cells if not (_gid(c) or "").endswith("_tests") and "quiz" not in c.get("metadata", {}).get("tags", [])]
        dup = copy.deepcopy(sol)
        dup["id"] = "duplicated-solution"    # as JupyterLab's copy-paste does: same cell, new id
        nb.cells.append(dup)                                                         # duplicated
        nb.cells.append(nbformat.v4.new_markdown_cell("def nothing(): pass"))         # retyped
        return nbformat.writes(nb)
    raise KeyError(name)


#: Attacks aimed at one task's hidden tests (given the task of conftest.RIGGED_TASK when declared).
RIGGED = {"rigged-eq-patched-allclose", "patched-course-helpers", "patched-checks-no-ops"}
#: Submissions whose folder holds links (conftest.plant_links): the notebook itself, or other files.
LINKED = {"symlinked-notebook", "linked-files"}

ATTACKS = ["reference", "blank", "input-transformer-empties-cells", "rigged-eq-patched-allclose", "patched-course-helpers",
           "reads-instructor-files", "network", "allocates-6gib", "background-process", "infinite-loop-ignores-sigint",
           "prints-gigabytes", "kills-kernel", "sys-exit", "not-json", "old-nbformat", "deleted-duplicated-retyped-cells",
           "patched-checks-no-ops", "symlinked-notebook", "linked-files"]
