"""The error tree and the exit codes, owned in one place.

A `PlaybookError` is a user's mistake (bad input, bad usage): it carries where it happened
(a `Location`, shown as `file:line:col` or `file::$.json.path`), what was found and expected, and an optional hint.
The CLI turns it into a message on stderr and exit code 2; it never shows a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playbook.core.i18n import Text

EXIT_OK = 0
EXIT_GATE = 1  # a gate failed: --fail-under, --fail-on, failing examples, invalid files
EXIT_INPUT = 2  # unusable input or usage
EXIT_INTERNAL = 3  # a bug in playbook itself
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_BROKEN_PIPE = 141  # the reader of stdout went away (`| head`): 128 + SIGPIPE, as Unix tools


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file (or an option, a URL) with a line and column when the value is
    in the text, else the JSON path to it. Its text is `file:line:col`, `file::$.path` or `file`."""

    file: str
    line: int | None = None
    column: int | None = None
    path: str | None = None  # `$.rules[3].id`: the value has no line (absent, or read from data)

    def __str__(self) -> str:
        if self.line is not None:
            return (
                f"{self.file}:{self.line}"
                if self.column is None
                else f"{self.file}:{self.line}:{self.column}"
            )
        return f"{self.file}::{self.path}" if self.path is not None else self.file

    @property
    def position(self) -> tuple[int, int] | None:
        """(line, column) when both are known."""
        return None if self.line is None or self.column is None else (self.line, self.column)


def located(where: str | Location) -> Location:
    """A place named by text alone (a file, `--format`, a URL) has no line to sort by."""
    return where if isinstance(where, Location) else Location(where)


@dataclass(frozen=True)
class Problem:
    """One located problem."""

    where: Location
    what: Text
    hint: Text | None = None

    def render(self, lang: str) -> str:
        place = str(self.where)
        head = f"{place}: {self.what.render(lang)}" if place else self.what.render(lang)
        if self.hint is None:
            return head
        label = "提示" if lang == "zh" else "hint"
        return f"{head}\n  {label}: {self.hint.render(lang)}"


@dataclass
class PlaybookError(Exception):
    """A user error: one or more located problems. Exit code 2 unless said otherwise."""

    problems: list[Problem] = field(default_factory=list)
    exit_code: int = EXIT_INPUT

    @classmethod
    def at(cls, where: str | Location, what: Text, hint: Text | None = None) -> PlaybookError:
        return cls([Problem(located(where), what, hint)])

    def render(self, lang: str) -> str:
        return "\n".join(p.render(lang) for p in self.problems)

    def __str__(self) -> str:
        return self.render("en")
