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
    "--tz",
    default="Asia/Shanghai",
    show_default=True,
    help=_h("无时区的时间按此时区解读", "time zone for times without an offset"),
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
    tz: str,
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
        )
    finally:
        if progress is not None:  # Ctrl-C or a broken export: what follows starts on its own line
            progress.close()
    write_snapshot(snapshot, output)
    click.echo(summary.render(lang), err=True)
    if output is not None:  # written to a file: say what the export cannot know, and what to run
        import shlex  # only here: every command module is imported at start-up

        command = f"playbook audit {shlex.quote(output)}"
        click.echo(Text(
            f"下一步: 聊天导出里没有群设置，请在 {output} 里补上群介绍 (group.intro)、群规 (group.rules)、"
            f"群人数 (members.count) 等，然后运行\n  {command}",
            f"next: a chat export holds no group settings; add the intro (group.intro), the rules "
            f"(group.rules), the member count (members.count) and so on to {output}, then run\n  {command}",
        ).render(lang), err=True)
    ctx.exit(EXIT_OK)
