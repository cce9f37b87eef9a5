"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; one rule descriptor per rule of the playbook(s); one result per rule that did not
pass (fail, partial), could not be judged (unknown) or broke (error), located at the value in
the group file. A waived rule is a result with an external suppression that carries the
waiver's reason (code scanning shows it as dismissed, not as fixed). Passing and not-applicable
rules are left out: SARIF lists findings.

`partialFingerprints` name the group and the rule, never the line or the message, so code
scanning follows a finding across commits that move it or reword it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypedDict
from urllib.parse import quote

from playbook.core.report_types import Result, RuleChange, Severity, Tool
from playbook.io.escape import markdown_fence, markdown_inline
from playbook.present.reporters import RenderContext, Report
from playbook.present.reporters.stream import Item, Spool, Streaming, Write

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL_OF_SEVERITY = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SOFTER = {"error": "warning", "warning": "note", "note": "note"}
FINDINGS = ("fail", "partial", "unknown", "error", "waived")
# SARIF baselineState from our rule changes (fixed rules pass, so they have no result).
BASELINE_STATE = {"regressed": "new", "new": "new", "changed": "updated", "improved": "updated"}


def render(reports: Sequence[Report], context: RenderContext) -> str:
    tool = reports[0]["tool"]
    driver: dict[str, Any] = {
        "name": tool["name"],
        "version": tool["version"],
        "semanticVersion": tool["version"],
        "rules": [_descriptor(result) for result in _rules(reports)],
    }
    index = {rule["id"]: i for i, rule in enumerate(driver["rules"])}
    results = [
        _result(report, r, index) for report in reports for r in report["results"] if r["status"] in FINDINGS
    ]
    run = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _rules(reports: Sequence[Report]) -> list[Result]:
    """Every rule once (the first report that has it describes it), sorted by id."""
    seen: dict[str, Result] = {}
    for report in reports:
        for result in report["results"]:
            seen.setdefault(result["rule"], result)
    return [seen[rule] for rule in sorted(seen)]


class RuleDescription(TypedDict):
    """What `_descriptor` reads of a result (a whole result is one, too)."""

    rule: str
    title: str
    fix: str
    severity: Severity
    section: str
    source: str | None


def _descriptor(result: RuleDescription) -> dict[str, Any]:
    title, fix = result["title"], result["fix"] or result["title"]
    descriptor: dict[str, Any] = {
        "id": result["rule"],
        "name": _pascal(result["rule"]),
        "shortDescription": {"text": title},
        "fullDescription": {"text": f"{title}. {fix}" if fix != title else title},
        "help": {"text": fix, "markdown": _help_markdown(fix)},
        "defaultConfiguration": {"level": LEVEL_OF_SEVERITY[result["severity"]]},
        "properties": {
            "section": result["section"],
            "severity": result["severity"],
            "tags": [result["section"], result["severity"]],
        },
    }
    if result.get("source"):
        descriptor["properties"]["source"] = result["source"]
    return descriptor


def _help_markdown(fix: str) -> str:
    """The fix as Markdown that shows it as written: its first line as text (a placeholder such
    as `<group>` stays visible), the template or steps after it as a code block."""
    first, *rest = fix.splitlines() or [""]
    if not rest:
        return markdown_inline(first)
    return markdown_inline(first) + "\n\n" + markdown_fence(textwrap.dedent("\n".join(rest)))


def _pascal(rule_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[.\-_]", rule_id) if part)


def _result(report: Report, result: Result, index: dict[str, int]) -> dict[str, Any]:
    status, level = result["status"], LEVEL_OF_SEVERITY[result["severity"]]
    sarif: dict[str, Any] = {"ruleId": result["rule"], "ruleIndex": index[result["rule"]]}
    if status in ("fail", "waived"):  # a waiver is asked for a rule that fails
        sarif.update(kind="fail", level=level)
    elif status == "partial":
        sarif.update(kind="fail", level=SOFTER[level])
    else:  # unknown: more data needed; error: the rule broke (SARIF: level "none" unless kind is fail)
        sarif.update(kind="open" if status == "unknown" else "review", level="none")
    text = f"{result['title']}: {result['message']}"
    if result["fix"] and status in ("fail", "partial"):
        text += f" — {result['fix'].splitlines()[0]}"
    sarif["message"] = {"text": text}
    if status == "waived":
        sarif["suppressions"] = [_suppression(report, result)]
    sarif["locations"] = [_location(report, result)]
    sarif["partialFingerprints"] = {"playbookRule/v1": _fingerprint(report, result["rule"])}
    sarif["properties"] = {
        "status": status,
        "score": result["score"],
        "group": report["snapshot"].get("group_id") or report["snapshot"].get("path"),
    }
    state = _baseline_state(report, result["rule"])
    if state:
        sarif["baselineState"] = state
    return sarif


def _suppression(report: Report, result: Result) -> dict[str, Any]:
    """The waiver as SARIF sees it: suppressed outside the file (in the playbook), with its reason."""
    group = report["snapshot"].get("group_id")
    waiver = next(
        (
            w
            for w in report.get("waivers", [])
            if w["rule"] == result["rule"] and not w["expired"] and w["group"] in (None, group)
        ),
        None,
    )
    if waiver is None:  # a report without its waivers block: the result's own words
        return {"kind": "external", "justification": result.get("reason") or ""}
    return {
        "kind": "external",
        "status": "accepted",
        "justification": waiver["reason"],
        "properties": {"owner": waiver["owner"], "expires": waiver["expires"]},
    }


def _location(report: Report, result: Result) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(report["snapshot"].get("path"))}}
    where: Mapping[str, Any] = result.get("location") or {}
    if where.get("line"):
        physical["region"] = {"startLine": where["line"], "startColumn": where["column"] or 1}
    location: dict[str, Any] = {"physicalLocation": physical}
    if where.get("pointer"):
        location["logicalLocations"] = [{"fullyQualifiedName": where["pointer"], "kind": "member"}]
    return location


def relative_path(path: str | None) -> str:
    """The snapshot's path relative to the working folder (`/`-separated), else absolute."""
    if not path:
        return "snapshot"
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(Path(os.getcwd()).resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()


def artifact_uri(path: str | None) -> str:
    """A URI relative to the working folder (what code scanning expects), else `file:///…`."""
    relative = relative_path(path)
    return Path(relative).as_uri() if Path(relative).is_absolute() else quote(relative)


def _fingerprint(report: Report, rule: str) -> str:
    # The group id, else the file as seen from the working folder (`./groups/a.yaml` = `groups/a.yaml`).
    group = report["snapshot"].get("group_id") or relative_path(report["snapshot"].get("path"))
    return hashlib.sha256(f"{group}\0{rule}".encode()).hexdigest()[:32]


def _baseline_state(report: Report, rule: str) -> str | None:
    baseline = report.get("baseline")
    if not baseline or baseline["matched_by"] is None:
        return None
    changes: Iterable[RuleChange] = baseline["rules"]
    change = next((c["change"] for c in changes if c["rule"] == rule), None)
    return BASELINE_STATE.get(change or "", "unchanged")


class Writer(Streaming):
    """`render`'s bytes for a batch of any size.

    Every result names its rule's index in the sorted list of rules, known only once the last
    report is in; so results wait in a spool on disk (one compact line each) and get their index
    on the way out. What stays in memory is one descriptor's worth per rule, not per group.
    """

    def __init__(self, write: Write, context: RenderContext):
        self.write = write
        self.tool: Tool | None = None
        self.first_of_rule: dict[str, RuleDescription] = {}
        self.results = Spool()
        self.count = 0

    def add(self, item: Item) -> None:
        report = item.report
        self.tool = self.tool or report["tool"]
        for result in report["results"]:
            self.first_of_rule.setdefault(result["rule"], _descriptor_source(result))
            if result["status"] in FINDINGS:
                self.count += 1
                self.results.write(json.dumps(_result(report, result, _NO_INDEX), ensure_ascii=False) + "\n")

    def close(self) -> None:
        assert self.tool is not None
        rules = [self.first_of_rule[rule] for rule in sorted(self.first_of_rule)]
        driver: dict[str, Any] = {
            "name": self.tool["name"],
            "version": self.tool["version"],
            "semanticVersion": self.tool["version"],
            "rules": [_descriptor(result) for result in rules],
        }
        index = {rule["id"]: i for i, rule in enumerate(driver["rules"])}
        run = {
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": [_HOLE] if self.count else [],
        }
        log = json.dumps(
            {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2
        )
        before, after = log.split(_HOLE_TEXT) if self.count else (log, "")
        self.write(before)
        for number, line in enumerate(self.results.lines(), 1):
            result = json.loads(line)
            result["ruleIndex"] = index[result["ruleId"]]
            text = json.dumps(result, ensure_ascii=False, indent=2).replace("\n", "\n" + _RESULT_INDENT)
            self.write(("" if number == 1 else ",\n") + _RESULT_INDENT + text)
        self.write(after + "\n")


def _descriptor_source(result: Result) -> RuleDescription:
    """What `_descriptor` reads of a result: kept once per rule."""
    return {
        "rule": result["rule"],
        "title": result["title"],
        "fix": result["fix"],
        "severity": result["severity"],
        "section": result["section"],
        "source": result.get("source"),
    }


class _NoIndex(dict[str, int]):
    """Every rule's index is 0 until the batch ends (see Writer)."""

    def __missing__(self, key: str) -> int:
        return 0


_NO_INDEX = _NoIndex()
_HOLE = "\x00results\x00"
_RESULT_INDENT = " " * 8  # results sit in log.runs[0].results, three levels in
_HOLE_TEXT = _RESULT_INDENT + json.dumps(_HOLE)
