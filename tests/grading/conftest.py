"""Fixtures of the grading tests: a temporary course copy with one submission per attack, graded once.

Nothing here writes into the repository. Kernels and commands import the copy's own ``course``
and ``autograder`` (``PYTHONPATH=<copy root>``). The copy's assignment is cut down to a few of its
sections (:func:`cut_down`): every attack is a whole submission, graded by `mlcourse grade` and some
by stock nbgrader, and the full notebook's worked examples would take most of that time.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.modules.setdefault("rfc3987_syntax", None)   # as the grader does: jsonschema's slow optional import
import nbformat  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
BIN = Path(sys.executable).parent
ASSIGNMENT = "01_foundations"

from attacks import ATTACKS, RIGGED, build  # noqa: E402

_SKIP = {".git", "gradebook.db", "submitted", "autograded", "feedback", ".mlcourse", "__pycache__", ".pytest_cache",
         "tests", "benchmarks", "mlcourse.egg-info", ".ipynb_checkpoints", "nbgrader_step", "node_modules"}


#: Attacks built around the hidden tests of one task (rigged comparisons, patched helpers): they target
#: this task when the assignment declares it (its hidden tests compare with ``==``/``np.allclose``).
RIGGED_TASK = "kfold_cv"


def _gid(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _section(cell) -> str | None:
    """The syllabus section (tag ``q:F4``) a cell belongs to, or None for the notebook's frame."""
    return next((t for t in cell.get("metadata", {}).get("tags", []) if t.startswith("q:")), None)


def cut_down(root: Path) -> None:
    """Cut the copy's assignment down to the sections of its first task and of :data:`RIGGED_TASK`.

    Kept: the frame (title, setup cell, headings) and, in those sections, the markdown, each task's
    solution and test cells, and the quizzes with their hidden test cells. Left out: every other
    section, and the worked examples (code cells neither graded, solution, setup nor quiz), which
    make up most of a run. ``quizzes.yaml`` keeps the questions the notebook still asks, so that
    `mlcourse build` accepts the notebook.
    """
    from course.notebook import quiz_ids

    path = next((root / "source" / ASSIGNMENT).glob("*.ipynb"))
    nb = nbformat.read(path, 4)
    solutions = [_gid(c) for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    sections = {_section(c) for c in nb.cells if _gid(c) in {solutions[0], RIGGED_TASK}}

    def kept(cell) -> bool:
        if _section(cell) not in sections | {None}:
            return False
        return cell.cell_type == "markdown" or _gid(cell) is not None or "quiz" in cell.metadata.get("tags", [])

    nb.cells = [c for c in nb.cells if kept(c)]
    nbformat.write(nb, path)
    quizzes = root / "source" / ASSIGNMENT / "quizzes.yaml"
    questions = yaml.safe_load(quizzes.read_text(encoding="utf-8"))
    asked = quiz_ids(nb)
    quizzes.write_text(yaml.safe_dump({q: questions[q] for q in asked}, sort_keys=False, allow_unicode=True), encoding="utf-8")


def copy_course(dest: Path, full: bool = False) -> Path:
    """A copy of the repository's course folder, without state, with the assignment cut down
    (:func:`cut_down`, unless ``full``) and only the tasks its notebook has declared."""
    shutil.copytree(REPO, dest, ignore=lambda folder, names: [n for n in names if n in _SKIP])
    if not full:
        cut_down(dest)
    # Declare only the tasks whose cells the cut-down notebook has.
    source = next((dest / "source" / ASSIGNMENT).glob("*.ipynb"))
    ids = sorted({_gid(c) for c in json.loads(source.read_text())["cells"]} - {None})
    init = dest / "course" / "tasks" / "foundations" / "__init__.py"
    init.write_text(init.read_text() + f"\nTASKS = [t for t in TASKS if t.id in {ids!r}]\n")
    return dest


def env_for(root: Path, **extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("MLCOURSE_QUIZ_SECRET", None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def mlcourse(root: Path, *args, timeout=600, **popen) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "mlcourse"), *args], cwd=root, env=env_for(root), capture_output=True, text=True,
                          timeout=timeout, **popen)


def first_task(root: Path, prefer: str | None = None):
    """``(id, function, assignment)`` of the first declared task (or of task ``prefer`` if declared), read in the copy."""
    code = ("import json; from course.tasks import assignment_tasks as a; ts = a(%r); "
            "t = next((t for t in ts if t.id == %r), ts[0]); print(json.dumps([t.id, t.function, t.assignment]))" % (ASSIGNMENT, prefer))
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env_for(root), capture_output=True, text=True, check=True)
    tid, fn, a = json.loads(out.stdout)
    return type("T", (), {"id": tid, "function": fn, "assignment": a})


def solved_notebook(root: Path, task) -> nbformat.NotebookNode:
    """The release notebook with the first task's reference solution and every quiz answer filled in."""
    release = nbformat.read(root / "release" / ASSIGNMENT / next((root / "source" / ASSIGNMENT).glob("*.ipynb")).name, 4)
    source = nbformat.read(next((root / "source" / ASSIGNMENT).glob("*.ipynb")), 4)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in source.cells}
    quiz_cells = [c for c in source.cells if "quiz" in c.metadata.get("tags", []) and not c.metadata.get("nbgrader", {}).get("grade")]
    nb = nbformat.reads(nbformat.writes(release), 4)
    quiz_iter = iter(quiz_cells)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid == task.id:
            cell.source = by_id[gid].source
        elif "quiz" in cell.metadata.get("tags", []) and not cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = next(quiz_iter).source
    return nb


def copied_answer(function: str, outputs: list) -> str:
    """A solution cell that returns, call after call, the values a classmate's function returned (hard-coded)."""
    return (f"import json as _json\nimport numpy as _np\n_copied = _json.loads({json.dumps(json.dumps(outputs))})\n"
            f"_calls = [0]\n\ndef {function}(*args, **kwargs):\n    value = _copied[_calls[0] % len(_copied)]\n"
            "    _calls[0] += 1\n    return _np.asarray(value)\n")


def reference_values(root: Path, seed: int, task_id: str) -> list:
    """What the instructor's reference returned for ``task_id`` on variant ``seed`` (from the grader's cache)."""
    cache = json.loads(next((root / ".mlcourse" / "grading" / ASSIGNMENT).glob("reference-*.json")).read_text())
    return [call["value"] for call in cache[str(seed)][task_id]]


class Listener:
    """A TCP server on loopback that records whatever a notebook sends it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.received = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                self.received.append(conn.recv(100))


@pytest.fixture(scope="session")
def built_course(tmp_path_factory):
    """A course copy with assignment 1 (cut down) generated: release/ and the gradebook.

    Without the build's own validation: the reference submission's full marks and the blank one's
    "not attempted" (test_attacks.py) prove the same of the cut-down notebook, through the grader.
    """
    root = copy_course(tmp_path_factory.mktemp("grading") / "course")
    done = mlcourse(root, "build", ASSIGNMENT, "--no-check")
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(REPO / "tests"))
    from _support import pin_hidden_seeds

    pin_hidden_seeds(root, ASSIGNMENT)
    return root


@pytest.fixture(scope="session")
def listener():
    return Listener()


@pytest.fixture(scope="session")
def attack_texts(built_course, listener):
    task = first_task(built_course)
    rigged = first_task(built_course, RIGGED_TASK)
    release = nbformat.read(built_course / "release" / ASSIGNMENT / next((built_course / "source" / ASSIGNMENT).glob("*.ipynb")).name, 4)
    solved = solved_notebook(built_course, task)
    texts = {name: build(name, release, solved, rigged if name in RIGGED else task, built_course).replace("%PORT%", str(listener.port))
             for name in ATTACKS}
    return texts, task, rigged


@pytest.fixture(scope="session")
def limit_texts(built_course, attack_texts):
    """Submissions of the whole-sandbox limit tests (test_limits.py), not part of the attack batch."""
    task = attack_texts[1]
    release = nbformat.read(built_course / "release" / ASSIGNMENT / next((built_course / "source" / ASSIGNMENT).glob("*.ipynb")).name, 4)
    solved = solved_notebook(built_course, task)
    return {name: build(name, release, solved, task, built_course) for name in ("memory-in-child-processes",)}


class Batch:
    def __init__(self, root, proc, seconds):
        self.root, self.proc, self.seconds = root, proc, seconds

    def result(self, student) -> dict:
        return json.loads((self.root / "autograded" / student / ASSIGNMENT / ".mlcourse-grade.json").read_text())

    def score(self, student, grade_id) -> float:
        return next(v["score"] for v in self.result(student)["verdicts"] if v["grade_id"] == grade_id)

    def gradebook_scores(self, student) -> dict:
        """``{grade_id: auto_score}`` of ``student`` in the copy's gradebook."""
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}", "mlcourse") as gb:
            s = gb.find_submission(ASSIGNMENT, student)
            return {g.cell.name: g.auto_score for nb in s.notebooks for g in nb.grades}


TIMESTAMP = "2026-11-20 10:00:00.000000 UTC"   # every test submission's timestamp.txt
#: Due date set in the stock copy (and in the late-penalty test): every submission is one hour late.
DUEDATE = "2026-11-20 09:00:00 UTC"
#: Students given an extension of a day (so not late) in those copies.
EXTENDED = {"stock": "patched-course-helpers", "ours": "network"}


def submit(root: Path, texts: dict, notebook: str = "foundations.ipynb") -> None:
    for student, text in texts.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        (folder / notebook).write_text(text)
        (folder / "timestamp.txt").write_text(TIMESTAMP)


def plant_links(root: Path, students) -> None:
    """Turn the submissions of :data:`attacks.LINKED` among ``students`` into what their names say.

    ``symlinked-notebook``: the notebook is a symbolic link to the instructor's source notebook.
    ``linked-files``: beside the solved notebook, a symbolic link to ``gradebook.db``, one to the
    ``source/`` folder, a hard link to a file outside the course, a FIFO and (as root) a device
    (``/dev/null``'s). Copy such a course with :func:`copy_graded` (``shutil.copytree`` would read
    through the links and block on the FIFO).
    """
    source = next((root / "source" / ASSIGNMENT).glob("*.ipynb"))
    if "symlinked-notebook" in students:
        path = root / "submitted" / "symlinked-notebook" / ASSIGNMENT / source.name
        path.unlink()
        path.symlink_to(source)
    if "linked-files" in students:
        folder = root / "submitted" / "linked-files" / ASSIGNMENT
        (folder / "data.csv").symlink_to(root / "gradebook.db")
        (folder / "notes").symlink_to(root / "source")
        outside = root.parent / "outside-the-course.txt"
        outside.write_text("instructor-only\n")
        os.link(outside, folder / "secret.txt")
        os.mkfifo(folder / "pipe")
        if os.geteuid() == 0:
            os.mknod(folder / "null", 0o644 | stat.S_IFCHR, os.makedev(1, 3))


def _copy_as_is(src: str, dest: str) -> None:
    """Copy one file as what it is: a FIFO or device is made anew, a hard link stays a hard link."""
    st = os.lstat(src)
    if stat.S_ISFIFO(st.st_mode):
        os.mkfifo(dest)
    elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        os.mknod(dest, st.st_mode, st.st_rdev)
    elif st.st_nlink > 1:
        os.link(src, dest)
    else:
        shutil.copy2(src, dest)


def copy_graded(src: Path, dest: Path, *ignore: str) -> Path:
    """A copy of a graded course copy that keeps the links of :func:`plant_links` as they are."""
    shutil.copytree(src, dest, symlinks=True, copy_function=_copy_as_is, ignore=shutil.ignore_patterns(*ignore))
    return dest


def make_late(root: Path, extended: str) -> None:
    """nbgrader's late-penalty settings in a course copy: due date, one extension, penalty "zero"."""
    with open(root / "nbgrader_config.py", "a") as config:
        config.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    code = ("from nbgrader.api import Gradebook; gb = Gradebook('sqlite:///gradebook.db', 'mlcourse'); "
            f"gb.update_or_create_assignment({ASSIGNMENT!r}, duedate={DUEDATE!r}); "
            f"gb.update_or_create_student({extended!r}); gb.update_or_create_submission({ASSIGNMENT!r}, {extended!r}); "
            f"gb.grant_extension({ASSIGNMENT!r}, {extended!r}, days=1); gb.close()")
    subprocess.run([sys.executable, "-c", code], cwd=root, env=env_for(root), check=True, capture_output=True, text=True)


def export_scores(root: Path) -> dict:
    """``{student: (score, late_submission_penalty)}`` from `nbgrader export` (what instructors download)."""
    import csv

    done = subprocess.run([str(BIN / "nbgrader"), "export", "--to", "grades.csv"], cwd=root, env=env_for(root),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    with open(root / "grades.csv") as rows:
        return {r["student_id"]: (float(r["score"]), float(r["late_submission_penalty"] or 0))
                for r in csv.DictReader(rows) if r["assignment"] == ASSIGNMENT and r["timestamp"]}


@pytest.fixture(scope="session")
def attack_batch(built_course, attack_texts, stock_started, tmp_path_factory):
    """Every attack submitted by its own student and graded in one `mlcourse grade` batch.

    Stock nbgrader grades its subset meanwhile (:func:`stock_started`): its one-after-another run
    overlaps with this batch instead of adding to the suite's time.
    """
    root = tmp_path_factory.mktemp("attacks") / "course"
    shutil.copytree(built_course, root)
    texts = attack_texts[0]
    submit(root, texts)
    plant_links(root, texts)
    started = time.monotonic()
    # --full: the attacks sit in cells no grade depends on, which a sliced run would rightly leave out;
    # these tests are about what the sandbox does when such a cell runs.
    proc = mlcourse(root, "grade", ASSIGNMENT, "--timeout", "10", "--workers", "2", "--full")
    batch = Batch(root, proc, time.monotonic() - started)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return batch


#: Attacks that stock nbgrader grades too (the integrity attacks fool it), and the honest reference.
INTEGRITY = ["input-transformer-empties-cells", "rigged-eq-patched-allclose", "patched-course-helpers", "reads-instructor-files",
             "patched-checks-no-ops"]
STOCK = [*INTEGRITY, "reference", "symlinked-notebook"]


@pytest.fixture(scope="session")
def stock_started(built_course, attack_texts, tmp_path_factory):
    """:data:`STOCK` being graded by stock `nbgrader autograde` (unprotected) on its own copy, in the background.

    The copy also has nbgrader's late-penalty settings (:func:`make_late`), which change only the
    exported totals, not the cells' ``auto_score``.
    """
    root = tmp_path_factory.mktemp("stock") / "course"
    shutil.copytree(built_course, root)
    texts = attack_texts[0]
    submit(root, {name: texts[name] for name in STOCK})
    plant_links(root, STOCK)
    make_late(root, EXTENDED["stock"])
    log = open(root.parent / "autograde.log", "w+")
    proc = subprocess.Popen([str(BIN / "nbgrader"), "autograde", ASSIGNMENT, "--create"], cwd=root, env=env_for(root),
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    yield root, proc, log
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    log.close()


@pytest.fixture(scope="session")
def stock(stock_started):
    """The finished stock `nbgrader autograde` run of :func:`stock_started`."""
    root, proc, log = stock_started
    proc.wait(timeout=900)
    log.seek(0)
    output = log.read()
    assert proc.returncode == 0, output[-5000:]
    return Batch(root, subprocess.CompletedProcess(proc.args, proc.returncode, output, ""), 0)


def run_plain(cells: list[str], cwd: Path, root: Path, timeout: float = 20, env_extra=None):
    """Run cells in a plain, unprotected nbclient kernel (as stock tools do); returns (nb, error or None)."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in cells])
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(cwd)}})
    try:
        client.execute(env=env_for(root, **(env_extra or {})))
    except Exception as err:  # the unprotected run breaking down is what some tests show
        return nb, err
    return nb, None
