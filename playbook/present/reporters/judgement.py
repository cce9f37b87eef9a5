"""The words every format uses for the judgement: the group's type, the causes a fix treats, a
severity the measured harm raised, and a grade held at C by a failing critical rule. One place,
so the terminal, Markdown and HTML say the same thing."""

from __future__ import annotations

from playbook.core.i18n import Text
from playbook.core.names import GROUP_TYPE_NAMES, SEVERITY_NAMES, name_in
from playbook.core.report_types import ChecklistItem, Result, ScoreBlock
from playbook.core.scoring import GRADE_NEEDS_COVERAGE
from playbook.present.reporters import Report

TYPE_NOT_GIVEN = Text(
    "未填写 — 按通用权重评分；写明群的用途 (group.type)，判断更准",
    "not given — judged with the default weights; say what the group is for (group.type) for a sharper verdict",
)


def group_type_text(report: Report, lang: str) -> tuple[str, str]:
    """("群类型", "通知群（班级、家长、工作）") or the same label with "not given"."""
    label = Text("群类型", "Group type").render(lang)
    kind = report["snapshot"].get("group_type")
    return label, name_in(GROUP_TYPE_NAMES, kind, lang) if kind else TYPE_NOT_GIVEN.render(lang)


def treats_text(item: ChecklistItem, report: Report, lang: str) -> str:
    """ "治: 暴政、骚扰" for a fix of diagnosed causes; "" otherwise."""
    if not item.get("treats"):
        return ""
    titles = {cause["id"]: cause["title"] for cause in report.get("diagnosis", [])}
    names = [titles.get(cause_id, cause_id) for cause_id in item["treats"]]
    return Text("治: ", "treats: ").render(lang) + ("、" if lang == "zh" else ", ").join(names)


def escalated_text(result: Result | None, lang: str) -> str:
    """ "升级为严重：一个月内移出超过一成成员" when the harm measured raised the severity."""
    step = None if result is None else result.get("escalated")
    if not step:
        return ""
    to = name_in(SEVERITY_NAMES, step["to"], lang)
    return Text(f"升级为{to}：", f"escalated to {to}: ").render(lang) + step["because"]


def capped_text(report: Report, lang: str) -> str:
    """Why the grade is not what the score says: a critical rule fails (C), two causes of early
    death are critical at once (D), or too little could be judged to grade at all."""
    score = report["score"]
    notes = [_capped(score), _not_graded(score)]
    return Text("；", "; ").render(lang).join(n.render(lang) for n in notes if n is not None)


def _capped(score: ScoreBlock) -> Text | None:
    capped = score.get("capped_by") or []
    if not capped:
        return None
    rules = ", ".join(capped)
    if score.get("grade_cap") == "D":
        return Text(
            f"两种早夭原因同时严重（{rules}），等级最高为 D",
            f"two causes of early death are critical at once ({rules}): the grade stays at D or below",
        )
    return Text(
        f"严重问题未解决（{rules}），等级最高为 C",
        f"a critical rule fails ({rules}): the grade stays at C or below",
    )


def _not_graded(score: ScoreBlock) -> Text | None:
    if score["grade"] is not None or score["overall"] is None or score["coverage"] is None:
        return None
    judged, needed = f"{score['coverage']:.0%}", f"{GRADE_NEEDS_COVERAGE:.0%}"
    return Text(
        f"数据太少，暂不评级：只有 {judged} 的规则有数据可判断（至少要 {needed}）",
        f"not graded: only {judged} of the rules could be judged (a grade needs {needed})",
    )


def results_by_rule(report: Report) -> dict[str, Result]:
    return {r["rule"]: r for r in report["results"]}
