"""User-facing text in Chinese and English.

Every sentence a user reads is a `Text` carrying both languages; it is rendered once, at the
edge (CLI or reporter), in the language chosen by `--lang`, `PLAYBOOK_LANG`, or the user's locale
(io/language.py reads those: the engine reads no environment).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Text:
    """One sentence in both languages; `{name}` fields are filled by `format`."""

    zh: str
    en: str

    def format(self, **fields: Any) -> Text:
        return Text(self.zh.format(**fields), self.en.format(**fields))

    def render(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def __add__(self, other: Text) -> Text:
        return Text(self.zh + other.zh, self.en + other.en)


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name most like `name` (a likely typo), or None when none is close."""
    import difflib  # only on the way to an error message

    close = difflib.get_close_matches(str(name), list(known), n=1)
    return close[0] if close else None


def did_you_mean(name: str, known: Iterable[str]) -> Text | None:
    """The hint `did you mean '…'?` for a misspelt name, or None."""
    close = closest(name, known)
    return None if close is None else you_mean(close)


def you_mean(meant: str) -> Text:
    """`did you mean '…'?` for a name already known to be the one meant."""
    return Text("你是不是想写 '{c}'？", "did you mean '{c}'?").format(c=meant)


def unknown_name(zh_kind: str, en_kind: str, name: Any, known: Iterable[str]) -> tuple[Text, Text | None]:
    """`unknown rule 'x'` and its `did you mean` hint, ready for `PlaybookError.at(where, *…)`."""
    return Text(f"未知的{zh_kind} '{name}'", f"unknown {en_kind} '{name}'"), did_you_mean(str(name), known)


def localize(value: Any, lang: str) -> str:
    """Render a `{zh, en}` mapping, a `Text` or a plain string in `lang`."""
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, Mapping):
        other = "en" if lang == "zh" else "zh"
        return str(value.get(lang) or value.get(other) or "")
    return "" if value is None else str(value)
