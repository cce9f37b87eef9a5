"""The click group, the exit codes, and the options several commands share.

Heavy modules are imported inside the commands that need them, so `playbook --help` and a
one-file audit start fast. Every `PlaybookError` becomes a located message and exit code 2;
nothing a user does shows a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import click

from playbook import __version__
from playbook.cli import click_text
from playbook.core.errors import EXIT_BROKEN_PIPE, EXIT_INTERNAL, EXIT_INTERRUPTED, PlaybookError
from playbook.core.i18n import Text
from playbook.core.registry import Registry
from playbook.io.language import default_language

# Help texts are written when the commands are defined, so their language is read from the
# command line (`--lang`) and the environment as the program starts.
HELP_LANG = click_text.language_asked(sys.argv[1:], default_language())
SEVERITIES = ("critical", "high", "medium", "low", "info")


def _h(zh: str, en: str) -> str:
    """Help text in the user's language (chosen from the environment at start)."""
    return zh if HELP_LANG == "zh" else en


# The module that defines each command: a command's module is imported when it is asked for,
# so `playbook audit` loads none of the others (all of them cost ~5 ms of a one-file audit).
COMMAND_MODULES = {
    "audit": "audit_cmd",
    "rules": "authoring_cmds",
    "explain": "authoring_cmds",
    "test": "authoring_cmds",
    "init": "authoring_cmds",
    "validate": "data_cmds",
    "schema": "data_cmds",
    "import": "data_cmds",
    "fetch": "data_cmds",
    "trend": "report_cmds",
    "diff": "report_cmds",
    "config": "settings",
}


class PlaybookGroup(click.Group):
    """Owns the exit codes: user errors → 2, Ctrl-C → 130, bugs → 3 with one line."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            _define_commands(module)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in sorted(set(COMMAND_MODULES.values())):
            _define_commands(module)
        return super().list_commands(ctx)

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        argv = sys.argv[1:] if args is None else list(args)
        click_text.speak(click_text.language_asked(argv, default_language()))
        return super().main(args, *rest, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        from playbook.io.notes import listen

        listen(lambda note: echo(f"{_note_label(lang_of(ctx))}: {note.render(lang_of(ctx))}", err=True))
        try:
            return super().invoke(ctx)
        except PlaybookError as exc:
            echo(exc.render(lang_of(ctx)), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(Text("已中断", "interrupted").render(lang_of(ctx)), err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            # `playbook audit … | head` closed the pipe: nothing is wrong, stop quietly. Output
            # still buffered would fail again at exit, so stdout now goes nowhere.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(EXIT_BROKEN_PIPE)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if (ctx.obj or {}).get("traceback"):
                raise
            message = Text(
                f"内部错误: {exc!r}（加 --traceback 查看详情）",
                f"internal error: {exc!r} (run with --traceback for details)",
            )
            echo(message.render(lang_of(ctx)), err=True)
            ctx.exit(EXIT_INTERNAL)


def _define_commands(module: str) -> None:
    """Import a module of commands: it registers them on `main`."""
    with click_text.english_names():
        importlib.import_module(f"playbook.cli.{module}")


def _note_label(lang: str) -> str:
    return "注意" if lang == "zh" else "note"


def echo(text: str, err: bool = False, nl: bool = True) -> None:
    """Print plain text that may quote a file (a name, a message, a file name): through the
    terminal and CI-log gate, so no escape sequence or workflow command in it takes effect."""
    from playbook.io.escape import for_terminal

    if err:
        click.echo(for_terminal(text), err=True, nl=nl)
        return
    from playbook.io.outputs import write_stdout

    write_stdout(for_terminal(text) + ("\n" if nl else ""))


def lang_of(ctx: click.Context) -> str:
    """`--lang` wherever it was given, else PLAYBOOK_LANG, else the locale."""
    return str((ctx.find_root().obj or {}).get("lang") or default_language())


def _set_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
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
            "输出语言（默认读 PLAYBOOK_LANG，然后系统语言：LC_ALL、LC_MESSAGES、LANG、LANGUAGE，Windows 读用户区域设置）",
            "output language (default: PLAYBOOK_LANG, then the locale: LC_ALL, LC_MESSAGES, LANG, LANGUAGE; on Windows the user locale)",
        ),
    )(func)


def allow_path_option(func: Callable) -> Callable:
    from playbook.io.sandbox import allow

    return click.option(
        "--allow-path",
        multiple=True,
        type=click.Path(file_okay=False),
        expose_value=False,
        callback=allow,
        help=_h(
            "也允许手册读取这个文件夹里的文件（extends、测试文件的 snapshot）",
            "also let playbooks read files in this folder (extends, test files' snapshot)",
        ),
    )(func)


def playbook_option(default_note: tuple[str, str] = ("", "")) -> Callable[[Callable], Callable]:
    """-p/--playbook, repeatable (later wins); `default_note` says what happens without it."""
    return click.option(
        "-p",
        "--playbook",
        "playbooks",
        multiple=True,
        help=_h(
            "手册文件或 builtin:名称（可多次，后者优先" + default_note[0] + "）",
            "playbook file or builtin:NAME (repeatable; later wins" + default_note[1] + ")",
        ),
    )


def output_option(zh: str = "写入文件（完整写入或不写）", en: str = "write to a file (whole or not at all)"):
    return click.option("-o", "--output", type=click.Path(dir_okay=False), help=_h(zh, en))


def format_option(
    choices: list[str], zh: str = "输出格式", en: str = "output format"
) -> Callable[[Callable], Callable]:
    return click.option(
        "-f", "--format", "fmt", default=choices[0], type=click.Choice(choices), help=_h(zh, en)
    )


CHECK_FORMATS = ["table", "json", "github", "junit", "sarif"]  # validate and test; reporters/checks.py


def check_format_option() -> Callable[[Callable], Callable]:
    return format_option(
        CHECK_FORMATS, "输出格式（结果写到标准输出）", "output format (results go to stdout)"
    )


def real_today() -> date:
    """The real date: the one place an audit's clock is read (the engine takes it as an input)."""
    return date.today()


def write_or_print(text: str | bytes | list[bytes], output: str | None) -> None:
    """Print or write (whole or not at all) a rendering: text, UTF-8 bytes, or UTF-8 pieces."""
    if output is None:
        from playbook.io.outputs import write_stdout

        write_stdout(text)
        return
    from playbook.io.outputs import write_text_atomic

    write_text_atomic(output, text)


def use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


@click.group(cls=PlaybookGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__,
    prog_name="playbook",
    message=_h("%(prog)s，版本 %(version)s", "%(prog)s, version %(version)s"),
    help=_h("显示版本号后退出", "show the version and exit"),
)
@click.option(
    "--traceback",
    is_flag=True,
    help=_h("内部错误时显示完整调用栈", "show the full traceback on internal errors"),
)
@click.option(
    "--plugins",
    is_flag=True,
    help=_h(
        "加载已安装的插件（运算符、评分方式、指标、输出格式、导入格式、平台接口；也可设 PLAYBOOK_PLUGINS=1）",
        "load installed plugins (operators, scorers, metrics, reporters, importers, connectors; "
        "or PLAYBOOK_PLUGINS=1)",
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
    from playbook.io.plugins import load_plugins, plugins_wanted

    if plugins_wanted(plugins):
        load_plugins(plugin_registries())


def plugin_registries() -> list[Registry[Any]]:
    """Every registry a plugin may add to, in the order their entry point groups are loaded."""
    from playbook.connectors import CONNECTORS
    from playbook.core.engine import SCORERS
    from playbook.core.metrics import METRICS
    from playbook.core.operators import OPERATORS
    from playbook.importers import IMPORTERS
    from playbook.present.reporters import REPORTERS

    return [OPERATORS, SCORERS, METRICS, REPORTERS, IMPORTERS, CONNECTORS]


class RegistryChoice(click.Choice):
    """A choice of a registry's names, read when the command runs: `--plugins` may add some."""

    def __init__(self, registry: Registry[Any]):
        super().__init__(list(registry))
        self.registry = registry

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.registry)

    @choices.setter
    def choices(self, _value: Any) -> None:
        pass
