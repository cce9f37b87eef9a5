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
@click.option(
    "--plugins",
    is_flag=True,
    help=_h(
        "加载已安装的运算符插件（playbook.operators 入口；也可设 PLAYBOOK_PLUGINS=1）",
        "load installed operator plugins (the playbook.operators entry point; or PLAYBOOK_PLUGINS=1)",
    ),
)
@lang_option
@click.pass_context
def main(ctx: click.Context, traceback: bool, plugins: bool) -> None:
    """playbook — 用手册审计社群 · audit chat communities against playbooks.

    \b
    playbook audit examples/wechat-groupbuy-ads.yaml
    playbook validate my-playbook.yaml group.yaml
    playbook schema snapshot
    """
    ctx.ensure_object(dict)
    ctx.obj["traceback"] = traceback
    from playbook.plugins import load_plugins, plugins_wanted

    if plugins_wanted(plugins):
        load_plugins()


def _write_or_print(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from playbook.outputs import write_text_atomic

    write_text_atomic(output, text)


def _use_color(output: str | None) -> bool:
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


@main.command()
@click.argument("snapshots", nargs=-1, required=True)
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
    "formats",
    multiple=True,
    metavar="FORMAT[:FILE]",
    help=_h(
        "输出格式，可多次；加 :文件 写入文件，例如 -f table -f sarif:out.sarif（格式: "
        "table, json, html, sarif, junit, github, markdown）",
        "output format, repeatable; add :FILE to write a file, e.g. -f table -f sarif:out.sarif "
        "(table, json, html, sarif, junit, github, markdown)",
    ),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help=_h(
        "没写 :文件 的那个格式写入此文件（完整写入或不写）",
        "file for the one format given without :FILE (written whole or not at all)",
    ),
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
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help=_h(
        "与之前的 JSON 报告对比：修复/变差/新增，分数变化",
        "compare with an earlier JSON report: fixed / regressed / new rules, score deltas",
    ),
)
@click.option(
    "--fail-on-regression",
    is_flag=True,
    help=_h("与基线相比有规则变差时退出码为 1", "exit 1 when a rule is worse than in the baseline"),
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help=_h("并行进程数（0 = CPU 核数）", "parallel processes (0 = one per CPU)"),
)
@click.option("--no-waivers", is_flag=True, help=_h("忽略所有豁免", "ignore all waivers"))
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help=_h(
        "按这一天判断豁免是否过期（默认今天；用于可复现的报告）",
        "judge waiver expiry on this day (default: today; for reproducible reports)",
    ),
)
@click.option(
    "--show-members", is_flag=True, help=_h("报告中显示成员名字和 id", "show member names and ids in reports")
)
@click.option(
    "--details",
    is_flag=True,
    help=_h(
        "多个快照时，在汇总表后显示每个群的详情", "with several snapshots, show each report after the summary"
    ),
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help=_h("显示全部清单项（含 --details）", "show every checklist item (implies --details)"),
)
@lang_option
@click.pass_context
def audit(
    ctx: click.Context,
    snapshots: Sequence[str],
    playbooks: Sequence[str],
    formats: Sequence[str],
    output: str | None,
    fail_under: float | None,
    fail_on: str | None,
    baseline: str | None,
    fail_on_regression: bool,
    jobs: int,
    no_waivers: bool,
    today: Any,
    show_members: bool,
    details: bool,
    verbose: bool,
) -> None:
    """审计群快照（文件、文件夹或通配符），给出评分和下一步清单 · Audit group snapshots (files, folders, globs)."""
    from playbook.audit import audit_inputs
    from playbook.gates import Gates, check_gates
    from playbook.inputs import expand_inputs
    from playbook.report import Options
    from playbook.reporters import RenderContext, parse_output_specs

    lang = _lang(ctx)
    specs = parse_output_specs(formats, output)
    if fail_on_regression and baseline is None:
        raise PlaybookError.at(
            "--fail-on-regression", Text("需要同时给出 --baseline", "needs --baseline REPORT.json")
        )
    options = Options(
        lang=lang,
        use_waivers=not no_waivers,
        show_members=show_members,
        today=today.date() if today else None,
    )
    run = audit_inputs(expand_inputs(snapshots), playbooks, options, jobs=jobs or os.cpu_count() or 1)
    for path in run.skipped:
        click.echo(
            Text(
                f"{path}: 跳过（这是手册，请用 -p 指定）", f"{path}: skipped (a playbook; pass it with -p)"
            ).render(lang),
            err=True,
        )
    reports = [audited.report for audited in run.audited]
    if baseline is not None:
        from playbook.baseline import attach_baseline, load_baseline

        attach_baseline(reports, load_baseline(baseline), baseline)
    gates = Gates(fail_under, fail_on, fail_on_regression)
    failures = [f for a in run.audited for f in check_gates(a.report, gates, a.assertions, a.assert_source)]
    terminal = any(spec.path is None for spec in specs)
    context = RenderContext(
        lang=lang, color=terminal and _use_color(None), verbose=verbose, details=details or verbose
    )
    _emit(specs, reports, context)
    for failure in failures:
        click.echo(failure.render(lang), err=True)
    ctx.exit(EXIT_GATE if failures else EXIT_OK)


def _emit(specs: Sequence[Any], reports: Sequence[dict[str, Any]], context: Any) -> None:
    """Render every format first, then write: a format that fails to render leaves no file."""
    from dataclasses import replace

    from playbook.reporters import get_reporter

    rendered = []
    for spec in specs:
        spec_context = context if spec.path is None else replace(context, color=False)
        rendered.append((spec, get_reporter(spec.fmt)(reports, spec_context)))
    for spec, text in rendered:
        _write_or_print(text, spec.path)


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
            bad += len(exc.problems)
            click.echo(exc.render(lang), err=True)
    if bad:
        click.echo(Text(f"共 {bad} 个问题", f"{bad} problem{'s' if bad > 1 else ''}").render(lang), err=True)
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



# ── authoring: rules, explain, test, init ─────────────────────────────────────


def _authoring_playbook_option(func: Callable) -> Callable:
    return click.option(
        "-p",
        "--playbook",
        "playbooks",
        multiple=True,
        help=_h(
            "手册文件或 builtin:名称（可多次，后者优先；默认 builtin:default）",
            "playbook file or builtin:NAME (repeatable; later wins; default builtin:default)",
        ),
    )(func)


@main.command()
@_authoring_playbook_option
@click.option("--section", help=_h("只列出这个章节", "only this section"))
@click.option(
    "-f",
    "--format",
    "fmt",
    default="table",
    type=click.Choice(["table", "json", "markdown"]),
    help=_h("输出格式", "output format"),
)
@click.option(
    "--resolved",
    is_flag=True,
    help=_h("显示合并后的最终取值及其出处（文件:行:列）", "show final merged values and where each came from"),
)
@click.option("--operators", is_flag=True, help=_h("列出全部运算符", "list the operators"))
@click.option("--metrics", is_flag=True, help=_h("列出全部指标及定义", "list the metrics with definitions"))
@lang_option
@click.pass_context
def rules(
    ctx: click.Context,
    playbooks: Sequence[str],
    section: str | None,
    fmt: str,
    resolved: bool,
    operators: bool,
    metrics: bool,
) -> None:
    """列出手册的规则、运算符或指标 · List a playbook's rules, the operators or the metrics."""
    from playbook import listing

    lang = _lang(ctx)
    if operators:
        text = listing.render_rows(listing.operator_rows(lang), listing.headers(lang, listing.OPERATOR_HEADERS), fmt)
    elif metrics:
        text = listing.render_metrics(fmt, lang)
    else:
        playbook, merged = listing.load_merged(playbooks or ["builtin:default"])
        if resolved:
            rows = listing.resolved_rules(merged, section)
            flat = rows if fmt == "json" else listing.flatten_resolved(rows)
            text = listing.render_rows(flat, listing.headers(lang, listing.RESOLVED_HEADERS), fmt)
        else:
            rows = listing.rule_rows(playbook, section, lang)
            text = listing.render_rows(rows, listing.headers(lang, listing.RULE_HEADERS), fmt)
    click.echo(text, nl=False)
    ctx.exit(EXIT_OK)


@main.command()
@click.argument("rule_id", metavar="RULE_ID")
@click.argument("snapshot", required=False, type=click.Path())
@_authoring_playbook_option
@lang_option
@click.pass_context
def explain(ctx: click.Context, rule_id: str, snapshot: str | None, playbooks: Sequence[str]) -> None:
    """解释一条规则；给出快照时显示评估过程 · Explain a rule; with a snapshot, how it was judged."""
    from playbook.audit import playbook_for
    from playbook.explain import explain_rule, find_rule
    from playbook.snapshots import load_snapshot

    data = load_snapshot(snapshot).data if snapshot else None
    platform = str(data.get("platform")) if data else "default"
    playbook = playbook_for(platform, playbooks)
    click.echo(explain_rule(find_rule(playbook, rule_id), _lang(ctx), data, playbook), nl=False)
    ctx.exit(EXIT_OK)


@main.command("test")
@click.argument("playbooks", metavar="PLAYBOOK...", nargs=-1, required=True, type=click.Path())
@click.option(
    "--tests",
    "tests_path",
    type=click.Path(),
    help=_h("测试文件或文件夹（默认: 手册旁的 tests/）", "test file or folder (default: tests/ beside the playbook)"),
)
@lang_option
@click.pass_context
def test_(ctx: click.Context, playbooks: Sequence[str], tests_path: str | None) -> None:
    """运行规则示例和测试文件 · Run rule examples and test files (see docs/authoring.md)."""
    import time

    from playbook.testing import render_results, run_tests

    lang, started = _lang(ctx), time.perf_counter()
    cases = [case for path in playbooks for case in run_tests(path, tests_path, lang)]
    click.echo(render_results(cases, time.perf_counter() - started, lang), nl=False)
    ctx.exit(EXIT_GATE if any(not case.ok for case in cases) else EXIT_OK)


@main.command()
@click.option(
    "--platform",
    default="wechat",
    show_default=True,
    type=click.Choice(["qq", "wechat", "wecom", "telegram", "discord", "other"]),
    help=_h("群所在的平台", "the group's platform"),
)
@click.option(
    "--dir", "directory", default=".", type=click.Path(file_okay=False), help=_h("写入的文件夹", "folder to write to")
)
@click.option("--force", is_flag=True, help=_h("覆盖已有文件", "overwrite existing files"))
@lang_option
@click.pass_context
def init(ctx: click.Context, platform: str, directory: str, force: bool) -> None:
    """生成带注释的 group.yaml 和自定义手册 · Write a commented group.yaml and a starter playbook."""
    from playbook.scaffold import default_now, write_templates

    lang = _lang(ctx)
    for path in write_templates(directory, platform, lang, force, default_now()):
        click.echo(Text(f"已写入 {path}", f"wrote {path}").render(lang))
    ctx.exit(EXIT_OK)


__all__ = ["EXIT_INPUT", "main"]
