"""Writing output files whole or not at all: a temporary file beside the target, then rename
(devices and pipes, which cannot be replaced, are written to directly)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO]:
    """Yield a file to write; it replaces `path` only if the block finishes without error.

    A device or a pipe (`-o /dev/stdout`, `/dev/null`, a FIFO) is written to as it is: replacing
    one with a file would break it for every program. A symlink keeps pointing where it did: the
    file it points to is the one replaced."""
    target = Path(path)
    if target.exists() and not target.is_file() and not target.is_dir():
        with _opened(target, mode) as handle:
            yield handle
        return
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if not target.parent.is_dir():
        raise PlaybookError.at(
            str(target),
            Text("输出目录不存在: {d}", "the output folder does not exist: {d}").format(d=str(target.parent)),
        )
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    try:  # from the moment the file exists: a Ctrl-C even during chmod must not leave it behind
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a report is an ordinary file
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # the block only writes: a full disk, a folder in the way
            raise _cannot_write(target, exc) from None
        raise


@contextlib.contextmanager
def _opened(target: Path, mode: str) -> Iterator[IO]:
    try:
        with open(target, mode, encoding=None if "b" in mode else "utf-8") as handle:
            yield handle
    except OSError as exc:
        raise _cannot_write(target, exc) from None


_WRITE_FAILURES = {
    errno.EACCES: Text("没有写入权限", "permission denied"),
    errno.EPERM: Text("没有写入权限", "permission denied"),
    errno.ENOSPC: Text("磁盘空间不足", "no space left on the disk"),
    errno.EDQUOT: Text("磁盘配额已用完", "the disk quota is used up"),
    errno.EROFS: Text("这个位置是只读的", "the location is read-only"),
    errno.EISDIR: Text("已有同名文件夹", "a folder of that name is in the way"),
    errno.EFBIG: Text("文件超过了允许的大小（ulimit -f）", "the file grew past the size allowed (ulimit -f)"),
}


def _cannot_write(target: Path, exc: OSError) -> PlaybookError:
    """Nothing was written (the temporary file is gone); say why in words, not as a crash."""
    reason = _WRITE_FAILURES.get(exc.errno or 0) or Text(str(exc.strerror or exc), str(exc.strerror or exc))
    return PlaybookError.at(
        str(target), Text("无法写入，什么也没有写: ", "cannot write, nothing was written: ") + reason
    )


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


def refuse_overwriting_inputs(outputs: Iterable[str | None], inputs: Iterable[str | None]) -> None:
    """An output file that is one of the command's inputs (by name, through a symlink or a hard
    link) would replace what was just read: `audit g.yaml -f json -o g.yaml` once turned the
    group file into its report. Refused before anything is read."""
    known = [(path, _identity(path)) for path in inputs if path and not path.startswith("builtin:")]
    for output in outputs:
        if not output:
            continue
        target = _identity(output)
        if target is None:
            continue
        clash = next((path for path, identity in known if identity == target), None)
        if clash is not None:
            raise PlaybookError.at(
                output,
                Text(
                    f"输出文件就是输入文件 {clash}，写入会覆盖它",
                    f"the output is the input {clash}: writing would replace it",
                ),
                Text("换一个输出文件名", "write to another file"),
            )


def _identity(path: str) -> tuple[int, int] | str | None:
    """The file a path leads to: device and inode when it exists, else its resolved name. A device
    or a pipe (`-o /dev/stdout`) is nobody's input file and has none."""
    try:
        status = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    if not stat.S_ISREG(status.st_mode):
        return None
    return (status.st_dev, status.st_ino)


def refuse_replacing(output: str | None, force: bool, option: str = "--force") -> None:
    """A file that exists is replaced only with `--force` (a hand-edited snapshot is work)."""
    if output is None or force or not os.path.lexists(output):
        return
    target = Path(output)
    if target.exists() and not target.is_file():  # a device or a pipe: written to, as always
        return
    raise PlaybookError.at(
        output,
        Text("文件已存在，没有覆盖", "the file exists and was not replaced"),
        Text(f"加 {option} 覆盖它", f"add {option} to replace it"),
    )


def write_stdout(text: str | bytes | list[bytes]) -> None:
    """Print text or UTF-8 bytes whole, or fail with a message.

    Python's buffered stdout may take part of a large write and drop the rest without a word
    (a full disk, `ulimit -f`): a report cut at 8 KB with exit 0. Every piece is written until
    all of it is taken; a write that fails is a `PlaybookError` (a closed pipe stays
    `BrokenPipeError`, which the command line ends quietly)."""
    sys.stdout.flush()  # anything printed before goes first
    stream = sys.stdout.buffer
    pieces = [text] if isinstance(text, str | bytes) else text
    try:
        for piece in pieces:
            _write_all(stream, piece.encode("utf-8") if isinstance(piece, str) else piece)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        reason = _WRITE_FAILURES.get(exc.errno or 0) or Text(
            str(exc.strerror or exc), str(exc.strerror or exc)
        )
        raise PlaybookError.at(
            "<stdout>",
            Text(
                "无法写完标准输出，输出不完整: ",
                "cannot write the standard output; what was written is cut short: ",
            )
            + reason,
        ) from None


def _write_all(stream: IO[bytes], data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = stream.write(view)
        if not written:  # nothing taken and no error: nothing more would be
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        view = view[written:]
