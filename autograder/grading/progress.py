"""A one-line progress bar: done/total, failures, time left."""
from __future__ import annotations

import sys
import time


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """Shows ``[#####-----] 5/10 done, 1 failed, 0:42 left`` on stderr (a line per step when not a tty)."""

    def __init__(self, total: int, stream=None, width: int = 28):
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.monotonic()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def line(self) -> str:
        filled = int(self.width * self.done / self.total) if self.total else self.width
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done) if self.done else None
        eta = f"{_clock(left)} left" if left is not None and self.done < self.total else f"{_clock(elapsed)} elapsed"
        return f"[{'#' * filled}{'-' * (self.width - filled)}] {self.done}/{self.total} done, {self.failed} failed, {eta}"

    def step(self, failed: bool = False, label: str = "") -> None:
        self.done += 1
        self.failed += bool(failed)
        text = self.line() + (f"  {label}" if label and not self.tty else "")
        self.stream.write(("\r" + text + "\x1b[K") if self.tty else text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
