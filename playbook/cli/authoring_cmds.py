"""Writing playbooks: `rules`, `explain`, `test` and `init`."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from playbook.cli.base import (
    _h,
    allow_path_option,
    check_format_option,
    echo,
    format_option,
    lang_of,
    lang_option,
    main,
    output_option,
    playbook_option,
    write_or_print,
)
from playbook.core.errors import EXIT_GATE, EXIT_OK, PlaybookError
from playbook.core.i18n import Text, unknown_name
from playbook.io.escape import for_terminal


@main.command()
@playbook_option(("；默认 builtin:default", "; default builtin:default"))
@click.option("--section", help=_h("只列出这个章节", "only this section"))
@format_option(["table", "json", "markdown"])
@click.option(
    "--resolved",
    is_flag=True,
    help=_h(
        "显示合并后的最终取值及其出处（文件:行:列）", "show final merged values and where each came from"
    ),
)
@click.option("--operators", is_flag=True, help=_h("列出全部运算符", "list the operators"))
@click.option("--metrics", is_flag=True, help=_h("列出全部指标及定义", "list the metrics with definitions"))
@allow_path_option
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
    from playbook.authoring import listing
    from playbook.io.terminal import output_width
    from playbook.present import listing as draw

    lang, width = lang_of(ctx), output_width()  # a terminal: long columns wrap; a pipe: whole lines
    if operators:
        text = draw.render_rows(
            listing.operator_rows(lang),
            draw.headers(lang, draw.OPERATOR_HEADERS),
            fmt,
            width,
            wrap=("value", "doc"),
        )
    elif metrics:
        text = draw.render_metrics(fmt, lang, width)
    else:
        playbook, merged = listing.load_merged(playbooks or ["builtin:default"])
        if (
            section is not None and section not in playbook.sections
        ):  # an empty list would look like "no rules"
            what, hint = unknown_name("章节", "section", section, playbook.sections)
            listed = Text("可选: {k}", "choose one of: {k}").format(k=", ".join(playbook.sections))
            raise PlaybookError.at("--section", what, hint or listed)
        if resolved:
            rows = listing.resolved_rules(merged, section)
            flat = rows if fmt == "json" else listing.flatten_resolved(rows)
            text = draw.render_rows(
                flat, draw.headers(lang, draw.RESOLVED_HEADERS), fmt, width, from_files=True
            )
        else:
            rows = listing.rule_rows(playbook, section, lang, readable=fmt != "json")
            text = draw.render_rows(
                rows,
                draw.headers(lang, draw.RULE_HEADERS),
                fmt,
                width,
                wrap=("stages", "title"),
                drop=("effort", "stages"),
                from_files=True,
            )
    if fmt == "json":  # JSON escapes what it holds; the gate would change its escapes' meaning
        write_or_print(text, None)
    else:
        echo(text, nl=False)
    ctx.exit(EXIT_OK)


@main.command()
@click.argument("rule_id", metavar="RULE_ID")
@click.argument("snapshot", required=False, type=click.Path())
@playbook_option(("；默认 builtin:default", "; default builtin:default"))
@allow_path_option
@lang_option
@click.pass_context
def explain(ctx: click.Context, rule_id: str, snapshot: str | None, playbooks: Sequence[str]) -> None:
    """解释一条规则；给出快照时显示评估过程 · Explain a rule; with a snapshot, how it was judged."""
    from playbook.authoring.explain import explain_rule, find_rule
    from playbook.io.snapshots import load_snapshot
    from playbook.present.explain import render_explanation
    from playbook.runner.audit import playbook_for

    data = load_snapshot(snapshot).data if snapshot else None
    platform = str(data.get("platform")) if data else "default"
    playbook = playbook_for(platform, playbooks)
    lines = explain_rule(find_rule(playbook, rule_id), lang_of(ctx), data, playbook)
    echo(render_explanation(lines), nl=False)
    ctx.exit(EXIT_OK)


@main.command("test")
@click.argument("playbooks", metavar="PLAYBOOK...", nargs=-1)
@click.option(
    "--tests",
    "tests_path",
    type=click.Path(),
    help=_h(
        "测试文件或文件夹（默认: 手册旁的 tests/）",
        "test file or folder (default: tests/ beside the playbook)",
    ),
)
@allow_path_option
@check_format_option()
@output_option()
@click.option(
    "-q", "--quiet", is_flag=True, help=_h("安静: 只显示失败和合计", "quiet: only failures and the totals")
)
@lang_option
@click.pass_context
def test_(
    ctx: click.Context,
    playbooks: Sequence[str],
    tests_path: str | None,
    fmt: str,
    output: str | None,
    quiet: bool,
) -> None:
    """运行规则示例和测试文件（手册文件、文件夹或通配符）· Run rule examples and test files (see docs/authoring.md).

    不给手册时测试设置文件里的 playbooks · Without playbooks: the playbooks of the settings file.
    """
    import time

    from playbook.authoring.testing import playbook_files, run_tests
    from playbook.cli.settings import configured_files
    from playbook.present.reporters.checks import Check, Finding, render_checks
    from playbook.present.test_results import render_results

    lang, started = lang_of(ctx), time.perf_counter()
    playbooks = playbooks or configured_files(ctx, "playbooks", ("playbooks",))
    cases, problems = [], []
    for path in playbook_files(playbooks):
        try:
            cases += run_tests(path, tests_path, lang)
        except PlaybookError as exc:  # every broken playbook is reported, then nothing else
            problems += exc.problems
    if problems:
        raise PlaybookError(problems)
    if fmt == "table":  # names and texts from the playbooks: through the terminal and CI-log gate
        write_or_print(
            for_terminal(render_results(cases, time.perf_counter() - started, lang, quiet)), output
        )
    else:
        checks = [
            Check(
                case.name,
                case.group.render(lang),
                "case",
                # one finding per case: its diffs are one story (expected, got, the example)
                (Finding(case.where, "\n".join(diff.render(lang) for diff in case.diffs)),)
                if case.diffs
                else (),
                case.skipped,
            )
            for case in cases
        ]
        write_or_print(render_checks(fmt, "test", checks, lang), output)
    ctx.exit(EXIT_GATE if any(not case.ok for case in cases) else EXIT_OK)


def _group_types() -> tuple[str, ...]:
    from playbook.core.resources import load_schema

    return tuple(load_schema("snapshot")["$defs"]["group"]["properties"]["type"]["enum"])


GROUP_TYPES = _group_types()


class GroupType(click.Choice):
    """A group type by its id or by the words the tool shows for it (团购 → trade, 兴趣 → interest)."""

    def __init__(self) -> None:
        super().__init__(GROUP_TYPES)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from playbook.core.value_labels import value_labels

        words = value_labels()[("group", "type")]
        return super().convert(words.get(str(value).strip().casefold(), value), param, ctx)


def interactive() -> bool:
    """Someone at a terminal who can answer a question (never in CI or a pipe)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def ask_group_type(lang: str) -> str:
    """The group's type, asked at a terminal with each type described; `interest` otherwise."""
    if not interactive():
        return "interest"
    from playbook.authoring.scaffold import describe_values

    for value, words in describe_values(("group", "type"), lang):
        click.echo(f"  {value:<11} {words}")
    question = Text("这个群的用途", "What is the group for").render(lang)
    return str(click.prompt(question, type=GroupType(), default="interest", show_choices=False))


@main.command()
@click.option(
    "--platform",
    default="wechat",
    show_default=True,
    type=click.Choice(["qq", "wechat", "wecom", "telegram", "discord", "other"]),
    help=_h("群所在的平台", "the group's platform"),
)
@click.option(
    "--dir",
    "directory",
    default=".",
    type=click.Path(file_okay=False),
    help=_h("写入的文件夹", "folder to write to"),
)
@click.option(
    "--type",
    "group_type",
    type=GroupType(),
    help=_h(
        "群的用途，决定哪些规则更重要（不写时在终端里会询问）：" + "、".join(GROUP_TYPES),
        "what the group is for; decides which rules matter most (asked in a terminal when not given): "
        + ", ".join(GROUP_TYPES),
    ),
)
@click.option("--force", is_flag=True, help=_h("覆盖已有文件", "overwrite existing files"))
@lang_option
@click.pass_context
def init(ctx: click.Context, platform: str, directory: str, group_type: str | None, force: bool) -> None:
    """生成带注释的 group.yaml 和自定义手册 · Write a commented group.yaml and a starter playbook."""
    from playbook.authoring.scaffold import default_now, write_templates

    lang = lang_of(ctx)
    group_type = group_type or ask_group_type(lang)
    group, playbook = write_templates(directory, platform, lang, force, default_now(), group_type)
    for path in (group, playbook):
        echo(Text(f"已写入 {path}", f"wrote {path}").render(lang))
    import shlex  # only here: every command module is imported at start-up

    command = f"playbook audit {shlex.quote(str(group))} -p {shlex.quote(str(playbook))}"
    echo(
        Text(
            f"下一步: 按注释填写 {group}，然后运行\n  {command}",
            f"next: fill in {group} (each field's comment says what goes there), then run\n  {command}",
        ).render(lang)
    )
    ctx.exit(EXIT_OK)
