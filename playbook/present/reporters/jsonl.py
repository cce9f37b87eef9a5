"""JSON Lines: one compact report per line, whatever the number of reports.

For batches too large to read as one document: each line is a whole report
(schemas/report.schema.json), written as soon as it arrives, in input order.
"""

from __future__ import annotations

from collections.abc import Sequence

from playbook.io.report_list import ReportList, encode
from playbook.present.reporters import RenderContext, Report
from playbook.present.reporters.stream import Item, Write


def render(reports: Sequence[Report], context: RenderContext) -> list[bytes]:
    encoded = reports.encoded if isinstance(reports, ReportList) else [encode(r) for r in reports]
    return [piece for report in encoded for piece in (report, b"\n")]


class Writer:
    WRITES_AS_IT_GOES = True  # each report as it arrives (no progress line on the same terminal)

    def __init__(self, write: Write, context: RenderContext):
        self.write = write

    def add(self, item: Item) -> None:
        self.write(item.encoded + b"\n")

    def close(self) -> None:
        """Every line is out already."""
