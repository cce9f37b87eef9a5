"""Comparing audits: `trend` over time and `diff` between two."""

from __future__ import annotations

from collections.abc import Sequence

import click

from playbook.cli.base import (
    allow_path_option,
    format_option,
    lang_of,
    lang_option,
    main,
    output_option,
    playbook_option,
    real_today,
    write_or_print,
)
from playbook.core.errors import EXIT_OK


@main.command()
@click.argument("inputs", metavar="SNAPSHOT_OR_REPORT...", nargs=-1, required=True, type=click.Path())
@playbook_option()
@format_option(["table", "html"])
@output_option()
@allow_path_option
@lang_option
@click.pass_context
def trend(
    ctx: click.Context, inputs: Sequence[str], playbooks: Sequence[str], fmt: str, output: str | None
) -> None:
    """同一个群在不同日期的得分趋势 · One group's scores over time (snapshots or JSON reports)."""
    from playbook.core.report import Options
    from playbook.io.outputs import refuse_overwriting_inputs
    from playbook.present.trend import render_trend_table
    from playbook.runner.trend import build_trend, check_same_group, read_reports

    refuse_overwriting_inputs([output], [*inputs, *playbooks])
    lang = lang_of(ctx)
    reports = read_reports(inputs, playbooks, Options(real_today(), lang=lang))
    check_same_group(reports, inputs)
    data = build_trend(reports)
    if fmt == "html":
        from playbook.present.reporters.html_trend import render_trend_html

        write_or_print(render_trend_html(data, lang), output)
    else:
        from playbook.io.terminal import output_width

        write_or_print(render_trend_table(data, lang, output_width() if output is None else None), output)
    ctx.exit(EXIT_OK)


@main.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@playbook_option()
@format_option(["table", "json", "markdown"])
@output_option()
@allow_path_option
@lang_option
@click.pass_context
def diff(
    ctx: click.Context, old: str, new: str, playbooks: Sequence[str], fmt: str, output: str | None
) -> None:
    """对比同一个群的两次审计（快照或报告）· Compare two audits of one group (snapshots or reports)."""
    from playbook.core.report import Options
    from playbook.io.outputs import refuse_overwriting_inputs
    from playbook.io.terminal import output_width
    from playbook.present.diff import render_diff
    from playbook.runner.diff import diff_files

    refuse_overwriting_inputs([output], [old, new, *playbooks])
    lang = lang_of(ctx)
    width = output_width() if output is None else None
    diffed = diff_files(old, new, playbooks, Options(real_today(), lang=lang))
    write_or_print(render_diff(diffed, fmt, lang, width), output)
    ctx.exit(EXIT_OK)
