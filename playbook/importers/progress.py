"""Counting the bytes an importer has read, for a progress line on a terminal."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO

from playbook.io.progress import ProgressCallback, ProgressLine, terminal_progress


class ByteMeter:
    """Bytes read so far over all input files, told to the callback (which decides when to draw)."""

    def __init__(self, paths: list[Path], callback: ProgressCallback | None) -> None:
        self.total = sum(p.stat().st_size for p in paths if p.is_file())
        self.done = 0
        self.callback = callback

    def add(self, count: int) -> None:
        self.done += count
        if self.callback is not None:
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


def byte_progress(label: str, stream: IO[str] | None = None) -> ProgressLine | None:
    """`importing  42.0%  50.3 / 119.8 MB` on a terminal, else None."""

    def describe(done: int, total: int) -> str:
        share = done / total if total else 1.0
        return f"{label} {share:6.1%}  {done / 1e6:,.1f} / {total / 1e6:,.1f} MB"

    return terminal_progress(describe, stream)
