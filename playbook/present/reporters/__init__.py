"""Reporters: each renders the canonical report(s) to one format. Registered in `REPORTERS`.

A reporter is a module with a function `render(reports, context) -> str` (or UTF-8 bytes, or a
list of UTF-8 pieces written one after another: 10,000 reports need not be joined into one more
copy). The registry's names are the CLI's `--format` choices; its entries are module names,
imported only when their format is used (fast start-up). Plugins add formats from the
`playbook.reporters` entry point group (`REPORTERS.add("toml", "my_package.toml_report")`).
A module may also define a streaming `Writer` (see stream.py): `playbook audit` then writes a
batch as its reports arrive instead of keeping them all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text
from playbook.core.registry import Registry, resolve
from playbook.core.report_types import Report


@dataclass(frozen=True, eq=False)
class RenderContext:
    """How a report is drawn: language, colour, detail and width."""

    lang: str = "en"
    color: bool = False
    verbose: bool = False
    details: bool = False  # several snapshots: each report in full after the summary
    width: int | None = None  # the terminal's width in cells: tables and lines wrap to it; None: whole


Renderer = Callable[[Sequence[Report], RenderContext], str | bytes | list[bytes]]

REPORTERS: Registry[str] = Registry("playbook.reporters", Text("输出格式", "output format"))
for _name, _module in (
    ("table", "table"),
    ("json", "json_report"),
    ("jsonl", "jsonl"),
    ("html", "html"),
    ("sarif", "sarif"),
    ("junit", "junit"),
    ("github", "github"),
    ("markdown", "markdown"),
    ("gitlab", "gitlab"),
    ("xlsx", "xlsx"),
    ("csv", "csv_summary"),
):
    REPORTERS.add(_name, f"playbook.present.reporters.{_module}")
BINARY = ("xlsx",)  # never printed to a terminal


def score_text(score: float | None) -> str:
    """A score or gain as stored (two decimals at most), zeros dropped: 96, 95.75, 66.3, –.
    Every format shows the same figure for the same value."""
    if score is None:
        return "–"
    return f"{score:.2f}".rstrip("0").rstrip(".")


def get_reporter(name: str) -> Renderer:
    module = resolve(REPORTERS.lookup(name, "--format"))
    render: Renderer = module.render
    return render


def get_writer(name: str) -> Callable[[Any, RenderContext], Any]:
    """The format's streaming writer (reporters/stream.py): its `Writer`, else one that renders
    the whole batch at the end."""
    module = resolve(REPORTERS.lookup(name, "--format"))
    writer = getattr(module, "Writer", None)
    if writer is not None:
        return writer
    from functools import partial

    from playbook.present.reporters.stream import Collected

    return partial(Collected, module.render)


@dataclass(frozen=True)
class OutputSpec:
    """One format to render and where to: a file, or the terminal when `path` is None."""

    fmt: str
    path: str | None = None


def parse_output_specs(specs: Sequence[str], output: str | None) -> list[OutputSpec]:
    """`-f FORMAT[:FILE]` (repeatable) plus the classic `-o FILE`; see docs/ci.md.

    `-o FILE` is the file of the one format given without `:FILE`; when that leaves two, the
    table stays on the terminal. At most one format may go to the terminal.
    """
    parsed = [_parse_spec(spec) for spec in specs or ["table"]]
    if output is not None:
        parsed = _assign_output(parsed, output)
    on_terminal = [spec.fmt for spec in parsed if spec.path is None]
    if len(on_terminal) > 1:
        raise _usage(
            Text(
                f"只能有一个格式输出到屏幕，现在有: {', '.join(on_terminal)}",
                f"only one format can go to the terminal, got: {', '.join(on_terminal)}",
            ),
            Text("其余的写到文件: -f sarif:out.sarif", "send the others to files: -f sarif:out.sarif"),
        )
    paths = [spec.path for spec in parsed if spec.path is not None]
    if len(set(paths)) != len(paths):
        raise _usage(Text("两个格式写到了同一个文件", "two formats write to the same file"))
    return parsed


def _parse_spec(spec: str) -> OutputSpec:
    cut = min((i for i in (spec.find(":"), spec.find("=")) if i > 0), default=-1)
    name, path = (spec[:cut], spec[cut + 1 :]) if cut > 0 else (spec, None)
    if name not in REPORTERS:
        raise _usage(*REPORTERS.unknown(name))
    if path == "":
        raise _usage(Text(f"'{spec}' 缺少文件名", f"'{spec}' names no file"))
    return OutputSpec(name, path)


def _assign_output(parsed: list[OutputSpec], output: str) -> list[OutputSpec]:
    free = [i for i, spec in enumerate(parsed) if spec.path is None]
    if len(free) == 2 and sum(1 for i in free if parsed[i].fmt == "table") == 1:
        free = [i for i in free if parsed[i].fmt != "table"]
    if len(free) != 1:
        raise _usage(
            Text("-o 只能对应一个没写文件名的 -f", "-o needs exactly one -f given without a file"),
            Text(
                "写成 -f 格式:文件，例如 -f sarif:out.sarif", "write -f FORMAT:FILE, e.g. -f sarif:out.sarif"
            ),
        )
    parsed = list(parsed)
    parsed[free[0]] = OutputSpec(parsed[free[0]].fmt, output)
    return parsed


def _usage(what: Text, hint: Text | None = None) -> PlaybookError:
    return PlaybookError.at("--format", what, hint)
