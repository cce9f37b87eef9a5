"""One fetch from start to end: the request, what was learnt, settings merged, files written.

Nothing is written until every call has succeeded and every snapshot validates: a fetch that
fails half-way names the call that failed and leaves the output as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text
from playbook.io.documents import Document
from playbook.io.outputs import atomic_output
from playbook.io.progress import ProgressLine, terminal_progress


@dataclass(frozen=True)
class FetchRequest:
    """The user's choices, checked by the CLI; platform-only fields are unset elsewhere."""

    target: str | None  # guild id, chat id or WeCom chat_id; None with --all
    api_base: str
    token_file: str | None
    tz: ZoneInfo
    captured_at: datetime
    lang: str = "en"
    since: datetime | None = None
    max_messages: int = 1000
    channels: tuple[str, ...] = ()
    members: bool = False
    collect: float = 0.0
    export: str | None = None
    all_groups: bool = False
    corp_id: str | None = None


@dataclass
class Fetched:
    """One group's snapshot; `guessed` holds values read from free text (rules in a channel),
    which a hand-kept settings file overrides."""

    name: str
    snapshot: dict[str, Any]
    guessed: dict[str, Any] = field(default_factory=dict)


@dataclass
class FetchReport:
    """What the user reads on stderr after the fetch: calls made, what came back, what not."""

    platform: str
    lines: list[Text] = field(default_factory=list)
    calls: int = 0

    def say(self, line: Text) -> None:
        self.lines.append(line)

    def render(self, lang: str) -> str:
        head = Text("抓取 {p}：{n} 次 API 调用", "fetched {p}: {n} API call(s)").format(
            p=self.platform, n=self.calls
        )
        return "\n".join(line.render(lang) for line in [head, *self.lines])

    def progress(self, zh: str, en: str, lang: str) -> ProgressLine | None:
        label = zh if lang == "zh" else en
        return terminal_progress(lambda done, total: f"{label} {done}/{total}")


def snapshot_head(platform: str, request: FetchRequest, group: dict[str, Any]) -> dict[str, Any]:
    """The keys every fetched snapshot starts with; the capture time is the fetch's."""
    return {
        "snapshot": 1,
        "captured_at": request.captured_at.isoformat(timespec="seconds"),
        "timezone": request.tz.key,
        "platform": platform,
        "group": group,
    }


def finish(fetched: Fetched, settings: dict[str, Any] | None) -> dict[str, Any]:
    """The snapshot to write: guesses under the settings file under what the API said."""
    from playbook.connectors.settings import merge_settings
    from playbook.io.snapshots import check_snapshot

    snapshot = fetched.snapshot
    if fetched.guessed:
        snapshot = merge_settings(snapshot, fetched.guessed)
    if settings is not None:
        snapshot = merge_settings(snapshot, settings)
        snapshot = _hand_written_first(snapshot, settings, fetched.guessed)
    check_snapshot(Document(f"{fetched.name}.json", snapshot, "json"))
    return snapshot


def _hand_written_first(
    snapshot: dict[str, Any], settings: dict[str, Any], guessed: dict[str, Any]
) -> dict[str, Any]:
    """Where the API only guessed (rule topics read from text), the hand-written value wins."""
    for section, values in guessed.items():
        if not isinstance(values, dict):
            continue
        written = settings.get(section)
        if not isinstance(written, dict):
            continue
        for key in values:
            if key in written:
                snapshot[section][key] = written[key]
    return snapshot


def write_one(snapshot: dict[str, Any], output: str | None) -> None:
    import sys

    text = json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    with atomic_output(output) as handle:
        handle.write(text)


def write_folder(snapshots: list[tuple[str, dict[str, Any]]], folder: str) -> None:
    """Every snapshot into `folder`, or none: they are written beside it first, then moved in."""
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise PlaybookError.at(
            folder, Text("--all 需要一个文件夹，这里是文件", "--all needs a folder; this is a file")
        )
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise PlaybookError.at(folder, Text("上级文件夹不存在", "the parent folder does not exist"))
    with _scratch(parent, target.name) as scratch:
        for name, snapshot in snapshots:
            with open(scratch / f"{name}.json", "w", encoding="utf-8") as handle:
                json.dump(snapshot, handle, ensure_ascii=False, indent=1)
                handle.write("\n")
        if not target.exists():
            os.replace(scratch, target)
            return
        for item in sorted(scratch.iterdir()):
            os.replace(item, target / item.name)


@contextlib.contextmanager
def _scratch(parent: Path, name: str) -> Iterator[Path]:
    scratch = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=parent))
    try:
        os.chmod(scratch, 0o777 & ~_umask())
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def safe_file_name(group_id: str) -> str:
    """A group id as a file name: WeCom chat ids are letters, digits, '-' and '_' already."""
    kept = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in group_id)
    return kept.strip("._") or "group"
