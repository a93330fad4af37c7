"""Plain helpers shared by the tests (fixtures built on them live in ``conftest.py``).

Everything here reads the repository and writes only into the folders it is given.
"""
from __future__ import annotations

import copy
import importlib.util
import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
WRONG_ANSWERS = TESTS / "wrong_answers"
ALTERNATIVES = TESTS / "alternatives"
# The environment's own scripts (mlcourse, nbgrader, jupyter): next to the interpreter running pytest.
SCRIPTS = Path(sys.executable).parent

# What a course copy leaves out: version control, environments, grading state and caches.
_SKIP_EVERYWHERE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info")
_SKIP_AT_TOP = {
    ".git", ".venv", "venv", "tests", "build", ".pytest_cache", "gradebook.db", "gradebook.db-journal",
    "submitted", "autograded", "feedback", "mlcourse-progress.json", "my-work", ".mlcourse",
}

HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n(.*?)^[ \t]*### END HIDDEN TESTS", re.M | re.S)
SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION", re.M | re.S)
QUIZ_CALL = re.compile(r"""quiz\(\s*["']([A-Z]\d+[a-z])["']""")


# --- the course and its copies -------------------------------------------------------------------

def assignments(root: Path = REPO) -> list[str]:
    """Assignment folders under ``source/``, in course order."""
    return sorted(p.name for p in (root / "source").iterdir() if p.is_dir() and not p.name.startswith("."))


def source_notebook(assignment: str, root: Path = REPO) -> Path:
    (path,) = sorted((root / "source" / assignment).glob("*.ipynb"))
    return path


def release_notebook(assignment: str, root: Path = REPO) -> Path:
    return root / "release" / assignment / source_notebook(assignment, root).name


def is_graded_assignment(assignment: str, root: Path = REPO) -> bool:
    """Whether the assignment's notebook has graded cells (the orientation notebook has none)."""
    nb = read(source_notebook(assignment, root))
    return nb.metadata.get("mlcourse", {}).get("graded", True) is not False


def graded_assignments(root: Path = REPO) -> list[str]:
    return [a for a in assignments(root) if is_graded_assignment(a, root)]


def sample_assignments(root: Path = REPO) -> list[str]:
    """The assignments whole-notebook commands are run on besides grading: the first assignment with
    coding tasks, and every ungraded one (small). nbgrader grades every assignment in any case."""
    with_tasks = [a for a in graded_assignments(root) if tasks_of(a)]
    ungraded = [a for a in assignments(root) if not is_graded_assignment(a, root)]
    return sorted(set(with_tasks[:1] + ungraded))


def copy_course(dest: Path, src: Path = REPO) -> Path:
    """Copy the course folder to ``dest`` (which must not exist), without .git, venvs and grading state."""
    def ignore(folder, names):
        skipped = set(_SKIP_EVERYWHERE(folder, names))
        if Path(folder) == Path(src):
            skipped |= {n for n in names if n in _SKIP_AT_TOP or n.startswith("nbgrader_step")}
        return skipped

    shutil.copytree(src, dest, ignore=ignore)
    return dest


def course_env(root: Path, **extra) -> dict:
    """Environment of a subprocess working on the course copy ``root``.

    Its kernels and commands import the copy's own ``course`` and ``autograder`` (PYTHONPATH), find
    this environment's scripts first (PATH), and never see an instructor's quiz secret by accident.
    """
    from autograder.execute import kernel_env

    env = kernel_env(Path(root))
    env["PATH"] = os.pathsep.join([str(SCRIPTS), env.get("PATH", "")])
    env.pop("MLCOURSE_QUIZ_SECRET", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # the debugger's "frozen modules" warning
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env.update({k: str(v) for k, v in extra.items()})
    return env


def python_without_course(folder: Path) -> Path:
    """A Python in ``folder`` that has this environment's packages (Jupyter, numpy, ...) but not the course:
    what a hub server's Python is when nobody installed the course there. Returns its interpreter."""
    import sysconfig

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder / "venv")], check=True)
    # Every installed package but the course's own (an editable install is a .pth file; a normal one, folders).
    packages = folder / "packages"
    packages.mkdir()
    installed = Path(sysconfig.get_paths()["purelib"])
    for entry in installed.iterdir():
        if entry.name not in ("course", "autograder") and "mlcourse" not in entry.name and not entry.name.endswith(".pth"):
            (packages / entry.name).symlink_to(entry)
    purelib = Path(subprocess.run([str(folder / "venv" / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    (purelib / "packages.pth").write_text(f"{packages}\n", encoding="utf-8")
    return folder / "venv" / "bin" / "python"


def without_course_env() -> dict:
    """The environment of a process that must not find the course through ``PYTHONPATH``."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


# Commands still running, so that an interrupted session can stop them with their kernels.
RUNNING: set = set()


def run(cmd: list, root: Path, timeout: float = 900, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``cmd`` in the course copy ``root`` and capture its output as text (never raises on failure
    except on timeout; the command and its kernels are then stopped)."""
    args = [str(c) for c in cmd]
    proc = subprocess.Popen(
        args, cwd=str(cwd or root), env=env or course_env(root), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    RUNNING.add(proc)
    try:
        out, err = proc.communicate(timeout=timeout)
    except BaseException:
        stop(proc)
        raise
    finally:
        RUNNING.discard(proc)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def stop(proc: subprocess.Popen) -> None:
    """Stop a command started by :func:`run` and everything it started (its own process group)."""
    import signal

    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        try:
            proc.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def mlcourse(root: Path, *args, timeout: float = 900, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``mlcourse ARGS`` in the course copy ``root``."""
    return run([SCRIPTS / "mlcourse", *args], root, timeout=timeout, cwd=cwd)


def nbgrader(root: Path, *args, timeout: float = 900) -> subprocess.CompletedProcess:
    """``nbgrader ARGS`` in the course copy ``root`` (its nbgrader_config.py applies)."""
    return run([SCRIPTS / "nbgrader", *args], root, timeout=timeout)


def explain(proc: subprocess.CompletedProcess, lines: int = 40) -> str:
    """The tail of a finished command's output, for assertion messages."""
    out = (proc.stdout or "") + "\n--- stderr ---\n" + (proc.stderr or "")
    return f"$ {' '.join(map(str, proc.args))}\nexit {proc.returncode}\n" + "\n".join(out.splitlines()[-lines:])


def snapshot(root: Path) -> dict[str, tuple]:
    """``{path: (size, mtime)}`` of the course's files, without version control, venvs and caches."""
    skip = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".ipynb_checkpoints"}
    out = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in skip and not d.endswith(".egg-info")]
        for name in files:
            if not name.endswith(".pyc"):
                path = Path(folder) / name
                st = path.stat()
                out[path.relative_to(root).as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


# --- notebooks -------------------------------------------------------------------------------------

def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def write(nb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def is_graded(cell) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("grade"))


def by_grade_id(nb) -> dict:
    return {grade_id(c): c for c in nb.cells if grade_id(c)}


def cell_of(path: Path, gid: str):
    """The cell of the notebook at ``path`` whose grade_id is ``gid``, or a clear failure."""
    found = [c for c in read(path).cells if grade_id(c) == gid]
    assert found, f"{path.relative_to(path.parents[2])} has no cell with grade_id {gid!r}"
    return found[0]


def graded_cells(nb) -> list:
    return [c for c in nb.cells if is_graded(c)]


def quiz_cells(nb) -> list[tuple[object, str]]:
    """``(cell, qid)`` for every cell that shows a quiz (not the hidden test cells under them)."""
    out = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "quiz" in cell.metadata.get("tags", []) and not is_graded(cell):
            m = QUIZ_CALL.search(cell.source)
            if m:
                out.append((cell, m.group(1)))
    return out


def hidden_lines(source: str) -> list[str]:
    """Meaningful lines of the hidden-test blocks of a cell."""
    return _meaningful("\n".join(HIDDEN.findall(source)))


def solution_lines(source: str) -> list[str]:
    """Meaningful lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION``."""
    return _meaningful("\n".join(SOLUTION.findall(source)))


def visible_lines(source: str) -> list[str]:
    """Meaningful lines outside the hidden-test and solution blocks."""
    return _meaningful(SOLUTION.sub("", HIDDEN.sub("", source)))


def _meaningful(text: str) -> list[str]:
    """Lines distinctive enough to search for: not comments, brackets or one-word statements."""
    lines = [ln.strip() for ln in text.splitlines()]
    trivial = {"pass", "return", "else:", "try:", "finally:", "continue", "break"}
    return [ln for ln in lines if not ln.startswith("#") and ln not in trivial and len(re.sub(r"\W", "", ln)) >= 4]


# --- tasks, wrong answers and quizzes -------------------------------------------------------------

def tasks_of(assignment: str) -> list:
    from course.tasks import assignment_tasks

    return assignment_tasks(assignment)


def all_tasks() -> list:
    """``(assignment, task)`` for every task of every assignment that has a source folder."""
    return [(a, t) for a in assignments() for t in tasks_of(a)]


def _load_tables(folder: Path, attr: str) -> dict:
    """``{task_id: entry}`` merged from the ``attr`` dict of every module in ``folder``; a task in two modules is an error."""
    found: dict = {}
    where: dict[str, str] = {}
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        if path.name == "__init__.py":
            continue
        spec = importlib.util.spec_from_file_location(f"{folder.name}_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for task_id, entry in getattr(module, attr, {}).items():
            if task_id in found:
                raise AssertionError(f"Task {task_id} is in both {where[task_id]} and {path.name} of {folder.name}/: keep one.")
            found[task_id], where[task_id] = entry, path.name
    return found


def load_wrong_answers() -> dict[str, str]:
    """``{task_id: replacement source of the solution cell}`` from every ``tests/wrong_answers/*.py``."""
    return _load_tables(WRONG_ANSWERS, "WRONG")


def load_alternatives() -> dict[str, dict]:
    """``{task_id: {"correct": {label: source}, "wrong": {label: source}}}`` from ``tests/alternatives/*.py``:
    further correct solutions, written from the statement alone, and common mistakes that pass the
    visible check."""
    return _load_tables(ALTERNATIVES, "ALTERNATIVES")


def quiz_key(assignment: str, root: Path = REPO) -> dict:
    """The instructor's answer key ``{qid: answer}`` from ``quizzes.yaml``."""
    data = yaml.safe_load((root / "source" / assignment / "quizzes.yaml").read_text(encoding="utf-8")) or {}
    return {qid: q["answer"] for qid, q in data.items()}


def quiz_source(assignment: str, root: Path = REPO) -> dict:
    return yaml.safe_load((root / "source" / assignment / "quizzes.yaml").read_text(encoding="utf-8")) or {}


def wrong_quiz_answer(question):
    """An answer the public bank marks as incorrect (found with ``Question.is_correct``)."""
    if question.kind == "numeric":
        candidates = [0, 1, -1, 1e6, -1e6, 12345.678]
    else:
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[: len(question.options)]
        sizes = [1] if question.kind == "single" else range(1, len(letters) + 1)
        candidates = ["".join(c) for n in sizes for c in itertools.combinations(letters, n)]
    for answer in candidates:
        if not question.is_correct(answer):
            return answer
    raise AssertionError(f"Quiz {question.qid}: every answer tried is accepted, so the quiz cannot be failed.")


def answer_literal(answer) -> str:
    """``answer`` as the literal a quiz cell holds (double-quoted strings, like the widget writes)."""
    return f'"{answer}"' if isinstance(answer, str) else repr(answer)


def wrong_submission(assignment: str, release_nb, wrong: dict[str, str]):
    """The release notebook with every task's solution cell replaced by its typical wrong answer and
    every quiz answered with an option the bank marks wrong."""
    from course.quiz import load_bank

    nb = copy.deepcopy(release_nb)
    cells = by_grade_id(nb)
    for task in tasks_of(assignment):
        assert task.id in cells, f"the release notebook of {assignment} has no cell with grade_id {task.id!r}: run mlcourse build"
        cells[task.id].source = wrong[task.id]
    bank = load_bank(assignment)
    for cell, qid in quiz_cells(nb):
        cell.source = f'quiz("{qid}", answer={answer_literal(wrong_quiz_answer(bank[qid]))})'
    return nb


# --- running a notebook's code in this process, for the visible checks -------------------------------

def plain_python(source: str) -> str:
    """A cell's code without IPython magics and shell escapes (``%matplotlib inline``, ``!pip``)."""
    return "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.splitlines())


def function_from(source: str, name: str, namespace: dict):
    """Execute a solution cell's ``source`` in a copy of ``namespace`` and return the function ``name``."""
    ns = dict(namespace)
    exec(compile(plain_python(source), f"<cell defining {name}>", "exec"), ns)  # noqa: S102 - our own notebooks
    return ns.get(name)


def namespaces_before_tasks(assignment: str) -> dict[str, dict]:
    """Run the reference notebook's code top to bottom in this process (no kernel, magics dropped,
    graded and quiz cells skipped) and keep, for every task, the namespace just before its solution
    cell: what a learner's function sees in the notebook.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from IPython.display import display

    task_ids = {t.id for t in tasks_of(assignment)}
    ns: dict = {"__name__": "__main__", "display": display}
    snapshots = {}
    import tempfile

    cwd = os.getcwd()
    work = Path(tempfile.mkdtemp(prefix=f"mlcourse-{assignment}-"))
    shutil.copytree(source_notebook(assignment).parent, work, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.ipynb", "*.yaml"))
    os.chdir(work)  # files next to the notebook are there; files the cells write stay out of the repository
    try:
        for cell in read(source_notebook(assignment)).cells:
            if cell.cell_type != "code" or is_graded(cell) or "quiz" in cell.metadata.get("tags", []):
                continue
            if grade_id(cell) in task_ids:
                snapshots[grade_id(cell)] = dict(ns)
            try:
                exec(compile(plain_python(cell.source), "<notebook cell>", "exec"), ns)  # noqa: S102
            except Exception:  # a demonstration cell that needs a kernel; the reference check tells
                pass
            plt.close("all")
    finally:
        os.chdir(cwd)
        shutil.rmtree(work, ignore_errors=True)
    return snapshots


# --- notebooks cut down to what grading needs -----------------------------------------------------------

def solutions_only(path: Path) -> None:
    """Cut the source notebook at ``path`` down, in place, to its setup cell, the imports its solutions
    use, and every task's solution and test cell (no worked examples, no quizzes).

    Grading decides only from what the solution cells define, so a cut-down notebook gets the same
    task verdicts as the whole one in a fraction of the time.
    """
    import json

    from autograder.grading.reference import solution_notebook
    from course.notebook import SETUP_ID

    nb = read(path)
    tasks = {t.id for t in tasks_of(assignment_of_path(path))}
    tests = {f"{t}_tests" for t in tasks}
    kept = json.loads(solution_notebook(path.read_text(encoding="utf-8"), tasks))["cells"]
    by_id = {grade_id(c): c for c in nb.cells if grade_id(c)}
    cells = [nbformat.from_dict(c) for c in kept if grade_id(c) in (SETUP_ID, None)]
    for cell in nb.cells:
        if grade_id(cell) in tasks:
            cells += [cell, by_id[f"{grade_id(cell)}_tests"]]
    assert {grade_id(c) for c in cells} >= tests, "every task needs its test cell"
    nb.cells = cells
    write(nb, path)
    quizzes = path.parent / "quizzes.yaml"
    if quizzes.exists():
        quizzes.write_text("{}\n", encoding="utf-8")


def assignment_of_path(path: Path) -> str:
    """The assignment folder a notebook of ``source/`` or ``release/`` lies in."""
    return Path(path).parent.name


def alternative_submission(nb, sources: dict[str, str]):
    """A copy of notebook ``nb`` with the solution cells of ``sources`` (task id -> code) replaced."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if grade_id(cell) in sources:
            cell.source = sources[grade_id(cell)]
    return out


#: One hidden variant for the suite's whole-notebook grading runs (production batches draw three), as
#: large as drawn ones: tests look for it in what students see.
ONE_HIDDEN_SEED = [1_604_377_619]


def pin_hidden_seeds(root: Path, assignment: str, seeds: list[int] = ONE_HIDDEN_SEED) -> None:
    """Write the hidden variants both graders use for ``assignment`` in the course copy ``root``
    (``.mlcourse/grading/<A>/seeds.json``; production batches draw three)."""
    import json

    path = root / ".mlcourse" / "grading" / assignment / "seeds.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(list(seeds)))
    path.chmod(0o600)  # instructor-only, as the grader keeps it
