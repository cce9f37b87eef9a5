"""`--roster members.csv`: the real member list (id,name,role,joined_at) merged with the export.

An export only knows who spoke; the roster knows who is in the group. The roster decides the
list, the export adds each listed member's message statistics, and speakers the roster does not
know are reported (they may have left, or the roster may be stale) rather than dropped silently.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from playbook.core.i18n import Text
from playbook.core.value_labels import value_labels
from playbook.importers.common import ImportOptions, Summary, fail
from playbook.importers.progress import ByteMeter
from playbook.importers.textio import read_csv, sniff_encoding

REQUIRED = ("id", "name")
COLUMNS = ("id", "name", "role", "joined_at")
# The ids, the words the tool shows for them (value_labels: 群主, 管理员, 成员, 机器人), and 群成员.
ROLES = {
    "owner": "owner",
    "admin": "admin",
    "member": "member",
    "bot": "bot",
    **value_labels()[("members", "list", "*", "role")],
    "群成员": "member",
}
STATS = ("first_active_at", "last_active_at", "messages_7d", "messages_30d", "messages_total")
SHOWN = 10


def merge_roster(snapshot: dict[str, Any], path: Path, options: ImportOptions, summary: Summary) -> None:
    roster = read_roster(path, options)
    exported = snapshot["members"]["list"]
    by_id = {row["id"]: row for row in exported}
    names = Counter(row["name"] for row in exported)
    by_name = {row["name"]: row for row in exported if names[row["name"]] == 1}
    used: set[str] = set()
    merged = []
    for person in roster:
        seen = by_id.get(person["id"]) or by_name.get(person["name"])
        if seen is not None:
            used.add(seen["id"])
        merged.append(_merge_one(person, seen))
    snapshot["members"] = {"source": "manual", "list": merged}
    summary.members = len(merged)
    _note_strangers([row for row in exported if row["id"] not in used], path, summary)


def _merge_one(person: dict[str, Any], seen: dict[str, Any] | None) -> dict[str, Any]:
    row = dict(person)
    if seen is None:
        row.update(messages_7d=0, messages_30d=0, messages_total=0)
        return row
    if "role" not in row and "role" in seen:
        row["role"] = seen["role"]
    if "joined_at" not in row and "joined_at" in seen:
        row["joined_at"] = seen["joined_at"]
    row.update({key: seen[key] for key in STATS if key in seen})
    return row


def _note_strangers(rows: list[dict[str, Any]], path: Path, summary: Summary) -> None:
    if not rows:
        return
    shown = ", ".join(f"{r['name']} ({r['id']})" for r in rows[:SHOWN])
    more = f" … (+{len(rows) - SHOWN})" if len(rows) > SHOWN else ""
    summary.notes.append(
        Text(
            "名单 {p} 里没有的发言者 {n} 人 (未列入成员): {s}",
            "{n} speakers are not in the roster {p} (left out of the member list): {s}",
        ).format(p=path.name, n=len(rows), s=shown + more)
    )


def read_roster(path: Path, options: ImportOptions) -> list[dict[str, Any]]:
    if not path.exists():
        raise fail(str(path), "名单文件不存在", "no such roster file")
    if not path.is_file():  # a folder, or a pipe or device read twice (encoding, then rows)
        raise fail(str(path), "名单应为一个 CSV 文件", "the roster must be a CSV file")
    codec = sniff_encoding(path)
    rows = read_csv(path, codec, ByteMeter([], None))
    header = next(rows, None)
    if header is None:
        raise fail(
            f"{path}:1",
            "名单是空文件；第一行应为列名 id,name,role,joined_at",
            "the roster is empty; the first line should be id,name,role,joined_at",
        )
    columns = [cell.strip().lstrip("\ufeff").lower() for cell in header[1]]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise fail(
            f"{path}:1",
            "名单缺少列 {m}；找到的列: {f}；应为 id,name,role,joined_at",
            "the roster lacks the column(s) {m}; found: {f}; expected id,name,role,joined_at",
            m=", ".join(missing),
            f=", ".join(columns) or "-",
        )
    people = []
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        values = {c: cells[i].strip() for i, c in enumerate(columns) if i < len(cells)}
        people.append(_person(f"{path}:{line}", values, options))
    return people


def _person(where: str, values: dict[str, str], options: ImportOptions) -> dict[str, Any]:
    if not values.get("id"):
        raise fail(where, "这一行没有 id", "this row has no id")
    person: dict[str, Any] = {"id": values["id"], "name": values.get("name") or values["id"]}
    role = values.get("role", "")
    if role:
        if role.lower() not in ROLES:
            raise fail(
                where,
                "角色 '{r}' 无效；应为 owner、admin、member 或 bot",
                "role '{r}' is not one of owner, admin, member, bot",
                r=role,
            )
        person["role"] = ROLES[role.lower()]
    if values.get("joined_at"):
        person["joined_at"] = _joined(where, values["joined_at"], options)
    return person


def _joined(where: str, text: str, options: ImportOptions) -> str:
    text = text.replace("/", "-")  # Excel writes dates as 2026/11/20
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), time(0), options.tz)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise fail(
            where,
            "加入时间 '{t}' 不是日期；应为 2026-11-20 或 2026-11-20T09:30:00",
            "joined_at '{t}' is not a date; expected 2026-11-20 or 2026-11-20T09:30:00",
            t=text,
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=options.tz)
    return moment.isoformat(timespec="seconds")
