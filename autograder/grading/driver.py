"""Runs inside the sandbox: execute the learner's cells, then the probes, and write back plain JSON.

Usage (by :mod:`autograder.grading.worker` only)::

    python -m autograder.grading.driver RESULT_FD  < spec.json

The spec (read from standard input, so it is in no file the kernel could read) holds the files
of the working folder, the cells to run, the probe cells and the limits. The result, written to
file descriptor ``RESULT_FD`` that the kernel does not inherit, holds each cell's outputs, the
probes' JSON text and the events (timeouts, dead kernels). Nothing here decides a grade: the
grader re-reads all of it as untrusted data.

A cell that runs past its time, floods output or kills the kernel is recorded, the kernel is
restarted and the notebook is run again without that cell (at most ``MAX_RESTARTS`` times), so a
submission is graded for the work it does around a broken cell.
"""
from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import sys
import time
from pathlib import Path

MAX_RESTARTS = 3
#: Set by the grader's watcher (SIGUSR1) once the whole sandbox used up its CPU seconds.
_STATE = {"cpu_spent": False, "kernel_pid": None}


def _on_cpu_spent(signum, frame) -> None:
    """SIGUSR1 from the grader: stop the running cell and the learner's later cells; the probes still run."""
    _STATE["cpu_spent"] = True
    pid = _STATE["kernel_pid"]
    if pid:
        try:
            os.kill(pid, signal.SIGINT)
        except OSError:
            pass


def _kernel_started(client) -> None:
    """Remember the kernel's pid and make it (and its children) the first the OOM killer picks, not this driver."""
    try:
        pid = int(client.km.provisioner.pid)
    except Exception:
        return
    _STATE["kernel_pid"] = pid
    try:
        with open(f"/proc/{pid}/oom_score_adj", "w") as adj:
            adj.write("1000")
    except OSError:
        pass


class _OutputFlood(Exception):
    pass


def _undumpable() -> None:
    """Keep same-user processes (the kernel) from reading this process's memory or fds."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except Exception:
        pass


def _write_files(workdir: Path, files: dict) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    for rel, b64 in files.items():
        path = (workdir / rel).resolve()
        if workdir.resolve() not in path.parents:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(b64))


def _client_class():
    from nbclient import NotebookClient

    class CappedClient(NotebookClient):
        """nbclient that keeps at most ``output_cap`` bytes per cell and stops a flooding cell."""

        output_cap = 1 << 20

        def output(self, outs, msg, display_id, cell_index):
            used = self._used.get(cell_index, 0)
            size = len(json.dumps(msg.get("content", {}), default=str))
            self._used[cell_index] = used + size
            if used + size <= self.output_cap:
                return super().output(outs, msg, display_id, cell_index)
            if cell_index not in self._flooded:
                self._flooded.add(cell_index)
                outs.append(_note(f"output beyond {self.output_cap // 1024} KiB was dropped"))
                asyncio.ensure_future(_maybe_async(self.km.interrupt_kernel()))
            elif used + size > 8 * self.output_cap and cell_index not in self._killed:
                self._killed.add(cell_index)  # ignores interrupts: kill; the driver restarts without it
                asyncio.ensure_future(_maybe_async(self.km.shutdown_kernel(now=True)))
            return None

    return CappedClient


async def _maybe_async(value):
    if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future):
        return await value
    return value


def _note(text: str) -> dict:
    import nbformat

    return nbformat.v4.new_output("stream", name="stderr", text=f"[grader] {text}\n")


KERNEL_ARGS = ["--HistoryManager.hist_file=:memory:"]


def prestart_kernel(workdir: Path):
    """Launch the kernel now, so that it boots while this process imports nbclient and nbformat.

    Returns a started ``AsyncKernelManager`` (or ``None`` if it could not start: :func:`run` then
    starts one the ordinary way). It uses nbclient's own event-loop helper, so the client made
    later drives it on the same loop.
    """
    try:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        km = AsyncKernelManager(kernel_name="python3")
        run_sync(km.start_kernel)(extra_arguments=list(KERNEL_ARGS), cwd=str(workdir), env=dict(os.environ))
        return km
    except Exception:
        return None


def _shutdown(km) -> None:
    if km is None:
        return
    try:
        from jupyter_core.utils import run_sync

        run_sync(km.shutdown_kernel)(now=True)
    except Exception:
        pass


def run(spec: dict, km=None) -> dict:
    """Execute ``spec["cells"]`` then ``spec["probes"]`` in one kernel; see the module docstring.

    ``km``: a kernel already started by :func:`prestart_kernel` for the first attempt, or ``None``.
    """
    started = time.monotonic()
    workdir = Path(spec["workdir"])
    _write_files(workdir, spec.get("files", {}))
    try:
        return _run(spec, km, started)
    finally:
        _shutdown(km)


def _run(spec: dict, km, started: float) -> dict:
    import nbformat
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    deadline = started + float(spec["notebook_timeout"])
    workdir = Path(spec["workdir"])
    cells = [nbformat.v4.new_code_cell(c) for c in spec["cells"]]
    probes = [nbformat.v4.new_code_cell(p["source"]) for p in spec["probes"]]
    everything = cells + probes
    bad: dict[int, str] = {}
    events: list[str] = []
    phases = {"kernel_ready": 0.0, "cells": 0.0, "probes": 0.0}   # seconds spent in each part (last attempt)
    finished = False
    for _attempt in range(MAX_RESTARTS + 1):
        nb = nbformat.v4.new_notebook()
        nb.cells = everything
        for cell in everything:
            cell.outputs, cell.execution_count = [], None
        client = _client_class()(nb, km=km, timeout=float(spec["cell_timeout"]), kernel_name="python3", allow_errors=True,
                                 interrupt_on_timeout=False, shutdown_kernel="immediate", record_timing=False,
                                 extra_arguments=list(KERNEL_ARGS), resources={"metadata": {"path": str(workdir)}})
        km = None   # a restarted attempt gets a fresh kernel from nbclient
        client.output_cap = int(spec["output_cap"])
        client._used, client._flooded, client._killed = {}, set(), set()
        current = None
        try:
            with client.setup_kernel(env=dict(os.environ)):
                _kernel_started(client)
                mark = time.monotonic()
                phases = {"kernel_ready": round(mark - started, 3), "cells": 0.0, "probes": 0.0}
                for index, cell in enumerate(everything):
                    if index in bad:
                        cell.outputs = [_note(bad[index])]
                        continue
                    if _STATE["cpu_spent"] and index < len(cells):
                        cell.outputs = [_note("not run: the submission used up its CPU time")]
                        continue
                    if time.monotonic() > deadline:
                        events.append(f"the notebook ran longer than {spec['notebook_timeout']:.0f} s; later cells were not run")
                        break
                    current = index
                    client.execute_cell(cell, index)
                    now = time.monotonic()
                    phases["cells" if index < len(cells) else "probes"] += now - mark
                    mark = now
                    if index in client._killed:
                        raise _OutputFlood()
                    if _STATE["cpu_spent"] and index < len(cells) and not any("CPU time" in e for e in events):
                        events.append(f"cell {index + 1} was stopped: the submission used up its CPU time; later cells were not run")
            finished = True
        except CellTimeoutError:
            reason = f"stopped: the cell ran longer than {spec['cell_timeout']:.0f} s"
        except (DeadKernelError, _OutputFlood):
            reason = "stopped: the kernel died or was killed in this cell" if current not in client._killed else \
                "stopped: the cell printed far more output than allowed and ignored the interrupt"
        except Exception as err:  # kernel failed to start, protocol errors
            reason = f"stopped: {type(err).__name__}: {str(err)[:200]}"
        if finished:
            break
        if current is None:
            events.append(reason.replace("stopped: ", "the kernel could not run: "))
            break
        what = f"cell {current + 1}" if current < len(cells) else f"the grader's probe for {spec['probes'][current - len(cells)]['key']}"
        events.append(f"{what} {reason.replace('stopped: ', '')}; the kernel was restarted without it")
        bad[current] = reason
        if time.monotonic() > deadline:
            break
    return {
        "cells": [{"outputs": c.get("outputs", []), "execution_count": c.get("execution_count")} for c in cells],
        "probes": {p["key"]: [o for o in c.get("outputs", []) if o.get("output_type") == "display_data"]
                   for p, c in zip(spec["probes"], probes)},
        "events": events,
        "seconds": round(time.monotonic() - started, 3),
        "phases": {k: round(v, 3) for k, v in phases.items()},
    }


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # jsonschema's optional URI-format checker compiles a grammar on import (1.5 s); nbformat
    # validation here never needs it.
    sys.modules.setdefault("rfc3987_syntax", None)
    fd = int(argv[0])
    os.set_inheritable(fd, False)
    _undumpable()
    signal.signal(signal.SIGUSR1, _on_cpu_spent)
    spec = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    try:
        workdir = Path(spec["workdir"])
        _write_files(workdir, spec.get("files", {}))
        spec["files"] = {}
        result = run(spec, prestart_kernel(workdir))
    except BaseException as err:  # report, never hang
        result = {"cells": [], "probes": {}, "events": [f"the grader could not run the notebook: {type(err).__name__}: {err}"]}
    data = json.dumps(result, allow_nan=True, default=str).encode()
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
