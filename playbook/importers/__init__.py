"""Chat exports -> snapshots: the importer registry (also the CLI's choice list) and `run_import`.

Adding a format is one module with a `read_*(paths, builder, meter)` function plus one entry in
`IMPORTERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook.errors import PlaybookError
from playbook.i18n import Text
from playbook.importers.builder import SnapshotBuilder
from playbook.importers.common import (
    DEFAULT_TZ,
    ImportOptions,
    Summary,
    load_zone,
    parse_captured_at,
)
from playbook.importers.discord import read_discord
from playbook.importers.progress import ByteMeter, ProgressCallback, terminal_progress
from playbook.importers.qq import read_qq
from playbook.importers.roster import merge_roster
from playbook.importers.snapshot import assemble_snapshot
from playbook.importers.telegram import read_telegram
from playbook.importers.wechat import read_wechat, read_wechat_csv, read_wechat_json

Reader = Callable[[list[Path], SnapshotBuilder, ByteMeter], None]


@dataclass(frozen=True)
class Importer:
    platform: str
    read: Reader
    about: Text


IMPORTERS: dict[str, Importer] = {
    "telegram": Importer("telegram", read_telegram, Text(
        "Telegram Desktop 导出的 JSON (单个聊天或整个账号)",
        "Telegram Desktop JSON export (one chat or the whole account)")),
    "qq": Importer("qq", read_qq, Text(
        "QQ 消息管理器导出的 TXT", "QQ message manager TXT export")),
    "wechat": Importer("wechat", read_wechat, Text(
        "微信: MemoTrace CSV 或 WeFlow/EchoTrace JSON (自动识别)",
        "WeChat: MemoTrace CSV or WeFlow/EchoTrace JSON (detected)")),
    "wechat-csv": Importer("wechat", read_wechat_csv, Text(
        "微信 MemoTrace (留痕) CSV", "WeChat MemoTrace CSV")),
    "wechat-json": Importer("wechat", read_wechat_json, Text(
        "微信 WeFlow / EchoTrace JSON", "WeChat WeFlow / EchoTrace JSON")),
    "discord": Importer("discord", read_discord, Text(
        "DiscordChatExporter JSON (多个频道文件合并为一个服务器)",
        "DiscordChatExporter JSON (several channel files merge into one server)")),
}

__all__ = ["IMPORTERS", "Summary", "run_import", "terminal_progress"]


def run_import(
    format: str,
    paths: list[Path] | list[str],
    *,
    chat: str | None = None,
    roster: Path | str | None = None,
    tz: str = DEFAULT_TZ,
    captured_at: str | None = None,
    include_messages: bool = False,
    progress: ProgressCallback | None = None,
) -> tuple[dict[str, Any], Summary]:
    """Read the export(s) and return the snapshot dict and a summary; writes nothing."""
    importer = IMPORTERS[format]
    zone = load_zone(tz)
    moment = parse_captured_at(captured_at, zone) if captured_at else None
    options = ImportOptions(zone, chat, moment, include_messages)
    files = _expand([Path(p) for p in paths])
    summary = Summary(format, files)
    builder = SnapshotBuilder(importer.platform, options, summary)
    meter = ByteMeter(files, progress)
    importer.read(files, builder, meter)
    meter.finish()
    snapshot = assemble_snapshot(builder, str(files[0]))
    if roster is not None:
        merge_roster(snapshot, Path(roster), options, summary)
    return snapshot, summary


def _expand(paths: list[Path]) -> list[Path]:
    """Folders stand for the JSON files inside them (DiscordChatExporter writes one per channel)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.json") if p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise PlaybookError.at(str(path), Text("文件不存在", "no such file"))
    if not files:
        raise PlaybookError.at(", ".join(map(str, paths)) or "EXPORT",
                               Text("没有可导入的文件", "no files to import"))
    return files
