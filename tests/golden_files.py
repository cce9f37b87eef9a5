"""Golden files: compare output with tests/golden/…; PLAYBOOK_REGEN_GOLDEN=1 rewrites them (review the diff)."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str, folder: Path = GOLDEN) -> None:
    path = folder / name
    if os.environ.get("PLAYBOOK_REGEN_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with PLAYBOOK_REGEN_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"
