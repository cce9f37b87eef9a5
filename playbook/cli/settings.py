"""Settings files meet flags: a value from `.playbook.yaml` / `[tool.playbook]` fills a flag the
command line left out; a flag given on the command line (or by click's environment) wins.
Also `playbook config`, which shows the effective settings and where each came from."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from playbook.cli.base import format_option, lang_of, lang_option, main
from playbook.core.errors import EXIT_OK
from playbook.core.i18n import Text

if TYPE_CHECKING:  # reading a settings file needs the validator: loaded when a command runs, not at start-up
    from playbook.io.config import Config

# Setting → the parameter of `audit` it fills (the same names as the flags, in snake_case).
AUDIT_SETTINGS = {
    "paths": "snapshots",
    "playbooks": "playbooks",
    "format": "formats",
    "fail_under": "fail_under",
    "fail_on": "fail_on",
    "fail_on_regression": "fail_on_regression",
    "baseline": "baseline",
    "select": "select",
    "ignore": "ignore",
    "jobs": "jobs",
    "quiet": "quiet",
}
DEFAULTS: dict[str, Any] = {
    "paths": [],
    "playbooks": [],
    "format": ["table"],
    "fail_under": None,
    "fail_on": None,
    "fail_on_regression": False,
    "baseline": None,
    "select": [],
    "ignore": [],
    "jobs": None,
    "quiet": False,
}
FROM_DEFAULT = Text("默认", "default")


def given(ctx: click.Context, param: str) -> bool:
    """Whether the user gave `param` (on the command line or through the environment)."""
    source = ctx.get_parameter_source(param)
    return source not in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)


def apply_settings(
    ctx: click.Context, params: dict[str, Any], wanted: Mapping[str, str], config: Config | None = None
) -> dict[str, Any]:
    """`params` with every setting in `wanted` (setting → parameter) the user did not give filled
    in from the settings file."""
    from playbook.io.config import load_config

    config = load_config() if config is None else config
    filled = dict(params)
    for key, param in wanted.items():
        setting = config.values.get(key)
        if setting is not None and not given(ctx, param):
            value = setting.value
            filled[param] = tuple(value) if isinstance(value, list) else value
    return filled


def configured_files(ctx: click.Context, param: str, keys: tuple[str, ...]) -> tuple[str, ...]:
    """The files of the settings `keys` (builtin:NAME left out) for a command given none, else
    click's own missing-argument error, saying the settings could name them."""
    from playbook.io.config import load_config

    config = load_config()
    named = [
        path
        for key in keys
        for path in (config.values[key].value if key in config.values else [])
        if not path.startswith("builtin:")
    ]
    if named:
        return tuple(named)
    lang = lang_of(ctx)
    hint = Text(
        f"或在设置文件里写 {keys[0]}: [...]（见 playbook config）",
        f"Or set {keys[0]}: [...] in the settings file (see playbook config).",
    )
    argument = next(p for p in ctx.command.params if p.name == param)
    raise click.MissingParameter(hint.render(lang), ctx=ctx, param=argument)


@main.command("config")
@format_option(["table", "json"])
@lang_option
@click.pass_context
def config_(ctx: click.Context, fmt: str) -> None:
    """显示生效的设置及其来源 · Show the effective settings and where each came from."""
    from playbook.io.config import load_config

    lang, config = lang_of(ctx), load_config()
    rows = [
        {
            "setting": key,
            "value": config.values[key].value if key in config.values else default,
            # JSON says `default` in every language: tools compare it
            "from": _printable(config.values[key].where)
            if key in config.values
            else "default"
            if fmt == "json"
            else FROM_DEFAULT.render(lang),
        }
        for key, default in DEFAULTS.items()
    ]
    if fmt == "json":
        click.echo(json.dumps({"file": config.path, "settings": rows}, ensure_ascii=False, indent=2))
        ctx.exit(EXIT_OK)
    click.echo(_found_line(config).render(lang))
    from tabulate import tabulate

    headers = [_h_lang(lang, "设置", "setting"), _h_lang(lang, "值", "value"), _h_lang(lang, "来源", "from")]
    table = [[row["setting"], _shown(row["value"]), row["from"]] for row in rows]
    click.echo(tabulate(table, headers=headers, disable_numparse=True))
    click.echo(
        Text(
            "命令行上给出的参数优先于这些设置。", "A flag given on the command line wins over these."
        ).render(lang)
    )
    ctx.exit(EXIT_OK)


def _found_line(config: Config) -> Text:
    if config.path is not None:
        return Text(f"设置文件: {config.path}", f"settings file: {config.path}")
    first, last = config.searched[0], config.searched[-1]
    return Text(
        f"没有设置文件（从 {first} 向上找到 {last}：.playbook.yaml 或 pyproject.toml 的 [tool.playbook]）",
        f"no settings file (looked from {first} up to {last} for .playbook.yaml or [tool.playbook] in pyproject.toml)",
    )


def _h_lang(lang: str, zh: str, en: str) -> str:
    return Text(zh, en).render(lang)


def _shown(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_printable(str(v)) for v in value) if value else "–"
    return _printable(str(value))


def _printable(text: str) -> str:
    """A value from a file, with control characters shown as escapes (no terminal commands)."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


__all__ = ["AUDIT_SETTINGS", "apply_settings", "given"]
