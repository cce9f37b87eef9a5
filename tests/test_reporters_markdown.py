"""Markdown: scores, findings and the checklist as `- [ ]` items, in the user's language."""

from __future__ import annotations

import json

import pytest

from tests.ci_helpers import ALPHA, ROOT, run_audit


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("en", ["Do now", "Provide data", "Expired waivers", "Rules not met"]),
        ("zh", ["现在就做", "需要补充的数据", "豁免已过期", "未通过的规则"]),
    ],
)
def test_checklist_items_and_labels(lang, labels):
    text = run_audit(ALPHA, "-f", "markdown", lang=lang).stdout
    for label in labels:
        assert label in text
    items = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert len(items) == 7
    assert items[0].startswith("- [ ] **") and "`rules.present`" in items[0]
    assert "2020-01-31" in next(line for line in items if "naming.short" in line)


def test_pipes_in_messages_do_not_break_tables():
    from playbook.present.reporters import RenderContext
    from playbook.present.reporters.markdown import render

    report = run_audit(ALPHA, "-f", "json").stdout
    data = json.loads(report)
    failing = next(r for r in data["results"] if r["rule"] == "rules.present")
    failing["message"] = "a || b\nc"
    text = render([data], RenderContext())
    row = next(line for line in text.splitlines() if line.startswith("| `rules.present`"))
    assert "a \\|\\| b c" in row and row.count(" | ") == 3


def test_a_step_to_do_now_keeps_its_template_as_a_copyable_block():
    text = run_audit("examples/wechat-groupbuy-ads.yaml", "-f", "markdown", playbook=None, lang="zh").stdout
    lines = text.splitlines()
    step = next(n for n, line in enumerate(lines) if "`rules.present`" in line and line.startswith("- [ ] "))
    assert lines[step].endswith("可以直接用这个模板：")
    assert lines[step + 1 : step + 4] == ["", "  ```text", "  【群规】"]
    end = lines.index("  ```", step + 2)
    assert lines[end - 1] == "  违规处理：第一次私聊提醒，第二次直接移出，群主和管理员也一样。"
    later = next(n for n, line in enumerate(lines) if line == "**接下来**")
    assert "```" not in "\n".join(lines[later:])  # steps for later stay one line each
