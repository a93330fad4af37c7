"""Reading ``submitted/<student>/<assignment>/`` without following anything the student put there.

Collected submissions come from a shared exchange or an LMS download, so every name under
``submitted/`` is the student's: a symbolic link (to the instructor's ``source/`` notebook, say),
a hard link, a device or a FIFO must never be read through. Files are opened relative to their
folder's descriptor with ``O_NOFOLLOW`` (so a link swapped in while the grader reads is refused as
well), and only regular files with a single name are read; everything else is left out with a
one-line reason.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

#: Folders of editors and tools, never part of a submission.
IGNORED_DIRS = (".ipynb_checkpoints", "__pycache__")
_OPEN = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_OPEN_DIR = os.O_RDONLY | os.O_NOFOLLOW | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)


class Refused(Exception):
    """A name under ``submitted/`` that is not read; ``str(err)`` is the one-line reason."""


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refusal(rel: str, st: os.stat_result) -> str | None:
    """Why ``rel`` (lstat ``st``) is not read, or ``None`` for a regular file with one name."""
    if stat.S_ISREG(st.st_mode):
        if st.st_nlink > 1:
            return f"{rel} is a hard link to another file: submit a copy of the file itself"
        return None
    return f"{rel} is {_kind(st.st_mode)}: submit the file itself"


def check_folder(folder: Path, below: Path) -> None:
    """Raise :class:`Refused` if ``folder`` or a folder between ``below`` and it is a link or not a folder."""
    folder, below = Path(folder), Path(below)
    rel = folder.relative_to(below)
    current = below
    for part in rel.parts:
        current = current / part
        try:
            st = os.lstat(current)
        except OSError as err:
            raise Refused(f"{current.relative_to(below.parent)} cannot be read ({err.strerror})") from None
        if not stat.S_ISDIR(st.st_mode):
            raise Refused(f"{current.relative_to(below.parent)} is {_kind(st.st_mode)}, not a folder: collect the submission again")


def read_file(folder: Path, name: str, limit: int = 64 << 20) -> bytes:
    """The bytes of the regular file ``folder/name``; raises :class:`Refused` for anything else.

    ``FileNotFoundError`` is raised as is (a missing file is not a refusal).
    """
    dir_fd = os.open(folder, _OPEN_DIR)
    try:
        return _read_at(dir_fd, name, name, limit)
    finally:
        os.close(dir_fd)


def _read_at(dir_fd: int, name: str, rel: str, limit: int) -> bytes:
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        raise
    reason = _refusal(rel, st)
    if reason:
        raise Refused(reason)
    try:
        fd = os.open(name, _OPEN, dir_fd=dir_fd)
    except OSError as err:   # ELOOP: replaced by a link since the lstat
        raise Refused(f"{rel} cannot be read safely ({err.strerror})") from None
    try:
        st = os.fstat(fd)
        reason = _refusal(rel, st)
        if reason:
            raise Refused(reason)
        if st.st_size > limit:
            raise Refused(f"{rel} is larger than {limit >> 20} MiB")
        chunks, size = [], 0
        while True:
            block = os.read(fd, 1 << 20)
            if not block:
                break
            size += len(block)
            if size > limit:
                raise Refused(f"{rel} is larger than {limit >> 20} MiB")
            chunks.append(block)
        return b"".join(chunks)
    finally:
        os.close(fd)


@dataclass
class Contents:
    """The readable files of a submission folder and what was left out."""

    files: dict = field(default_factory=dict)      # relative path -> bytes
    refused: list = field(default_factory=list)    # one-line reasons, sorted


def read_folder(folder: Path, skip=(), max_bytes: int = 64 << 20) -> Contents:
    """Every regular file under ``folder`` (nothing followed), editor folders and ``skip`` names left out.

    Parameters
    ----------
    folder : Path
        A folder already checked with :func:`check_folder`.
    skip : iterable of str
        File names (at any depth) not to read.
    max_bytes : int
        Total size read at most; beyond it :class:`Refused` is raised for the whole folder.

    Returns
    -------
    Contents
        Symbolic links (to files or folders), hard links, devices, FIFOs and sockets are in
        ``refused``, never read.
    """
    out, total, skip = Contents(), 0, set(skip)
    for dirpath, dirnames, filenames, dir_fd in os.fwalk(folder, follow_symlinks=False):
        rel_dir = os.path.relpath(dirpath, folder)
        prefix = "" if rel_dir == "." else rel_dir + "/"
        for name in list(dirnames):
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            if name in IGNORED_DIRS:
                dirnames.remove(name)
            elif not stat.S_ISDIR(st.st_mode):     # a link to a folder: fwalk would not enter it, say so
                dirnames.remove(name)
                out.refused.append(f"{prefix}{name} is {_kind(st.st_mode)}: submit the folder itself")
        for name in sorted(filenames):
            if name in skip:
                continue
            try:
                data = _read_at(dir_fd, name, prefix + name, max_bytes)
            except Refused as err:
                out.refused.append(str(err))
                continue
            except FileNotFoundError:
                continue
            total += len(data)
            if total > max_bytes:
                raise Refused(f"the submission folder holds more than {max_bytes >> 20} MiB of files")
            out.files[prefix + name] = data
    out.refused.sort()
    return out
