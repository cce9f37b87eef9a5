"""The command line: one short function per command; wiring and exit codes only.

Heavy modules are imported inside the commands that need them, so `playbook --help` and a
one-file audit start fast. Every `PlaybookError` becomes a located message and exit code 2;
nothing a user does shows a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from playbook import __version__
from playbook.errors import EXIT_GATE, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, PlaybookError
from playbook.i18n import Text, default_language
from playbook.importers import IMPORTERS

LANG = default_language()
SEVERITIES = ("critical", "high", "medium", "low", "info")
SCHEMAS = ("snapshot", "playbook", "report")


def _h(zh: str, en: str) -> str:
    """Help text in the user's language (chosen from the environment at start)."""
    return zh if LANG == "zh" else en


class PlaybookGroup(click.Group):
    """Owns the exit codes: user errors → 2, Ctrl-C → 130, bugs → 3 with one line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlaybookError as exc:
            click.echo(exc.render(_lang(ctx)), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(Text("已中断", "interrupted").render(_lang(ctx)), err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if (ctx.obj or {}).get("traceback"):
                raise
            message = Text(
                f"内部错误: {exc!r}（加 --traceback 查看详情）",
                f"internal error: {exc!r} (run with --traceback for details)",
            )
            click.echo(message.render(_lang(ctx)), err=True)
            ctx.exit(EXIT_INTERNAL)


def _lang(ctx: click.Context) -> str:
    return str((ctx.find_root().obj or {}).get("lang") or default_language())


def _set_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    ctx.ensure_object(dict)
    root = ctx.find_root()
    root.ensure_object(dict)
    if value:
        root.obj["lang"] = value
    return value or root.obj.get("lang") or default_language()


def lang_option(func: Callable) -> Callable:
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_set_lang,
        help=_h(
            "输出语言（默认读 PLAYBOOK_LANG，然后 LANG）",
            "output language (default: PLAYBOOK_LANG, then LANG)",
        ),
    )(func)


@click.group(cls=PlaybookGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="playbook")
@click.option(
    "--traceback",
    is_flag=True,
    help=_h("内部错误时显示完整调用栈", "show the full traceback on internal errors"),
)
@lang_option
@click.pass_context
def main(ctx: click.Context, traceback: bool) -> None:
    """playbook — 用手册审计社群 · audit chat communities against playbooks.

    \b
    playbook audit examples/qq-interest-group.json
    playbook validate my-playbook.yaml group.yaml
    playbook schema snapshot
    """
    ctx.ensure_object(dict)
    ctx.obj["traceback"] = traceback


def _write_or_print(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from playbook.outputs import write_text_atomic

    write_text_atomic(output, text)


def _use_color(output: str | None) -> bool:
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


@main.command()
@click.argument("snapshots", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option(
    "-p",
    "--playbook",
    "playbooks",
    multiple=True,
    help=_h(
        "手册文件或 builtin:名称（可多次，后者优先）",
        "playbook file or builtin:NAME (repeatable; later wins)",
    ),
)
@click.option(
    "-f",
    "--format",
    "fmt",
    default="table",
    type=click.Choice(["table", "json", "html"]),
    help=_h("输出格式", "output format"),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help=_h("写入文件（完整写入或不写）", "write to a file (whole or not at all)"),
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    help=_h("总分低于此值时退出码为 1", "exit 1 when the overall score is below this"),
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help=_h("有此级别或更高的规则未通过时退出码为 1", "exit 1 when a rule of this severity or higher fails"),
)
@click.option("--no-waivers", is_flag=True, help=_h("忽略所有豁免", "ignore all waivers"))
@click.option(
    "--show-members", is_flag=True, help=_h("报告中显示成员名字和 id", "show member names and ids in reports")
)
@click.option("-v", "--verbose", is_flag=True, help=_h("显示全部清单项", "show every checklist item"))
@lang_option
@click.pass_context
def audit(
    ctx: click.Context,
    snapshots: Sequence[str],
    playbooks: Sequence[str],
    fmt: str,
    output: str | None,
    fail_under: float | None,
    fail_on: str | None,
    no_waivers: bool,
    show_members: bool,
    verbose: bool,
) -> None:
    """审计群快照，给出评分和下一步清单 · Audit group snapshots: score and next steps."""
    from playbook.audit import audit_files, gate_failures
    from playbook.report import Options
    from playbook.reporters import RenderContext, get_reporter

    lang = _lang(ctx)
    options = Options(lang=lang, use_waivers=not no_waivers, show_members=show_members)
    reports = audit_files(snapshots, playbooks, options)
    context = RenderContext(lang=lang, color=_use_color(output), verbose=verbose)
    _write_or_print(get_reporter(fmt)(reports, context), output)
    failures = gate_failures(reports, fail_under, fail_on)
    for failure in failures:
        click.echo(failure.render(lang), err=True)
    ctx.exit(EXIT_GATE if failures else EXIT_OK)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@lang_option
@click.pass_context
def validate(ctx: click.Context, files: Sequence[str]) -> None:
    """检查手册和群快照文件是否有效 · Check playbooks and snapshots (told apart by content)."""
    from playbook.audit import validate_file

    lang, bad = _lang(ctx), 0
    for path in files:
        try:
            kind = validate_file(path)
            click.echo(f"{path}: ok ({kind})")
        except PlaybookError as exc:
            bad += 1
            click.echo(exc.render(lang), err=True)
    ctx.exit(EXIT_GATE if bad else EXIT_OK)


@main.command()
@click.argument("name", type=click.Choice(SCHEMAS))
def schema(name: str) -> None:
    """打印 JSON Schema（可用于编辑器补全）· Print a JSON Schema (for editors)."""
    from playbook.resources import schema_path

    click.echo(schema_path(name).read_text(encoding="utf-8"), nl=False)



@main.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(IMPORTERS)))
@click.argument("exports", metavar="EXPORT...", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help=_h(
        "写入快照文件（完整写入或不写；默认输出到屏幕）",
        "snapshot file to write (whole or not at all; default: stdout)",
    ),
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
    from playbook.importers import run_import, terminal_progress
    from playbook.importers.run import write_snapshot

    lang = _lang(ctx)
    progress = terminal_progress(Text("导入中", "importing").render(lang))
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
    write_snapshot(snapshot, output)
    click.echo(summary.render(lang), err=True)
    ctx.exit(EXIT_OK)


def _playbook_option(func: Callable) -> Callable:
    return click.option(
        "-p",
        "--playbook",
        "playbooks",
        multiple=True,
        help=_h(
            "审计快照用的手册文件或 builtin:名称（可多次，后者优先）",
            "playbook for auditing snapshots: file or builtin:NAME (repeatable; later wins)",
        ),
    )(func)


@main.command()
@click.argument("inputs", metavar="SNAPSHOT_OR_REPORT...", nargs=-1, required=True, type=click.Path())
@_playbook_option
@click.option(
    "-f",
    "--format",
    "fmt",
    default="table",
    type=click.Choice(["table", "html"]),
    help=_h("输出格式", "output format"),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help=_h("写入文件（完整写入或不写）", "write to a file (whole or not at all)"),
)
@lang_option
@click.pass_context
def trend(
    ctx: click.Context, inputs: Sequence[str], playbooks: Sequence[str], fmt: str, output: str | None
) -> None:
    """同一个群在不同日期的得分趋势 · One group's scores over time (snapshots or JSON reports)."""
    from playbook.report import Options
    from playbook.trend import build_trend, check_same_group, read_reports, render_trend_table

    lang = _lang(ctx)
    reports = read_reports(inputs, playbooks, Options(lang=lang))
    check_same_group(reports, inputs)
    data = build_trend(reports)
    if fmt == "html":
        from playbook.reporters.html_trend import render_trend_html

        _write_or_print(render_trend_html(data, lang), output)
    else:
        _write_or_print(render_trend_table(data, lang), output)
    ctx.exit(EXIT_OK)


@main.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@_playbook_option
@click.option(
    "-f",
    "--format",
    "fmt",
    default="table",
    type=click.Choice(["table", "json", "markdown"]),
    help=_h("输出格式", "output format"),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help=_h("写入文件（完整写入或不写）", "write to a file (whole or not at all)"),
)
@lang_option
@click.pass_context
def diff(
    ctx: click.Context, old: str, new: str, playbooks: Sequence[str], fmt: str, output: str | None
) -> None:
    """对比同一个群的两次审计（快照或报告）· Compare two audits of one group (snapshots or reports)."""
    from playbook.diff import diff_files, render_diff
    from playbook.report import Options

    lang = _lang(ctx)
    _write_or_print(render_diff(diff_files(old, new, playbooks, Options(lang=lang)), fmt, lang), output)
    ctx.exit(EXIT_OK)


__all__ = ["EXIT_INPUT", "main"]
