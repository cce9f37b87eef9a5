"""`playbook test` drawn pytest-style: a line of dots per file, each failure with its diff, a summary line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from playbook.core.errors import Location
from playbook.core.i18n import Text

DOTS_PER_LINE = 60


class CaseOutcome(Protocol):
    """What is drawn of one case (authoring/testing.py's `Case`)."""

    @property
    def group(self) -> Text: ...  # the file the case is written in
    @property
    def name(self) -> str: ...
    @property
    def where(self) -> Location: ...
    @property
    def diffs(self) -> tuple[Text, ...]: ...
    @property
    def skipped(self) -> bool: ...
    @property
    def ok(self) -> bool: ...


def render_results(cases: Sequence[CaseOutcome], seconds: float, lang: str, quiet: bool = False) -> str:
    """Progress dots per file (not when `quiet`), then each failure with its diff, then `N passed, M failed`."""
    lines: list[str] = []
    groups: dict[str, str] = {}
    for case in cases:
        group = case.group.render(lang)
        groups[group] = groups.get(group, "") + ("s" if case.skipped else "." if case.ok else "F")
    for group, dots in {} if quiet else groups.items():
        chunks = [dots[i : i + DOTS_PER_LINE] for i in range(0, len(dots), DOTS_PER_LINE)]
        lines.extend([f"{group} {chunks[0]}", *(f"    {chunk}" for chunk in chunks[1:])])
    failed = [case for case in cases if not case.ok]
    skipped = sum(1 for case in cases if case.skipped)
    if failed:
        lines.append(_rule_line(Text(" 失败详情 ", " FAILURES ").render(lang)))
        for case in failed:
            lines.append(f"___ {case.where}: {case.name} ___")
            lines.extend(diff.render(lang) for diff in case.diffs)
    passed = len(cases) - len(failed) - skipped
    summary = Text(f"{passed} 个通过", f"{passed} passed")
    if failed:
        summary += Text(f"，{len(failed)} 个失败", f", {len(failed)} failed")
    if skipped:
        summary += Text(
            f"，{skipped} 个跳过（参数或阶段已被覆盖）", f", {skipped} skipped (params or stages overridden)"
        )
    if not cases:
        summary = Text("没有找到示例或测试", "no examples or tests found")
    summary += Text(f"，用时 {seconds:.2f} 秒", f" in {seconds:.2f}s")
    lines.append(_rule_line(f" {summary.render(lang)} "))
    return "\n".join(lines) + "\n"


def _rule_line(title: str, width: int = 70) -> str:
    side = max(3, (width - len(title)) // 2)
    return "=" * side + title + "=" * side
