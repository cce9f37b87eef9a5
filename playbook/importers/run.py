"""One import from start to end: options checked, files read, snapshot assembled, roster merged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text
from playbook.importers.builder import SnapshotBuilder
from playbook.importers.common import DEFAULT_TZ, ImportOptions, Summary, load_zone, parse_captured_at
from playbook.importers.progress import ByteMeter, ProgressCallback
from playbook.importers.roster import merge_roster
from playbook.importers.settings import check_merged, merge_settings, read_settings
from playbook.importers.snapshot import assemble_snapshot
from playbook.io.documents import too_large
from playbook.io.limits import limit
from playbook.io.outputs import atomic_output, write_stdout

if TYPE_CHECKING:
    from playbook.importers import Importer


def import_export(
    name: str,
    importer: Importer,
    paths: list[Path],
    *,
    chat: str | None,
    roster: Path | str | None,
    tz: str | None,
    captured_at: str | None,
    include_messages: bool,
    progress: ProgressCallback | None,
    settings: Path | str | None = None,
) -> tuple[dict[str, Any], Summary]:
    hand = (
        read_settings(str(settings)) if settings is not None else None
    )  # a bad file stops before the long read
    zone = load_zone(tz or _settings_zone(hand) or DEFAULT_TZ)
    moment = parse_captured_at(captured_at, zone) if captured_at else None
    options = ImportOptions(zone, chat, moment, include_messages)
    files = _expand(paths)
    summary = Summary(name, files)
    builder = SnapshotBuilder(importer.platform, options, summary)
    meter = ByteMeter(files, progress)
    importer.load()(files, builder, meter)
    meter.finish()
    snapshot = assemble_snapshot(builder, str(files[0]))
    if roster is not None:
        if Path(roster).is_file():
            check_size(Path(roster))
        merge_roster(snapshot, Path(roster), options, summary)
    if hand is not None:
        snapshot = merge_settings(snapshot, hand, summary)
        check_merged(snapshot, hand)
    return snapshot, summary


def _settings_zone(hand: Any) -> str | None:
    """The settings file's `timezone`, the group's own zone, when `--tz` is not given."""
    zone = hand.data.get("timezone") if hand is not None else None
    return zone if isinstance(zone, str) else None


def _expand(paths: list[Path]) -> list[Path]:
    """Folders stand for the JSON files inside them (DiscordChatExporter writes one per channel)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.json") if p.is_file())
        elif path.is_file():
            files.append(path)
        elif path.exists():  # an export is read twice (its header, then its messages): a file
            raise PlaybookError.at(
                str(path),
                Text(
                    "这不是普通文件（是管道或设备）；请先把导出保存成文件",
                    "not a regular file (a pipe or a device): save the export to a file first",
                ),
            )
        else:
            raise PlaybookError.at(str(path), Text("文件不存在", "no such file"))
    if not files:
        raise PlaybookError.at(
            ", ".join(map(str, paths)) or "EXPORT", Text("没有可导入的文件", "no files to import")
        )
    for file in files:
        check_size(file)
    return files


YAML_SUFFIXES = (".yaml", ".yml")


def check_size(path: Path) -> None:
    """PLAYBOOK_MAX_FILE_MB holds for every export and roster, whatever its format: a 4 GB
    text export would otherwise be read until memory ran out."""
    most = int(limit("max_file_mb") * 1024 * 1024)
    size = path.stat().st_size
    if size > most:
        raise too_large(str(path), size, most)


def write_snapshot(snapshot: dict[str, Any], output: str | None) -> None:
    """The snapshot as JSON, or YAML when `output` ends in .yaml/.yml, to `output` whole or not
    at all, or as JSON to stdout when None."""
    if output is not None and output.lower().endswith(YAML_SUFFIXES):
        _write_yaml(snapshot, output)
        return
    if output is None:
        write_stdout(json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n")
        return
    with atomic_output(output) as handle:
        json.dump(snapshot, handle, ensure_ascii=False, indent=1)  # streams: no giant string
        handle.write("\n")


def _write_yaml(snapshot: dict[str, Any], output: str) -> None:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: ~10x faster on a large roster
    with atomic_output(output) as handle:
        yaml.dump(snapshot, handle, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
