"""Commands about files: `validate`, `schema` and `import`."""

from __future__ import annotations

from collections.abc import Sequence

import click

from playbook.cli.base import _h, lang_of, lang_option, main, output_option, write_or_print
from playbook.errors import EXIT_GATE, EXIT_OK, PlaybookError
from playbook.i18n import Text
from playbook.importers import IMPORTERS

SCHEMAS = ("snapshot", "playbook", "report", "tests")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@lang_option
@click.pass_context
def validate(ctx: click.Context, files: Sequence[str]) -> None:
    """检查手册和群快照文件是否有效 · Check playbooks and snapshots (told apart by content)."""
    from playbook.audit import validate_file

    lang, bad = lang_of(ctx), 0
    for path in files:
        try:
            kind = validate_file(path)
            what = Text("手册", "playbook") if kind == "playbook" else Text("群快照", "snapshot")
            click.echo(Text(f"{path}: 通过（{what.zh}）", f"{path}: ok ({what.en})").render(lang))
        except PlaybookError as exc:
            bad += len(exc.problems)
            click.echo(exc.render(lang), err=True)
    if bad:
        click.echo(Text(f"共 {bad} 个问题", f"{bad} problem{'s' if bad > 1 else ''}").render(lang), err=True)
    ctx.exit(EXIT_GATE if bad else EXIT_OK)


@main.command()
@click.argument("name", type=click.Choice(SCHEMAS))
@output_option(
    "写入文件，例如放在群文件旁边的 schemas/snapshot.schema.json（编辑器的 $schema 注释用相对路径指向它）",
    "write to a file, e.g. schemas/snapshot.schema.json beside the group files (for an editor's $schema modeline)",
)
@lang_option  # the schema is bilingual; --lang is taken like every command's, for its errors
def schema(name: str, output: str | None) -> None:
    """打印 JSON Schema（可用于编辑器补全）· Print a JSON Schema (for editors)."""
    from playbook.resources import schema_path

    write_or_print(schema_path(name).read_text(encoding="utf-8"), output)


@main.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(IMPORTERS)))
@click.argument("exports", metavar="EXPORT...", nargs=-1, required=True, type=click.Path())
@output_option(
    "写入快照文件（完整写入或不写；默认输出到屏幕）",
    "snapshot file to write (whole or not at all; default: stdout)",
)
@click.option(
    "--roster",
    type=click.Path(dir_okay=False),
    help=_h("成员名单 CSV: id,name,role,joined_at", "member roster CSV: id,name,role,joined_at"),
)
@click.option(
    "--settings",
    type=click.Path(dir_okay=False),
    help=_h(
        "手写的群设置（群名、介绍、群规、标签、目标、人数…），与导出合并：设置以它为准，成员和活跃数据以导出为准",
        "hand-kept group settings (name, intro, rules, tags, goals, member count…) merged with the export: "
        "settings from this file, members and activity from the export",
    ),
)
@click.option(
    "--tz",
    default=None,
    help=_h("无时区的时间按此时区解读（默认: --settings 文件的 timezone，否则 Asia/Shanghai）",
            "time zone for times without an offset (default: the --settings file's timezone, else Asia/Shanghai)"),
)
@click.option(
    "--chat",
    help=_h("文件里有多个聊天时选哪个（名称或 ID）", "which chat, when the file holds several"),
)
@click.option(
    "--captured-at",
    help=_h("快照时间（默认最后一条消息的时间）", "snapshot time (default: the last message)"),
)
@click.option(
    "--messages",
    "include_messages",
    is_flag=True,
    help=_h("同时写入每条原始消息（文件会很大）", "also write every raw message (large file)"),
)
@lang_option
@click.pass_context
def import_(
    ctx: click.Context,
    fmt: str,
    exports: Sequence[str],
    output: str | None,
    roster: str | None,
    settings: str | None,
    tz: str | None,
    chat: str | None,
    captured_at: str | None,
    include_messages: bool,
) -> None:
    """把聊天导出转换成群快照 · Turn a chat export into a snapshot (see docs/importing.md)."""
    from playbook.importers import byte_progress, run_import
    from playbook.importers.run import write_snapshot

    lang = lang_of(ctx)
    progress = byte_progress(Text("导入中", "importing").render(lang))
    try:
        snapshot, summary = run_import(
            fmt,
            list(exports),
            chat=chat,
            roster=roster,
            tz=tz,
            captured_at=captured_at,
            include_messages=include_messages,
            progress=progress,
            settings=settings,
        )
    finally:
        if progress is not None:  # Ctrl-C or a broken export: what follows starts on its own line
            progress.close()
    write_snapshot(snapshot, output)
    click.echo(summary.render(lang), err=True)
    if output is not None:  # written to a file: say what the export cannot know, and what to run
        import shlex  # only here: every command module is imported at start-up

        command = f"playbook audit {shlex.quote(output)}"
        click.echo(next_step(snapshot, output, settings, command).render(lang), err=True)
    ctx.exit(EXIT_OK)


def next_step(snapshot: dict, output: str, settings: str | None, command: str) -> Text:
    """What to run next, and which settings are still missing (the export holds none)."""
    group = snapshot.get("group") or {}
    missing = [label for key, label in (("intro", "group.intro"), ("rules", "group.rules"), ("tags", "group.tags"))
               if key not in group]
    if "count" not in (snapshot.get("members") or {}):
        missing.append("members.count")
    if settings is not None and not missing:
        return Text(f"下一步: 运行\n  {command}", f"next: run\n  {command}")
    where = settings or "group.yaml"
    listed = ", ".join(missing)
    return Text(
        f"下一步: 聊天导出里没有群设置（还缺 {listed}）。把它们写在手写的 {where} 里，用 --settings {where} "
        f"重新导入（以后每月都这样导入，手写的部分不会丢），然后运行\n  {command}",
        f"next: a chat export holds no group settings (missing: {listed}). Keep them by hand in {where} "
        f"and import again with --settings {where} (do so every month: the hand-written part is kept), then run\n  {command}",
    )
