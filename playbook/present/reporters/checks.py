"""`validate` and `test` results in the CI formats: json, github, junit and sarif.

A check is one file validated or one test case run; it passed, failed with located findings, or
was skipped. The same formats as an audit's, so the same CI steps read them: annotations on the
files, a JUnit test view, SARIF for code scanning. (The table of each command is its own.)
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from playbook import __version__
from playbook.core.errors import Location
from playbook.present.reporters.github import annotation, capped
from playbook.present.reporters.sarif import SARIF_SCHEMA, artifact_uri, relative_path

FORMATS = ["table", "json", "github", "junit", "sarif"]


@dataclass(frozen=True)
class Finding:
    """One problem a check found, located, in the user's language."""

    where: Location
    message: str  # in the user's language
    hint: str | None = None

    def located(self) -> dict[str, Any]:
        """file, line, column and JSON path, as far as `where` tells them (an option such as
        `--format` is no file)."""
        where = self.where
        if where.position is not None:
            return {"file": where.file, "line": where.line, "column": where.column}
        if where.path is not None:
            return {"file": where.file, "path": where.path}
        return {"file": where.file} if where.file and not where.file.startswith("-") else {}

    def text(self) -> str:
        return self.message if self.hint is None else f"{self.message}\n{self.hint}"


@dataclass(frozen=True)
class Check:
    """One file validated or one test case run, and what it found."""

    name: str  # the file validated, or the test case
    suite: str  # `validate`, or the file a case is written in
    kind: str  # snapshot | playbook | file | example | test
    findings: tuple[Finding, ...] = ()
    skipped: bool = False

    @property
    def status(self) -> str:
        return "skipped" if self.skipped else "failed" if self.findings else "passed"


def render_checks(fmt: str, command: str, checks: Sequence[Check], lang: str = "en") -> str:
    if fmt == "github":
        return _github(command, checks, lang)
    return {"json": _json, "junit": _junit, "sarif": _sarif}[fmt](command, checks)


def summary(checks: Sequence[Check]) -> dict[str, int]:
    counts = {"checks": len(checks), "passed": 0, "failed": 0, "skipped": 0}
    for check in checks:
        counts[check.status] += 1
    counts["problems"] = sum(len(check.findings) for check in checks)
    return counts


def _json(command: str, checks: Sequence[Check]) -> str:
    payload = {
        "tool": {"name": "playbook", "version": __version__},
        "command": command,
        "summary": summary(checks),
        "checks": [
            {
                "name": check.name,
                "suite": check.suite,
                "kind": check.kind,
                "status": check.status,
                "problems": [
                    {"where": str(f.where), **f.located(), "message": f.message, "hint": f.hint}
                    for f in check.findings
                ],
            }
            for check in checks
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _github(command: str, checks: Sequence[Check], lang: str) -> str:
    lines = []
    for check in checks:
        for finding in check.findings:
            place = finding.located()
            properties = {"file": relative_path(place["file"])} if "file" in place else {}
            if "line" in place:
                properties |= {"line": str(place["line"]), "col": str(place["column"])}
            properties["title"] = f"playbook {command} · {check.name}"
            lines.append(("error", annotation("error", properties, finding.text())))
    return "".join(line + "\n" for line in capped(lines, lang))


def _junit(command: str, checks: Sequence[Check]) -> str:
    root = ET.Element("testsuites", name=f"playbook {command}")
    suites: dict[str, ET.Element] = {}
    for check in checks:
        suite = suites.get(check.suite)
        if suite is None:
            suite = suites[check.suite] = ET.SubElement(root, "testsuite", name=check.suite)
        case = ET.SubElement(suite, "testcase", classname=check.suite, name=check.name)
        first = check.findings[0].located() if check.findings else {}
        if "file" in first:
            case.set("file", first["file"])
            if "line" in first:
                case.set("line", str(first["line"]))
        if check.skipped:
            ET.SubElement(case, "skipped")
        elif check.findings:
            failure = ET.SubElement(case, "failure", message=check.findings[0].message, type=check.kind)
            failure.text = "\n".join(f"{f.where}: {f.text()}" for f in check.findings)
    for element in [*suites.values(), root]:
        cases = element.iter("testcase")
        counted = [(c.find("failure") is not None, c.find("skipped") is not None) for c in cases]
        element.set("tests", str(len(counted)))
        element.set("failures", str(sum(1 for failed, _ in counted if failed)))
        element.set("errors", "0")
        element.set("skipped", str(sum(1 for _, skipped in counted if skipped)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


RULE_OF_COMMAND = {
    "validate": ("invalid-file", "The file is not a valid playbook or snapshot"),
    "test": ("test-failed", "A rule example or test case did not give the expected result"),
}


def _sarif(command: str, checks: Sequence[Check]) -> str:
    rule_id, description = RULE_OF_COMMAND[command]
    rule = {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.split("-")),
        "shortDescription": {"text": description},
        "defaultConfiguration": {"level": "error"},
    }
    results = [_sarif_result(rule_id, check, finding) for check in checks for finding in check.findings]
    driver = {"name": "playbook", "version": __version__, "semanticVersion": __version__, "rules": [rule]}
    run = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
    return (
        json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2)
        + "\n"
    )


def _sarif_result(rule_id: str, check: Check, finding: Finding) -> dict[str, Any]:
    place = finding.located()
    result: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": 0,
        "kind": "fail",
        "level": "error",
        "message": {"text": finding.text()},
    }
    if "file" in place:
        physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(place["file"])}}
        if "line" in place:
            physical["region"] = {"startLine": place["line"], "startColumn": place["column"]}
        location: dict[str, Any] = {"physicalLocation": physical}
        if "path" in place:
            location["logicalLocations"] = [{"fullyQualifiedName": place["path"], "kind": "member"}]
        result["locations"] = [location]
    # Stable across commits: the file and the message, not the line (it moves as lines are added).
    key = f"{relative_path(place.get('file'))}\0{check.name}\0{finding.message}"
    result["partialFingerprints"] = {"playbookCheck/v1": hashlib.sha256(key.encode()).hexdigest()[:32]}
    return result
