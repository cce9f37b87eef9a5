"""`playbook audit`: many snapshots, several formats, gates and baselines."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from playbook.cli.base import (
    SEVERITIES,
    _h,
    lang_of,
    lang_option,
    main,
    output_option,
    playbook_option,
    real_today,
    use_color,
    write_or_print,
)
from playbook.cli.click_text import Day, Number, WholeNumber
from playbook.errors import EXIT_GATE, EXIT_OK, PlaybookError
from playbook.i18n import Text
from playbook.reporters import REPORTERS

if TYPE_CHECKING:
    from playbook.progress import ProgressLine

# Unasked, a batch this large is audited by one process per CPU (the same bytes either way).
# Starting the pool costs a few tens of ms, repaid from ~25 files on two cores (measured: 10
# files 0.25 → 0.28 s, 50 files 0.59 → 0.45 s); 50 leaves a margin.
PARALLEL_FROM = 50


def processes(asked: int | None, files: int) -> int:
    """How many processes audit `files` files: as asked (0: one per CPU), else by batch size."""
    cpus = os.cpu_count() or 1
    if asked is None:
        return cpus if files >= PARALLEL_FROM else 1
    return asked or cpus


@main.command()
@click.argument("snapshots", nargs=-1, required=True)
@playbook_option(("；默认按平台选内置手册", "; default: the built-in profile of the platform"))
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT[:FILE]",
    help=_h(
        f"输出格式，可多次；加 :文件 写入文件，例如 -f table -f sarif:out.sarif（格式: {', '.join(REPORTERS)}）",
        f"output format, repeatable; add :FILE to write a file, e.g. -f table -f sarif:out.sarif ({', '.join(REPORTERS)})",
    ),
)
@output_option(
    "没写 :文件 的那个格式写入此文件（完整写入或不写）",
    "file for the one format given without :FILE (written whole or not at all)",
)
@click.option(
    "--fail-under",
    type=Number(0, 100),
    metavar="SCORE",  # ASCII: click aligns help by characters, and a Chinese one is two columns wide
    help=_h("总分低于此值时退出码为 1", "exit 1 when the overall score is below this"),
)
@click.option(
    "--fail-on",
    type=click.Choice([*SEVERITIES, "error"]),
    help=_h(
        "有此级别或更高的规则未通过时退出码为 1；error: 有规则本身出错时",
        "exit 1 when a rule of this severity or higher fails; error: when a rule itself broke",
    ),
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
    type=WholeNumber(0),
    metavar="N",
    default=None,
    help=_h(
        f"并行进程数（0 = CPU 核数；默认: 不少于 {PARALLEL_FROM} 个文件时用 CPU 核数，否则 1）",
        f"parallel processes (0 = one per CPU; default: one per CPU from {PARALLEL_FROM} files, else 1)",
    ),
)
@click.option("--no-waivers", is_flag=True, help=_h("忽略所有豁免", "ignore all waivers"))
@click.option(
    "--today",
    type=Day(),
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
    jobs: int | None,
    no_waivers: bool,
    today: Any,
    show_members: bool,
    details: bool,
    verbose: bool,
) -> None:
    """审计群快照（文件、文件夹或通配符），给出评分和下一步清单 · Audit group snapshots (files, folders, globs)."""
    from playbook.audit import audit_inputs
    from playbook.gates import Gates, regression_failures
    from playbook.inputs import expand_inputs
    from playbook.report import Options
    from playbook.reporters import RenderContext, parse_output_specs

    lang = lang_of(ctx)
    specs = parse_output_specs(formats, output)
    if fail_on_regression and baseline is None:
        raise PlaybookError.at(
            "--fail-on-regression", Text("需要同时给出 --baseline", "needs --baseline REPORT.json")
        )
    options = Options(
        lang=lang,
        use_waivers=not no_waivers,
        show_members=show_members,
        today=today.date() if today else real_today(),
    )
    gates = Gates(fail_under, fail_on)
    inputs = expand_inputs(snapshots)
    progress = batch_progress(lang) if len(inputs) >= PROGRESS_FROM else None
    try:
        run = audit_inputs(inputs, playbooks, options, gates, jobs=processes(jobs, len(inputs)), progress=progress)
    finally:
        if progress is not None:  # Ctrl-C or an error: what follows starts on its own line
            progress.close()
    for path in run.skipped:
        click.echo(
            Text(
                f"{path}: 跳过（这是手册，请用 -p 指定）", f"{path}: skipped (a playbook; pass it with -p)"
            ).render(lang),
            err=True,
        )
    reports, failures = run.reports, [list(f) for f in run.failures]
    if baseline is not None:
        from playbook.baseline import attach_baseline, load_baseline

        reports = attach_baseline(reports, load_baseline(baseline), baseline)
        if fail_on_regression:
            for index, report in enumerate(reports):
                failures[index] += regression_failures(report)
    terminal = any(spec.path is None for spec in specs)
    from playbook.terminal import output_width

    context = RenderContext(
        lang=lang, color=terminal and use_color(), verbose=verbose, details=details or verbose,
        width=output_width() if terminal else None,
    )
    _emit(specs, reports, context)
    for failure in (f for per_report in failures for f in per_report):
        click.echo(failure.render(lang), err=True)
    ctx.exit(EXIT_GATE if any(failures) else EXIT_OK)


PROGRESS_FROM = 50  # files; fewer are done before a progress line would be read


def batch_progress(lang: str) -> ProgressLine | None:
    """`审计中 1,200 / 10,000 个群` on a terminal while a batch runs; nothing in logs or pipes."""
    from playbook.progress import terminal_progress

    def describe(done: int, total: int) -> str:
        return Text(f"审计中 {done:,} / {total:,} 个文件", f"auditing {done:,} / {total:,} files").render(lang)

    return terminal_progress(describe)


def _emit(specs: Sequence[Any], reports: Sequence[dict[str, Any]], context: Any) -> None:
    """Render every format first, then write: a format that fails to render leaves no file."""
    import sys
    from dataclasses import replace

    from playbook.reporters import BINARY, get_reporter

    for spec in specs:
        if spec.fmt in BINARY and spec.path is None and sys.stdout.isatty():
            raise PlaybookError.at("--format", Text(
                f"{spec.fmt} 是二进制文件，不能显示在屏幕上", f"{spec.fmt} is a binary file, not for the terminal"),
                Text(f"写到文件: -f {spec.fmt}:report.{spec.fmt} 或 -o report.{spec.fmt}",
                     f"write it to a file: -f {spec.fmt}:report.{spec.fmt} or -o report.{spec.fmt}"))
    rendered = []
    for spec in specs:
        spec_context = context if spec.path is None else replace(context, color=False, width=None)
        rendered.append((spec, get_reporter(spec.fmt)(reports, spec_context)))
    for spec, text in rendered:
        write_or_print(text, spec.path)
