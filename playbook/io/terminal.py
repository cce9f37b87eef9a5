"""Fitting text to the terminal: tables whose widest columns wrap, lines that wrap with a hanging
indent, widths measured in terminal cells (a Chinese character takes two).

Only output that goes to a terminal is fitted; piped or written to a file it stays whole, one
line per item, for `grep` and for other programs.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Sequence
from typing import Any

# tabulate and wcwidth (~25 ms to import) are imported where a table is drawn or a width measured:
# an audit written as JSON or to files draws neither, and it asks `output_width` at start.

GAP = 2  # tabulate's "simple" format puts two spaces between columns
NARROWEST = 10  # a wrapped column keeps at least this many cells: a word or two per line
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_MARKER = re.compile(r"(?:→|▲|✓|✗|↑|~|\+|-|\*|\d{1,2}\.) ")


def _stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def output_width() -> int | None:
    """The terminal's width in cells when stdout is one (COLUMNS overrides), else None: no limit."""
    if not _stdout_is_tty():
        return None
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def cells(text: str) -> int:
    """Width of `text` on a terminal: wide (CJK) characters count two, colour codes none."""
    from wcwidth import wcswidth

    shown = _ANSI.sub("", text)
    width = wcswidth(shown)
    return width if width >= 0 else len(shown)  # a control character: count it as one


COMFORTABLE = 16  # narrower than this a column reads badly: drop a droppable column first


def column_limits(
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str],
    width: int | None,
    wrappable: Sequence[int] | None = None,
    narrowest: int = NARROWEST,
) -> list[int | None] | None:
    """tabulate's `maxcolwidths` that fit the table into `width`: the widest wrappable column is
    narrowed until the whole fits (or every wrappable column is at `narrowest`). None: nothing to do."""
    if width is None or not headers:
        return None
    natural = _natural_widths(rows, headers)
    limits = list(natural)
    free = list(range(len(headers))) if wrappable is None else list(wrappable)
    while _total(limits) > width:
        candidates = [i for i in free if limits[i] > narrowest]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: limits[i])
        # never below the next widest column: wide columns give up room together
        others = [limits[i] for i in candidates if i != widest]
        limits[widest] = max(narrowest, max(others, default=0), limits[widest] - (_total(limits) - width))
        if others and limits[widest] == max(others) and _total(limits) > width:
            limits[widest] -= 1  # equal widths: take turns
    if limits == natural:
        return None
    return [limit if limit != natural[i] else None for i, limit in enumerate(limits)]


def _natural_widths(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> list[int]:
    # tabulate pads a header by two cells at least (its MIN_PADDING)
    return [
        max(
            [cells(line) for row in rows for line in str(row[i]).splitlines() or [""]]
            + [cells(str(headers[i])) + 2]
        )
        for i in range(len(headers))
    ]


def _total(limits: Sequence[int]) -> int:
    return sum(limits) + GAP * (len(limits) - 1)


def fitted_table(
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str],
    width: int | None,
    wrappable: Sequence[int] | None = None,
    droppable: Sequence[int] = (),
    tablefmt: str = "simple",
    colalign: Sequence[str] | None = None,
    wrap_headers: bool = False,
    narrowest: int = NARROWEST,
) -> str:
    """A tabulate table whose wrappable columns wrap to fit `width` (None: as wide as it is).
    When the wrapped columns would be too narrow to read, the droppable columns go first (the
    last named first): a terminal shows less, a pipe or a file always all."""
    keep = list(range(len(headers)))
    for column in [*droppable][::-1]:
        if (
            width is None
            or column_limits(rows, headers, width, wrappable, COMFORTABLE) is None
            or _fits(rows, headers, width, wrappable)
        ):
            break
        keep.remove(column)
        rows = [[row[i] for i in range(len(row)) if i != column] for row in rows]
        headers = [h for i, h in enumerate(headers) if i != column]
        wrappable = None if wrappable is None else [i - (i > column) for i in wrappable if i != column]
    limits = column_limits(rows, headers, width, wrappable, narrowest)
    extra: dict[str, Any] = {}
    if colalign is not None:
        extra["colalign"] = [align for i, align in enumerate(colalign) if i in keep]
    if wrap_headers and limits is not None:  # long headers (section names) wrap with their column
        extra["maxheadercolwidths"] = limits
    from tabulate import tabulate

    return tabulate(
        rows, headers=list(headers), tablefmt=tablefmt, disable_numparse=True, maxcolwidths=limits, **extra
    )


def _fits(
    rows: Sequence[Sequence[Any]], headers: Sequence[str], width: int, wrappable: Sequence[int] | None
) -> bool:
    """Whether the table fits with every wrapped column still COMFORTABLE wide."""
    limits = column_limits(rows, headers, width, wrappable, COMFORTABLE)
    shown = limits or [None] * len(headers)
    natural = _natural_widths(rows, headers)
    return _total([natural[i] if limit is None else limit for i, limit in enumerate(shown)]) <= width


def wrap_line(line: str, width: int | None, indent: int | None = None) -> list[str]:
    """`line` broken into lines of at most `width` cells, continued under `indent` spaces (by
    default the line's own indent, past a leading `→ `, `▲ ` or `2. `). Breaks at spaces, or between two CJK characters; a word longer
    than a line is cut. A line that fits, or no width, comes back as it is."""
    if width is None or cells(line) <= width:
        return [line]
    lead = len(line) - len(line.lstrip(" "))
    marker = _MARKER.match(line[lead:])  # `→ `, `2. `, `▲ `: the text continues past the marker
    hang = " " * (indent if indent is not None else lead + (cells(marker.group(0)) if marker else 0))
    out, current = [], line[:lead]
    for token in _tokens(line[lead:]):
        room = width - cells(current)
        if cells(token) <= room or not current.strip():
            current += token if current.strip() or not token.isspace() else ""
            while cells(current) > width:  # a single token wider than the line
                cut = _cut_at(current, width)
                out.append(current[:cut])
                current = hang + current[cut:]
            continue
        out.append(current.rstrip())
        current = hang + token.lstrip()
    if current.strip():
        out.append(current.rstrip())
    return out


def wrap_text(text: str, width: int | None) -> str:
    """Every line of `text` wrapped (each under its own indent)."""
    if width is None:
        return text
    return "\n".join(piece for line in text.split("\n") for piece in wrap_line(line, width))


def _tokens(text: str) -> list[str]:
    """Words with their leading space, and each wide character on its own: where a line may break."""
    return re.findall(
        r" *[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+| *[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]| +",
        text,
    )


def _cut_at(text: str, width: int) -> int:
    used = 0
    for index, char in enumerate(text):
        used += max(cells(char), 0)
        if used > width:
            return max(index, 1)
    return len(text)
