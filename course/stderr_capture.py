"""Keep what a learner's function writes to standard error out of a check cell's output.

Stock ``nbgrader autograde`` gives a test cell no points when its output holds any standard-error
stream, not only an error: a scikit-learn ``UserWarning`` or Optuna's per-trial log lines, raised
while a check calls a correct function, would cost the task its points. Checks and the hidden-test
recorder therefore run the learner's code inside :func:`captured_stderr`, and a check turns what it
caught into one line on standard output (:func:`summary`).
"""
from __future__ import annotations

import contextlib
import io
import logging
import sys
import warnings
from dataclasses import dataclass, field


@dataclass
class Captured:
    """What was written to standard error, and the warnings issued, inside :func:`captured_stderr`."""

    warnings: list = field(default_factory=list)
    text: str = ""


def _stream_handlers() -> list[logging.StreamHandler]:
    loggers = [logging.getLogger(), *(lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger))]
    return [h for lg in loggers for h in lg.handlers if isinstance(h, logging.StreamHandler)]


@contextlib.contextmanager
def captured_stderr():
    """Collect standard error, log records bound for it and warnings while the block runs.

    Yields
    ------
    Captured
        Filled in when the block ends. Warning filters are left as they are: a warning made an
        error still raises.
    """
    captured = Captured()
    original, buffer = sys.stderr, io.StringIO()
    # Logging handlers (Optuna's among them) hold the stream they were created with.
    moved = [h for h in _stream_handlers() if h.stream is original]
    for handler in moved:
        handler.setStream(buffer)
    with warnings.catch_warnings(record=True) as caught:
        try:
            with contextlib.redirect_stderr(buffer):
                yield captured
        finally:
            # A handler created inside the block took the buffer as its stream: give it the real one.
            for handler in [*moved, *_stream_handlers()]:
                if handler.stream is buffer:
                    handler.setStream(original)
            captured.warnings = list(caught)
            captured.text = buffer.getvalue()


def summary(captured: Captured, who: str) -> str:
    """One sentence about what was caught, or ``""`` when nothing was.

    Parameters
    ----------
    captured : Captured
    who : str
        Whose code wrote it, e.g. "`linear_shap`".
    """
    if captured.warnings:
        first = captured.warnings[0]
        n = len(captured.warnings)
        text = f"{first.category.__name__}: {str(first.message).splitlines()[0] if str(first.message) else ''}".rstrip(": ")
        return (f"Note: {who} issued {n} warning{'s' if n > 1 else ''} while checked, the first: {text}. "
                "It does not change the verdict, but read it: it often points at a real problem.")
    lines = [ln for ln in captured.text.splitlines() if ln.strip()]
    if lines:
        return (f"Note: {who} wrote {len(lines)} line{'s' if len(lines) > 1 else ''} to standard error while checked "
                "(logging or warnings); it does not change the verdict.")
    return ""
