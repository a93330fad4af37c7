"""``mlcourse lab``: open the learner's working copy in JupyterLab, set up for learning.

What it adds to a plain ``jupyter lab`` in the course folder:

* the working copy (:mod:`autograder.workcopy`) is brought up to date first, and JupyterLab opens
  the orientation notebook in it;
* the quiz widget may write the chosen answer into its own cell (``expose_app_in_browser``);
* the Terminal has this environment on ``PATH``, so ``mlcourse check …`` works there;
* learner mode: nbgrader's instructor panels (Create Assignment, Formgrader, Course List) are
  disabled; the student-side Assignments list stays when an nbgrader exchange is configured;
* the course's stylesheet (``lab_assets/custom.css``): check messages wrap between words, plots
  sit on a card in dark themes, graded quiz cells are labelled.

The generated settings live in ``.mlcourse/lab/`` of the course folder (git-ignored), the server's
configuration folder; the learner's own Jupyter configuration and settings still apply.
"""
from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

from .coursedir import CourseDir

ASSETS = Path(__file__).with_name("lab_assets")

#: nbgrader 0.9's JupyterLab plugins for instructors, hidden in learner mode.
INSTRUCTOR_PLUGINS = ("@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list")
#: The student-side plugins, shown only when an exchange is configured (they need one to work).
STUDENT_PLUGINS = ("@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:validate-assignment", "@jupyter/nbgrader:menu")
DEFAULT_EXCHANGE = Path("/srv/nbgrader/exchange")
_POSIX_SHELLS = {"bash", "zsh", "sh", "dash", "ksh"}


def exchange_configured(course: CourseDir) -> bool:
    """Whether nbgrader has an exchange to fetch and submit through (``c.Exchange.root``, or nbgrader's
    default folder exists)."""
    root = course.config().get("Exchange", {}).get("root")
    return bool(root) or DEFAULT_EXCHANGE.is_dir()


def disabled_plugins(course: CourseDir, instructor: bool = False) -> list[str]:
    """The JupyterLab plugins ``mlcourse lab`` disables: none for an instructor; for a learner the
    instructor panels, and the student panels too unless an exchange is configured."""
    if instructor:
        return []
    return list(INSTRUCTOR_PLUGINS) + ([] if exchange_configured(course) else list(STUDENT_PLUGINS))


def terminal_command(scripts: Path, shell: str | None = None) -> list[str]:
    """The Terminal's shell with ``scripts`` first on ``PATH``.

    Jupyter starts a login shell, and a login profile (Debian's ``/etc/profile``) sets ``PATH`` anew, so
    an inherited ``PATH`` is lost: a POSIX shell runs its login profile, then puts ``scripts`` in front
    and becomes the interactive shell. Other shells start as they are, with the server's ``PATH``.
    """
    shell = shell or os.environ.get("SHELL") or "/bin/sh"
    if Path(shell).name not in _POSIX_SHELLS:
        return [shell]
    script = f'PATH={shlex.quote(str(scripts))}:"$PATH"; export PATH; exec "$0" -i'
    return [shell, "-l", "-c", script, shell]


def user_config_dir(env: dict | None = None) -> Path:
    """The learner's own Jupyter configuration folder (``JUPYTER_CONFIG_DIR`` or ``~/.jupyter``)."""
    env = os.environ if env is None else env
    return Path(env.get("JUPYTER_CONFIG_DIR") or Path.home() / ".jupyter")


def write_lab_config(course: CourseDir, instructor: bool = False, env: dict | None = None) -> Path:
    """Write the generated Jupyter settings into ``.mlcourse/lab/`` and return that folder.

    The folder becomes the server's ``JUPYTER_CONFIG_DIR`` (see :func:`lab_env`), because JupyterLab
    loads ``custom/custom.css`` from that folder only; the learner's own configuration folder stays on
    the configuration path, and their JupyterLab settings and workspaces stay where they were.
    """
    folder = course.root / ".mlcourse" / "lab"
    (folder / "labconfig").mkdir(parents=True, exist_ok=True)
    (folder / "custom").mkdir(exist_ok=True)
    page = {"disabledExtensions": {name: True for name in disabled_plugins(course, instructor)}}
    (folder / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=1) + "\n", encoding="utf-8")
    (folder / "custom" / "custom.css").write_bytes((ASSETS / "custom.css").read_bytes())
    own = user_config_dir(env)
    server = {
        "ServerApp": {"terminado_settings": {"shell_command": terminal_command(Path(sys.executable).parent)}},
        "LabApp": {"user_settings_dir": str(own / "lab" / "user-settings"), "workspaces_dir": str(own / "lab" / "workspaces")},
    }
    (folder / "jupyter_server_config.json").write_text(json.dumps(server, indent=1) + "\n", encoding="utf-8")
    return folder


def lab_env(course: CourseDir, config_folder: Path, base: dict | None = None) -> dict:
    """The server's environment: this environment's scripts first on ``PATH``, the generated settings as
    ``JUPYTER_CONFIG_DIR`` and the learner's own configuration folder on ``JUPYTER_CONFIG_PATH``."""
    env = dict(os.environ if base is None else base)
    scripts = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([scripts, *[p for p in env.get("PATH", "").split(os.pathsep) if p and p != scripts]])
    env.setdefault("VIRTUAL_ENV", str(Path(sys.executable).parent.parent))
    own = str(user_config_dir(env))
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [own, env.get("JUPYTER_CONFIG_PATH", "")]))
    env["JUPYTER_CONFIG_DIR"] = str(config_folder)
    return env


def start_page(course: CourseDir) -> Path:
    """What JupyterLab opens first: the orientation notebook of the working copy, else the folder."""
    for assignment in sorted(p.name for p in course.work.iterdir() if p.is_dir()) if course.work.is_dir() else []:
        notebooks = sorted((course.work / assignment).glob("*.ipynb"))
        if assignment.endswith("orientation") and notebooks:
            return notebooks[0]
    return course.work if course.work.is_dir() else course.release


def lab_command(course: CourseDir, target: Path | None, port: int, open_browser: bool) -> list[str]:
    """The ``jupyter lab`` command line ``mlcourse lab`` runs."""
    target = target or start_page(course)
    cmd = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={course.root}",
        f"--ServerApp.port={port}",
        # Lets the quiz widget write the chosen answer into its own cell (see course/quiz/_recorder.py).
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.custom_css=True",
    ]
    if not open_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers and CI machines often run as root; Jupyter refuses to start there unless told.
        cmd.append("--ServerApp.allow_root=True")
    rel = Path(os.path.relpath(target.resolve(), course.root))
    if rel != Path("."):
        cmd.append(f"--LabApp.default_url=/lab/tree/{rel.as_posix()}")
    return cmd


def launch(target: Path | None = None, port: int = 8888, open_browser: bool = True, instructor: bool = False) -> int:
    """Bring the working copy up to date and start JupyterLab on the course; returns its exit status."""
    from .workcopy import sync

    course = CourseDir.find(target.parent if target and target.is_file() else target)
    report = sync(course)
    if report.render():
        print(report.render())
    config_folder = write_lab_config(course, instructor)
    env = lab_env(course, config_folder)
    cmd = lab_command(course, target, port, open_browser)
    if not instructor and disabled_plugins(course):
        print("Learner mode: nbgrader's instructor panels are hidden (`mlcourse lab --instructor` shows them).")
    os.execve(cmd[0], cmd, env)
    return 0  # pragma: no cover - execve does not return
