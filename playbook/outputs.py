"""Writing output files whole or not at all: a temporary file beside the target, then rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from playbook.errors import PlaybookError
from playbook.i18n import Text


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO]:
    """Yield a file to write; it replaces `path` only if the block finishes without error."""
    target = Path(path)
    if not target.parent.is_dir():
        raise PlaybookError.at(
            str(target),
            Text("输出目录不存在: {d}", "the output folder does not exist: {d}").format(d=str(target.parent)),
        )
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a report is an ordinary file
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomic(path: str | os.PathLike[str], text: str | bytes | list[bytes]) -> None:
    """Text is written as UTF-8; bytes (already UTF-8), or a list of such pieces, as they are."""
    if isinstance(text, str):
        with atomic_output(path) as handle:
            handle.write(text)
        return
    with atomic_output(path, "wb") as handle:
        for piece in [text] if isinstance(text, bytes) else text:
            handle.write(piece)
