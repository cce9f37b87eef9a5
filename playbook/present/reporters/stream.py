"""Writing a batch as its reports arrive: the pieces every streaming reporter shares.

A reporter module may define `Writer(write, context)`: `add(item)` for each report in input
order, `close()` once after the last. `write` takes text or UTF-8 bytes and sends them on (to
the terminal, or to a temporary file renamed into place at the end). A reporter without a
Writer is rendered whole at the end from the reports kept encoded (`Collected`): correct for
any format, but its memory grows with the batch.

What a writer keeps is small and bounded: a running aggregate, one summary row per group
(summary.py), and the first report until a second shows whether the batch has one report or
several (the formats differ). Anything longer that must come after a summary is spooled to an
anonymous temporary file and copied out at the end.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from typing import IO, Any

from playbook.core.report_types import Report
from playbook.io.report_list import ReportList, decode

Write = Callable[[str | bytes], None]
COPY_BYTES = 1 << 20


class Item:
    """One report as it arrives: its JSON, decoded only if a writer reads it (once for all)."""

    __slots__ = ("__dict__", "encoded")

    def __init__(self, encoded: bytes):
        self.encoded = encoded

    @cached_property
    def report(self) -> Report:
        return decode(self.encoded)


class Spool:
    """Text written now and copied out later, kept on disk rather than in memory."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None

    def write(self, piece: str | bytes) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed in copy_to
        self._file.write(piece.encode("utf-8") if isinstance(piece, str) else piece)

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def lines(self) -> Iterator[bytes]:
        """What was written, line by line; the spool is emptied."""
        if self._file is None:
            return
        self._file.seek(0)
        yield from self._file
        self._file.close()
        self._file = None

    def copy_to(self, write: Write) -> None:
        if self._file is None:
            return
        self._file.seek(0)
        while chunk := self._file.read(COPY_BYTES):
            write(chunk)
        self._file.close()
        self._file = None


class Streaming:
    """A writer's base: `discard()` drops whatever it spooled when the batch ends in an error."""

    def discard(self) -> None:
        for value in vars(self).values():
            if isinstance(value, Spool):
                value.discard()


class OneOrMany(Streaming):
    """A writer whose format for one report differs from the format for several.

    The first report is held until a second arrives (then the batch is several) or the batch
    ends (then it was one). Subclasses write `one` or `begin`, `each` … `end`.
    """

    def __init__(self, write: Write, context: Any):
        self.write = write
        self.context = context
        self.count = 0
        self._first: Item | None = None

    def add(self, item: Item) -> None:
        self.count += 1
        if self.count == 1:
            self._first = item
            return
        if self.count == 2:
            assert self._first is not None
            self.begin()
            self.each(self._first, 1)
            self._first = None
        self.each(item, self.count)

    def close(self) -> None:
        if self.count == 1:
            assert self._first is not None
            self.one(self._first)
        elif self.count > 1:
            self.end()

    def one(self, item: Item) -> None:
        raise NotImplementedError

    def begin(self) -> None:
        """Before the first of several reports."""

    def each(self, item: Item, number: int) -> None:
        raise NotImplementedError

    def end(self) -> None:
        """After the last of several reports."""


class Collected:
    """Any reporter without a Writer: the reports are kept encoded and rendered whole at the end."""

    def __init__(
        self, render: Callable[[Sequence[Report], Any], str | bytes | list[bytes]], write: Write, context: Any
    ):
        self._render = render
        self.write = write
        self.context = context
        self._encoded: list[bytes] = []

    def add(self, item: Item) -> None:
        self._encoded.append(item.encoded)

    def close(self) -> None:
        rendered = self._render(ReportList(self._encoded), self.context)
        for piece in rendered if isinstance(rendered, list) else [rendered]:
            self.write(piece)
