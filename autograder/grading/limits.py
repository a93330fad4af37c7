"""Resource limits of one graded submission, read from ``c.MLCourseGrade`` in ``nbgrader_config.py``."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

from ..errors import CourseError

_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_size(text) -> int:
    """Bytes in a size such as ``"2G"``, ``"512MiB"`` or ``1073741824``.

    Examples
    --------
    >>> parse_size("1.5G")
    1610612736
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return int(text)
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*", str(text).upper())
    if not match:
        raise CourseError(f"Cannot read the size {text!r}: write a number with an optional unit, such as 2G or 512M.")
    return int(float(match.group(1)) * _UNITS[match.group(2)])


#: Settings of ``c.MLCourseGrade`` that are not resource limits (read by :func:`run_mode`).
OTHER_SETTINGS = frozenset({"run"})
RUN_MODES = ("needed", "all")


def run_mode(section, full: bool = False) -> str:
    """``"needed"`` (the cells the verdicts depend on; the default) or ``"all"`` (``--full`` or ``c.MLCourseGrade.run = "all"``)."""
    if full:
        return "all"
    mode = dict(section or {}).get("run", "needed")
    if mode not in RUN_MODES:
        raise CourseError(f"c.MLCourseGrade.run is {mode!r}: set it to \"needed\" (the cells grades depend on) or \"all\" (every cell).")
    return mode


def format_size(size: int) -> str:
    """A byte count as people write it: ``"3 GiB"``, ``"512 MiB"``, ``"1.5 GiB"``.

    Examples
    --------
    >>> format_size(3 << 30), format_size(512 << 20), format_size(1536 << 20)
    ('3 GiB', '512 MiB', '1.5 GiB')
    """
    for unit, shift in (("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift:
            return f"{size / (1 << shift):.4g} {unit}" if size % (1 << shift) else f"{size >> shift} {unit}"
    return f"{size} B"


@dataclass(frozen=True)
class Limits:
    """What one submission may use.

    Attributes
    ----------
    timeout : float
        Wall-clock seconds per cell (``c.MLCourseGrade.timeout``).
    notebook_timeout : float
        Wall-clock seconds for the whole notebook, probes included.
    memory : int
        Bytes of memory of the whole sandbox, all its processes and its tmpfs scratch together
        (a cgroup, or the watchdog: :mod:`.enforcement`); also every process's ``RLIMIT_AS``
        (at least 4 GiB: address space reserved is not memory used).
    cpu : int
        CPU seconds of the whole sandbox (:mod:`.enforcement`); also every process's ``RLIMIT_CPU``.
    processes : int
        Processes the sandbox may run at once (a cgroup's ``pids.max``, or the watchdog); also
        ``RLIMIT_NPROC`` of the sandbox user.
    output : int
        Bytes of cell output kept per cell; beyond it the cell is interrupted.
    file_size : int
        Largest file the submission may write (``RLIMIT_FSIZE``); also the scratch size.
    """

    timeout: float = 60.0
    notebook_timeout: float = 600.0
    memory: int = 3 << 30
    cpu: int = 600
    processes: int = 256
    output: int = 1 << 20
    file_size: int = 256 << 20

    def with_overrides(self, timeout=None, memory=None) -> "Limits":
        """These limits with the command line's ``--timeout`` and ``--memory`` applied."""
        changes = {}
        if timeout is not None:
            changes["timeout"] = float(timeout)
            changes["notebook_timeout"] = max(self.notebook_timeout, float(timeout))
        if memory is not None:
            changes["memory"] = parse_size(memory)
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_config(cls, section) -> "Limits":
        """Limits from the ``MLCourseGrade`` config section (sizes may be strings such as ``"3G"``)."""
        section = {k: v for k, v in dict(section or {}).items() if k not in OTHER_SETTINGS}
        known = set(cls.__dataclass_fields__) | OTHER_SETTINGS
        unknown = sorted(set(section) - known)
        if unknown:
            raise CourseError(f"c.MLCourseGrade has unknown setting(s) {', '.join(unknown)}: use {', '.join(sorted(known))}.")
        values = {}
        for name, value in section.items():
            values[name] = parse_size(value) if name in ("memory", "output", "file_size") else type(getattr(cls, name))(value)
        return cls(**values)
