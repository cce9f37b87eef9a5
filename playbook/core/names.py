"""The names people read for the ids a playbook and a report use: stages, statuses, severities,
efforts, stage levels and changes, in Chinese and English, one catalog each, for every output."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from playbook.core.i18n import Text

PLATFORM_NAMES = {
    "qq": Text("QQ", "QQ"),
    "wechat": Text("微信", "WeChat"),
    "wecom": Text("企业微信", "WeCom"),
    "telegram": Text("Telegram", "Telegram"),
    "discord": Text("Discord", "Discord"),
    "other": Text("其他", "other"),
}
STAGE_NAMES = {  # the seeds' words: 冷启动 → 热运营 → 自生长 (S3)
    "planning": Text("筹备期", "planning"),
    "launch": Text("冷启动期", "cold start"),
    "growth": Text("热运营期", "growth"),
    "mature": Text("自生长期", "mature"),
    "declining": Text("衰退期", "declining"),
    "ended": Text("已结束", "ended"),
    "before": Text("活动前", "before the event"),
    "live": Text("活动中", "during the event"),
    "after": Text("活动后", "after the event"),
    "unknown": Text("阶段不明", "stage unknown"),
}
GROUP_TYPE_NAMES = {  # group.type: what the group is for (S2 一.1: 群的类型不同活跃程度也不同)
    "interest": Text("兴趣/学习交流群", "interest and learning groups"),
    "trade": Text("团购/交易群", "group-buying and trade groups"),
    "service": Text("售后/客服群", "after-sales and service groups"),
    "paid": Text("付费/会员群", "paid membership groups"),
    "notice": Text("通知群（班级、家长、工作）", "notice groups (class, parents, work)"),
    "networking": Text("校友/人脉群", "alumni and networking groups"),
    "fan": Text("粉丝/品牌群", "fan and brand groups"),
    "event": Text("活动群", "event groups"),
}
SEVERITY_NAMES = {
    "critical": Text("严重", "critical"),
    "high": Text("高", "high"),
    "medium": Text("中", "medium"),
    "low": Text("低", "low"),
    "info": Text("提示", "info"),
}
EFFORT_NAMES = {"low": Text("小", "low"), "medium": Text("中", "medium"), "high": Text("大", "high")}
RELEVANCE_NAMES = {
    "required": Text("必需", "required"),
    "recommended": Text("建议", "recommended"),
    "not_applicable": Text("不适用", "not applicable"),
}
CHANGE_NAMES = {  # how a rule's result moved between two audits (compare.py)
    "fixed": Text("已修复", "fixed"),
    "improved": Text("有改善", "improved"),
    "regressed": Text("退步", "regressed"),
    "changed": Text("状态变化", "changed"),
    "new": Text("新规则", "new"),
    "removed": Text("已移除", "removed"),
}
STATUS_NAMES = {
    "pass": Text("通过", "pass"),
    "partial": Text("部分通过", "partial"),
    "fail": Text("未通过", "fail"),
    "not_applicable": Text("不适用", "not applicable"),
    "unknown": Text("缺数据", "unknown"),
    "waived": Text("已豁免", "waived"),
    "error": Text("规则出错", "rule error"),
}


def name_in(names: Mapping[str, Text], key: str, lang: str) -> str:
    """`key`'s name in `lang` (冷启动期 for the stage `launch`); a key the catalog lacks, as it is."""
    name = names.get(key)
    return key if name is None else name.render(lang)


def transition(names: Mapping[str, Text], old: str | None, new: str | None, lang: str) -> str:
    """`通过 → 未通过`: a status or a stage before and after, named in `lang` (`–` for none)."""
    before = "–" if old is None else name_in(names, old, lang)
    after = "–" if new is None else name_in(names, new, lang)
    return f"{before} → {after}"


def stages_text(stages: Mapping[str, str] | None, lang: str) -> str:
    """Where a rule counts, level by level: `必需: 冷启动期、热运营期 · 建议: 活动前`."""
    if stages is None:
        return Text("所有阶段都必需", "required at every stage").render(lang)
    by_level: dict[str, list[str]] = {}
    for stage, level in stages.items():
        by_level.setdefault(level, []).append(name_in(STAGE_NAMES, stage, lang))
    comma = "、" if lang == "zh" else ", "
    return " · ".join(
        f"{name_in(RELEVANCE_NAMES, level, lang)}: {comma.join(names)}" for level, names in by_level.items()
    )


# Other words people use for the same ids (the catalogs above hold the names we print).
_ALSO_CALLED = {
    "weixin": "wechat",
    "wx": "wechat",
    "个人微信": "wechat",
    "企微": "wecom",
    "电报": "telegram",
    "tg": "telegram",
    "冷启动": "launch",
    "成长期": "growth",
    "成熟期": "mature",
    "衰退": "declining",
    "结束": "ended",
}
_CATALOGS = (PLATFORM_NAMES, STAGE_NAMES, SEVERITY_NAMES, EFFORT_NAMES, RELEVANCE_NAMES, STATUS_NAMES)


def id_named(value: str, ids: Collection[str]) -> str | None:
    """The one of `ids` that `value` names in words: 'QQ' → qq, '微信' → wechat, '热运营期' → growth."""
    wanted = value.strip().casefold()
    for catalog in _CATALOGS:
        for key, name in catalog.items():
            if key in ids and wanted in (key, name.zh.casefold(), name.en.casefold()):
                return key
    also = _ALSO_CALLED.get(wanted)
    return also if also in ids else None
