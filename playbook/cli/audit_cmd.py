"""`playbook audit`: many snapshots, several formats, gates and baselines."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any

import click

from playbook.cli.base import (
    SEVERITIES,
    _h,
    allow_path_option,
    echo,
    lang_of,
    lang_option,
    main,
    output_option,
    playbook_option,
    real_today,
    use_color,
)
from playbook.cli.click_text import Day, Number, WholeNumber
from playbook.core.errors import EXIT_GATE, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, PlaybookError
from playbook.core.i18n import Text
from playbook.present.reporters import REPORTERS, OutputSpec, RenderContext, Report

if TYPE_CHECKING:
    from playbook.core.errors import Problem
    from playbook.core.gates import GateFailure
    from playbook.io.inputs import Input
    from playbook.io.progress import ProgressLine
    from playbook.runner.audit import Outcome

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


def quiet_option(zh: str, en: str) -> Any:
    return click.option("-q", "--quiet", is_flag=True, help=_h(zh, en))


def rule_glob_option(name: str, zh: str, en: str) -> Any:
    return click.option(f"--{name}", name, multiple=True, metavar="RULE-GLOB", help=_h(zh, en))


@main.command()
@click.argument("snapshots", nargs=-1, metavar="SNAPSHOTS...")
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
@click.option(
    "--dask",
    "scheduler",
    metavar="SCHEDULER",
    help=_h(
        "在 Dask 集群上审计：调度器地址（tcp://主机:8786），或 local:N 在本机启动 N 个进程；"
        "快照可以是 fsspec 地址（s3://…）。需要 pip install 'playbook-audit[dask]'",
        "audit on a Dask cluster: the scheduler's address (tcp://HOST:8786), or local:N to start N "
        "processes here; snapshots may be fsspec URLs (s3://…). Needs pip install 'playbook-audit[dask]'",
    ),
)
@rule_glob_option(
    "select",
    "只审计 id 匹配的规则（通配符，可多次），例如 --select 'naming.*'",
    "audit only the rules whose id matches (glob, repeatable), e.g. --select 'naming.*'",
)
@rule_glob_option(
    "ignore",
    "跳过 id 匹配的规则（通配符，可多次），例如 --ignore 'activity.*'",
    "leave out the rules whose id matches (glob, repeatable), e.g. --ignore 'activity.*'",
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
@quiet_option(
    "安静: 屏幕上不显示表格和提示，只显示未通过的门槛和错误（写到文件的格式照写）",
    "quiet: no table or notes on the terminal, only failed gates and errors (formats sent to files are written)",
)
@allow_path_option
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
    scheduler: str | None,
    select: Sequence[str],
    ignore: Sequence[str],
    no_waivers: bool,
    today: Any,
    show_members: bool,
    details: bool,
    verbose: bool,
    quiet: bool,
) -> None:
    """审计群快照（文件、文件夹或通配符），给出评分和下一步清单 · Audit group snapshots (files, folders, globs).

    没给出的参数从 .playbook.yaml 或 pyproject.toml 的 [tool.playbook] 读取（见 playbook config）·
    Flags left out are read from .playbook.yaml or [tool.playbook] in pyproject.toml (see playbook config).
    """
    from playbook.cli.settings import AUDIT_SETTINGS, apply_settings
    from playbook.core.gates import Gates
    from playbook.core.report import Options
    from playbook.core.selection import RuleSelection, check_globs
    from playbook.io.inputs import expand_inputs
    from playbook.present.reporters import RenderContext, parse_output_specs
    from playbook.runner.audit import rule_ids_in_use

    flags = dict(
        snapshots=snapshots,
        playbooks=playbooks,
        formats=formats,
        fail_under=fail_under,
        fail_on=fail_on,
        fail_on_regression=fail_on_regression,
        baseline=baseline,
        select=select,
        ignore=ignore,
        jobs=jobs,
        quiet=quiet,
    )
    settings = apply_settings(ctx, flags, AUDIT_SETTINGS)
    snapshots, playbooks, formats = settings["snapshots"], settings["playbooks"], settings["formats"]
    fail_under, fail_on, baseline = settings["fail_under"], settings["fail_on"], settings["baseline"]
    fail_on_regression, jobs, quiet = settings["fail_on_regression"], settings["jobs"], settings["quiet"]
    lang = lang_of(ctx)
    if not snapshots:  # click's own "missing argument" (in the user's language), plus where else to say it
        param = next(p for p in ctx.command.params if p.name == "snapshots")
        hint = Text(
            "或在设置文件里写 paths: [groups/]（见 playbook config）",
            "Or set paths: [groups/] in the settings file (see playbook config).",
        )
        raise click.MissingParameter(hint.render(lang), ctx=ctx, param=param)
    specs = parse_output_specs(formats, output)
    _no_binary_on_a_terminal(specs)
    if quiet:  # the table is for people; a quiet run keeps only what machines and files read
        specs = [spec for spec in specs if spec.path is not None or spec.fmt != "table"]
    selection = RuleSelection(tuple(settings["select"]), tuple(settings["ignore"]))
    if selection:
        check_globs(selection, rule_ids_in_use(playbooks))
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
    if scheduler is not None and jobs is not None:
        raise PlaybookError.at(
            "--dask",
            Text("--dask 与 --jobs 只能选一个", "--dask and --jobs: choose one (workers are the cluster's)"),
        )
    if scheduler is not None:
        from playbook.runner.distributed import expand_arguments

        inputs = expand_arguments(snapshots)
    else:
        inputs = expand_inputs(snapshots)
    from playbook.io.outputs import refuse_overwriting_inputs

    refuse_overwriting_inputs([s.path for s in specs], [i.path for i in inputs] + [*playbooks, baseline])
    attach = _baseline_attacher(baseline, fail_on_regression)
    terminal = any(spec.path is None for spec in specs)
    from playbook.io.terminal import output_width

    context = RenderContext(
        lang=lang,
        color=terminal and use_color(),
        verbose=verbose,
        details=details or verbose,
        width=output_width() if terminal else None,
    )
    showing = len(inputs) >= PROGRESS_FROM and not quiet and not _prints_as_it_goes(specs)
    progress = batch_progress(lang) if showing else None
    try:
        if scheduler is not None:
            from playbook.runner.distributed import dask_stream

            outcomes = dask_stream(inputs, playbooks, options, gates, scheduler, progress, selection)
        else:
            from playbook.runner.audit import audit_stream

            jobs_n = processes(jobs, len(inputs))
            outcomes = audit_stream(inputs, playbooks, options, gates, jobs_n, progress, selection)
        summary = _job_summary_target(specs)
        failures, kept, problems, crashed = _stream_batch(
            inputs, outcomes, specs, context, attach, quiet, keep=summary is not None
        )
    finally:
        if progress is not None:  # Ctrl-C or an error: what follows starts on its own line
            progress.close()
    if summary is not None:
        append_job_summary(summary, kept, lang)
    for failure in failures:
        echo(failure.render(lang), err=True)
    if problems:  # the files that could not be audited, after the reports of all the others
        echo(PlaybookError(problems).render(lang), err=True)
        ctx.exit(EXIT_INTERNAL if crashed else EXIT_INPUT)
    ctx.exit(EXIT_GATE if failures else EXIT_OK)


def _stream_batch(
    inputs: Sequence[Input],
    outcomes: Generator[Outcome, None, None],
    specs: Sequence[OutputSpec],
    context: RenderContext,
    attach: Attach | None,
    quiet: bool = False,
    keep: bool = False,
) -> tuple[list[GateFailure], list[Report], list[Problem], bool]:
    """Audit and write each report as it arrives (input order); the gates' failures, in order,
    the reports themselves when `keep` (GitHub's job summary needs them all), the problems of
    the files that could not be audited, and whether one of them met a bug of ours.

    A bad file is reported and the others are audited and written all the same: one bad export
    must not cost a batch its 9,999 reports (the exit code says the run failed). When no file
    gives a report, nothing is written."""
    from playbook.io.report_list import decode
    from playbook.runner.audit import Audited, Failed, Skipped, nothing_to_audit
    from playbook.runner.batch_output import BatchOutput

    failures: list[GateFailure] = []
    problems: list[Problem] = []
    kept: list[Report] = []
    crashed = False
    with BatchOutput(specs, context, _print_piece) as output, contextlib.closing(outcomes):
        for outcome in outcomes:
            if isinstance(outcome, Skipped) and outcome.path is not None and not quiet:
                echo(
                    Text(
                        f"{outcome.path}: 跳过（这是手册，请用 -p 指定）",
                        f"{outcome.path}: skipped (a playbook; pass it with -p)",
                    ).render(context.lang),
                    err=True,
                )
            elif isinstance(outcome, Failed):
                problems += outcome.problems
                crashed = crashed or outcome.crashed
            elif isinstance(outcome, Audited):
                encoded, found = attach(outcome.report) if attach else (outcome.report, [])
                output.add(encoded)
                failures += [*outcome.failures, *found]
                if keep:
                    kept.append(decode(encoded))
        if not output.count:
            if not problems:
                raise nothing_to_audit(inputs)
            raise PlaybookError(
                list(dict.fromkeys(problems)), exit_code=EXIT_INTERNAL if crashed else EXIT_INPUT
            )
    return failures, kept, list(dict.fromkeys(problems)), crashed


def _no_binary_on_a_terminal(specs: Sequence[OutputSpec]) -> None:
    """A workbook printed on a terminal is noise: it goes to a file (or a pipe)."""
    from playbook.present.reporters import BINARY

    for spec in specs:
        if spec.fmt in BINARY and spec.path is None and sys.stdout.isatty():
            raise PlaybookError.at(
                "--format",
                Text(
                    f"{spec.fmt} 是二进制文件，不能显示在屏幕上",
                    f"{spec.fmt} is a binary file, not for the terminal",
                ),
                Text(
                    f"写到文件: -f {spec.fmt}:report.{spec.fmt} 或 -o report.{spec.fmt}",
                    f"write it to a file: -f {spec.fmt}:report.{spec.fmt} or -o report.{spec.fmt}",
                ),
            )


def _prints_as_it_goes(specs: Sequence[OutputSpec]) -> bool:
    """A format on a terminal that prints each report as it arrives: a progress line would cut
    into it."""
    from playbook.present.reporters import get_writer

    return sys.stdout.isatty() and any(
        getattr(get_writer(spec.fmt), "WRITES_AS_IT_GOES", False) for spec in specs if spec.path is None
    )


def _print_piece(piece: str | bytes) -> None:
    from playbook.io.outputs import write_stdout  # a full disk or `ulimit -f` is an error, not a cut report

    write_stdout(piece if isinstance(piece, str | bytes) else str(piece))


def _baseline_attacher(baseline: str | None, fail_on_regression: bool) -> Attach | None:
    """None without --baseline; else a function: encoded report → (with its baseline block, gate failures)."""
    if baseline is None:
        return None
    from playbook.core.gates import regression_failures
    from playbook.io.report_list import decode, encode
    from playbook.runner.baseline import baseline_attacher, load_baseline

    attach_one = baseline_attacher(load_baseline(baseline), baseline)

    def attach(encoded: bytes) -> tuple[bytes, list[GateFailure]]:
        report = attach_one(decode(encoded))
        return encode(report), regression_failures(report) if fail_on_regression else []

    return attach


# An encoded report → the report with its `baseline` block, and the regressions the gate fails on.
Attach = Callable[[bytes], tuple[bytes, list["GateFailure"]]]

PROGRESS_FROM = 50  # files; fewer are done before a progress line would be read


def batch_progress(lang: str) -> ProgressLine | None:
    """`审计中 1,200 / 10,000 个群` on a terminal while a batch runs; nothing in logs or pipes."""
    from playbook.io.progress import terminal_progress

    def describe(done: int, total: int) -> str:
        return Text(f"审计中 {done:,} / {total:,} 个文件", f"auditing {done:,} / {total:,} files").render(
            lang
        )

    return terminal_progress(describe)


def _job_summary_target(specs: Sequence[OutputSpec]) -> str | None:
    """With `-f github` in a GitHub Actions step: the job summary file to append to (none when a
    format is already written there, as `-f markdown:$GITHUB_STEP_SUMMARY`)."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target or not any(spec.fmt == "github" for spec in specs):
        return None
    if any(spec.path and os.path.abspath(spec.path) == os.path.abspath(target) for spec in specs):
        return None
    return target


def append_job_summary(target: str, reports: Sequence[Report], lang: str) -> None:
    """A Markdown summary of the batch appended to the GitHub Actions job's page."""
    from playbook.present.reporters.github import render_job_summary

    text = render_job_summary(reports, lang)
    try:
        with open(target, "a", encoding="utf-8") as handle:  # appended: other steps write there too
            handle.write(text + "\n")
    except OSError as exc:
        raise PlaybookError.at(
            target,
            Text(
                f"无法写入任务摘要 (GITHUB_STEP_SUMMARY): {exc.strerror}",
                f"cannot write the job summary (GITHUB_STEP_SUMMARY): {exc.strerror}",
            ),
        ) from None
