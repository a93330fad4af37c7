"""``mlcourse grade``: sandboxed, tamper-proof, parallel autograding (see docs/grading.md).

Modules, in the order a submission meets them: :mod:`.batch` (the command), :mod:`.worker`
(one job), :mod:`.sandbox` and :mod:`.limits` (bubblewrap and rlimits), :mod:`.driver` (inside
the sandbox), :mod:`.probe` (inside the kernel), :mod:`.plaindata` and :mod:`.verdict` (back in
the grader), :mod:`.reference`, :mod:`.storage`, :mod:`.gradebook`, :mod:`.progress`.
:mod:`.single` grades one notebook file (a drill) with the same engine: :func:`grade_notebook`.

Names are imported lazily: the driver starts inside every sandbox and must not pay for the
gradebook's imports.
"""
import importlib
import sys

# jsonschema compiles an optional URI grammar on import (1.5 s, much more on a loaded machine) that
# nbformat's validation never uses: the grader and the in-sandbox driver skip it.
sys.modules.setdefault("rfc3987_syntax", None)

__all__ = ["grade", "Summary", "Limits", "parse_size", "grade_notebook", "TaskResult"]
_HOME = {"grade": "batch", "Summary": "batch", "Limits": "limits", "parse_size": "limits", "grade_notebook": "single",
         "TaskResult": "single"}


def __getattr__(name):
    if name in _HOME:
        return getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    raise AttributeError(name)
