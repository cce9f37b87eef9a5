"""`import … --settings group.yaml`: the hand-kept part of a group and this month's export, one snapshot.

An export measures who spoke and how much; it never holds the group's intro, rules, tags,
goals or member count, which the operator keeps by hand. Each part of the snapshot has one
owner, so a monthly re-import never loses a hand edit and never keeps stale numbers:

| part | taken from |
|---|---|
| `group.*` (name, intro, announcement, rules, tags, join policy, type, stage …) | the settings file; the export fills only what it leaves out (`id`, `name`) |
| `audience`, `onboarding`, `automation`, `events`, `content`, `moderation`, `goals`, `metrics` | the settings file |
| `members.count` | the settings file (an export cannot know it) |
| `members.source`, `members.list` (who, messages, last active, joined, left) | the export (or `--roster`) |
| a listed member's `role`, `tags`, `rewarded` …: what no export measures | the settings file's entry with the same `id`, when the export does not say |
| `activity` (daily rows, messages), `captured_at`, `platform` | the export |
| `timezone` | `--tz`, else the settings file's `timezone` (the zone the export is read in), else Asia/Shanghai |

The settings file is a partial snapshot: any of the parts above, nothing required. A field it
writes that the export owns is said in the summary (the export's value is used), never silently.
"""

from __future__ import annotations

from typing import Any

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text
from playbook.importers.common import Summary
from playbook.io.documents import Document, read_document

# Parts of a snapshot the export owns: measured, replaced every month.
MEASURED = ("captured_at", "timezone", "activity")
# Fields of a member the export measures; the rest of a settings entry (role, tags …) is kept.
MEASURED_MEMBER = (
    "id",
    "name",
    "joined_at",
    "first_active_at",
    "last_active_at",
    "left_at",
    "messages_7d",
    "messages_30d",
    "messages_total",
)


def read_settings(path: str) -> Document:
    """The settings file, parsed (YAML or JSON), with its fixed values read from their words."""
    from playbook.io.snapshots import read_value_labels

    document = read_document(path)
    if not isinstance(document.data, dict):
        raise PlaybookError.at(
            path,
            Text(
                "群设置文件应是键值对象（像 group.yaml 那样）",
                "a settings file is a mapping (like group.yaml)",
            ),
        )
    read_value_labels(document)
    return document


def merge_settings(snapshot: dict[str, Any], settings: Document, summary: Summary) -> dict[str, Any]:
    """The snapshot with the settings file's parts in it, by the precedence in this module's table."""
    hand: dict[str, Any] = settings.data
    name = settings.name
    _check_platform(snapshot, settings)
    merged: dict[str, Any] = {"snapshot": 1}
    for key in ("captured_at", "timezone", "platform"):
        merged[key] = snapshot[key]
    merged["group"] = _merge_group(snapshot["group"], hand.get("group") or {}, name, summary)
    for key, value in hand.items():
        if key in ("snapshot", "platform", "group", "members") or key in MEASURED:
            continue
        merged[key] = value
    merged["members"] = _merge_members(snapshot["members"], hand.get("members") or {}, summary)
    merged["activity"] = snapshot["activity"]
    # captured_at always moves on (a group.yaml from `init` has one): only data replaced is said
    ignored = [key for key in ("timezone", "activity") if key in hand and hand[key] != merged[key]]
    if ignored:
        summary.notes.append(
            Text(
                "{f} 里的 {k} 由导出重新测得，按导出的写入",
                "{k} in {f} is measured again from the export; the export's is used",
            ).format(f=name, k=", ".join(ignored))
        )
    kept = [
        _part_name(key, hand)
        for key in merged
        if key in hand and key not in (*MEASURED, "snapshot", "platform")
    ]
    summary.notes.append(
        Text(
            "来自 {f}: {k}；来自导出: 成员名单和活跃数据",
            "from {f}: {k}; from the export: the member list and the activity",
        ).format(f=name, k=", ".join(kept) or "-")
    )
    return _ordered(merged)


def _part_name(key: str, hand: dict[str, Any]) -> str:
    if key == "members":
        return "members.count" if "count" in (hand.get("members") or {}) else "members.list[].role"
    return key


def _check_platform(snapshot: dict[str, Any], settings: Document) -> None:
    written = settings.data.get("platform")
    if written is not None and written != snapshot["platform"]:
        raise PlaybookError.at(
            settings.location(["platform"]),
            Text(
                f"群设置写的是平台 {written!r}，导出来自 {snapshot['platform']}",
                f"the settings say platform {written!r}, the export is from {snapshot['platform']}",
            ),
            Text("检查是不是拿错了群的设置文件", "check that this is the settings file of this group"),
        )


def _merge_group(exported: dict[str, Any], hand: Any, name: str, summary: Summary) -> dict[str, Any]:
    if not isinstance(hand, dict):
        return {**exported}  # the schema check of the result names the problem, located in the file
    order = _group_order()
    group = dict(sorted({**exported, **hand}.items(), key=lambda item: order.get(item[0], len(order))))
    for key in ("id", "name"):
        if key in hand and key in exported and hand[key] != exported[key]:
            summary.notes.append(
                Text(
                    "group.{k}: 导出里是 {e!r}，保留 {f} 里手写的 {h!r}",
                    "group.{k}: the export says {e!r}; kept {h!r} from {f}",
                ).format(k=key, e=exported[key], h=hand[key], f=name)
            )
    return group


def _group_order() -> dict[str, int]:
    from playbook.core.resources import load_schema

    return {key: rank for rank, key in enumerate(load_schema("snapshot")["$defs"]["group"]["properties"])}


def _merge_members(exported: dict[str, Any], hand: Any, summary: Summary) -> dict[str, Any]:
    members = {**exported}
    if not isinstance(hand, dict):
        return members
    if "count" in hand:
        members = {"source": members["source"], "count": hand["count"], **members}
    entries = hand.get("list")
    by_id = (
        {str(e["id"]): e for e in entries if isinstance(e, dict) and "id" in e}
        if isinstance(entries, list)
        else {}
    )
    completed = 0
    listed = {str(row["id"]) for row in members.get("list", [])}
    unseen = [key for key in by_id if key not in listed]
    if unseen:  # the export (or --roster) decides who is listed: say who was left out
        summary.notes.append(
            Text(
                "群设置文件里有 {n} 位成员导出中没有（例如 {e}），没有写入；完整名单请用 --roster",
                "{n} of the settings file's members {verb} not in the export (e.g. {e}) and {verb} not listed; "
                "for the full member list use --roster",
            ).format(n=len(unseen), e=", ".join(unseen[:3]), verb="is" if len(unseen) == 1 else "are")
        )
    for row in members.get("list", []):
        known = by_id.get(str(row["id"]))
        if known is None:
            continue
        extra = {key: value for key, value in known.items() if key not in MEASURED_MEMBER and key not in row}
        if extra:
            row.update(extra)
            completed += 1
    if completed:
        summary.notes.append(
            Text(
                "{n} 位成员的角色、标签等取自群设置文件",
                "{n} members' role, tags and the like taken from the settings file",
            ).format(n=completed)
        )
    return members


def _ordered(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Keys in the schema's order (settings first, measured last), as `init` writes them."""
    from playbook.core.resources import load_schema

    order = list(load_schema("snapshot")["properties"])
    return dict(
        sorted(snapshot.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    )


def check_merged(snapshot: dict[str, Any], settings: Document) -> None:
    """The merged snapshot against the schema; a problem is located in the settings file when it
    comes from there (`group.yaml:7:9`), else by its path."""
    from playbook.io.validation import schema_problems

    problems = schema_problems(settings, "snapshot", value=snapshot)
    if problems:
        raise PlaybookError(problems)
