"""The canonical JSON report: one object for one snapshot, `{"reports": [...]}` for several.

One report is indented for reading. Several are written one compact report per line: still one
JSON document, easy to grep and diff per group. Reports arrive encoded (`ReportList`) and are
written as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

from playbook.io.report_list import ReportList, encode
from playbook.present.reporters import RenderContext, Report
from playbook.present.reporters.stream import Item, OneOrMany


def render(reports: Sequence[Report], context: RenderContext) -> bytes | list[bytes]:
    if len(reports) == 1:
        return encode(reports[0], indent=True) + b"\n"
    encoded = reports.encoded if isinstance(reports, ReportList) else [encode(r) for r in reports]
    pieces = [b'{"reports": [\n']
    for index, report in enumerate(encoded):
        pieces += [report, b"\n" if index == len(encoded) - 1 else b",\n"]
    return [*pieces, b"]}\n"]


class Writer(OneOrMany):
    """The same bytes as `render`, written as the reports arrive."""

    WRITES_AS_IT_GOES = True

    def one(self, item: Item) -> None:
        self.write(encode(item.report, indent=True) + b"\n")

    def begin(self) -> None:
        self.write(b'{"reports": [\n')

    def each(self, item: Item, number: int) -> None:
        self.write(item.encoded if number == 1 else b",\n" + item.encoded)

    def end(self) -> None:
        self.write(b"\n]}\n")
