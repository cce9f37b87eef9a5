"""`-f xlsx`: one workbook for a batch, for an agency's report to its client.

Three sheets, each with a frozen header row, filters and columns as wide as their text (Chinese
characters count two): 汇总 / summary (one row per group: name, platform, type, stage, score,
grade, coverage, causes, the top three fixes), 结果 / results (one row per rule and group), 清单 /
checklist (one row per thing to do). Written as the reports arrive (a streaming `Writer`,
reporters/stream.py) with XlsxWriter in constant-memory mode: a batch of thousands never sits in
memory as reports or cells.

Text is always written as text (`write_string`, formulas and URLs never inferred): a group name
like `=HYPERLINK(…)` stays a name.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text
from playbook.io.terminal import cells
from playbook.present.reporters import RenderContext, Report
from playbook.present.reporters.stream import Streaming, Write
from playbook.present.reporters.summary_rows import (
    CHECKLIST_COLUMNS,
    RESULT_COLUMNS,
    SUMMARY_COLUMNS,
    checklist_rows,
    headers,
    result_rows,
    spreadsheet_row,
)
from playbook.present.summary import summary_row

WIDEST = 60  # cells; longer text wraps inside its cell
NARROWEST = 6
SHEETS = (
    (Text("汇总", "summary"), SUMMARY_COLUMNS),
    (Text("结果", "results"), RESULT_COLUMNS),
    (Text("清单", "checklist"), CHECKLIST_COLUMNS),
)
WRAPPED = ("causes", "message", "fix", "title", "fix_1", "fix_2", "fix_3")
PERCENT = ("coverage",)


def render(reports: Sequence[Report], context: RenderContext) -> bytes:
    pieces: list[bytes] = []
    writer = Writer(
        lambda piece: pieces.append(piece if isinstance(piece, bytes) else piece.encode()), context
    )
    for report in reports:
        writer.add(_Given(report))
    writer.close()
    return b"".join(pieces)


class _Given:
    """A report already decoded, shaped as a streamed item (`item.report`)."""

    def __init__(self, report: Report):
        self.report = report


class Writer(Streaming):
    """One report's rows on every sheet as it arrives (XlsxWriter's constant-memory mode keeps
    finished rows on disk); the workbook is written out whole when the batch ends."""

    def __init__(self, write: Write, context: RenderContext):
        xlsxwriter = _xlsxwriter()
        self.write, self.lang = write, context.lang
        self.buffer = io.BytesIO()
        options = {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        }
        self.workbook = xlsxwriter.Workbook(self.buffer, options)
        self.sheets = [
            _Sheet(self.workbook, name.render(self.lang), columns, self.lang) for name, columns in SHEETS
        ]
        self.newest: datetime | None = None

    def add(self, item: Any) -> None:
        report = item.report
        self.newest = max(
            filter(None, (self.newest, _moment(report["snapshot"].get("captured_at")))), default=None
        )
        summary, results, checklist = self.sheets
        summary.add(spreadsheet_row(summary_row(report), self.lang))
        for row in result_rows(report, self.lang):
            results.add(row)
        for row in checklist_rows(report, self.lang):
            checklist.add(row)

    def close(self) -> None:
        for sheet in self.sheets:
            sheet.finish()
        # The workbook is dated by its data (the newest capture), not by the clock: the same
        # audit gives the same file.
        self.workbook.set_properties({"created": self.newest or EPOCH})
        self.workbook.close()
        self.write(self.buffer.getvalue())


EPOCH = datetime(2000, 1, 1)


def _moment(value: Any) -> datetime | None:
    """A capture time as naive UTC (what a workbook's `created` holds), or None."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _xlsxwriter() -> Any:
    try:
        import xlsxwriter
    except ImportError:  # an optional extra
        raise PlaybookError.at(
            "--format xlsx",
            Text("写 Excel 需要 XlsxWriter", "writing Excel needs XlsxWriter"),
            Text("安装: pip install 'playbook[xlsx]'", "install it: pip install 'playbook[xlsx]'"),
        ) from None
    return xlsxwriter


class _Sheet:
    """One worksheet written row by row; column widths follow the widest text seen."""

    def __init__(self, workbook: Any, name: str, columns: tuple[tuple[str, str, str], ...], lang: str):
        self.sheet = workbook.add_worksheet(name)
        self.keys = [key for key, _zh, _en in columns]
        self.row = 0
        self.head = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "valign": "top"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.plain = workbook.add_format({"valign": "top"})
        self.percent = workbook.add_format({"num_format": "0%", "valign": "top"})
        self.number = workbook.add_format({"num_format": "0.0", "valign": "top"})
        titles = headers(columns, lang)
        self.widths = [max(NARROWEST, cells(title) + 2) for title in titles]
        for column, title in enumerate(titles):
            self.sheet.write_string(0, column, title, self.head)

    def add(self, values: dict[str, Any]) -> None:
        self.row += 1
        for column, key in enumerate(self.keys):
            self._cell(column, key, values.get(key))

    def _cell(self, column: int, key: str, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            text = str(value)
            self.sheet.write_string(self.row, column, text, self.wrap if key in WRAPPED else self.plain)
            widest = max((cells(line) for line in text.splitlines()), default=0)
            self.widths[column] = min(WIDEST, max(self.widths[column], widest + 2))
            return
        style = self.percent if key in PERCENT else self.number if isinstance(value, float) else self.plain
        self.sheet.write_number(self.row, column, value, style)
        self.widths[column] = max(self.widths[column], 8)

    def finish(self) -> None:
        self.sheet.freeze_panes(1, 0)
        self.sheet.autofilter(0, 0, max(self.row, 1), len(self.keys) - 1)
        for column, width in enumerate(self.widths):
            self.sheet.set_column(column, column, width)
