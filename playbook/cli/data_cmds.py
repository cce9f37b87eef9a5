"""Commands about files: `validate`, `schema`, `import` and `fetch`."""

from __future__ import annotations

from collections.abc import Sequence

import click

from playbook.cli.base import (
    RegistryChoice,
    _h,
    allow_path_option,
    check_format_option,
    echo,
    lang_of,
    lang_option,
    main,
    output_option,
    write_or_print,
)
from playbook.connectors import CONNECTORS
from playbook.core.errors import EXIT_GATE, EXIT_OK, PlaybookError
from playbook.core.i18n import Text
from playbook.importers import IMPORTERS
from playbook.io.escape import for_terminal

SCHEMAS = ("snapshot", "playbook", "report", "tests", "config")


@main.command()
@click.argument("files", nargs=-1, metavar="FILES...")
@allow_path_option
@check_format_option()
@output_option()
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help=_h("安静: 不显示通过的文件", "quiet: do not list the files that passed"),
)
@lang_option
@click.pass_context
def validate(ctx: click.Context, files: Sequence[str], fmt: str, output: str | None, quiet: bool) -> None:
    """检查手册和群快照文件（文件、文件夹或通配符）· Check playbooks and snapshots (files, folders, globs).

    不给文件时检查设置文件里的 paths 和 playbooks · Without files: the paths and playbooks of the settings file.
    """
    from playbook.cli.settings import configured_files
    from playbook.io.inputs import expand_inputs
    from playbook.present.reporters.checks import Check, Finding, render_checks
    from playbook.runner.audit import validate_file

    lang, checks, passed = lang_of(ctx), [], []
    files = files or configured_files(ctx, "files", ("paths", "playbooks"))
    for item in expand_inputs(files):
        try:
            kind = validate_file(item.path)
            checks.append(Check(item.path, "validate", kind))
            if fmt == "table" and not quiet:
                what = Text("手册", "playbook") if kind == "playbook" else Text("群快照", "snapshot")
                line = Text(f"{item.path}: 通过（{what.zh}）", f"{item.path}: ok ({what.en})").render(lang)
                if output:
                    passed.append(for_terminal(line))
                else:
                    echo(line)
        except PlaybookError as exc:
            findings = tuple(
                Finding(p.where, p.what.render(lang), p.hint.render(lang) if p.hint else None)
                for p in exc.problems
            )
            checks.append(Check(item.path, "validate", "file", findings))
            if fmt == "table":  # a finding is a result: on stdout, beside the files that passed
                echo(exc.render(lang))
    if fmt != "table":
        write_or_print(render_checks(fmt, "validate", checks, lang), output)
    elif output:
        write_or_print("".join(line + "\n" for line in passed), output)
    bad = sum(len(check.findings) for check in checks)
    if bad:
        total = Text(f"共 {bad} 个问题", f"{bad} problem{'s' if bad > 1 else ''}").render(lang)
        click.echo(total, err=fmt != "table")  # the table's last line; beside a machine format, a note
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
    from playbook.core.resources import schema_path

    write_or_print(schema_path(name).read_text(encoding="utf-8"), output)


@main.command("import")
@click.argument("fmt", metavar="FORMAT", type=RegistryChoice(IMPORTERS))
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
    help=_h(
        "无时区的时间按此时区解读（默认: --settings 文件的 timezone，否则 Asia/Shanghai）",
        "time zone for times without an offset (default: the --settings file's timezone, else Asia/Shanghai)",
    ),
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
@click.option("--force", is_flag=True, help=_h("覆盖已有的快照文件", "replace an existing snapshot file"))
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
    force: bool,
) -> None:
    """把聊天导出转换成群快照 · Turn a chat export into a snapshot (see docs/importing.md)."""
    from playbook.importers import byte_progress, run_import
    from playbook.importers.run import write_snapshot
    from playbook.io.outputs import refuse_overwriting_inputs, refuse_replacing

    refuse_overwriting_inputs([output], [*exports, roster])
    refuse_replacing(output, force)
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
    echo(summary.render(lang), err=True)
    if output is not None:  # written to a file: say what the export cannot know, and what to run
        import shlex  # only here: every command module is imported at start-up

        command = f"playbook audit {shlex.quote(output)}"
        echo(next_step(snapshot, output, settings, command).render(lang), err=True)
    ctx.exit(EXIT_OK)


def next_step(snapshot: dict, output: str, settings: str | None, command: str) -> Text:
    """What to run next, and which settings are still missing (the export holds none)."""
    group = snapshot.get("group") or {}
    missing = [
        label
        for key, label in (("intro", "group.intro"), ("rules", "group.rules"), ("tags", "group.tags"))
        if key not in group
    ]
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


# Telegram chat ids are negative (-1001234567890): without this click reads one as an option.
@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("platform", metavar="PLATFORM", type=RegistryChoice(CONNECTORS))
@click.argument("group_id", metavar="GROUP_ID", required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help=_h(  # a folder with --all
        "写入快照文件（--all 时为文件夹；完整写入或不写；默认输出到屏幕）",
        "snapshot file to write (a folder with --all; whole or not at all; default: stdout)",
    ),
)
@click.option(
    "--settings",
    type=click.Path(dir_okay=False),
    help=_h(
        "手工维护的群设置（YAML/JSON，快照的一部分）；API 没有的值取自这里",
        "hand-kept group settings (YAML/JSON, part of a snapshot); used where the API is silent",
    ),
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False),
    help=_h(
        "从文件读令牌/secret（默认读环境变量，见 docs/fetching.md）",
        "read the token/secret from this file (default: the environment, see docs/fetching.md)",
    ),
)
@click.option(
    "--api-base",
    metavar="URL",
    help=_h(
        "API 地址（镜像或测试服务器；默认平台官方地址）",
        "API address (a mirror or a test server; default: the platform's own)",
    ),
)
@click.option(
    "--tz",
    default="Asia/Shanghai",
    show_default=True,
    metavar="ZONE",
    help=_h("按此时区划分每天的活跃数据", "time zone for daily activity"),
)
@click.option("--captured-at", metavar="ISO", help=_h("快照时间（默认现在）", "snapshot time (default: now)"))
@click.option(
    "--since",
    metavar="DATE",
    help=_h(
        "只读此时间之后的消息或统计（日期或 ISO 时间）",
        "read messages or statistics from this time on (a date or an ISO time)",
    ),
)
@click.option(
    "--max-messages",
    type=click.IntRange(1, 1_000_000),
    default=1000,
    show_default=True,
    metavar="N",
    help=_h("每个频道最多读多少条消息", "most messages read per channel"),
)
@click.option(
    "--channel",
    "channels",
    multiple=True,
    metavar="ID",
    help=_h(
        "[discord] 读取此频道的近期消息（可多次）",
        "[discord] read this channel's recent messages (repeatable)",
    ),
)
@click.option(
    "--members",
    is_flag=True,
    help=_h(
        "[discord] 读取完整成员名单（需要 GUILD_MEMBERS 意图）",
        "[discord] read the whole member list (needs the GUILD_MEMBERS intent)",
    ),
)
@click.option(
    "--collect",
    type=click.IntRange(0, 86400),
    default=0,
    metavar="SECONDS",
    help=_h(
        "[telegram] 用 getUpdates 收集多少秒的新消息",
        "[telegram] collect new messages with getUpdates for this long",
    ),
)
@click.option(
    "--export",
    type=click.Path(dir_okay=False),
    help=_h(
        "[telegram] 合并一份 Telegram Desktop 导出的聊天记录（活跃数据）",
        "[telegram] merge a Telegram Desktop chat export (activity)",
    ),
)
@click.option(
    "--all",
    "all_groups",
    is_flag=True,
    help=_h(
        "[wecom] 抓取企业的全部客户群到 -o 文件夹",
        "[wecom] fetch all of the corp's customer groups into the -o folder",
    ),
)
@click.option(
    "--corp-id",
    metavar="ID",
    help=_h(
        "[wecom] 企业 ID（默认读 PLAYBOOK_WECOM_CORP_ID）",
        "[wecom] corp id (default: PLAYBOOK_WECOM_CORP_ID)",
    ),
)
@lang_option
@click.pass_context
def fetch(
    ctx: click.Context,
    platform: str,
    group_id: str | None,
    output: str | None,
    settings: str | None,
    **options: object,
) -> None:
    """从平台 API 抓取群设置与活跃数据 · Fetch a group's settings and activity from its platform's API (see docs/fetching.md)."""
    from playbook.connectors.command import run_fetch_command

    ctx.exit(run_fetch_command(platform, group_id, output, settings, options, lang_of(ctx)))
