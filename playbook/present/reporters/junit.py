"""JUnit XML, for CI systems that show test results (GitLab, Jenkins, Azure, test-report actions).

One test suite per group, one test case per rule (classname = the group, name = the rule id).
fail and partial are failures (the rule is not met); error (the rule broke) is an error;
not_applicable, waived and unknown are skipped, with the reason. So the counts are the
report's summary: tests = rules, failures = fail + partial, errors = error,
skipped = not_applicable + waived + unknown.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.report_types import Result, Status
from playbook.io.escape import xml_text
from playbook.present.reporters import RenderContext, Report
from playbook.present.reporters.stream import Item, Spool, Streaming, Write

FAILED: tuple[Status, ...] = ("fail", "partial")
SKIPPED: tuple[Status, ...] = ("not_applicable", "waived", "unknown")


def render(reports: Sequence[Report], context: RenderContext) -> str:
    root = ET.Element("testsuites", name="playbook")
    suites = [_suite(report) for report in reports]
    root.extend(suites)
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(suite.get(key, "0")) for suite in suites)))
    _xml_safe(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _xml_safe(root: ET.Element) -> None:
    """Every text and attribute as XML 1.0 allows (a NUL or U+FFFF in a group name would make
    the file unreadable to every CI), with controls and bidi overrides shown as escapes."""
    for element in root.iter():
        if element.text:
            element.text = xml_text(element.text)
        for key, value in element.attrib.items():
            element.set(key, xml_text(value))


def suite_name(report: Report) -> str:
    snapshot = report["snapshot"]
    return str(snapshot.get("group_id") or snapshot.get("path") or snapshot.get("group_name") or "group")


def _suite(report: Report) -> ET.Element:
    snapshot, summary = report["snapshot"], report["summary"]
    name = suite_name(report)
    suite = ET.Element(
        "testsuite",
        name=name,
        tests=str(len(report["results"])),
        failures=str(sum(summary[s] for s in FAILED)),
        errors=str(summary["error"]),
        skipped=str(sum(summary[s] for s in SKIPPED)),
    )
    if snapshot.get("path"):
        suite.set("file", str(snapshot["path"]))
    properties = ET.SubElement(suite, "properties")
    for key, value in (
        ("group_name", snapshot.get("group_name")),
        ("platform", snapshot.get("platform")),
        ("stage", report["stage"]["id"]),
        ("score", report["score"]["overall"]),
        ("grade", report["score"]["grade"]),
        ("playbook", report["playbook"]["id"]),
    ):
        ET.SubElement(properties, "property", name=key, value="" if value is None else str(value))
    for result in report["results"]:
        suite.append(_case(name, snapshot.get("path"), result))
    return suite


def _case(group: str, path: str | None, result: Result) -> ET.Element:
    case = ET.Element("testcase", classname=group, name=result["rule"])
    location: Mapping[str, Any] = result.get("location") or {}
    if path:
        case.set("file", str(path))
        if location.get("line"):
            case.set("line", str(location["line"]))
    status = result["status"]
    if status in FAILED:
        failure = ET.SubElement(
            case, "failure", message=result["message"], type=f"{status}:{result['severity']}"
        )
        failure.text = _details(result)
    elif status == "error":
        ET.SubElement(case, "error", message=result["message"], type="rule-error")
    elif status in SKIPPED:
        ET.SubElement(case, "skipped", message=f"{status}: {result['reason'] or result['message']}")
    return case


def _details(result: Result) -> str:
    """Evidence and fix as plain text lines for the failure body."""
    lines = [f"{result['title']} ({result['severity']})", result["message"]]
    evidence = result.get("evidence")
    if evidence is not None:
        lines.append("actual: " + json.dumps(evidence["actual"], ensure_ascii=False))
        lines.append("expected: " + json.dumps(evidence["expected"], ensure_ascii=False))
    location: Mapping[str, Any] = result.get("location") or {}
    if location.get("pointer"):
        where = location["pointer"]
        if location.get("line"):
            where += f" (line {location['line']}, column {location['column']})"
        lines.append("at: " + where)
    if result["fix"]:
        lines.append("fix: " + result["fix"])
    return "\n".join(lines)


class Writer(Streaming):
    """`render`'s bytes for a batch of any size: the totals go on the root element, before the
    suites, so the suites wait in a spool on disk while the totals add up."""

    TOTALS = ("tests", "failures", "errors", "skipped")

    def __init__(self, write: Write, context: RenderContext):
        self.write = write
        self.totals = dict.fromkeys(self.TOTALS, 0)
        self.suites = Spool()

    def add(self, item: Item) -> None:
        suite = _suite(item.report)
        for key in self.TOTALS:
            self.totals[key] += int(suite.get(key, "0"))
        _xml_safe(suite)
        ET.indent(suite, level=1)  # as ET.indent(root) would: a suite is one level in
        self.suites.write("\n  " + ET.tostring(suite, encoding="unicode"))

    def close(self) -> None:
        root = ET.Element("testsuites", {"name": "playbook", **{k: str(v) for k, v in self.totals.items()}})
        start = ET.tostring(root, encoding="unicode").removesuffix(" />")
        self.write(f'<?xml version="1.0" encoding="UTF-8"?>\n{start}>')
        self.suites.copy_to(self.write)
        self.write("\n</testsuites>\n")
