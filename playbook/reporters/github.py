"""GitHub Actions workflow commands: annotations on the group files in a pull request.

fail → `::error`, partial → `::warning`, unknown (missing data) → `::notice`, error (the
rule broke) → `::warning`. Passing, not-applicable and waived rules make no annotation.
Values are escaped as the runner expects: `%`, CR and LF everywhere, and `:` and `,` in
properties.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from playbook.escape import github_data, github_property
from playbook.reporters import RenderContext, Report
from playbook.reporters.sarif import relative_path

COMMAND = {"fail": "error", "partial": "warning", "unknown": "notice", "error": "warning"}


escape_data, escape_property = github_data, github_property  # the names other modules import


def render(reports: Sequence[Report], context: RenderContext) -> str:
    lines = [
        _annotation(report, r) for report in reports for r in report["results"] if r["status"] in COMMAND
    ]
    return "".join(line + "\n" for line in lines)


def _annotation(report: Report, result: dict[str, Any]) -> str:
    properties = {"file": relative_path(report["snapshot"].get("path"))}
    location = result.get("location") or {}
    if location.get("line"):
        properties["line"] = str(location["line"])
        properties["col"] = str(location["column"] or 1)
    group = report["snapshot"].get("group_name") or report["snapshot"].get("group_id") or ""
    properties["title"] = f"{result['rule']} · {result['title']}" + (f" ({group})" if group else "")
    text = result["message"]
    if result["fix"] and result["status"] in ("fail", "partial"):
        text += "\n" + result["fix"]
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{COMMAND[result['status']]} {props}::{escape_data(text)}"
