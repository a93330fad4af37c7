"""The bubblewrap command line that runs one submission in its own sandbox.

Only these are visible inside, read-only: ``/usr`` (with ``/bin``, ``/lib`` as links), the
Python environment (``sys.prefix`` and ``sys.base_prefix``), a few files of ``/etc``, and the
``course`` and ``autograder`` package code under ``/mlcourse/lib``. The working folder is a
size-limited tmpfs filled by the driver from its input; no network, own PID/IPC/UTS namespaces,
a new session, dies with its parent. When run as root the driver drops to an unprivileged user
with no capabilities, so resource limits on processes apply.
"""
from __future__ import annotations

import functools
import importlib.util
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import CourseError
from .limits import Limits

WORKDIR = "/home/student/work"
LIBDIR = "/mlcourse/lib"
_ETC = ("passwd", "group", "hosts", "nsswitch.conf", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime",
        "ssl", "ca-certificates", "alternatives", "fonts", "mime.types")
#: First uid of the unprivileged users submissions run as (one per concurrent sandbox).
BASE_UID = 61000


def package_dir(name: str) -> Path:
    """Folder of an importable package (``course`` or ``autograder``) in this Python."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise CourseError(f"The {name!r} package cannot be imported here: install mlcourse or set PYTHONPATH to the course folder.")
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def sandbox_env() -> dict:
    """The whole environment of the driver and the kernel: nothing of the instructor's."""
    return {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/home/student",
        "LANG": "C.UTF-8",
        "PYTHONPATH": LIBDIR,
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/home/student/.mpl",
        "IPYTHONDIR": "/home/student/.ipython",
        "JUPYTER_RUNTIME_DIR": "/home/student/.runtime",
        "JUPYTER_DATA_DIR": "/home/student/.jupyter-data",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def bwrap_command(limits: Limits, uid: int, course_dir: Path, autograder_dir: Path, extra_ro=()) -> list[str]:
    """argv that runs the grading driver inside a fresh sandbox.

    Parameters
    ----------
    limits : Limits
        Scratch size comes from ``limits.file_size``.
    uid : int
        Unprivileged uid the driver runs as when the grader is root.
    course_dir, autograder_dir : Path
        The ``course`` and ``autograder`` packages, bound read-only under ``/mlcourse/lib``.
    """
    args = ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--clearenv",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/bin", "/bin",
            "--symlink", "usr/sbin", "/sbin"]
    if Path("/usr/lib64").exists():
        args += ["--symlink", "usr/lib64", "/lib64"]
    for name in _ETC:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    # Both tmpfs folders are size-limited: their pages are memory, charged to the sandbox.
    args += ["--proc", "/proc", "--dev", "/dev", "--size", str(limits.file_size), "--tmpfs", "/tmp"]
    for prefix in sorted({Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(sys.prefix), *map(Path, extra_ro)}):
        if not str(prefix).startswith("/usr"):
            args += _parents(prefix) + ["--ro-bind", str(prefix), str(prefix)]
    args += ["--perms", "0755", "--dir", "/home", "--perms", "0755", "--dir", "/mlcourse", "--perms", "0755", "--dir", LIBDIR,
             "--perms", "01777", "--size", str(limits.file_size), "--tmpfs", "/home/student",
             "--ro-bind", str(course_dir), f"{LIBDIR}/course", "--ro-bind", str(autograder_dir), f"{LIBDIR}/autograder",
             "--chdir", "/home/student"]
    for key, value in sandbox_env().items():
        args += ["--setenv", key, value]
    if os.geteuid() == 0:
        # Root outside would also be root inside: drop to a plain user with no capabilities, so
        # RLIMIT_NPROC counts and file permissions apply.
        args += ["--", "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"]
    else:
        args += ["--unshare-user", "--"]
    return args


def _parents(path: Path) -> list[str]:
    # bwrap makes missing mount points with mode 0700; the unprivileged user must traverse them.
    out = []
    for parent in reversed(path.parents[:-1]):
        out += ["--perms", "0755", "--dir", str(parent)]
    return out


#: Smallest per-process address space: a kernel's threads reserve far more than they touch, and the
#: memory actually used is limited for the whole sandbox (:mod:`.enforcement`).
ADDRESS_SPACE_FLOOR = 4 << 30


def rlimits(limits: Limits) -> dict:
    """``{resource: (soft, hard)}`` applied to the sandbox and inherited by everything in it.

    Per process, as backstops: the whole-sandbox limits are :mod:`.enforcement`'s.
    """
    space = max(limits.memory, ADDRESS_SPACE_FLOOR)
    return {
        resource.RLIMIT_AS: (space, space),
        resource.RLIMIT_CPU: (limits.cpu, limits.cpu + 5),
        resource.RLIMIT_NPROC: (limits.processes, limits.processes),
        resource.RLIMIT_FSIZE: (limits.file_size, limits.file_size),
        resource.RLIMIT_CORE: (0, 0),
    }


def preexec(limits: Limits):
    """A ``preexec_fn`` that applies :func:`rlimits` in the child before ``bwrap`` starts."""
    table = rlimits(limits)

    def apply():
        for res, value in table.items():
            resource.setrlimit(res, value)
    return apply


@functools.lru_cache(maxsize=1)
def sandbox_problem() -> str | None:
    """``None`` if bubblewrap can create a sandbox here, else one sentence saying why not (asked once
    per process)."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed: install it (apt-get install bubblewrap) or pass --no-sandbox to grade without protection."
    probe = bwrap_command(Limits(), BASE_UID, package_dir("course"), package_dir("autograder")) + [sys.executable, "-c", "print('ok')"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bubblewrap could not start ({err}): pass --no-sandbox to grade without protection."
    if done.returncode != 0 or done.stdout.strip() != "ok":
        why = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        return f"bubblewrap cannot create namespaces here ({why}): enable unprivileged user namespaces or pass --no-sandbox to grade without protection."
    return None
