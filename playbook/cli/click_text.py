"""Click's own words — usage errors, "Usage:", "Show this message and exit." — in the user's language.

Click marks its messages for gettext and looks them up in the process's default text domain.
playbook ships a Chinese catalog of them (locale/zh/LC_MESSAGES/click.po, compiled to click.mo)
and chooses it, or none, for each run.
"""

from __future__ import annotations

import contextlib
import gettext
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from playbook.io.language import speak_to_gettext

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "click"


def speak(lang: str) -> None:
    """Click's messages in `lang` from now on ("zh" or "en")."""
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    # gettext takes the catalog's language from the environment only, LANGUAGE first: the
    # variable GNU gettext reads for messages alone. English is click's own text (no catalog).
    speak_to_gettext(lang)


@contextlib.contextmanager
def english_names() -> Iterator[None]:
    """Click's messages untranslated for a while: a command's module is imported once the run's
    language is chosen, and click names some types as they are made (a `Path` is "file"). Help
    shows those names as metavars, which must stay ASCII: a Chinese one breaks the alignment."""
    saved = os.environ.get("LANGUAGE")
    os.environ["LANGUAGE"] = "en"
    try:
        yield
    finally:
        if saved is None:
            del os.environ["LANGUAGE"]
        else:
            os.environ["LANGUAGE"] = saved


def language_asked(argv: Sequence[str], default: str) -> str:
    """The `--lang` given anywhere on the command line (`--lang zh`, `--lang=zh`), else `default`.

    Read before click parses, so that an error in the command line itself comes in that language."""
    asked = default
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv):
            asked = argv[index + 1]
        elif arg.startswith("--lang="):
            asked = arg.partition("=")[2]
    return asked if asked in ("zh", "en") else default


class _Said:
    """A type's name looked up in the run's catalog each time it is read: the language is chosen
    per run (`--lang`), after the types were made."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __get__(self, instance: object, owner: type | None = None) -> str:
        return gettext.gettext(self.text)


class Number(click.FloatRange):
    """click's float range named in the user's words in errors: `'abc' 不是有效的数字`, where click
    says `float range` in every language. (Options give an ASCII metavar for their help.)"""

    name = _Said("number")


class WholeNumber(click.IntRange):
    """click's integer range named in the user's words (`整数`, `whole number`)."""

    name = _Said("whole number")


class Day(click.DateTime):
    """A date written YYYY-MM-DD, said so in help and errors (click shows `[%Y-%m-%d]`); a date
    written by hand (`2026/11/20`, `2026年11月20日`) is refused with its YYYY-MM-DD spelling."""

    name = _Said("date")

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d"])

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            from playbook.core.timeutil import iso_spelling  # only on the way to an error message

            spelt = iso_spelling(str(value))
            if spelt:
                hint = gettext.gettext("write {date}").format(date=spelt[:10])
            elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):  # 2026-02-30: written right, no such day
                hint = gettext.gettext("there is no such day")
            else:
                hint = "YYYY-MM-DD"
            self.fail(
                gettext.gettext("{value!r} is not a date ({hint})").format(value=value, hint=hint), param, ctx
            )
