"""The words and example values `playbook init` writes (kept apart from how they are written)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from playbook.core.i18n import Text

T = Text  # short alias: the example values below are bilingual


def _pick(lang: str, value: Any) -> Any:
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, list):
        return [_pick(lang, v) for v in value]
    if isinstance(value, dict):
        return {k: _pick(lang, v) for k, v in value.items()}
    return value


def group_values(
    platform: str, lang: str, now: datetime, facts: Mapping[str, Any], group_type: str = "interest"
) -> dict[str, Any]:
    """An example group that validates and audits: times relative to `now`."""

    def ago(days: float) -> str:
        return (now - timedelta(days=days)).isoformat(timespec="minutes")

    def day(days: int) -> str:
        return (now - timedelta(days=days)).date().isoformat()

    group: dict[str, Any] = {
        "id": "123456",
        # Within the default naming rules (at most 30 characters) and the starter playbook's prefix.
        "name": T("【运营交流】产品运营群", "[Ops Talk] Product operations"),
        "kind": "long_term",
        "type": group_type,
        "stage": "growth",
        "topic": T("产品运营", "product operations"),
        "keywords": [T("产品运营", "product operations"), T("活动运营", "event operations")],
        "brand": None,
        "purpose": T("产品运营从业者交流经验、对接资源", "product operators share experience and resources"),
        "value_proposition": T(
            "每周一次案例拆解，每月一次直播答疑", "a case study every week, a live Q&A every month"
        ),
        "avatar": True,
        "location": T("广州", "Guangzhou"),
        "intro": T(
            "产品运营交流群：每周案例拆解、每月直播答疑。请先阅读群规，禁止广告。",
            "Product operations group: weekly case studies, monthly live Q&A. Read the rules first; no ads.",
        ),
        "announcement": {
            "text": T("本周话题：活动复盘", "This week: event retrospectives"),
            "updated_at": ago(3),
        },
        "created_at": day(120),
        "join_policy": {"mode": "approval", "question": T("你做什么工作？", "What do you do?")},
        "rules": [
            {
                "id": "no-ads",
                "text": T("禁止发广告", "No ads"),
                "topic": "ads",
                "penalty": "warn_then_remove",
            },
            {"id": "no-spam", "text": T("不刷屏", "No flooding"), "topic": "spam", "penalty": "warn"},
            {
                "id": "on-topic",
                "text": T("围绕运营话题", "Stay on topic"),
                "topic": "offtopic",
                "penalty": "warn",
            },
        ],
        "commercial": False,
    }
    if facts.get("has_category"):
        group["category"] = T("行业交流", "industry")
    if facts.get("has_tags"):
        group["tags"] = [
            T("产品运营", "product ops"),
            T("活动运营", "event ops"),
            T("社区运营", "community ops"),
        ]
    values = {
        "snapshot": 1,
        "captured_at": now.isoformat(timespec="minutes"),
        "timezone": "Asia/Shanghai",
        "platform": platform,
        "group": group,
        "audience": {
            "region": T("广州", "Guangzhou"),
            "traits": [
                T("产品运营", "product operators"),
                T("1-5年经验", "1-5 years"),
                T("互联网", "internet"),
            ],
        },
        "onboarding": {
            "welcome_message": T(
                "欢迎！请先看群公告和群规。", "Welcome! Please read the notice and the rules."
            )
        },
        "automation": {"welcome": True, "keyword_moderation": True, "scheduled_posts": False},
        "members": {
            "source": "manual",
            "count": 3,
            "list": [
                {
                    "id": "u1",
                    "name": T("阿明", "Ming"),
                    "role": "owner",
                    "joined_at": day(120),
                    "last_active_at": ago(1),
                    "messages_30d": 60,
                    "tags": ["core"],
                },
                {
                    "id": "u2",
                    "name": T("小红", "Hong"),
                    "role": "admin",
                    "joined_at": day(100),
                    "last_active_at": ago(2),
                    "messages_30d": 35,
                    "tags": ["core"],
                },
                {
                    "id": "u3",
                    "name": T("大伟", "Wei"),
                    "role": "member",
                    "joined_at": day(30),
                    "last_active_at": ago(20),
                    "messages_30d": 2,
                },
            ],
        },
        "activity": {
            "daily": [
                {"date": day(d), "messages": 40 + d, "speakers": 12, "joins": 2, "leaves": 0} for d in (2, 1)
            ],
        },
        "events": [
            {
                "title": T("每周话题", "Weekly topic"),
                "kind": "discussion",
                "at": ago(4),
                "recurrence": "weekly",
                "participants": 25,
            }
        ],
        "content": [{"title": T("上周精华", "Last week's digest"), "kind": "digest", "at": ago(5)}],
        "moderation": {"incidents": [{"at": ago(10), "kind": "ad", "member": "u3", "action": "warn"}]},
        "goals": [{"metric": "weekly_active_ratio", "target": 0.3, "by": day(-60)}],
    }
    return _pick(lang, values)


PLAYBOOK_ZH = """# yaml-language-server: $schema={schema}
# 自定义手册：继承{base_name}，再按你的社群改。写完后运行：
#   playbook validate playbook.yaml      # 检查拼写和写法（会提示“你是不是想写…”）
#   playbook test playbook.yaml          # 运行每条规则的示例
#   playbook audit group.yaml -p playbook.yaml
# 完整说明见 docs/authoring.md 和 docs/rule-language.md。
playbook: 1
id: my-playbook
title: {{zh: 我的社群手册, en: My community playbook}}
extends: [{base}]{pad}# 先用{base_name}的全部规则，下面的内容覆盖它

# 改一个阈值：所有声明了这个参数的规则都会用新值（`playbook rules --resolved` 可查看）
params: {{{param}: {value}}}

# 修改继承来的规则：严重度、权重、难度、阶段、参数，或 enabled: false 停用
overrides:
  - {{rule: {override}, severity: low}}
  # - {{rule: {override}, enabled: false}}   # 停用这条规则

# 新规则：id 写成 <章节>.<短横线名称>，章节是 naming、tags、intro、rules、engagement、lifecycle 之一
rules:
  - id: naming.bracket-prefix
    section: naming
    title: {{zh: 群名以【分类】开头, en: "The name starts with a [category] tag"}}
    why: {{zh: 统一的前缀让成员在聊天列表里一眼认出本品牌的群。, en: A shared prefix lets members spot our groups in their chat list.}}
    fix: {{zh: 把群名改成“【分类】群名”的格式，例如【运营交流】产品运营群。, en: "Rename the group as 【category】name, e.g. 【运营交流】产品运营群."}}
    severity: medium
    effort: low
    check: {{path: group.name, op: matches, value: "^【[^】]+】"}}
    examples:                            # `playbook test` 会逐条运行
      pass: [{{group: {{name: 【运营交流】产品运营群}}}}]
      fail: [{{group: {{name: 产品运营群}}}}]
"""

PLAYBOOK_EN = """# yaml-language-server: $schema={schema}
# A custom playbook: start from the {base_name}, then adapt it to your groups. Then run:
#   playbook validate playbook.yaml      # spelling and structure, with "did you mean" hints
#   playbook test playbook.yaml          # every rule's examples
#   playbook audit group.yaml -p playbook.yaml
# See docs/authoring.md and docs/rule-language.md.
playbook: 1
id: my-playbook
title: {{zh: 我的社群手册, en: My community playbook}}
extends: [{base}]{pad}# every rule of the {base_name}; what follows changes it

# Change a threshold: every rule declaring this param uses the new value (see `playbook rules --resolved`)
params: {{{param}: {value}}}

# Change inherited rules: severity, weight, effort, stages, params, or enabled: false
overrides:
  - {{rule: {override}, severity: low}}
  # - {{rule: {override}, enabled: false}}   # switch the rule off

# New rules: the id is <section>.<kebab-name>; sections: naming, tags, intro, rules, engagement, lifecycle
rules:
  - id: naming.bracket-prefix
    section: naming
    title: {{zh: 群名以【分类】开头, en: "The name starts with a [category] tag"}}
    why: {{zh: 统一的前缀让成员在聊天列表里一眼认出本品牌的群。, en: A shared prefix lets members spot our groups in their chat list.}}
    fix: {{zh: 把群名改成“【分类】群名”的格式，例如【运营交流】产品运营群。, en: "Rename the group as [category] name, e.g. [Ops Talk] Product operations."}}
    severity: medium
    effort: low
    check: {{path: group.name, op: matches, value: "^(【[^】]+】|\\\\[[^]]+\\\\])"}}
    examples:                            # run by `playbook test`
      pass: [{{group: {{name: 【运营交流】产品运营群}}}}, {{group: {{name: "[Ops Talk] Product operations"}}}}]
      fail: [{{group: {{name: Product operations}}}}]
"""

PLAYBOOK_TEMPLATE = {"zh": PLAYBOOK_ZH, "en": PLAYBOOK_EN}
