"""Run audits over files: pick the playbook, load each snapshot, build reports, check gates.

This is the layer between the CLI and the pure engine: it reads files and caches loaded
playbooks so that a thousand snapshots load each playbook once.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from playbook.i18n import Text
from playbook.loader import read_document
from playbook.model import SEVERITY_ORDER, Playbook
from playbook.playbooks import load_playbook
from playbook.report import Options, build_report
from playbook.resources import builtin_ruleset_names
from playbook.snapshots import check_snapshot
from playbook.validation import validate_document


@functools.cache
def _playbook(refs: tuple[str, ...]) -> Playbook:
    return load_playbook(list(refs))


def playbook_for(platform: str, refs: Sequence[str]) -> Playbook:
    """The playbooks given with -p; else the platform's built-in profile, else the default."""
    if refs:
        return _playbook(tuple(refs))
    name = platform if platform in builtin_ruleset_names() else "default"
    return _playbook((f"builtin:{name}",))


def audit_files(paths: Sequence[str], refs: Sequence[str], options: Options) -> list[dict[str, Any]]:
    reports = []
    for path in paths:
        document = read_document(path)
        check_snapshot(document)
        playbook = playbook_for(str(document.data.get("platform")), refs)
        reports.append(build_report(playbook, document, options))
    return reports


def gate_failures(
    reports: Sequence[dict[str, Any]], fail_under: float | None, fail_on: str | None
) -> list[Text]:
    failures = []
    for report in reports:
        name = report["snapshot"]["path"]
        overall = report["score"]["overall"]
        if fail_under is not None and (overall is None or overall < fail_under):
            shown = "–" if overall is None else f"{overall:g}"
            failures.append(
                Text(
                    f"{name}: 未达标 --fail-under {fail_under:g}: 总分 {shown}",
                    f"{name}: gate --fail-under {fail_under:g} failed: overall {shown}",
                )
            )
        if fail_on is not None:
            limit = SEVERITY_ORDER.index(fail_on)
            failed = [
                r["rule"]
                for r in report["results"]
                if r["status"] == "fail" and SEVERITY_ORDER.index(r["severity"]) <= limit
            ]
            if failed:
                rules = ", ".join(failed)
                failures.append(
                    Text(
                        f"{name}: 未达标 --fail-on {fail_on}: {len(failed)} 条规则未通过 ({rules})",
                        f"{name}: gate --fail-on {fail_on} failed: {len(failed)} rules failed ({rules})",
                    )
                )
    return failures


def validate_file(path: str) -> str:
    """Validate a playbook or a snapshot, told apart by content; returns which it was."""
    document = read_document(path)
    if isinstance(document.data, dict) and "playbook" in document.data:
        validate_document(document, "playbook")
        load_playbook(str(Path(path)))
        return "playbook"
    check_snapshot(document)
    return "snapshot"
