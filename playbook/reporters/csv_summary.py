"""`-f csv`: the summary of a batch, one row per group (as the xlsx summary sheet), for Excel.

UTF-8 with a byte-order mark, so Excel opens Chinese right; a cell that starts like a formula is
prefixed with `'` so it stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from playbook.reporters import RenderContext, Report
from playbook.reporters.summary_rows import SUMMARY_COLUMNS, as_text, headers, summary_row


def render(reports: Sequence[Report], context: RenderContext) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers(SUMMARY_COLUMNS, context.lang))
    keys = [key for key, _zh, _en in SUMMARY_COLUMNS]
    for report in reports:  # one row per group, made as the report is read
        row = summary_row(report, context.lang)
        writer.writerow([_cell(key, row.get(key)) for key in keys])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(key: str, value: Any) -> Any:
    if value is None:
        return ""
    if key == "coverage" and isinstance(value, int | float):
        return f"{value:.0%}"
    return as_text(value)
