"""Counting the bytes an importer has read, for a progress line on a terminal."""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

ProgressCallback = Callable[[int, int], None]


class ByteMeter:
    """Bytes read so far over all input files; tells the callback at most a few times a second."""

    def __init__(self, paths: list[Path], callback: ProgressCallback | None) -> None:
        self.total = sum(p.stat().st_size for p in paths if p.is_file())
        self.done = 0
        self.callback = callback
        self._next = 0.0

    def add(self, count: int) -> None:
        self.done += count
        if self.callback is None:
            return
        now = time.monotonic()
        if now >= self._next:
            self._next = now + 0.2
            self.callback(self.done, self.total)

    def finish(self) -> None:
        if self.callback is not None:
            self.callback(self.total, self.total)


class CountingReader(io.RawIOBase):
    """A binary file that reports every read to a `ByteMeter`."""

    def __init__(self, raw: IO[bytes], meter: ByteMeter) -> None:
        self.raw, self.meter = raw, meter

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.meter.add(len(data))
        return len(data)

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.meter.add(len(data))
        return data

    def close(self) -> None:
        self.raw.close()
        super().close()


def terminal_progress(label: str, stream: IO[str] | None = None) -> ProgressCallback | None:
    """A `\\r` progress line on stderr, or None when stderr is not a terminal (logs, pipes)."""
    out = stream or sys.stderr
    if not out.isatty():
        return None

    def show(done: int, total: int) -> None:
        share = done / total if total else 1.0
        end = "\n" if done >= total else ""
        out.write(f"\r{label} {share:6.1%}  {done / 1e6:,.1f} / {total / 1e6:,.1f} MB{end}")
        out.flush()

    return show
