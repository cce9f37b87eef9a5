"""The canonical JSON report: one object for one snapshot, `{"reports": [...]}` for several.

One report is indented for reading. Several are written one compact report per line: still one
JSON document, easy to grep and diff per group. Reports arrive encoded (`ReportList`) and are
written as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

from playbook.report_list import ReportList, encode
from playbook.reporters import RenderContext, Report


def render(reports: Sequence[Report], context: RenderContext) -> bytes | list[bytes]:
    if len(reports) == 1:
        return encode(reports[0], indent=True) + b"\n"
    encoded = reports.encoded if isinstance(reports, ReportList) else [encode(r) for r in reports]
    pieces = [b'{"reports": [\n']
    for index, report in enumerate(encoded):
        pieces += [report, b"\n" if index == len(encoded) - 1 else b",\n"]
    return [*pieces, b"]}\n"]
