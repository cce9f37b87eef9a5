"""Every label of the HTML pages (report, trend), in Chinese and English."""

from __future__ import annotations

from playbook.core.i18n import Text
from playbook.core.scoring import GOOD_FROM, POOR_BELOW

L = {
    "title": Text("社群审计报告", "Community audit report"),
    "groups_n": Text("共 {n} 个群", "{n} groups"),
    "captured": Text("快照时间", "captured"),
    "playbook": Text("手册", "Playbook"),
    "overall": Text("总分", "Overall score"),
    "overall_of": Text("总分 / 100", "overall / 100"),
    "gauge_label": Text("总分 {score}，等级 {grade}", "Overall score {score}, grade {grade}"),
    "grade": Text("等级", "Grade"),
    "coverage": Text("数据覆盖率", "Coverage"),
    "provisional": Text(
        "数据覆盖率低于 80% 或有严重规则缺数据，等级仅供参考（*）：补充“需要补充的数据”里的信息后再看。",
        "Provisional grade (*): less than 80 % of the rules could be evaluated, or a critical rule "
        "lacks data. Supply the items under “Provide data” for a firm grade.",
    ),
    "stage": Text("阶段", "Stage"),
    "sections": Text("各板块得分", "Section scores"),
    "sections_chart": Text("各板块得分条形图（0–100）", "Bar chart of section scores (0–100)"),
    "no_score": Text("无计分规则（–）", "nothing scored (–)"),
    "bands_legend": Text(
        f"虚线为 {POOR_BELOW} 和 {GOOD_FROM} 分界线", f"dashed lines mark {POOR_BELOW} and {GOOD_FROM}"
    ),
    "band_good": Text(f"良好 ≥{GOOD_FROM}", f"good ≥{GOOD_FROM}"),
    "band_needs_work": Text(
        f"待改进 {POOR_BELOW}–{GOOD_FROM - 1}", f"needs work {POOR_BELOW}–{GOOD_FROM - 1}"
    ),
    "band_poor": Text(f"较差 <{POOR_BELOW}", f"poor <{POOR_BELOW}"),
    "band_none": Text("无分数", "no score"),
    "diagnosis": Text("诊断：社群早夭的原因", "Diagnosis: causes of early death"),
    "no_diagnosis": Text("此手册未定义诊断。", "This playbook defines no diagnosis."),
    "causes_found": Text("发现 {n} / {total} 种病因。", "{n} of {total} causes found."),
    "present": Text("存在", "present"),
    "absent": Text("未发现", "not found"),
    "checklist": Text("下一步清单", "Checklist"),
    "nothing_to_do": Text("没有待办事项。", "Nothing to do."),
    "now": Text("现在就做", "Do now"),
    "next": Text("接下来", "Next"),
    "broken": Text("规则出错（不计分，请修正手册）", "Rule errors (unscored: mend the playbook)"),
    "data": Text("需要补充的数据", "Provide data"),
    "next_stage": Text("为下一阶段做准备（不计分）", "Prepare for the next stage (unscored)"),
    "waiver": Text("豁免已过期", "Expired waivers"),
    "projection": Text("完成以上各项后总分：{a} → {b}", "Done up to here: overall {a} → {b}"),
    "pts": Text("分", "pts"),
    "effort": Text("工作量", "effort"),
    "results": Text("全部规则结果", "All rule results"),
    "rules_n": Text("{n} 条规则", "{n} rules"),
    "status": Text("状态", "Status"),
    "section": Text("板块", "Section"),
    "rule": Text("规则", "Rule"),
    "found": Text("检查结果", "What was found"),
    "fix": Text("怎么改", "How to fix"),
    "line": Text("位置", "at line"),
    "filter_all": Text("全部", "All"),
    "filter_problems": Text("待改进", "Problems"),
    "filter_fail": Text("▲ 未通过", "▲ Fail"),
    "filter_partial": Text("■ 部分通过", "■ Partial"),
    "filter_pass": Text("● 通过", "● Pass"),
    "filter_unknown": Text("? 缺数据", "? Unknown"),
    "filter_unscored": Text("不计分", "Not scored"),
    "group": Text("群", "Group"),
    "platform": Text("平台", "Platform"),
    "score": Text("得分", "Score"),
    "fails": Text("未通过", "Fails"),
}

STATUS_MARK = {
    "pass": "●",
    "partial": "■",
    "fail": "▲",
    "not_applicable": "–",
    "unknown": "?",
    "waived": "○",
    "error": "✕",
}


def t(key: str, lang: str) -> str:
    return L[key].render(lang)
