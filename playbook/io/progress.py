"""A progress line on a terminal: redrawn in place a few times a second, never in logs or pipes."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import IO

ProgressCallback = Callable[[int, int], None]  # (done, total)
REDRAW_EVERY = 0.2  # seconds


class ProgressLine:
    """Draws `describe(done, total)` after `\\r`, at most every REDRAW_EVERY seconds; the end once,
    with a newline. `close()` ends a line left open (Ctrl-C, an error), so that what is printed
    next starts on a line of its own."""

    def __init__(self, describe: Callable[[int, int], str], out: IO[str]) -> None:
        self.describe, self.out = describe, out
        self.next_draw, self.ended, self.open = 0.0, False, False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        finished = done >= total
        if self.ended or (not finished and now < self.next_draw):  # the end is drawn once
            return
        self.next_draw, self.ended, self.open = now + REDRAW_EVERY, finished, not finished
        self.out.write(f"\r{self.describe(done, total)}" + ("\n" if finished else ""))
        self.out.flush()

    def close(self) -> None:
        if self.open:
            self.out.write("\n")
            self.out.flush()
            self.open = False


def terminal_progress(
    describe: Callable[[int, int], str], stream: IO[str] | None = None
) -> ProgressLine | None:
    """A progress line on stderr, or None when stderr is not a terminal, so redirected output
    stays clean."""
    out = stream or sys.stderr
    return ProgressLine(describe, out) if out.isatty() else None
