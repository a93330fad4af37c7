"""Run a notebook top to bottom in a fresh kernel (nbclient), keeping going after errors."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError


def kernel_env(course_root: Path | None = None) -> dict:
    """Environment for a kernel that imports this course folder's ``course`` package first."""
    env = dict(os.environ)
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("PYTHONHASHSEED", "0")
    # Small models on few cores: parallel BLAS/OpenMP threads only fight each other (and other kernels).
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    if course_root is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(course_root), env.get("PYTHONPATH", "")]))
    return env


def execute(nb, cwd: Path, course_root: Path | None = None, timeout: int = 120, skip=None):
    """Execute ``nb`` in place with its working directory ``cwd``.

    Parameters
    ----------
    nb : NotebookNode
        The notebook; its outputs are replaced.
    cwd : Path
        Working directory of the kernel.
    course_root : Path, optional
        Course folder whose ``course`` package the kernel imports.
    timeout : int
        Seconds allowed per cell.
    skip : callable, optional
        ``skip(cell) -> bool``; skipped cells are left unexecuted.

    Returns
    -------
    str or None
        ``None`` if the run finished, else why it stopped (timeout, dead kernel).
    """
    runnable = nb
    if skip is not None:
        runnable = nb.copy()
        runnable.cells = [c for c in nb.cells if not skip(c)]
    client = NotebookClient(
        runnable,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(cwd)}},
    )
    try:
        # The kernel's own start-up warnings are noise for learners and instructors alike.
        client.execute(env=kernel_env(course_root), stderr=subprocess.DEVNULL)
    except CellTimeoutError:
        return f"a cell ran longer than {timeout} s"
    except DeadKernelError:
        return "the kernel died"
    return None


def cell_error(cell) -> str | None:
    """``"Name: message"`` of the first error a code cell raised, or ``None``."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
    return None
