"""Every label the audit reports show (terminal table, Markdown, HTML) in Chinese and English, in one table.

`LABELS` says each thing once. Where a format words a label its own way, on purpose, the
override sits in that format's dict below with the reason; `TABLE`, `MARKDOWN` and `HTML` are
what the renderers read. (`diff` and `trend` keep their few labels beside their drawing.)
"""

from __future__ import annotations

from playbook.core.i18n import Text
from playbook.core.scoring import GOOD_FROM, POOR_BELOW, PROVISIONAL_BELOW

_PROVISIONAL_MARK = (
    f"* 数据不足，结果仅供参考（数据覆盖率低于 {PROVISIONAL_BELOW:.0%}，或有严重规则缺数据）",
    f"* provisional: too little data (coverage below {PROVISIONAL_BELOW:.0%}, or a critical rule lacks data)",
)

LABELS: dict[str, Text] = {
    "stage": Text("阶段", "Stage"),
    "section": Text("板块", "Section"),
    "score": Text("得分", "Score"),
    "counts": Text("通过/部分/未通过/缺数据", "pass/partial/fail/unknown"),
    "none_present": Text("未发现", "none found"),
    "now": Text("现在就做", "Do now"),
    "next": Text("接下来", "Next"),
    "broken": Text("规则出错（不计分，请修正手册）", "Rule errors (unscored: mend the playbook)"),
    "data": Text("需要补充的数据", "Provide data"),
    "next_stage": Text("为下一阶段做准备（不计分）", "Prepare for the next stage (unscored)"),
    "pts": Text("分", "pts"),
    "effort": Text("工作量", "effort"),
    "more": Text("另有 {n} 项，用 --verbose 查看全部", "{n} more; --verbose shows all"),
    "group": Text("群", "Group"),
    "platform": Text("平台", "Platform"),
    "grade_column": Text("等级", "Grade"),
    "delta": Text("变化", "Δ"),
    "vs_baseline": Text("与基线相比", "vs baseline"),
    "no_baseline": Text("基线中没有这个群", "this group is not in the baseline"),
    "title": Text("社群审计报告", "Community audit report"),
    "file": Text("文件", "File"),
    "findings": Text("未通过的规则", "Rules not met"),
    "rule": Text("规则", "Rule"),
    "severity": Text("严重程度", "Severity"),
    "status": Text("状态", "Status"),
    "baseline": Text("与基线相比", "Compared with the baseline"),
    "expired": Text("豁免已于 {d} 过期（{o}）", "waiver expired on {d} ({o})"),
    "groups_n": Text("共 {n} 个群", "{n} groups"),
    "captured": Text("快照时间", "captured"),
    "playbook": Text("手册", "Playbook"),
    "overall_of": Text("总分 / 100", "overall / 100"),
    "gauge_label": Text("总分 {score}，等级 {grade}", "Overall score {score}, grade {grade}"),
    "sections": Text("各板块得分", "Section scores"),
    "sections_chart": Text("各板块得分条形图（0–100）", "Bar chart of section scores (0–100)"),
    "no_score": Text("无计分规则（–）", "nothing scored (–)"),
    "band_none": Text("无分数", "no score"),
    "no_diagnosis": Text("此手册未定义诊断。", "This playbook defines no diagnosis."),
    "causes_found": Text("发现 {n} / {total} 种病因。", "{n} of {total} causes found."),
    "present": Text("存在", "present"),
    "absent": Text("未发现", "not found"),
    "nothing_to_do": Text("没有待办事项。", "Nothing to do."),
    "projection": Text("完成以上各项后总分：{a} → {b}", "Done up to here: overall {a} → {b}"),
    "results": Text("全部规则结果", "All rule results"),
    "rules_n": Text("{n} 条规则", "{n} rules"),
    "fix": Text("怎么改", "How to fix"),
    "filter_all": Text("全部", "All"),
    "filter_problems": Text("待改进", "Problems"),
    "filter_fail": Text("▲ 未通过", "▲ Fail"),
    "filter_partial": Text("■ 部分通过", "■ Partial"),
    "filter_pass": Text("● 通过", "● Pass"),
    "filter_unknown": Text("? 缺数据", "? Unknown"),
    "filter_unscored": Text("不计分", "Not scored"),
    "bands_legend": Text(
        f"虚线为 {POOR_BELOW} 和 {GOOD_FROM} 分界线", f"dashed lines mark {POOR_BELOW} and {GOOD_FROM}"
    ),
    "band_good": Text(f"良好 ≥{GOOD_FROM}", f"good ≥{GOOD_FROM}"),
    "band_needs_work": Text(
        f"待改进 {POOR_BELOW}–{GOOD_FROM - 1}", f"needs work {POOR_BELOW}–{GOOD_FROM - 1}"
    ),
    "band_poor": Text(f"较差 <{POOR_BELOW}", f"poor <{POOR_BELOW}"),
    # the majority's wording of the labels some format says otherwise (see below)
    "overall": Text("总分", "Overall score"),
    "grade": Text("等级", "Grade"),
    "coverage": Text("数据覆盖率", "Coverage"),
    "fails": Text("未通过(严重/高/中/低)", "Fails (crit/high/med/low)"),
    "waiver": Text("豁免已过期", "Expired waivers"),
    "checklist": Text("下一步清单", "Checklist"),
    "diagnosis": Text("诊断：社群早夭的原因", "Diagnosis: causes of early death"),
    "found": Text("检查结果", "What was found"),
    "line": Text("位置", "at line"),
    "playbook_changed": Text(
        "手册已变更：变化可能来自手册本身，而不是群的设置",
        "The playbook changed: changes may come from it, not the group",
    ),
}

# The terminal table says its scores within a line (`Overall 72 · grade B · coverage 80%`), so
# those labels are lower case, and its sections are headed in fewer words.
_TABLE: dict[str, Text] = {
    "overall": Text("总分", "Overall"),
    "grade": Text("等级", "grade"),
    "coverage": Text("数据覆盖率", "coverage"),
    "provisional": Text("（数据不足，结果仅供参考）", "(provisional: too little data)"),
    "provisional_mark": Text(*_PROVISIONAL_MARK),
    "diagnosis": Text("诊断（社群早夭七因）", "Diagnosis (seven causes of early death)"),
    "playbook_changed": Text(
        "手册已变更：以下变化可能来自手册本身，而不是群的设置",
        "the playbook changed: these changes may come from the playbook, not from the group",
    ),
}

# Markdown reads a bare `*` as emphasis: the mark is escaped. Its findings table is narrow
# (short headings), and a Markdown summary is often all a reader sees of expired waivers.
_MARKDOWN: dict[str, Text] = {
    "provisional": Text("数据不足，结果仅供参考", "provisional: too little data"),
    "provisional_mark": Text(*(text.replace("*", "\\*", 1) for text in _PROVISIONAL_MARK)),
    "waiver": Text("豁免已过期：修复或续期", "Expired waivers: fix or renew"),
    "found": Text("发现", "Found"),
    "checklist": Text("清单", "Checklist"),
    "line": Text("行", "line"),
}

# The HTML page explains the provisional grade in a note of its own, and shows the fails by
# severity in columns of their own.
_HTML: dict[str, Text] = {
    "provisional": Text(
        f"数据覆盖率低于 {PROVISIONAL_BELOW:.0%} 或有严重规则缺数据，等级仅供参考（*）：补充“需要补充的数据”里的信息后再看。",
        f"Provisional grade (*): less than {PROVISIONAL_BELOW * 100:.0f} % of the rules could be evaluated, "
        "or a critical rule lacks data. Supply the items under “Provide data” for a firm grade.",
    ),
    "fails": Text("未通过", "Fails"),
}

TABLE = {**LABELS, **_TABLE}
MARKDOWN = {**LABELS, **_MARKDOWN}
HTML = {**LABELS, **_HTML}

# The HTML page marks each status with a shape as well as a colour (readable without colour).
STATUS_MARK = {
    "pass": "●",
    "partial": "■",
    "fail": "▲",
    "not_applicable": "–",
    "unknown": "?",
    "waived": "○",
    "error": "✕",
}
