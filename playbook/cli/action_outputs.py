"""`python -m playbook.cli.action_outputs REPORT.json`: the GitHub Action's `score` and `grade` outputs.

Printed as `key=value` lines for `$GITHUB_OUTPUT`. With several groups the lowest overall score
is given (the group a `fail-under` gate judges first), with that group's grade; "" when no group
was scored.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def outputs(payload: Any) -> dict[str, str]:
    reports: Sequence[Any] = payload.get("reports", [payload])
    scored = [r for r in reports if r["score"]["overall"] is not None]
    if not scored:
        return {"score": "", "grade": ""}
    lowest = min(scored, key=lambda r: r["score"]["overall"])
    return {"score": f"{lowest['score']['overall']:g}", "grade": str(lowest["score"]["grade"] or "")}


def main(argv: Sequence[str]) -> int:
    payload = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    for key, value in outputs(payload).items():
        print(f"{key}={value}")  # a number or a letter: nothing that could start a second line
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
