"""`-f csv`: the summary of a batch, one row per group (as the xlsx summary sheet), for Excel,
each line written as its report arrives.

UTF-8 with a byte-order mark, so Excel opens Chinese right; a cell that starts like a formula is
prefixed with `'` so it stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from playbook.present.reporters import RenderContext, Report
from playbook.present.reporters.stream import Streaming, Write
from playbook.present.reporters.summary_rows import SUMMARY_COLUMNS, as_text, headers, spreadsheet_row
from playbook.present.summary import summary_row


def render(reports: Sequence[Report], context: RenderContext) -> bytes:
    pieces: list[bytes] = []
    writer = Writer(
        lambda piece: pieces.append(piece if isinstance(piece, bytes) else piece.encode()), context
    )
    for report in reports:
        writer.add_report(report)
    writer.close()
    return b"".join(pieces)


class Writer(Streaming):
    """A line per group as its report arrives; nothing is kept."""

    def __init__(self, write: Write, context: RenderContext):
        self.write, self.lang = write, context.lang
        self.keys = [key for key, _zh, _en in SUMMARY_COLUMNS]
        self.write(("\ufeff" + _line(headers(SUMMARY_COLUMNS, self.lang))).encode("utf-8"))

    def add(self, item: Any) -> None:
        self.add_report(item.report)

    def add_report(self, report: Report) -> None:
        row = spreadsheet_row(summary_row(report), self.lang)
        self.write(_line([_cell(key, row.get(key)) for key in self.keys]).encode("utf-8"))

    def close(self) -> None:
        """Every line is written as it comes."""


def _line(cells: Sequence[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def _cell(key: str, value: Any) -> Any:
    if value is None:
        return ""
    if key == "coverage" and isinstance(value, int | float):
        return f"{value:.0%}"
    return as_text(value)
