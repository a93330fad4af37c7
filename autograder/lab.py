"""``mlcourse lab``: open the course in JupyterLab with quiz answers written into their cells."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .coursedir import CourseDir


def lab_command(course: CourseDir, target: Path | None, port: int, open_browser: bool) -> list[str]:
    """The ``jupyter lab`` command line ``mlcourse lab`` runs."""
    target = target or course.release
    cmd = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={course.root}",
        f"--ServerApp.port={port}",
        # Lets the quiz widget write the chosen answer into its own cell (see course/quiz/_recorder.py).
        "--LabApp.expose_app_in_browser=True",
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


def launch(target: Path | None = None, port: int = 8888, open_browser: bool = True) -> int:
    """Start JupyterLab on the course; returns its exit status."""
    course = CourseDir.find(target.parent if target and target.is_file() else target)
    cmd = lab_command(course, target, port, open_browser)
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover - execv does not return
