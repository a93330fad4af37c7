"""Where things are in a course folder: one place for every path rule."""
from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .errors import CourseError

CONFIG_FILE = "nbgrader_config.py"
#: The learner's working copy of ``release/``, inside the course folder and git-ignored.
WORK_FOLDER = "my-work"


def find_root(start: Path | str | None = None) -> Path:
    """Return the course root: the nearest folder, upwards from ``start``, holding ``nbgrader_config.py``."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise CourseError(f"No {CONFIG_FILE} in {here} or above: run this command inside the course folder.")


@dataclass(frozen=True)
class CourseDir:
    """Paths of one course folder (the folder with ``nbgrader_config.py``)."""

    root: Path

    @classmethod
    def find(cls, start=None) -> "CourseDir":
        """The course folder that contains ``start`` (default: the current folder)."""
        return cls(find_root(start))

    def config(self) -> Config:
        """The course's nbgrader configuration, with ``CourseDirectory.root`` pinned to this folder."""
        cfg = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()
        cfg.CourseDirectory.root = str(self.root)
        return cfg

    def setting(self, name: str, default):
        """A course setting from the ``c.MLCourse`` section of ``nbgrader_config.py``."""
        section = self.config().get("MLCourse", {})
        return section.get(name, default)

    def variant_seeds(self, assignment: str, config: Config | None = None):
        """``student -> seed`` when ``c.MLCourse.variants`` turns per-student variants on for
        ``assignment``, else ``None`` (everyone gets the notebook's example, seed 0)."""
        from course.variants import variant_seed

        config = config or self.config()
        setting = config.get("MLCourse", {}).get("variants", [])
        if not isinstance(setting, (bool, list, tuple)) or not all(isinstance(a, str) for a in (setting if not isinstance(setting, bool) else [])):
            raise CourseError(f"c.MLCourse.variants is {setting!r}: set it to True or to a list of assignment names such as [\"02_production\"].")
        if setting is not True and (setting is False or assignment not in setting):
            return None
        course_id = self.course_id(config)
        return lambda student: variant_seed(student, assignment, course_id)

    def course_id(self, config: Config | None = None) -> str:
        """``c.CourseDirectory.course_id`` (``"mlcourse"`` when unset)."""
        config = config or self.config()
        return str(config.get("CourseDirectory", {}).get("course_id", "") or "mlcourse")

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def release(self) -> Path:
        return self.root / "release"

    @property
    def work(self) -> Path:
        """The learner's own copy of the notebooks (git-ignored; see :mod:`autograder.workcopy`)."""
        return self.root / WORK_FOLDER

    def assignments(self) -> list[str]:
        """Assignment folders under ``source/``, in course order."""
        if not self.source.is_dir():
            raise CourseError(f"{self.source} does not exist: is {self.root} a course folder?")
        return sorted(p.name for p in self.source.iterdir() if p.is_dir() and not p.name.startswith("."))

    def require_assignment(self, name: str) -> str:
        """Return ``name`` if it is an assignment of this course, else raise a clear error."""
        names = self.assignments()
        if name not in names:
            raise CourseError(f"There is no assignment {name!r} in {self.source}: choose one of {', '.join(names)}.")
        return name

    def source_notebook(self, assignment: str) -> Path:
        """The single instructor notebook of ``assignment``."""
        notebooks = sorted((self.source / assignment).glob("*.ipynb"))
        if len(notebooks) != 1:
            raise CourseError(f"{self.source / assignment} should hold exactly one notebook, found {len(notebooks)}.")
        return notebooks[0]

    def release_notebook(self, assignment: str) -> Path:
        return self.release / assignment / self.source_notebook(assignment).name

    def quiz_file(self, assignment: str) -> Path:
        return self.source / assignment / "quizzes.yaml"


def put_own_scripts_on_path() -> None:
    """Let nbgrader find this environment's ``alembic`` and ``jupyter`` even when it is not activated."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


@contextlib.contextmanager
def working_directory(path: Path):
    """Run a block inside ``path`` (nbgrader resolves relative database paths against the cwd)."""
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)
