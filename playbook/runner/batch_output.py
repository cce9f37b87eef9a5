"""Where a batch's reports go as they arrive: one streaming writer per `-f` format.

Files are written to a temporary file beside the target and renamed into place when the batch
ends well (outputs.py): whole or not at all. The terminal gets what each writer writes as it
writes it. Nothing here keeps a report: each is handed to the writers and dropped.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from types import TracebackType
from typing import IO, Any

from playbook.io.outputs import atomic_output
from playbook.present.reporters import OutputSpec, RenderContext, get_writer
from playbook.present.reporters.stream import Item, Write


class BatchOutput:
    """`with BatchOutput(specs, context, print_piece) as out: out.add(encoded) …`: the files
    are renamed into place only when the block ends without an error."""

    def __init__(self, specs: Sequence[OutputSpec], context: RenderContext, terminal: Write):
        self._specs, self._context, self._terminal = specs, context, terminal
        self._files = contextlib.ExitStack()
        self._writers: list[Any] = []
        self.count = 0

    def __enter__(self) -> BatchOutput:
        with self._files.pop_all() as files:  # a file that cannot be opened closes those before it
            for spec in self._specs:
                if spec.path is None:
                    self._writers.append(get_writer(spec.fmt)(self._terminal, self._context))
                    continue
                handle = files.enter_context(atomic_output(spec.path, "wb"))
                self._writers.append(
                    get_writer(spec.fmt)(_to_file(handle), replace(self._context, color=False, width=None))
                )
            self._files = files.pop_all()
        return self

    def add(self, encoded: bytes) -> None:
        item = Item(encoded)
        for writer in self._writers:
            writer.add(item)
        self.count += 1

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> bool | None:
        if error is None:
            try:
                for writer in self._writers:
                    writer.close()
            except BaseException as failed:  # a format that fails at its end leaves no file either
                self._discard()
                self._files.__exit__(type(failed), failed, failed.__traceback__)
                raise
        else:
            self._discard()
        return self._files.__exit__(kind, error, trace)

    def _discard(self) -> None:
        for writer in self._writers:
            if hasattr(writer, "discard"):
                writer.discard()


def _to_file(handle: IO[bytes]) -> Callable[[str | bytes], None]:
    def write(piece: str | bytes) -> None:
        handle.write(piece.encode("utf-8") if isinstance(piece, str) else piece)

    return write
