"""Reporters: each renders the canonical report(s) to one format. Registered in one dict.

A reporter is a function `render(reports, context) -> str`. The dict's keys are the CLI's
`--format` choices; modules are imported only when their format is used (fast start-up).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Report = dict[str, Any]


@dataclass(frozen=True)
class RenderContext:
    lang: str = "en"
    color: bool = False
    verbose: bool = False


Renderer = Callable[[Sequence[Report], RenderContext], str]

REPORTERS: dict[str, str] = {
    "table": "playbook.reporters.table",
    "json": "playbook.reporters.json_report",
    "html": "playbook.reporters.html",
}


def get_reporter(name: str) -> Renderer:
    module = importlib.import_module(REPORTERS[name])
    render: Renderer = module.render
    return render
