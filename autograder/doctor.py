"""``mlcourse doctor``: what stops a cohort on JupyterHub, one sentence per problem.

Three things go wrong when a course moves to a hub, and each shows up far from its cause: the
exchange folder's permissions (students cannot fetch or submit), the Python of the students'
servers without the course package (every notebook stops at its first cell), and hub users whose
nbgrader id is not the one enrolled (nbgrader records the Unix name: TLJH's ``jupyter-alice`` for
hub user ``alice``, so grades land beside the enrolled student). :func:`diagnose` checks all three
from the instructor's course folder and says what to run.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .coursedir import CourseDir, working_directory

#: Modes nbgrader itself gives the exchange's folders (``nbgrader/exchange/default``): the root must let
#: everybody write and nobody delete another's files; students list and fetch from the course folder and
#: outbound/, and write their submissions into inbound/ without seeing each other's.
ROOT_MODE = 0o1777
_NEEDS = {"": (0o005, "o+rx", "list and fetch the released assignments"),
          "outbound": (0o005, "o+rx", "fetch the released assignments"),
          "inbound": (0o003, "2733", "submit (they must be able to write into it)")}

_PROBE = """\
import json, os
import course
from jupyter_core.paths import jupyter_config_path
print(json.dumps([p for p in jupyter_config_path() if os.path.isfile(os.path.join(p, "labconfig", "page_config.d", "mlcourse.json"))]))
"""


@dataclass
class Settings:
    """The nbgrader settings the checks need, as nbgrader loads them in the course folder."""

    exchange: Path
    course_id: str
    db_url: str
    groupshared: bool = False
    submitted: str = "submitted"


@dataclass
class Findings:
    """What :func:`diagnose` found: ``problems`` (one sentence each) and what it checked."""

    problems: list = field(default_factory=list)
    exchange: Path | None = None
    python: str = ""
    students: int = 0

    def render(self) -> str:
        if self.problems:
            return "\n".join(self.problems)
        return (f"mlcourse doctor: no problems found (the exchange {self.exchange}, the course package in {self.python}, "
                f"and the ids of {self.students} submitting student(s) against the gradebook).")


def nbgrader_settings(course: CourseDir) -> Settings:
    """The exchange, course id and gradebook of ``course`` from every ``nbgrader_config.py`` nbgrader reads
    there (the Jupyter configuration folders, then the course folder)."""
    from nbgrader.apps.baseapp import NbGrader
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default.exchange import Exchange

    with working_directory(course.root):
        app = NbGrader()
        app.load_config_file()
        coursedir = CourseDirectory(config=app.config)
        root = Exchange(config=app.config, coursedir=coursedir).root
    return Settings(Path(root), coursedir.course_id or "mlcourse", coursedir.db_url, bool(coursedir.groupshared),
                    coursedir.submitted_directory)


def exchange_problems(root: Path, course_id: str, groupshared: bool = False) -> list[str]:
    """Sentences about the exchange at ``root`` and its folders for ``course_id`` (empty when fine).

    With ``groupshared`` nbgrader leaves the permissions to the administrator and only the root's
    existence is checked.
    """
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "does not exist"
        return [f"The exchange folder {root} {what}: create it with `sudo mkdir -p {root} && sudo chmod 1777 {root}`, "
                "or set c.Exchange.root in nbgrader_config.py to the folder every server shares."]
    if groupshared:
        return []
    problems = []
    mode = stat.S_IMODE(root.stat().st_mode)
    if mode & ROOT_MODE != ROOT_MODE:
        problems.append(f"The exchange folder {root} has mode {mode:04o}, but every student must be able to write "
                        f"into it and nobody may delete another's files (mode 1777): run `sudo chmod 1777 {root}`.")
    course = root / course_id
    for name, (bits, chmod, purpose) in _NEEDS.items():
        folder = course / name if name else course
        if not folder.is_dir():
            continue            # made by the first `nbgrader release_assignment`
        mode = stat.S_IMODE(folder.stat().st_mode)
        if mode & bits != bits:
            problems.append(f"{folder} has mode {mode:04o}, so students cannot {purpose}: run `sudo chmod {chmod} {folder}`.")
    return problems


def python_problems(python: str, course_root: Path) -> list[str]:
    """Sentences about ``python``, the interpreter of the students' servers: can it import the course,
    and does its Jupyter read the setting that lets quizzes write answers into cells?"""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)   # the students' servers do not have the instructor's PYTHONPATH
    try:
        # Run outside the course folder: its course/ would be imported from the working directory.
        probe = subprocess.run([python, "-c", _PROBE], cwd="/", env=env, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return [f"{python} cannot be run: give the Python of the students' servers with `--python PATH` "
                "(on TLJH /opt/tljh/user/bin/python)."]
    install = f"`sudo {python} -m pip install {course_root}` (on Z2JH, in the single-user image)"
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["it exits with an error"])[-1]
        if "No module named 'course'" in last:
            return [f"The course package is not installed for {python}, so students' notebooks stop at their first cell: "
                    f"install it there with {install}, then have each student restart their server from File > Hub Control Panel."]
        return [f"{python} cannot import the course package ({last}): reinstall it there with {install}."]
    try:
        found = json.loads(probe.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        found = []
    if not found:
        return [f"{python} imports the course package, but none of its Jupyter configuration folders holds "
                "labconfig/page_config.d/mlcourse.json, so quizzes ask students to type their answers: "
                f"install the course with pip ({install}) instead of putting it on the path."]
    return []


def submitters(course: CourseDir, settings: Settings) -> dict[str, str]:
    """``{student id: where their work is}`` for every id with a folder in submitted/ or a submission
    in the exchange's inbound folder (nbgrader names those ``ID+ASSIGNMENT+TIMESTAMP[+RANDOM]``)."""
    found = {}
    inbound = settings.exchange / settings.course_id / "inbound"
    try:
        names = sorted(os.listdir(inbound))
    except OSError:
        names = []
    for name in names:
        parts = name.rsplit("+", 3)        # as nbgrader collect reads them
        if len(parts) >= 3 and parts[0]:
            found.setdefault(parts[0], f"A submission in {inbound}")
    submitted = course.root / settings.submitted
    if submitted.is_dir():
        for folder in sorted(submitted.iterdir()):
            if folder.is_dir() and not folder.name.startswith("."):
                found[folder.name] = f"submitted/{folder.name}/"
    return found


#: How hubs name the Unix account of hub user ``{username}`` when it is not the hub name itself (TLJH).
UNIX_NAME = "jupyter-{username}"


def hub_name_of(student: str, enrolled, templates=(UNIX_NAME,)) -> str | None:
    """The enrolled id whose hub account has the Unix name ``student`` (``jupyter-alice`` is TLJH's
    account of ``alice``), if one does."""
    for template in templates:
        if template == "{username}":
            continue
        fits = [e for e in enrolled if e != student and template.format(username=e) == student]
        if fits:
            return fits[0]
    return None


def gradebook_students(course: CourseDir, db_url: str, course_id: str) -> dict[str, int] | None:
    """``{student id: number of submissions}`` in the gradebook, or ``None`` when there is no gradebook
    file yet (it is not created here)."""
    if db_url.startswith("sqlite:///") and not (course.root / db_url[len("sqlite:///"):]).is_file():
        return None
    import warnings

    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning, module=r"nbgrader\.")
    with working_directory(course.root), Gradebook(db_url, course_id) as gb:
        return {s.id: len(s.submissions) for s in gb.students}


def student_problems(course: CourseDir, settings: Settings, hub_users=(), id_template: str = "{username}") -> tuple[list[str], int]:
    """Sentences about student ids that do not match the gradebook, and how many submitting ids were checked.

    ``hub_users`` are hub user names; ``id_template`` makes the id nbgrader records for one
    (``{username}`` in containers, ``jupyter-{username}`` on TLJH).
    """
    work = submitters(course, settings)
    enrolled = gradebook_students(course, settings.db_url, settings.course_id)
    templates = tuple(dict.fromkeys([id_template, UNIX_NAME]))
    if enrolled is None:
        path = settings.db_url[len("sqlite:///"):]
        return [f"There is no gradebook ({path}) in {course.root} yet: run `mlcourse build`, then enrol the students "
                "with `nbgrader db student add ID` (their Unix names on the hub)."], len(work)
    problems = []
    for student, where in sorted(work.items()):
        if student in enrolled:
            continue
        other = hub_name_of(student, enrolled, templates)
        if other:
            problems.append(f"{where} is from {student}, who is not a student in the gradebook while {other} is: nbgrader "
                            f"records hub user {other} by the Unix name {student}, so enrol that name "
                            f"(`nbgrader db student add {student}`) and remove the unused id (`nbgrader db student remove {other}`).")
        else:
            problems.append(f"{where} is from {student}, who is not a student in the gradebook: enrol them with "
                            f"`nbgrader db student add {student}` (the id nbgrader records is the Unix name on the hub).")
    for student, count in sorted(enrolled.items()):
        if count or student in work:
            continue
        shadow = [s for s in enrolled if hub_name_of(s, [student], templates) == student and (enrolled[s] or s in work)]
        if len(shadow) == 1:
            problems.append(f"The gradebook has {student} with no submissions and {shadow[0]} with some: nbgrader records "
                            f"hub user {student} by the Unix name {shadow[0]}, so keep that id and remove the unused one "
                            f"with `nbgrader db student remove {student}`.")
    for user in hub_users:
        sid = id_template.format(username=user)
        if sid in enrolled or sid in work:     # an id with work but no enrolment is named above
            continue
        if user in enrolled:
            problems.append(f"Hub user {user} is enrolled as {user}, but nbgrader records them as {sid}: enrol that id "
                            f"(`nbgrader db student add {sid}`) and remove the unused one (`nbgrader db student remove {user}`).")
        else:
            problems.append(f"Hub user {user} is not in the gradebook as {sid}, the id nbgrader records for them: "
                            f"enrol it with `nbgrader db student add {sid}`.")
    return problems, len(work)


def diagnose(course: CourseDir, python: str | None = None, hub_users=(), id_template: str = "{username}") -> Findings:
    """Check the exchange, the students' Python and the student ids of ``course``.

    Parameters
    ----------
    course : CourseDir
        The course folder (the instructor's).
    python : str, optional
        Interpreter the students' servers run (``jupyterhub-singleuser``'s); default this one.
    hub_users : iterable of str
        Hub user names to look for in the gradebook.
    id_template : str
        The nbgrader id of hub user ``{username}``: ``{username}`` in containers (Z2JH), ``jupyter-{username}`` on TLJH.

    Returns
    -------
    Findings
    """
    settings = nbgrader_settings(course)
    python = python or sys.executable
    found = Findings(exchange=settings.exchange, python=python)
    found.problems += exchange_problems(settings.exchange, settings.course_id, settings.groupshared)
    found.problems += python_problems(python, course.root)
    students, found.students = student_problems(course, settings, hub_users, id_template)
    found.problems += students
    return found


def unenrolled_note(graded: list[str], enrolled) -> list[str]:
    """What ``mlcourse grade`` says about the ``graded`` ids that were not students in the gradebook
    (nbgrader's gradebook adds them, as ``nbgrader autograde`` does): one sentence each for an id that
    looks like an enrolled student's hub account, one for the rest."""
    notes, rest = [], []
    for student in graded:
        other = hub_name_of(student, enrolled)
        if other:
            notes.append(f"submitted/{student} was not a student in the gradebook and was added to it: if it is hub user "
                         f"{other}'s Unix account, remove the unused id with `nbgrader db student remove {other}`.")
        else:
            rest.append(student)
    if rest:
        shown = ", ".join(rest[:10]) + (f" and {len(rest) - 10} more" if len(rest) > 10 else "")
        one = len(rest) == 1
        notes.append(f"{len(rest)} submitted {'id was not a student' if one else 'ids were not students'} in the gradebook "
                     f"and {'was' if one else 'were'} added to it ({shown}): if {'it is' if one else 'one is'} a student you "
                     "enrolled under another id, remove that id with `nbgrader db student remove ID` "
                     "(nbgrader records hub users by their Unix names).")
    return notes
