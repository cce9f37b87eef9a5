"""The canonical JSON report: one object for one snapshot, `{"reports": [...]}` for several."""

from __future__ import annotations

import json
from collections.abc import Sequence

from playbook.reporters import RenderContext, Report


def render(reports: Sequence[Report], context: RenderContext) -> str:
    payload = reports[0] if len(reports) == 1 else {"reports": list(reports)}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
