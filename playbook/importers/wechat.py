"""WeChat exports: the MemoTrace (留痕) CSV and the WeFlow / EchoTrace JSON.

WeChat has no export of its own; both come from tools that decrypt the PC client's database.
`CreateTime`/`createTime` (epoch seconds) are used over the local-time strings beside them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playbook.core.i18n import Text
from playbook.importers.builder import SnapshotBuilder
from playbook.importers.common import epoch_of_naive, epoch_of_stamp, fail
from playbook.importers.jsonio import iter_items, scan_header
from playbook.importers.progress import ByteMeter
from playbook.importers.shapes import STAMP, TEXT_OR_NULL, Shape
from playbook.importers.textio import label, read_csv, sniff_encoding
from playbook.importers.wechattext import (
    TYPE_LABELS,
    clean_system,
    kind_of_code,
    parse_system,
)

REQUIRED = ("Type", "CreateTime", "StrContent", "Sender")
EXPECTED_JSON = Text("WeFlow 或 EchoTrace 导出的微信 JSON", "a WeFlow or EchoTrace WeChat JSON export")
NO_TIME = Text("没有时间的消息", "messages without a time")
NO_SENDER = Text("没有发送者的消息", "messages without a sender")
SHORT_ROW = Text("列数不足的 CSV 行", "CSV rows with too few cells")
TEXT_KINDS = ("text", "link", "system")


def read_wechat(paths: list[Path], builder: SnapshotBuilder, meter: ByteMeter) -> None:
    """Either format, told apart by the first character: `{` starts JSON, anything else CSV."""
    for path in paths:
        with path.open("rb") as handle:
            start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        reader = read_wechat_json if start.startswith(b"{") else read_wechat_csv
        reader([path], builder, meter)


def read_wechat_csv(paths: list[Path], builder: SnapshotBuilder, meter: ByteMeter) -> None:
    for path in paths:
        codec = sniff_encoding(path)
        builder.summary.encodings.append(label(codec))
        builder.group_name = builder.group_name or path.stem.removesuffix("_utf8")
        rows = read_csv(path, codec, meter)
        columns = _columns(path, next(rows, None))
        for _line, cells in rows:
            if len(cells) < len(columns):
                builder.summary.reject(SHORT_ROW)
                continue
            _read_csv_row(dict(zip(columns, cells, strict=False)), builder)


def _columns(path: Path, header: tuple[int, list[str]] | None) -> list[str]:
    columns = [c.strip().lstrip("\ufeff") for c in header[1]] if header else []
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise fail(
            f"{path}:1",
            "缺少列 {m}；找到的列: {f}；应为 MemoTrace 导出的 CSV (localId,TalkerId,Type,...)",
            "missing column(s) {m}; found: {f}; expected a MemoTrace CSV (localId,TalkerId,Type,…)",
            m=", ".join(missing),
            f=", ".join(columns[:12]) or "-",
        )
    return columns


def _read_csv_row(row: dict[str, str], builder: SnapshotBuilder) -> None:
    at = _csv_time(row, builder)
    if at is None:
        builder.summary.reject(NO_TIME)
        return
    code, sub = _int(row.get("Type")), _int(row.get("SubType"))
    kind = kind_of_code(code, sub)
    # Only plain text and quote replies carry readable text; the rest is XML or a file path.
    readable = code == 1 or (code == 49 and sub == 57) or kind == "system"
    text = row.get("StrContent", "") if readable else ""
    sender = row.get("Sender", "").strip() or ("self" if row.get("IsSender") == "1" else "")
    name = (row.get("Remark") or row.get("NickName") or "").strip() or None
    _read_one(at, kind, text, sender, name, builder)


def _csv_time(row: dict[str, str], builder: SnapshotBuilder) -> float | None:
    stamp = epoch_of_stamp(row.get("CreateTime"))
    if stamp is not None:
        return stamp
    try:
        return epoch_of_naive(row.get("StrTime", ""), builder.options.tz)
    except ValueError:
        return None


def _int(value: Any) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return -1


def _read_one(
    at: float, kind: str, text: str, sender: str, name: str | None, builder: SnapshotBuilder
) -> None:
    if kind == "system":
        text = clean_system(text)
        day = builder.service(at, text, sender or None)
        if day is not None:
            _apply_system(text, day, at, builder)
        return
    if not sender:
        builder.summary.reject(NO_SENDER)
        return
    builder.message(at, sender, name, kind, text if kind in TEXT_KINDS else "")


def _apply_system(text: str, day: int, at: float, builder: SnapshotBuilder) -> None:
    event = parse_system(text)
    if event is None:
        return
    kind, names = event
    for name in names:
        if kind == "join":
            builder.join(day, at, builder.resolve(name), name)
        else:
            builder.leave(day, at, builder.resolve(name), name)


# What the importer reads of a WeFlow/EchoTrace export.
SESSION = Shape(
    {
        "session": {
            "type": "object",
            "properties": {key: TEXT_OR_NULL for key in ("wxid", "remark", "displayName", "nickname")},
        }
    }
)
JSON_MESSAGE = Shape(
    {
        "createTime": STAMP,
        "formattedTime": TEXT_OR_NULL,
        "type": {"type": ["string", "integer", "null"]},
        "senderUsername": TEXT_OR_NULL,
        "senderDisplayName": TEXT_OR_NULL,
    }
)


def read_wechat_json(paths: list[Path], builder: SnapshotBuilder, meter: ByteMeter) -> None:
    for path in paths:
        header, stop = scan_header(path, {"messages"}, EXPECTED_JSON)
        session = header.get("session")
        if stop != "messages" or not isinstance(session, dict):
            raise fail(
                str(path),
                "没有 'session' 和 'messages'；不是 WeFlow/EchoTrace 导出的 JSON",
                "no 'session' and 'messages': not a WeFlow/EchoTrace WeChat export",
            )
        SESSION.check(str(path), [], header, EXPECTED_JSON)
        builder.summary.encodings.append("UTF-8")
        builder.group_id = builder.group_id or session.get("wxid")
        builder.group_name = builder.group_name or _session_name(session)
        for message in iter_items(path, ["messages"], meter, EXPECTED_JSON, JSON_MESSAGE):
            _read_json_message(message, builder)


def _session_name(session: dict[str, Any]) -> str | None:
    for key in ("remark", "displayName", "nickname", "wxid"):
        if session.get(key):
            return str(session[key])
    return None


def _read_json_message(message: dict[str, Any], builder: SnapshotBuilder) -> None:
    at = _json_time(message, builder)
    if at is None:
        builder.summary.reject(NO_TIME)
        return
    kind = TYPE_LABELS.get(str(message.get("type")), "other")
    sender = str(message.get("senderUsername") or "")
    if message.get("isSend") is None and not sender:
        kind = "system"
    text = message.get("content")
    name = message.get("senderDisplayName") or None
    _read_one(at, kind, text if isinstance(text, str) else "", sender, name, builder)


def _json_time(message: dict[str, Any], builder: SnapshotBuilder) -> float | None:
    stamp = epoch_of_stamp(message.get("createTime"))
    if stamp is not None:
        return stamp
    try:
        return epoch_of_naive(str(message.get("formattedTime", "")), builder.options.tz)
    except ValueError:
        return None
