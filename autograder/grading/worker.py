"""Run one notebook in a sandbox and bring back its outputs and probe reports (a worker's whole job).

:func:`run_job` takes and returns plain dicts, so it runs the same in a local pool or on a Dask
worker on another machine: the job carries the notebook text and the files, not paths.
"""
from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from .limits import Limits
from .probe import quiz_probe_source, task_probe_source
from .enforcement import SandboxWatch
from .sandbox import BASE_UID, WORKDIR, bwrap_command, package_dir, preexec

#: Seconds the whole sandbox may outlive the notebook deadline before it is killed.
GRACE = 20
#: Bytes read from the driver at most (outputs are capped per cell as well).
MAX_RESULT = 256 << 20

_live: set = set()
_uids = threading.Lock()
_free_uids: list[int] = []
_next_uid = [BASE_UID]


def _take_uid() -> int:
    with _uids:
        if _free_uids:
            return _free_uids.pop()
        _next_uid[0] += 1
        return _next_uid[0]


def _give_uid(uid: int) -> None:
    with _uids:
        _free_uids.append(uid)


class JobFailed(Exception):
    """The submission cannot be graded; ``str(err)`` is the one-line reason."""


def parse_notebook(text: str, name: str = "notebook"):
    """Read submitted notebook text as nbformat 4 (old formats upgraded), or raise :class:`JobFailed`."""
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        raise JobFailed(f"{name} is not valid JSON (damaged, or not a notebook)") from None
    if not isinstance(raw, dict) or ("cells" not in raw and "worksheets" not in raw):
        raise JobFailed(f"{name} is JSON but not a Jupyter notebook")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as err:
        raise JobFailed(f"{name} is not a readable notebook ({type(err).__name__})") from None
    if not isinstance(nb.get("cells"), list):
        raise JobFailed(f"{name} has no cells")
    return nb


#: A drill's check cell as ``mlcourse drill`` writes it: it only shows the learner the visible check.
_CHECK_CALL = re.compile(r'check\("\w+"(, seed=\d+)?\)')


def runnable_cells(nb, skip_ids) -> list[int]:
    """Indexes of the code cells that run: every code cell except graded test cells and untouched
    check cells of a drill (the probes check the functions themselves)."""
    out = []
    for i, cell in enumerate(nb.cells):
        metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        meta = metadata.get("nbgrader", {}) if isinstance(metadata.get("nbgrader"), dict) else {}
        if cell.get("cell_type") != "code":
            continue
        if meta.get("grade") is True or meta.get("grade_id") in skip_ids:
            continue
        source = cell.get("source") if isinstance(cell.get("source"), str) else "".join(cell.get("source") or [])
        if isinstance(metadata.get("mlcourse"), dict) and metadata["mlcourse"].get("check") and _CHECK_CALL.fullmatch(source.strip()):
            continue
        out.append(i)
    return out


def _driver_spec(job: dict, sources: list[str], workdir: str) -> dict:
    limits = Limits(**job["limits"])
    functions = job.get("functions") or {}
    probes = [{"key": f"task:{t}", "source": task_probe_source(t, job["seeds"], functions.get(t))} for t in job["tasks"]]
    probes.append({"key": "quiz", "source": quiz_probe_source()})
    return {"workdir": workdir, "files": job["files"], "cells": sources, "probes": probes,
            "cell_timeout": limits.timeout, "notebook_timeout": limits.notebook_timeout, "output_cap": limits.output}


def _run_driver(argv, spec: dict, limits: Limits, env=None, use_preexec=True, watch=None) -> dict:
    """Run the driver under ``argv`` and return its result; ``watch``: the sandbox's :class:`SandboxWatch`."""
    read_fd, write_fd = os.pipe()
    chunks, size = [], [0]

    def reader():
        with os.fdopen(read_fd, "rb") as pipe:
            while True:
                block = pipe.read(1 << 16)
                if not block:
                    break
                if size[0] < MAX_RESULT:
                    chunks.append(block)
                size[0] += len(block)

    apply_rlimits = preexec(limits) if use_preexec else None

    def in_child():
        if watch is not None:
            watch.join()        # into the sandbox's cgroups before bwrap starts: everything below is counted
        if apply_rlimits is not None:
            apply_rlimits()

    command = argv + [sys.executable, "-m", "autograder.grading.driver", str(write_fd)]
    if watch is not None:
        command = watch.command(command)
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            pass_fds=(write_fd,), env=env, start_new_session=True,
                            preexec_fn=in_child if (watch is not None or apply_rlimits is not None) else None)
    os.close(write_fd)
    _live.add(proc)
    if watch is not None:
        watch.start(proc)
    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    killed = False
    over = []
    try:
        try:
            proc.stdin.write(json.dumps(spec).encode())
            proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            proc.wait(timeout=limits.notebook_timeout + GRACE)
        except subprocess.TimeoutExpired:
            killed = True
    finally:
        # The sandbox is its own session and PID namespace: killing the group ends everything in it.
        if watch is not None:
            watch.halt()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        _live.discard(proc)
        if watch is not None:
            over = watch.stop()
        thread.join(timeout=10)
    if killed:
        raise JobFailed(f"the notebook ran longer than {limits.notebook_timeout + GRACE:.0f} s and was killed")
    if size[0] > MAX_RESULT:
        raise JobFailed("the notebook produced more output than the grader accepts")
    try:
        result = json.loads(b"".join(chunks).decode("utf-8", "replace"))
    except ValueError:
        raise JobFailed(over[0] if over else "the sandbox ended without a result (out of memory or killed)") from None
    if not isinstance(result, dict) or not isinstance(result.get("cells"), list) or not isinstance(result.get("probes"), dict):
        raise JobFailed("the sandbox returned a malformed result")
    events = result.get("events") if isinstance(result.get("events"), list) else []
    result["events"] = over + events
    if watch is not None:
        result["usage"] = {"peak_memory": watch.peak_memory, "cpu_seconds": round(watch.cpu_seconds, 2)}
    return result


def kill_all() -> None:
    """Kill every sandbox this process started and that is still running (on Ctrl-C)."""
    for proc in list(_live):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _merge_outputs(nb, indexes: list[int], cells: list) -> None:
    for i, executed in zip(indexes, cells):
        outputs = executed.get("outputs") if isinstance(executed, dict) else None
        cell = nb.cells[i]
        cell.outputs = []
        for out in outputs if isinstance(outputs, list) else []:
            try:
                node = nbformat.from_dict(out)
                nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[node])]))
            except Exception:
                continue
            cell.outputs.append(node)
        count = executed.get("execution_count") if isinstance(executed, dict) else None
        cell.execution_count = count if type(count) is int else None


def run_job(job: dict) -> dict:
    """Execute one submission and return its executed notebook and probe reports, as plain data.

    Parameters
    ----------
    job : dict
        Made by :func:`autograder.grading.batch.make_job`: ``notebook_text``, ``files`` (base64),
        ``skip_ids``, ``tasks``, ``seeds``, ``limits``, ``sandbox`` and ``course_root``.

    Returns
    -------
    dict
        ``{"status": "ran", "notebook": str, "probes": {key: str | None}, "events": [...],
        "seconds": float}`` or ``{"status": "failed", "reason": str}``.
    """
    started = time.monotonic()
    try:
        nb = parse_notebook(job["notebook_text"], job.get("notebook_name", "notebook"))
        indexes = runnable_cells(nb, set(job["skip_ids"]))
        sources = [nb.cells[i].source if isinstance(nb.cells[i].source, str) else "".join(nb.cells[i].source) for i in indexes]
        limits = Limits(**job["limits"])
        sliced = _slice(job, nb, indexes, sources) if job.get("run") == "sliced" else None
        if sliced is not None:
            kept, run_sources = sliced
            result = _execute(job, run_sources, limits)
            if needs_whole_run(result):
                sliced, result = None, _execute(job, sources, limits)
            else:
                skipped = [i for i in indexes if i not in kept]
                indexes = kept
        else:
            result = _execute(job, sources, limits)
        _merge_outputs(nb, indexes, result["cells"])
        if sliced is not None and skipped:
            for i in skipped:               # not run: no output of the submitted file is kept as if it were
                nb.cells[i].outputs, nb.cells[i].execution_count = [], None
            nb.cells.insert(0, _sliced_note(nb, skipped))
        probes = {}
        for key, outputs in result["probes"].items():
            from .probe import probe_payload

            probes[str(key)] = probe_payload(outputs if isinstance(outputs, list) else [])
        events = [str(e)[:300] for e in result.get("events", []) if isinstance(e, str)][:20]
        out = {"status": "ran", "notebook": nbformat.writes(nb), "probes": probes, "events": events,
               "seconds": round(time.monotonic() - started, 3), "run": "sliced" if sliced is not None else "whole",
               "phases": {k: float(v) for k, v in (result.get("phases") or {}).items()
                          if k in ("kernel_ready", "cells", "probes") and type(v) in (int, float)}}
        if "usage" in result:
            out["usage"] = result["usage"]
        return out
    except JobFailed as err:
        return {"status": "failed", "reason": str(err), "seconds": round(time.monotonic() - started, 3)}


def _sliced_note(nb, skipped: list[int]):
    """The markdown cell at the top of a sliced run's autograded notebook: which cells did not run, and why."""
    numbers = ", ".join(str(i + 1) for i in skipped)
    return nbformat.v4.new_markdown_cell(
        f"**Graded without running {len(skipped)} code cell(s)** (cells {numbers} of the submission): no graded "
        "function and no quiz answer depends on them (worked examples, plots), so their outputs are empty here. "
        "Grade with `mlcourse grade --full` to run every cell.", metadata={"mlcourse": {"sliced": True}})


def _execute(job: dict, sources: list[str], limits: Limits) -> dict:
    """Run ``sources`` (and the probes) in a sandbox, or unprotected for a reference; the driver's result."""
    if job.get("sandbox", True):
        root = Path(job["course_root"]) if job.get("course_root") else None
        course_dir = root / "course" if root and (root / "course").is_dir() else package_dir("course")
        uid = _take_uid()
        try:
            argv = bwrap_command(limits, uid, course_dir, package_dir("autograder"))
            return _run_driver(argv, _driver_spec(job, sources, WORKDIR), limits, watch=SandboxWatch(limits))
        finally:
            _give_uid(uid)
    with tempfile.TemporaryDirectory(prefix="mlcourse-grade-") as tmp:
        from ..execute import kernel_env

        env = kernel_env(Path(job["course_root"]) if job.get("course_root") else None)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [env.get("PYTHONPATH"), str(package_dir("autograder").parent)]))
        return _run_driver([], _driver_spec(job, sources, str(Path(tmp) / "work")), limits, env=env,
                           use_preexec=job.get("rlimits", True))


#: Errors of a sliced run that a whole run might not have: the submission is then run whole.
_SLICING_ERRORS = ("NameError", "UnboundLocalError", "FileNotFoundError", "ImportError", "ModuleNotFoundError")


def needs_whole_run(result: dict) -> bool:
    """Whether a sliced run failed in a way that a left-out cell might explain."""
    from .probe import probe_payload

    for cell in result.get("cells") or []:
        for out in (cell.get("outputs") if isinstance(cell, dict) else None) or []:
            if isinstance(out, dict) and out.get("output_type") == "error" and out.get("ename") in _SLICING_ERRORS:
                return True
    for outputs in (result.get("probes") or {}).values():
        text = probe_payload(outputs if isinstance(outputs, list) else [])
        if text is None or any(f'"raised": "{name}"' in text for name in _SLICING_ERRORS):
            return True
    return False


def _slice(job: dict, nb, indexes: list[int], sources: list[str]):
    """``(kept cell indexes, their sources)`` of a sliced run, or ``None`` to run the whole notebook."""
    from course.notebook import SETUP_ID

    from .slicing import lean_setup, literal_quiz, plan

    def meta(i):
        md = nb.cells[i].get("metadata") if isinstance(nb.cells[i].get("metadata"), dict) else {}
        return md, md.get("nbgrader", {}) if isinstance(md.get("nbgrader"), dict) else {}

    setup = next((k for k, i in enumerate(indexes) if meta(i)[1].get("grade_id") == SETUP_ID), None)
    # Quiz cells run, unless they only hold literal answers, which the grader reads from the text.
    quizzes = [k for k, i in enumerate(indexes) if ("quiz" in (meta(i)[0].get("tags") or []) or "quiz(" in sources[k])
               and not literal_quiz(sources[k])]
    needed = set((job.get("functions") or {}).values())
    found = plan(sources, needed, setup=setup, always=quizzes)
    if found.whole:
        return None
    run_sources = list(sources)
    if setup is not None:
        names = set().union(*(read_names(run_sources[k]) for k in found.cells if k != setup)) | needed
        run_sources[setup] = "\n".join([lean_setup(sources[setup], names), *found.imports])
    elif found.imports:
        return None
    return [indexes[k] for k in found.cells], [run_sources[k] for k in found.cells]


def read_names(source: str) -> set:
    """Names a cell reads (for the lean setup cell)."""
    from .slicing import read_cell

    return read_cell(source, set()).reads


def encode_files(folder: Path, skip=(), max_bytes: int = 64 << 20) -> dict:
    """``{relative path: base64}`` of the files under ``folder`` (checkpoints and ``skip`` names left out)."""
    files, total = {}, 0
    if not folder.is_dir():
        return files
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or path.is_symlink() or any(part in (".ipynb_checkpoints", "__pycache__") for part in rel.parts):
            continue
        if rel.name in skip:
            continue
        data = path.read_bytes()
        total += len(data)
        if total > max_bytes:
            raise JobFailed(f"the submission folder holds more than {max_bytes >> 20} MiB of files")
        files[str(rel)] = base64.b64encode(data).decode()
    return files
