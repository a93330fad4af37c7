"""Limits of a whole sandbox, all its processes together: memory (RSS plus tmpfs), processes, CPU time.

rlimits count per process, so five children of 2.5 GiB each pass a 3 GiB ``RLIMIT_AS``. Judges
(IOI's isolate, PrairieLearn, Jobe) put each run in a control group instead; so does this module,
choosing the best the machine offers (:func:`method`):

``cgroup2`` / ``cgroup1``
    As root: a cgroup per sandbox (v2, or v1's ``memory``, ``pids`` and ``cpuacct`` hierarchies),
    created before ``bwrap`` starts and removed afterwards. The kernel charges every page of the
    sandbox, its tmpfs scratch included, and the OOM killer ends a process of that sandbox only.
``systemd``
    As a normal user where the user's systemd delegates cgroups: ``systemd-run --user --scope``
    with ``MemoryMax``, ``MemorySwapMax`` and ``TasksMax``.
``watchdog``
    Otherwise: a thread sums the proportional memory of the sandbox's processes plus its tmpfs
    usage every :data:`POLL` seconds and kills the largest process past the limit, as the OOM
    killer would.

Whatever the method, a watcher thread per sandbox adds up CPU time: past ``Limits.cpu`` the
driver is told to stop the learner's cells and run the probes (so the submission is graded for
what it did), and ``CPU_GRACE`` seconds later the whole sandbox is killed. Set
``MLCOURSE_GRADE_ENFORCEMENT`` to ``cgroup``, ``systemd`` or ``watchdog`` to force one method.
"""
from __future__ import annotations

import functools
import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import CourseError
from .limits import Limits, format_size

ENV = "MLCOURSE_GRADE_ENFORCEMENT"
#: Seconds between two looks at a sandbox.
POLL = 0.1
#: CPU seconds the probes get once the learner's cells used up ``Limits.cpu``.
CPU_GRACE = 60
#: The in-sandbox driver's arguments after the interpreter (see :mod:`.driver`); ``bwrap``'s own
#: command line holds them too, but not right after its name.
DRIVER_ARGS = [b"-m", b"autograder.grading.driver"]
_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")
_names = itertools.count()


@dataclass(frozen=True)
class Method:
    """How this machine enforces whole-sandbox limits: ``kind`` and, for cgroups, where."""

    kind: str                   # "cgroup2", "cgroup1", "systemd" or "watchdog"
    base: dict                  # controller (or "unified") -> folder new cgroups go into
    why: str = ""               # for the watchdog: why nothing better is available

    def describe(self, limits: Limits) -> str:
        """One line for the instructor: the limits of a submission and how they are enforced."""
        what = (f"{format_size(limits.memory)} of memory, {limits.processes} processes, {limits.cpu} CPU seconds "
                "per submission (all its processes together)")
        how = {"cgroup2": "a cgroup v2 per sandbox", "cgroup1": "a cgroup v1 per sandbox (memory, pids, cpuacct)",
               "systemd": "a systemd user scope per sandbox (systemd-run --user --scope)",
               "watchdog": f"a watchdog that sums the sandbox's processes every {POLL:g} s"}[self.kind]
        return f"Limits: {what}, enforced by {how}" + (f" ({self.why})." if self.why else ".")


def _mounts() -> list[tuple[str, str, set]]:
    out = []
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        parts = line.split()
        if len(parts) >= 4 and parts[2] in ("cgroup", "cgroup2"):
            out.append((parts[2], parts[1], set(parts[3].split(","))))
    return out


def _own_paths() -> dict:
    """``{controller: path}`` of this process in each v1 hierarchy, ``"unified"`` for v2."""
    out = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "":
            out["unified"] = path
        for name in controllers.split(","):
            out[name] = path
    return out


def _writable(folder: Path) -> bool:
    probe = folder / f"mlcourse-probe-{os.getpid()}"
    try:
        probe.mkdir()
        probe.rmdir()
        return True
    except OSError:
        return False


def _cgroup2_base() -> dict | None:
    for kind, mount, _ in _mounts():
        if kind != "cgroup2":
            continue
        root = Path(mount)
        try:
            available = set((root / "cgroup.controllers").read_text().split())
        except OSError:
            continue
        if not {"memory", "pids"} <= available:
            continue
        # The root cgroup may hold processes and still enable controllers for its children
        # (cgroup v2's "no internal processes" rule spares it): one folder for all sandboxes.
        base = root / "mlcourse-grade"
        wanted = " ".join(f"+{c}" for c in ("memory", "pids", "cpu") if c in available)
        try:
            enabled = set((root / "cgroup.subtree_control").read_text().split())
            if not {"memory", "pids"} <= enabled:
                (root / "cgroup.subtree_control").write_text(wanted)
            base.mkdir(exist_ok=True)
            (base / "cgroup.subtree_control").write_text(wanted)
        except OSError:
            continue
        if _writable(base):
            return {"unified": base}
    return None


def _cgroup1_base() -> dict | None:
    own = _own_paths()
    found = {}
    for kind, mount, options in _mounts():
        if kind != "cgroup":
            continue
        for controller in ("memory", "pids", "cpuacct"):
            if controller in options and controller in own and controller not in found:
                folder = Path(mount + own[controller])
                if _writable(folder):
                    found[controller] = folder
    return found if {"memory", "pids"} <= set(found) else None


def _systemd_works() -> bool:
    if not _which("systemd-run"):
        return False
    code = ("import pathlib; p = pathlib.Path('/proc/self/cgroup').read_text().split('0::', 1)[1].split()[0]; "
            "print(pathlib.Path('/sys/fs/cgroup' + p, 'memory.max').read_text().strip())")
    try:
        done = subprocess.run(["systemd-run", "--user", "--scope", "--quiet", "-p", "MemoryMax=1073741824", "-p", "TasksMax=64",
                               "--", sys.executable, "-c", code], capture_output=True, text=True, timeout=15)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and done.stdout.strip() == "1073741824"


def _which(name: str) -> bool:
    import shutil

    return shutil.which(name) is not None


def method(forced: str | None = None) -> Method:
    """The enforcement this machine offers (detected once per process and choice).

    Parameters
    ----------
    forced : str, optional
        ``"cgroup"``, ``"systemd"`` or ``"watchdog"``; default from ``MLCOURSE_GRADE_ENFORCEMENT``,
        else ``"auto"``: cgroups as root, a systemd user scope as a normal user, else the watchdog.

    Raises
    ------
    CourseError
        If the method asked for is not available here.
    """
    return _detect((forced or os.environ.get(ENV) or "auto").strip().lower())


@functools.lru_cache(maxsize=None)
def _detect(choice: str) -> Method:
    if choice not in ("auto", "cgroup", "systemd", "watchdog"):
        raise CourseError(f"{ENV}={choice!r} is not a method: use auto, cgroup, systemd or watchdog.")
    if choice == "watchdog":
        return Method("watchdog", {}, f"{ENV}=watchdog")
    if choice in ("auto", "cgroup") and os.geteuid() == 0:
        base = _cgroup2_base()
        if base:
            return Method("cgroup2", base)
        base = _cgroup1_base()
        if base:
            return Method("cgroup1", base)
    if choice == "cgroup":
        raise CourseError(f"{ENV}=cgroup but no writable cgroup with memory and pids controllers is available "
                          "(run the grader as root, or use auto).")
    if choice in ("auto", "systemd") and os.geteuid() != 0 and _systemd_works():
        return Method("systemd", {})
    if choice == "systemd":
        raise CourseError(f"{ENV}=systemd but `systemd-run --user --scope` cannot set memory limits here "
                          "(no user systemd with delegated cgroups): use auto.")
    why = "no cgroup is writable here" if os.geteuid() == 0 else "no cgroup delegated to this user"
    return Method("watchdog", {}, why)


# -- reading /proc -----------------------------------------------------------------------------

def _stat(pid: int):
    """``(ppid, starttime, cpu seconds incl. reaped children)`` of ``pid``, or ``None`` if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    ticks = sum(int(f) for f in fields[11:15])      # utime, stime, cutime, cstime
    return int(fields[1]), int(fields[19]), ticks / _TICK


def _memory(pid: int) -> int:
    """Bytes of anonymous and shared memory ``pid`` holds (its proportional share where readable)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        keys = ("Pss_Anon:", "Pss_Shmem:")
    except OSError:
        try:
            text = Path(f"/proc/{pid}/status").read_text()
            keys = ("RssAnon:", "RssShmem:")
        except OSError:
            return 0
    total = 0
    for line in text.splitlines():
        if line.startswith(keys):
            total += int(line.split()[1]) << 10
    return total


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _descendants(root: int) -> dict:
    """``{pid: (ppid, starttime, cpu)}`` of ``root`` and every process below it."""
    table = {}
    for pid in _all_pids():
        info = _stat(pid)
        if info:
            table[pid] = info
    children: dict = {}
    for pid, info in table.items():
        children.setdefault(info[0], []).append(pid)
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in table and pid not in out:
            out[pid] = table[pid]
            todo.extend(children.get(pid, []))
    return out


def _kill(pids) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


# -- one sandbox -------------------------------------------------------------------------------

class SandboxWatch:
    """Whole-sandbox limits for one run of ``bwrap``: set up, watch while it runs, clean up.

    Use: ``argv = watch.command(argv)``; call :meth:`join` in the child before ``exec`` (the
    ``preexec_fn``); :meth:`start` with the started process; :meth:`stop` afterwards, which returns
    the one-line reasons of every limit the sandbox went over.
    """

    def __init__(self, limits: Limits, how: Method | None = None):
        self.limits = limits
        self.how = how or method()
        self.name = f"mlcourse-{os.getpid()}-{next(_names)}"
        self.events: list[str] = []
        self.peak_memory = 0
        self.cpu_seconds = 0.0
        self._cpu_told = False
        self._memory_told = False
        self._processes_told = False
        self._proc = None
        self._done = threading.Event()
        self._thread = None
        self._dirs: dict = {}
        self._tmpfs_pid = None
        if self.how.kind in ("cgroup1", "cgroup2"):
            self._make_cgroups()

    # set-up
    def _make_cgroups(self) -> None:
        limits = self.limits
        try:
            for controller, base in self.how.base.items():
                folder = base / self.name
                folder.mkdir()
                self._dirs[controller] = folder
            if self.how.kind == "cgroup2":
                folder = self._dirs["unified"]
                _write(folder / "memory.max", limits.memory)
                _write(folder / "memory.swap.max", 0, missing_ok=True)
                _write(folder / "pids.max", limits.processes)
            else:
                _write(self._dirs["memory"] / "memory.limit_in_bytes", limits.memory)
                _write(self._dirs["memory"] / "memory.memsw.limit_in_bytes", limits.memory, missing_ok=True)
                _write(self._dirs["pids"] / "pids.max", limits.processes)
        except OSError as err:
            self._remove()
            raise CourseError(f"Cannot set up the cgroup of a sandbox ({err}): set {ENV}=watchdog to grade without cgroups.") from None
        self._procs_files = [str(folder / "cgroup.procs") for folder in self._dirs.values()]

    def command(self, argv: list[str]) -> list[str]:
        """``argv`` prefixed as the method needs (a systemd scope), else unchanged."""
        if self.how.kind != "systemd":
            return argv
        limits = self.limits
        return ["systemd-run", "--user", "--scope", "--quiet", "--collect", f"--unit={self.name}",
                "-p", f"MemoryMax={limits.memory}", "-p", "MemorySwapMax=0", "-p", f"TasksMax={limits.processes}", "--", *argv]

    def join(self) -> None:
        """In the forked child, before ``exec``: move it into the sandbox's cgroups (only os calls)."""
        pid = str(os.getpid()).encode()
        for path in getattr(self, "_procs_files", ()):
            fd = os.open(path, os.O_WRONLY)
            try:
                os.write(fd, pid)
            finally:
                os.close(fd)

    def start(self, proc) -> None:
        """Watch the started sandbox process ``proc`` until :meth:`stop`."""
        self._proc = proc
        if self.how.kind == "systemd":
            self._find_scope(proc.pid)
        self._thread = threading.Thread(target=self._watch, name=f"{self.name}-watch", daemon=True)
        self._thread.start()

    def _find_scope(self, pid: int) -> None:
        mount = next((Path(m) for kind, m, _ in _mounts() if kind == "cgroup2"), None)
        for _ in range(100):
            try:
                path = Path(f"/proc/{pid}/cgroup").read_text().split("0::", 1)[1].split()[0]
            except (OSError, IndexError):
                return
            if mount and path.endswith(f"/{self.name}.scope"):
                self._dirs["unified"] = mount / path.lstrip("/")
                return
            self._done.wait(0.05)

    # while it runs
    def _pids(self) -> dict:
        """``{pid: (ppid, starttime, cpu)}`` of every process of the sandbox."""
        if self._dirs:
            folder = self._dirs.get("unified") or self._dirs.get("memory")
            try:
                pids = [int(p) for p in (folder / "cgroup.procs").read_text().split()]
            except OSError:
                pids = []
            out = {}
            for pid in pids:
                info = _stat(pid)
                if info:
                    out[pid] = info
            return out
        return _descendants(self._proc.pid)

    def _cpu(self, table: dict) -> float:
        folder = self._dirs.get("unified")
        try:
            if folder is not None:
                for line in (folder / "cpu.stat").read_text().splitlines():
                    if line.startswith("usage_usec"):
                        return int(line.split()[1]) / 1e6
            if "cpuacct" in self._dirs:
                return int((self._dirs["cpuacct"] / "cpuacct.usage").read_text()) / 1e9
        except (OSError, ValueError):
            pass
        return sum(info[2] for info in table.values())

    def _cgroup_memory(self) -> int | None:
        folder = self._dirs.get("unified") or self._dirs.get("memory")
        if folder is None:
            return None
        for name in ("memory.current", "memory.usage_in_bytes"):
            try:
                return int((folder / name).read_text())
            except (OSError, ValueError):
                continue
        return None

    def _tmpfs(self, table: dict) -> int:
        """Bytes in the sandbox's tmpfs folders, seen through one of its processes' root."""
        candidates = ([self._tmpfs_pid] if self._tmpfs_pid in table else []) + sorted(table)
        for pid in candidates:
            try:
                used = 0
                for folder in ("home/student", "tmp"):
                    st = os.statvfs(f"/proc/{pid}/root/{folder}")
                    used += (st.f_blocks - st.f_bfree) * st.f_frsize
            except OSError:
                continue
            self._tmpfs_pid = pid
            return used
        return 0

    def _roles(self, table: dict) -> tuple[set, int | None, int | None]:
        """The grader's own processes (bwrap, the driver and those between), the driver, the kernel."""
        driver = None
        depth = {}

        def level(pid):
            if pid not in depth:
                parent = table[pid][0]
                depth[pid] = level(parent) + 1 if parent in table and parent != pid else 0
            return depth[pid]

        for pid in sorted(table, key=level):
            if _cmdline(pid).split(b"\0")[1:3] == DRIVER_ARGS:
                driver = pid
                break
        keep = set()
        pid = driver
        while pid in table and pid not in keep:
            keep.add(pid)
            pid = table[pid][0]
        if driver is None:      # starting up: nothing of the learner's runs yet
            keep = set(table)
        kernels = [p for p, info in table.items() if info[0] == driver]
        return keep, driver, (min(kernels, key=lambda p: table[p][1]) if kernels else None)

    def _watch(self) -> None:
        limits = self.limits
        while not self._done.wait(POLL):
            if self._proc.returncode is not None and not self._dirs:
                return      # reaped: its pid may belong to another process now
            table = self._pids()
            if not table:
                continue
            self.cpu_seconds = max(self.cpu_seconds, self._cpu(table))
            measured = self._cgroup_memory()
            if measured is None:
                measured = sum(_memory(pid) for pid in table) + self._tmpfs(table)
                self.peak_memory = max(self.peak_memory, measured)
                if measured > limits.memory:
                    self._over_memory(table)
            else:
                self.peak_memory = max(self.peak_memory, measured)
            if not self._dirs and len(table) > limits.processes:
                self._over_processes(table)
            if self.cpu_seconds > limits.cpu + CPU_GRACE:
                self.kill_all()
                return
            if self.cpu_seconds > limits.cpu and not self._cpu_told:
                self._over_cpu(table)

    def _over_memory(self, table: dict) -> None:
        keep, _driver, _kernel = self._roles(table)
        victims = [pid for pid in table if pid not in keep]
        if not self._memory_told:
            self._memory_told = True
            self.events.append(f"used more than {format_size(self.limits.memory)} of memory (all its processes together): "
                               "its largest process was killed")
        if victims:
            _kill([max(victims, key=_memory)])
        else:
            self.kill_all()

    def _over_processes(self, table: dict) -> None:
        keep, _driver, _kernel = self._roles(table)
        youngest = sorted((p for p in table if p not in keep), key=lambda p: table[p][1], reverse=True)
        if not self._processes_told:
            self._processes_told = True
            self.events.append(f"started more than {self.limits.processes} processes: the newest were killed")
        _kill(youngest[: len(table) - self.limits.processes])

    def _over_cpu(self, table: dict) -> None:
        self._cpu_told = True
        self.events.append(f"used more than {self.limits.cpu} CPU seconds (all its processes together): "
                           "the running cell was stopped and later cells were not run")
        keep, driver, kernel = self._roles(table)
        _kill([pid for pid in table if pid not in keep and pid != kernel])
        if driver is not None:
            try:
                os.kill(driver, signal.SIGUSR1)     # the driver interrupts the kernel and runs the probes
            except (ProcessLookupError, PermissionError):
                self.kill_all()

    def kill_all(self, reaped: bool = False) -> None:
        """Kill every process of the sandbox (``reaped``: ``bwrap`` was waited for, its pid may be reused)."""
        reaped = reaped or self._proc is None or self._proc.returncode is not None
        if not reaped:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        kill_file = self._dirs.get("unified", Path("/nonexistent")) / "cgroup.kill"
        try:
            kill_file.write_text("1")
        except OSError:
            pass
        for _ in range(3):
            table = self._pids() if self._dirs or not reaped else {}
            if not table:
                break
            _kill(table)

    # afterwards
    def halt(self) -> None:
        """Stop watching and kill every process of the sandbox (call before reaping ``bwrap``)."""
        self._done.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self.kill_all()

    def stop(self) -> list[str]:
        """After :meth:`halt` and reaping ``bwrap``: read the kernel's limit events, remove the cgroups.

        Returns
        -------
        list of str
            One-line reasons, such as ``"used more than 3 GiB of memory (…)"``, in the order seen.
        """
        self._done.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._dirs:
            self.kill_all(reaped=True)
        self._read_events()
        self._remove()
        return list(self.events)

    def _read_events(self) -> None:
        memory = self._dirs.get("unified") or self._dirs.get("memory")
        pids = self._dirs.get("unified") or self._dirs.get("pids")
        try:
            if memory is not None:
                name = "memory.events" if "unified" in self._dirs else "memory.oom_control"
                counts = dict(line.split() for line in (memory / name).read_text().splitlines() if len(line.split()) == 2)
                peak_file = memory / ("memory.peak" if "unified" in self._dirs else "memory.max_usage_in_bytes")
                if peak_file.exists():
                    self.peak_memory = max(self.peak_memory, int(peak_file.read_text().split()[0]))
                if int(counts.get("oom_kill", 0)) > 0 and not self._memory_told:
                    self._memory_told = True
                    self.events.insert(0, f"used more than {format_size(self.limits.memory)} of memory (all its processes "
                                          "together): the kernel killed its largest process")
            if pids is not None:
                counts = dict(line.split() for line in (pids / "pids.events").read_text().splitlines() if len(line.split()) == 2)
                if int(counts.get("max", 0)) > 0 and not self._processes_told:
                    self._processes_told = True
                    self.events.append(f"tried to run more than {self.limits.processes} processes at once: "
                                       "starting more failed")
        except (OSError, ValueError):
            pass

    def _remove(self) -> None:
        if self.how.kind == "systemd":
            return      # --collect: systemd removes the scope once it is empty
        for folder in self._dirs.values():
            for _ in range(50):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:        # EBUSY: a killed process is still exiting
                    try:
                        _kill(int(p) for p in (folder / "cgroup.procs").read_text().split())
                    except OSError:
                        pass
                    time.sleep(0.05)


def _write(path: Path, value, missing_ok: bool = False) -> None:
    """Write a cgroup setting; ``missing_ok`` for optional ones (swap accounting may be off)."""
    try:
        path.write_text(str(value))
    except OSError:
        if not missing_ok:
            raise
