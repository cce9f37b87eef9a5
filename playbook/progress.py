"""A progress line on a terminal: redrawn in place a few times a second, never in logs or pipes."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import IO

ProgressCallback = Callable[[int, int], None]  # (done, total)
REDRAW_EVERY = 0.2  # seconds


def terminal_progress(
    describe: Callable[[int, int], str], stream: IO[str] | None = None
) -> ProgressCallback | None:
    """A callback drawing `describe(done, total)` after `\\r` on stderr, the last one with a newline;
    None when stderr is not a terminal, so redirected output stays clean."""
    out = stream or sys.stderr
    if not out.isatty():
        return None
    next_draw, ended = 0.0, False

    def show(done: int, total: int) -> None:
        nonlocal next_draw, ended
        now = time.monotonic()
        finished = done >= total
        if ended or (not finished and now < next_draw):  # the end is drawn once, whoever says it
            return
        next_draw, ended = now + REDRAW_EVERY, finished
        out.write(f"\r{describe(done, total)}" + ("\n" if finished else ""))
        out.flush()

    return show
