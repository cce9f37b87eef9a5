"""`playbook test`: run a playbook's inline rule examples and its test files, pytest-style
(present/test_results.py draws the outcome).

A test file (YAML or JSON, in `tests/` beside the playbook or given with `--tests`) holds one
case or a list of them; see docs/authoring.md:

    tests:
      - name: a healthy growth group
        snapshot: ../group.yaml            # relative to this file, or an inline (partial) snapshot
        expect:
          stage: growth
          rules: {naming.brand-bracket: pass, tags.present: fail}
          sections: {naming: 100}           # within 0.5 of the report's score; null for "–"
          overall: 80
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from playbook.authoring.examples import (
    EXAMPLE_DAY,
    ExampleOutcome,
    example_problems,
    example_snapshot,
    run_examples,
)
from playbook.authoring.listing import load_merged, short_origin
from playbook.core.errors import Location, PlaybookError
from playbook.core.i18n import Text, closest
from playbook.core.model import Playbook, Result
from playbook.core.names import STAGE_NAMES, STATUS_NAMES, name_in
from playbook.core.report import Options, build_report
from playbook.core.report_types import Report
from playbook.core.timeutil import captured_day
from playbook.io.composition import Merged
from playbook.io.documents import Document, parse_text, read_document
from playbook.io.facts import platform_fact_table
from playbook.io.limits import path_limits
from playbook.io.sandbox import check_inside
from playbook.io.snapshots import load_snapshot
from playbook.io.validation import schema_problems, validate_document

TEST_SUFFIXES = (".yaml", ".yml", ".json")
SCORE_TOLERANCE = 0.5


@dataclass(frozen=True)
class Case:
    """One example or one test-file case, and the differences found (none: it passed)."""

    group: Text  # the file the case is written in, for the progress line
    name: str  # `rule[fail#0]` for an example, the case's name (or `#0`) in a test file
    where: Location  # of the example or the case, so an editor can jump to it
    diffs: tuple[Text, ...] = field(default=())
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return not self.diffs


def playbook_files(arguments: Sequence[str]) -> list[str]:
    """The playbooks the arguments name: files as named; in folders and globs, the files that are
    playbooks by content (test files and snapshots beside them are passed over)."""
    from playbook.io.inputs import expand_inputs, is_playbook

    found = []
    for item in expand_inputs(arguments):
        if item.explicit or is_playbook(read_document(item.path).data):
            found.append(item.path)
    if not found:
        raise PlaybookError.at(
            ", ".join(arguments[:3]),
            Text(
                "这里没有手册文件（有顶层 playbook: 键的文件）",
                "no playbook here (a file with a top-level playbook: key)",
            ),
        )
    return found


def run_tests(playbook_path: str, tests_path: str | None, lang: str) -> list[Case]:
    """Every rule's examples, then every test file's cases.

    Examples of a rule whose params, stages or platforms a later layer changed are skipped: they
    were written for the values their author chose (a stricter threshold may rightly fail them).
    """
    playbook, merged = load_merged([playbook_path])
    broken_examples = example_problems(merged)
    if broken_examples:
        raise PlaybookError(broken_examples)
    changed = {
        rule_id
        for rule_id, entry in merged.rules.items()
        if entry.param_changes or {"stages", "platforms"} & set(entry.changes)
    }
    kept = replace(playbook, rules=tuple(r for r in playbook.rules if r.id not in changed))
    cases = [_example_case(playbook_path, merged, outcome, lang) for outcome in run_examples(kept)]
    cases += [
        Case(
            _examples_file(playbook_path, merged, rule.id),
            rule.id,
            _rule_where(merged, rule.id),
            skipped=True,
        )
        for rule in playbook.rules
        if rule.id in changed and rule.examples
    ]
    home = Path(playbook_path).parent
    for path, document in find_test_files(playbook_path, tests_path):
        for name, where, snapshot, expect in _read_cases(document, path, home):
            cases.append(_file_case(playbook, str(path), name, where, snapshot, expect, lang))
    return cases


# ── examples ─────────────────────────────────────────────────────────────────


def _example_case(playbook_path: str, merged: Merged, outcome: ExampleOutcome, lang: str) -> Case:
    group = _examples_file(playbook_path, merged, outcome.rule.id)
    where = _rule_where(merged, outcome.rule.id, "examples", outcome.expected, outcome.index)
    if outcome.ok:
        return Case(group, outcome.name, where)
    example = json.dumps(outcome.snapshot, ensure_ascii=False, default=str)
    return Case(
        group,
        outcome.name,
        where,
        (
            _status_diff(outcome.rule.id, outcome.expected, outcome.result, lang),
            Text("  示例:     {s}", "  example:  {s}").format(s=_short(example, 300)),
        ),
    )


def _rule_where(merged: Merged, rule_id: str, *inside: str | int) -> Location:
    """Where a rule (or a part of it) is written: a built-in one as `builtin:default:12:5`."""
    entry = merged.rules[rule_id]
    where = entry.doc.location([*entry.pointer, *inside])
    return replace(where, file=short_origin(where.file))


def _examples_file(playbook_path: str, merged: Merged, rule_id: str) -> Text:
    """The file a rule's examples are written in; a base's is said to come through the playbook."""
    written_in = short_origin(merged.rules[rule_id].doc.name)
    if written_in == playbook_path:
        return Text(written_in, written_in)
    return Text(f"{written_in}（{playbook_path} 继承）", f"{written_in} (extended by {playbook_path})")


def _status_diff(rule_id: str, expected: str, result: Result | Mapping[str, Any], lang: str) -> Text:
    """What the rule should have said and what it said, from a result or a report's result block."""
    if isinstance(result, Result):
        got, text = result.status, result.message.render(lang) if result.message is not None else ""
    else:
        got, text = result["status"], result["message"]
    found = f"{_named(STATUS_NAMES, got, lang)} — {text}"
    return Text(rule_id, rule_id) + _expected_got(_named(STATUS_NAMES, expected, lang), found)


def _named(names: Mapping[str, Text], key: str, lang: str) -> str:
    """`未通过 (fail)`: a status or stage in the reader's words, with the key a playbook or test writes."""
    name = name_in(names, key, lang)
    return key if name == key else f"{name} ({key})"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ── test files ───────────────────────────────────────────────────────────────


def find_test_files(playbook_path: str, tests_path: str | None) -> Iterator[tuple[Path, Document]]:
    """`--tests` (a file or a folder), else `tests/` beside the playbook. In the folder found
    by default, files that are not test files (no `expect` or `tests` key) are skipped."""
    explicit = tests_path is not None
    root = Path(tests_path) if tests_path is not None else Path(playbook_path).parent / "tests"
    if explicit and not root.exists():
        raise PlaybookError.at(str(root), Text("找不到测试文件或文件夹", "no such test file or folder"))
    files = sorted(p for p in root.glob("*") if p.suffix in TEST_SUFFIXES) if root.is_dir() else [root]
    for path in files:
        if not path.is_file():
            if explicit and path == root:  # named with --tests: a pipe or a device, not a file to read
                raise PlaybookError.at(
                    str(path),
                    Text("这不是普通文件（是管道或设备）", "not a regular file (a pipe or a device)"),
                )
            continue
        document = read_document(path)
        data = document.data
        is_test = isinstance(data, Mapping) and ("tests" in data or "expect" in data)
        if not is_test and explicit:
            raise PlaybookError.at(
                str(path),
                Text(
                    "不是测试文件：需要 tests 列表或 expect",
                    "not a test file: needs a `tests` list or `expect`",
                ),
            )
        if not is_test:
            continue
        validate_document(document, "tests")  # schemas/tests.schema.json: every problem located
        wanted = data.get("playbook")
        if wanted is None or Path(wanted).name == Path(playbook_path).name:
            yield path, document


def _read_cases(
    document: Document, path: Path, home: Path
) -> Iterator[tuple[str, Location, Any, Mapping[str, Any]]]:
    """(name, where, snapshot, expect) of each case in a test file (already checked by its schema)."""
    data = document.data
    listed = "tests" in data
    for i, case in enumerate(data["tests"] if listed else [data]):
        at: list[str | int] = ["tests", i] if listed else []
        name = case.get("name") or f"#{i}"
        snapshot = _snapshot_of(case["snapshot"], path, document, [*at, "snapshot"], home)
        yield name, document.location(at), snapshot, case["expect"]


def _snapshot_of(
    value: str | Mapping[str, Any], path: Path, document: Document, at: list, home: Path
) -> Document:
    """A snapshot file named relative to the test file (in the playbook's folder or the test
    file's, see sandbox.py), or an inline one with the defaults filled."""
    if isinstance(value, str):
        check_inside(path.parent / value, home, document.location(at), value, also=[path.parent])
        return load_snapshot(path.parent / value)
    snapshot = example_snapshot(value)
    problems = schema_problems(document, "snapshot", at, snapshot)
    if problems:
        raise PlaybookError(problems)
    return parse_text(json.dumps(snapshot, ensure_ascii=False, indent=1), f"{document.where(at)}", "json")


def _file_case(
    playbook: Playbook,
    group: str,
    name: str,
    where: Location,
    snapshot: Document,
    expect: Mapping[str, Any],
    lang: str,
) -> Case:
    today = captured_day(snapshot.data, EXAMPLE_DAY)  # a test's verdict must not change with the real date
    report = build_report(playbook, snapshot, Options(today, lang=lang), platform_fact_table(), path_limits())
    diffs = [*_rule_diffs(report, expect.get("rules") or {}, lang)]
    if "stage" in expect and expect["stage"] != report["stage"]["id"]:
        wanted, got = (
            _named(STAGE_NAMES, str(stage), lang) for stage in (expect["stage"], report["stage"]["id"])
        )
        diffs.append(Text("阶段", "stage") + _expected_got(wanted, got))
    sections = {s["id"]: s["score"] for s in report["sections"]}
    for sid, wanted in (expect.get("sections") or {}).items():
        if sid not in sections:
            diffs.append(Text(f"章节 {sid}: 手册中没有这个章节", f"section {sid}: no such section"))
        elif not _close(wanted, sections[sid]):
            diffs.append(
                Text(f"章节 {sid}", f"section {sid}") + _expected_got(*_as_json(wanted, sections[sid]))
            )
    if "overall" in expect and not _close(expect["overall"], report["score"]["overall"]):
        diffs.append(
            Text("总分", "overall") + _expected_got(*_as_json(expect["overall"], report["score"]["overall"]))
        )
    return Case(Text(group, group), name, where, tuple(diffs))


def _rule_diffs(report: Report, wanted: Mapping[str, str], lang: str) -> Iterator[Text]:
    results = {r["rule"]: r for r in report["results"]}
    for rule_id, status in wanted.items():
        result = results.get(rule_id)
        if result is None:
            close = closest(rule_id, results)
            hint = f" (did you mean '{close}'?)" if close else ""
            zh_hint = f"（你是不是想写 '{close}'？）" if close else ""
            yield Text(f"{rule_id}: 手册中没有这条规则{zh_hint}", f"{rule_id}: no such rule{hint}")
        elif result["status"] != status:
            yield _status_diff(rule_id, status, result, lang)


def _close(wanted: Any, got: Any) -> bool:
    if wanted is None or got is None:
        return wanted is got
    return isinstance(wanted, int | float) and abs(float(wanted) - float(got)) < SCORE_TOLERANCE


def _expected_got(wanted: str, got: str) -> Text:
    return Text(f"\n  期望:     {wanted}\n  实际:     {got}", f"\n  expected: {wanted}\n  got:      {got}")


def _as_json(*values: Any) -> list[str]:
    return [json.dumps(value, ensure_ascii=False) for value in values]


__all__ = ["Case", "run_tests"]
