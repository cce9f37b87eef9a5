"""`playbook test`: run a playbook's inline rule examples and its test files, pytest-style.

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

from playbook.errors import PlaybookError
from playbook.examples import ExampleOutcome, example_snapshot, run_examples
from playbook.i18n import Text, closest, did_you_mean
from playbook.listing import load_merged
from playbook.loader import Document, parse_text, read_document
from playbook.model import STATUSES, Playbook
from playbook.report import Options, build_report
from playbook.snapshots import load_snapshot

TEST_SUFFIXES = (".yaml", ".yml", ".json")
SCORE_TOLERANCE = 0.5
DOTS_PER_LINE = 60
EXPECT_KEYS = ("rules", "stage", "sections", "overall")


@dataclass(frozen=True)
class Case:
    """One example or one test-file case, and the differences found (none: it passed)."""

    group: str  # the playbook or the test file, for the progress line
    name: str
    diffs: tuple[Text, ...] = field(default=())
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return not self.diffs


def run_tests(playbook_path: str, tests_path: str | None, lang: str) -> list[Case]:
    """Every rule's examples, then every test file's cases.

    Examples of a rule whose params, stages or platforms a later layer changed are skipped: they
    were written for the values their author chose (a stricter threshold may rightly fail them).
    """
    playbook, merged = load_merged([playbook_path])
    changed = {
        rule_id
        for rule_id, entry in merged.rules.items()
        if entry.param_changes or {"stages", "platforms"} & set(entry.changes)
    }
    kept = replace(playbook, rules=tuple(r for r in playbook.rules if r.id not in changed))
    cases = [_example_case(playbook_path, outcome, lang) for outcome in run_examples(kept)]
    cases += [
        Case(playbook_path, f"{playbook_path}::{rule.id}", skipped=True)
        for rule in playbook.rules
        if rule.id in changed and rule.examples
    ]
    for path, document in find_test_files(playbook_path, tests_path):
        for name, snapshot, expect in _read_cases(document, path):
            cases.append(_file_case(playbook, str(path), name, snapshot, expect, lang))
    return cases


# ── examples ─────────────────────────────────────────────────────────────────


def _example_case(playbook_path: str, outcome: ExampleOutcome, lang: str) -> Case:
    name = f"{playbook_path}::{outcome.name}"
    if outcome.ok:
        return Case(playbook_path, name)
    example = json.dumps(outcome.snapshot, ensure_ascii=False, default=str)
    return Case(
        playbook_path,
        name,
        (
            _status_diff(outcome.rule.id, outcome.expected, outcome.result.status, outcome.result.message, lang),
            Text("  示例:     {s}", "  example:  {s}").format(s=_short(example, 300)),
        ),
    )


def _status_diff(rule_id: str, expected: str, got: str, message: Any, lang: str) -> Text:
    text = message.render(lang) if message is not None else ""
    return Text(
        f"{rule_id}\n  期望:     {expected}\n  实际:     {got} — {text}",
        f"{rule_id}\n  expected: {expected}\n  got:      {got} — {text}",
    )


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
            continue
        document = read_document(path)
        data = document.data
        is_test = isinstance(data, Mapping) and ("tests" in data or "expect" in data)
        if not is_test and explicit:
            raise PlaybookError.at(
                str(path),
                Text("不是测试文件：需要 tests 列表或 expect", "not a test file: needs a `tests` list or `expect`"),
            )
        wanted = data.get("playbook") if is_test else None
        if is_test and (wanted is None or Path(str(wanted)).name == Path(playbook_path).name):
            yield path, document


def _read_cases(document: Document, path: Path) -> Iterator[tuple[str, Any, Mapping[str, Any]]]:
    data = document.data
    cases = data.get("tests", [data])
    base: list[str | int] = ["tests"] if "tests" in data else []
    if not isinstance(cases, list):
        raise PlaybookError.at(document.where(base), Text("tests 应为列表", "`tests` must be a list"))
    for i, case in enumerate(cases):
        at = [*base, i] if base else []
        if not isinstance(case, Mapping) or "snapshot" not in case or not isinstance(case.get("expect"), Mapping):
            raise PlaybookError.at(
                document.where(at),
                Text("每个测试需要 snapshot 和 expect", "each test needs `snapshot` and `expect`"),
            )
        _check_expect(document, [*at, "expect"], case["expect"])
        name = str(case.get("name") or f"#{i}")
        yield name, _snapshot_of(case["snapshot"], path, document, [*at, "snapshot"]), case["expect"]


def _check_expect(document: Document, at: list, expect: Mapping[str, Any]) -> None:
    for key in expect:
        if key not in EXPECT_KEYS:
            raise PlaybookError.at(
                document.where([*at, key]),
                Text("expect 中未知的键 '{k}'（可用: {a}）", "unknown key '{k}' in expect (allowed: {a})").format(
                    k=key, a=", ".join(EXPECT_KEYS)
                ),
                did_you_mean(str(key), EXPECT_KEYS),
            )
    for rule_id, status in (expect.get("rules") or {}).items():
        if status not in STATUSES:
            raise PlaybookError.at(
                document.where([*at, "rules", rule_id]),
                Text("未知的状态 '{s}'（可用: {a}）", "unknown status '{s}' (allowed: {a})").format(
                    s=status, a=", ".join(STATUSES)
                ),
            )


def _snapshot_of(value: Any, path: Path, document: Document, at: list) -> Document:
    if isinstance(value, str):
        return load_snapshot(path.parent / value)
    if isinstance(value, Mapping):
        text = json.dumps(example_snapshot(value), ensure_ascii=False, indent=1)
        return parse_text(text, f"{document.where(at)}", "json")
    raise PlaybookError.at(
        document.where(at),
        Text("snapshot 应为文件路径或快照内容", "`snapshot` must be a file path or an inline snapshot"),
    )


def _file_case(
    playbook: Playbook, group: str, name: str, snapshot: Document, expect: Mapping[str, Any], lang: str
) -> Case:
    report = build_report(playbook, snapshot, Options(lang=lang))
    diffs = [*_rule_diffs(report, expect.get("rules") or {}, lang)]
    if "stage" in expect and expect["stage"] != report["stage"]["id"]:
        diffs.append(Text("阶段", "stage") + _expected_got(expect["stage"], report["stage"]["id"]))
    sections = {s["id"]: s["score"] for s in report["sections"]}
    for sid, wanted in (expect.get("sections") or {}).items():
        if sid not in sections:
            diffs.append(Text(f"章节 {sid}: 手册中没有这个章节", f"section {sid}: no such section"))
        elif not _close(wanted, sections[sid]):
            diffs.append(Text(f"章节 {sid}", f"section {sid}") + _expected_got(wanted, sections[sid]))
    if "overall" in expect and not _close(expect["overall"], report["score"]["overall"]):
        diffs.append(Text("总分", "overall") + _expected_got(expect["overall"], report["score"]["overall"]))
    return Case(group, f"{group}::{name}", tuple(diffs))


def _rule_diffs(report: Mapping[str, Any], wanted: Mapping[str, str], lang: str) -> Iterator[Text]:
    results = {r["rule"]: r for r in report["results"]}
    for rule_id, status in wanted.items():
        result = results.get(rule_id)
        if result is None:
            close = closest(rule_id, results)
            hint = f" (did you mean '{close}'?)" if close else ""
            zh_hint = f"（你是不是想写 '{close}'？）" if close else ""
            yield Text(f"{rule_id}: 手册中没有这条规则{zh_hint}", f"{rule_id}: no such rule{hint}")
        elif result["status"] != status:
            yield Text(
                f"{rule_id}\n  期望:     {status}\n  实际:     {result['status']} — {result['message']}",
                f"{rule_id}\n  expected: {status}\n  got:      {result['status']} — {result['message']}",
            )


def _close(wanted: Any, got: Any) -> bool:
    if wanted is None or got is None:
        return wanted is got
    return isinstance(wanted, int | float) and abs(float(wanted) - float(got)) < SCORE_TOLERANCE


def _expected_got(wanted: Any, got: Any) -> Text:
    w, g = json.dumps(wanted, ensure_ascii=False), json.dumps(got, ensure_ascii=False)
    return Text(f"\n  期望:     {w}\n  实际:     {g}", f"\n  expected: {w}\n  got:      {g}")


# ── output ───────────────────────────────────────────────────────────────────


def render_results(cases: Sequence[Case], seconds: float, lang: str) -> str:
    """Progress dots per file, then each failure with its diff, then `N passed, M failed`."""
    lines: list[str] = []
    groups: dict[str, str] = {}
    for case in cases:
        groups[case.group] = groups.get(case.group, "") + ("s" if case.skipped else "." if case.ok else "F")
    for group, dots in groups.items():
        chunks = [dots[i : i + DOTS_PER_LINE] for i in range(0, len(dots), DOTS_PER_LINE)]
        lines.extend([f"{group} {chunks[0]}", *(f"    {chunk}" for chunk in chunks[1:])])
    failed = [case for case in cases if not case.ok]
    skipped = sum(1 for case in cases if case.skipped)
    if failed:
        lines.append(_rule_line(Text(" 失败详情 ", " FAILURES ").render(lang)))
        for case in failed:
            lines.append(f"___ {case.name} ___")
            lines.extend(diff.render(lang) for diff in case.diffs)
    passed = len(cases) - len(failed) - skipped
    summary = Text(f"{passed} 个通过", f"{passed} passed")
    if failed:
        summary += Text(f"，{len(failed)} 个失败", f", {len(failed)} failed")
    if skipped:
        summary += Text(f"，{skipped} 个跳过（参数或阶段已被覆盖）", f", {skipped} skipped (params or stages overridden)")
    if not cases:
        summary = Text("没有找到示例或测试", "no examples or tests found")
    summary += Text(f"，用时 {seconds:.2f} 秒", f" in {seconds:.2f}s")
    lines.append(_rule_line(f" {summary.render(lang)} "))
    return "\n".join(lines) + "\n"


def _rule_line(title: str, width: int = 70) -> str:
    side = max(3, (width - len(title)) // 2)
    return "=" * side + title + "=" * side


__all__ = ["Case", "render_results", "run_tests"]
