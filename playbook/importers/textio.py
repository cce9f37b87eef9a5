"""Reading text exports: sniffing the encoding, then lines or CSV rows with their line numbers.

Chat exports reach operators after passing through Notepad and Excel, so the same file may come
as UTF-8, UTF-8 with a BOM, UTF-16 ("Unicode" in Notepad) or GB18030/GBK ("ANSI" on a Chinese
Windows). The encoding is decided from the first 64 KB; a file that changes encoding later
fails at the line where it does, rather than being read as garbage.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from playbook.importers.common import fail
from playbook.importers.progress import ByteMeter, CountingReader

SNIFF_BYTES = 64 * 1024
# Python codec -> what the summary shows the user.
LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16 (BOM)",
    "utf-16-le": "UTF-16LE",
    "utf-16-be": "UTF-16BE",
    "utf-32": "UTF-32 (BOM)",
    "gb18030": "GB18030",
}


def sniff_encoding(path: Path) -> str:
    """The codec name for `path`: BOM first, then UTF-16 by its zero bytes, UTF-8, GB18030."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # FF FE 00 00 starts like UTF-16
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        return _utf16_without_bom(path, head)
    for codec in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(codec)().decode(head, final=False)
            return codec
        except UnicodeDecodeError as exc:
            bad_at = exc.start
    line = head[:bad_at].count(b"\n") + 1
    raise fail(
        f"{path}:{line}",
        "无法识别文件编码: 既不是 UTF-8/UTF-16，也不是 GB18030（第 {b} 字节）",
        "unknown text encoding: not UTF-8, UTF-16 or GB18030 (byte {b})",
        b=bad_at,
    )


def _utf16_without_bom(path: Path, head: bytes) -> str:
    """Text with zero bytes is UTF-16 when the zeros sit on one side of each pair."""
    half = max(len(head) // 2, 1)
    if head[1::2].count(0) > half // 3:
        return "utf-16-le"
    if head[0::2].count(0) > half // 3:
        return "utf-16-be"
    raise fail(str(path), "这不是文本文件 (含有二进制数据)", "this is not a text file (it holds binary data)")


def label(codec: str) -> str:
    return LABELS.get(codec, codec)


def open_text(path: Path, codec: str, meter: ByteMeter) -> io.TextIOWrapper:
    """The file decoded strictly, newlines kept as-is (`csv` and QQ parsing handle CRLF)."""
    raw = io.BufferedReader(CountingReader(path.open("rb"), meter))
    return io.TextIOWrapper(raw, encoding=codec, errors="strict", newline="")


LONGEST_LINE = 1_000_000  # characters: a chat line is a message; past this, no export wrote it


def read_lines(path: Path, codec: str, meter: ByteMeter) -> Iterator[tuple[int, str]]:
    """(line number, line without its line break), failing with the line of a decoding error
    or of a line too long to be a message (a 2 GB file of one line must not be read whole)."""
    number = 0
    with open_text(path, codec, meter) as handle:
        try:
            while True:
                line = handle.readline(LONGEST_LINE + 1)
                if not line:
                    return
                number += 1
                if len(line) > LONGEST_LINE:
                    raise fail(
                        f"{path}:{number}",
                        "这一行超过 {n} 个字符，不像聊天记录导出",
                        "this line is longer than {n} characters: not a chat export",
                        n=f"{LONGEST_LINE:,}",
                    )
                yield number, line.rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raise _decode_error(path, number + 1, codec) from exc


def read_csv(path: Path, codec: str, meter: ByteMeter) -> Iterator[tuple[int, list[str]]]:
    """(line number where the row starts, cells); the header row comes first."""
    with open_text(path, codec, meter) as handle:
        reader = csv.reader(handle)
        start = 1
        try:
            for row in reader:
                yield start, row
                start = reader.line_num + 1
        except UnicodeDecodeError as exc:
            raise _decode_error(path, reader.line_num + 1, codec) from exc
        except csv.Error as exc:
            raise _csv_error(path, start, reader.line_num, exc) from exc


def _csv_error(path: Path, start: int, line: int, exc: csv.Error) -> Exception:
    if "field larger than field limit" in str(exc):
        # The only error the default (lenient) dialect raises on text: a quote opened in the row
        # that starts at `start` and never closed, so the rest of the file became one cell.
        return fail(
            f"{path}:{start}",
            "CSV 格式错误: 从这一行开始的一格超过 {n} 个字符，多半是这一行有个引号没有闭合",
            "malformed CSV: a cell starting on this line runs past {n} characters; most likely a quote "
            "on this line is never closed",
            n=csv.field_size_limit(),
        )
    return fail(f"{path}:{line}", "CSV 格式错误: {e}", "malformed CSV: {e}", e=str(exc))


def _decode_error(path: Path, line: int, codec: str) -> Exception:
    return fail(
        f"{path}:{line}",
        "这一行不是 {c} 编码 (文件前面部分是)。请把整个文件另存为 UTF-8 再导入",
        "this line is not {c} although the start of the file is; save the whole file as UTF-8",
        c=label(codec),
    )
