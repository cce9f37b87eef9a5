"""The canonical JSON report: one object for one snapshot, `{"reports": [...]}` for several.

One report is indented for reading. Several are written one report per line: still one JSON
document, easy to grep and diff per group, and encoded by the C encoder (indenting falls back to
the pure-Python one, which took a third of a 10,000-group run).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from playbook.reporters import RenderContext, Report


def render(reports: Sequence[Report], context: RenderContext) -> str:
    if len(reports) == 1:
        return json.dumps(reports[0], ensure_ascii=False, indent=2) + "\n"
    lines = ",\n".join(json.dumps(report, ensure_ascii=False, separators=(",", ":")) for report in reports)
    return '{"reports": [\n' + lines + "\n]}\n"
