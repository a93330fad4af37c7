"""The learner's working copy: their own notebooks in ``my-work/``, made from ``release/``.

``release/`` holds the blank course notebooks as committed, so a ``git pull`` of course updates
never conflicts with a learner's answers. :func:`sync` copies every released file the learner does
not have yet into ``my-work/`` (git-ignored) and never writes over a file that is there: when a
released notebook changed since the learner's copy was made, the new version is put next to it as
``<name>.course-update-<date>.ipynb`` for the learner to compare and copy from.

What each copy was made from is kept in ``my-work/.mlcourse-release.json`` (a digest per file).
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from course.notebook import UPDATE_MARK, is_update_copy  # noqa: F401  (re-exported for the command line)

from .coursedir import CourseDir

MANIFEST = ".mlcourse-release.json"
_SKIP = {".ipynb_checkpoints", "__pycache__"}


@dataclass
class SyncReport:
    """What :func:`sync` did: files copied for the first time and course updates put side by side."""

    work: Path
    copied: list = field(default_factory=list)
    updates: list = field(default_factory=list)   # (learner's file, the update next to it)

    def render(self) -> str:
        """Lines for the terminal (empty when nothing changed)."""
        lines = []
        if self.copied:
            lines.append(f"Your working copy is {self.work}: copied {len(self.copied)} new file(s) from release/ "
                         f"({', '.join(sorted({p.relative_to(self.work).parts[0] for p in self.copied}))}).")
        for mine, update in self.updates:
            lines.append(f"Course update: {update.relative_to(self.work.parent)} is the new version of "
                         f"{mine.relative_to(self.work.parent)}; your file was not changed (compare them and copy what you want).")
        return "\n".join(lines)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _released_files(release: Path):
    for folder, dirs, files in os.walk(release):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP)
        for name in sorted(files):
            path = Path(folder) / name
            if path.relative_to(release).parts[0] != path.name:  # only files inside an assignment folder
                yield path


def _load_manifest(work: Path) -> dict:
    try:
        data = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_manifest(work: Path, manifest: dict) -> None:
    with tempfile.NamedTemporaryFile("w", dir=work, delete=False, suffix=".tmp", encoding="utf-8") as tmp:
        json.dump(manifest, tmp, indent=1, sort_keys=True)
    os.replace(tmp.name, work / MANIFEST)


def update_name(path: Path, today: datetime.date | None = None) -> Path:
    """Where the course update of ``path`` goes: ``foundations.course-update-2026-12-03.ipynb``."""
    today = today or datetime.date.today()
    candidate = path.with_name(f"{path.stem}{UPDATE_MARK}{today.isoformat()}{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}{UPDATE_MARK}{today.isoformat()}-{n}{path.suffix}")
        n += 1
    return candidate


def sync(course: CourseDir, today: datetime.date | None = None) -> SyncReport:
    """Bring ``my-work/`` up to date with ``release/`` without ever writing over a learner's file.

    * A released file the learner has no copy of (a new assignment, or a file they deleted to start
      over) is copied.
    * A released file that changed since the learner's copy was made is written next to it under
      :func:`update_name`, once per change.

    Returns
    -------
    SyncReport
    """
    work = course.work
    report = SyncReport(work)
    if not course.release.is_dir():
        return report
    work.mkdir(exist_ok=True)
    manifest = _load_manifest(work)
    for released in _released_files(course.release):
        key = released.relative_to(course.release).as_posix()
        mine = work / key
        digest = _digest(released)
        if not mine.exists():
            mine.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(released, mine)
            report.copied.append(mine)
        elif manifest.get(key) != digest and _digest(mine) != digest:
            if key in manifest:  # a copy made before: the course changed since
                update = update_name(mine, today)
                shutil.copy2(released, update)
                report.updates.append((mine, update))
            # else: a file the learner had before this folder was tracked; recorded as it is now
        manifest[key] = digest
    _save_manifest(work, manifest)
    return report


def working_notebook(course: CourseDir, assignment: str) -> Path:
    """The learner's notebook of ``assignment`` in ``my-work/`` (it may not exist yet)."""
    return course.work / assignment / course.release_notebook(assignment).name
