"""Chat exports -> snapshots: the importer registry (also the CLI's choice list) and `run_import`.

Adding a format is one module with a `read_*(paths, builder, meter)` function plus one
`IMPORTERS.add` below (plugins: the same call from the `playbook.importers` entry point group).
Readers are "module:function" strings imported on use: the CLI imports this module at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playbook.core.i18n import Text
from playbook.core.registry import Registry, resolve

if TYPE_CHECKING:  # the readers are imported on use, so `playbook --help` stays fast
    from playbook.importers.common import Summary
    from playbook.importers.progress import ProgressCallback
    from playbook.io.progress import ProgressLine

DEFAULT_TZ = "Asia/Shanghai"


@dataclass(frozen=True)
class Importer:
    """A chat export format `playbook import` reads, and the function that reads it."""

    platform: str
    reader: str  # "package.module:function", imported on first use
    about: Text

    def load(self) -> Any:
        return resolve(self.reader)


IMPORTERS: Registry[Importer] = Registry("playbook.importers", Text("导出格式", "export format"))
for _name, _importer in {
    "telegram": Importer(
        "telegram",
        "playbook.importers.telegram:read_telegram",
        Text(
            "Telegram Desktop 导出的 JSON (单个聊天或整个账号)",
            "Telegram Desktop JSON export (one chat or the whole account)",
        ),
    ),
    "qq": Importer(
        "qq",
        "playbook.importers.qq:read_qq",
        Text(
            "QQ: 消息管理器 TXT 或 QQ NT 的 QQ Chat Exporter JSON (自动识别)",
            "QQ: message manager TXT or QQ NT's QQ Chat Exporter JSON (detected)",
        ),
    ),
    "qq-nt": Importer(
        "qq",
        "playbook.importers.qqnt:read_qq_nt",
        Text("QQ NT: QQ Chat Exporter 导出的 JSON", "QQ NT: QQ Chat Exporter JSON export"),
    ),
    "wechat": Importer(
        "wechat",
        "playbook.importers.wechat:read_wechat",
        Text(
            "微信: MemoTrace CSV 或 WeFlow/EchoTrace JSON (自动识别)",
            "WeChat: MemoTrace CSV or WeFlow/EchoTrace JSON (detected)",
        ),
    ),
    "wechat-csv": Importer(
        "wechat",
        "playbook.importers.wechat:read_wechat_csv",
        Text("微信 MemoTrace (留痕) CSV", "WeChat MemoTrace CSV"),
    ),
    "wechat-json": Importer(
        "wechat",
        "playbook.importers.wechat:read_wechat_json",
        Text("微信 WeFlow / EchoTrace JSON", "WeChat WeFlow / EchoTrace JSON"),
    ),
    "discord": Importer(
        "discord",
        "playbook.importers.discord:read_discord",
        Text(
            "DiscordChatExporter JSON (多个频道文件合并为一个服务器)",
            "DiscordChatExporter JSON (several channel files merge into one server)",
        ),
    ),
}.items():
    IMPORTERS.add(_name, _importer)

__all__ = ["IMPORTERS", "Importer", "byte_progress", "run_import"]


def run_import(
    format: str,
    paths: list[Path] | list[str],
    *,
    chat: str | None = None,
    roster: Path | str | None = None,
    tz: str | None = None,
    captured_at: str | None = None,
    include_messages: bool = False,
    progress: ProgressCallback | None = None,
    settings: Path | str | None = None,
) -> tuple[dict[str, Any], Summary]:
    """Read the export(s) and return the snapshot dict and a summary; writes nothing. With
    `settings`, the hand-kept part of the group is merged in (importers/settings.py)."""
    from playbook.importers.run import import_export

    return import_export(
        format,
        IMPORTERS[format],
        [Path(p) for p in paths],
        chat=chat,
        roster=roster,
        tz=tz,
        captured_at=captured_at,
        include_messages=include_messages,
        progress=progress,
        settings=settings,
    )


def byte_progress(label: str) -> ProgressLine | None:
    from playbook.importers.progress import byte_progress as make

    return make(label)
