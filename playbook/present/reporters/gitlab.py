"""GitLab Code Quality (`artifacts: reports: codequality:`): the findings in merge requests.

A JSON array with one issue per rule that did not pass (fail, partial), could not be judged
(unknown) or broke (error), as GitLab documents it: `description`, `check_name` (the rule id),
`fingerprint`, `severity` (info, minor, major, critical, blocker) and `location` (`path` relative
to the working folder, `lines.begin`). Waived rules are left out: GitLab has no suppressions.

The fingerprint names the file, the group and the rule, never the line: GitLab matches issues
across pipelines by it, so a finding stays the same when lines are added above it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.report_types import Result
from playbook.present.reporters import RenderContext, Report
from playbook.present.reporters.sarif import relative_path

SEVERITY = {"critical": "blocker", "high": "critical", "medium": "major", "low": "minor", "info": "info"}
SOFTER = {"blocker": "critical", "critical": "major", "major": "minor", "minor": "info", "info": "info"}
FINDINGS = ("fail", "partial", "unknown", "error")


def render(reports: Sequence[Report], context: RenderContext) -> str:
    issues = [_issue(report, r) for report in reports for r in report["results"] if r["status"] in FINDINGS]
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def _issue(report: Report, result: Result) -> dict[str, Any]:
    path = relative_path(report["snapshot"].get("path"))
    group = report["snapshot"].get("group_name") or report["snapshot"].get("group_id")
    description = f"{result['title']}: {result['message']}" + (f" ({group})" if group else "")
    location: Mapping[str, Any] = result.get("location") or {}
    return {
        "type": "issue",
        "description": description,
        "check_name": result["rule"],
        "fingerprint": fingerprint(path, report["snapshot"].get("group_id"), result["rule"]),
        "severity": _severity(result),
        "location": {"path": path, "lines": {"begin": location.get("line") or 1}},
    }


def _severity(result: Result) -> str:
    status, severity = result["status"], SEVERITY[result["severity"]]
    if status == "fail":
        return severity
    return SOFTER[severity] if status == "partial" else "info"


def fingerprint(path: str, group: Any, rule: str) -> str:
    return hashlib.sha256(f"{path}\0{group or ''}\0{rule}".encode()).hexdigest()[:32]
