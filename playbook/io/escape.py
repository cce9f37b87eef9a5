"""One escaping layer per kind of output, for text that came from a file we do not trust.

Group names, display names, message texts, rule titles from a third-party playbook, file names
and the error messages that quote them all reach a terminal, a CI log, a Markdown comment or an
XML file. Each output kind has its own dangers, and its own function here:

- terminal (`terminal`, `terminal_line`): control characters (C0, DEL, C1: escape sequences
  that clear the screen, set the window title, colour), bidirectional overrides (U+202E makes
  text read backwards), line and paragraph separators and noncharacters are shown as visible
  escapes (`\\x1b`, `\\u202e`). Letters of every script (Chinese included) and emoji pass.
- CI logs (`ci_log`): a line a GitHub runner would read as a workflow command (`::error …`,
  `::stop-commands::…` after any indentation, or the older `##[…]` anywhere in a line) gets a
  backslash, so it is printed, not obeyed. `for_terminal` applies both: it is the gate for
  every plain-text output and every error message.
- GitHub workflow commands (`github_data`, `github_property`): the runner's own escapes.
- Markdown (`markdown_inline`, `markdown_code`, `markdown_fence`): the marks that make
  Markdown (backtick, `*`, `_` at a word's edge, `~`, the `]` of `](`, `<`, `>`, `&`, `|`, `#`, `$`,
  `@`, and the `:` of `://`) are backslash-escaped, so no HTML, image, link, emphasis, table cell or new block
  can come from the text; line breaks become spaces; code spans and fences are longer than
  any run of backticks inside.
- XML (`xml_text`): characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) are shown as
  visible escapes; ElementTree escapes `&`, `<`, `>` and quotes itself.

Everything is pure functions on `str`, cheap when there is nothing to escape (one regular
expression search), so reporters may call them on every value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# C0 controls, DEL, C1 controls; bidi embeddings, overrides, isolates and marks; line and
# paragraph separators; interlinear annotation marks; BOM; noncharacters; lone surrogates.
_BIDI_AND_OTHERS = (
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufff9-\ufffb\ufeff\ufffe\uffff\ud800-\udfff"
)
_UNSAFE_KEEPING_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_AND_OTHERS}]")
_UNSAFE_IN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_AND_OTHERS}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """Text for a terminal, keeping its line breaks and tabs; every other control visible."""
    return _UNSAFE_KEEPING_LINES.sub(_visible, text)


def terminal_line(text: str) -> str:
    """Text for one line of a terminal (a table cell, a name): line breaks are shown as `\\x0a`."""
    return _UNSAFE_IN_LINE.sub(_visible, text)


# The GitHub runner trims a line's leading white space and obeys it when it starts with `::`;
# the older syntax, `##[command]`, is found anywhere in a line.
_WORKFLOW_COMMAND = re.compile(r"^(\s*)::", re.MULTILINE)
_OLD_WORKFLOW_COMMAND = re.compile(r"##\[")


def ci_log(text: str) -> str:
    """Plain text no CI runner reads as a command (apply after `terminal`: it counts lines by \\n)."""
    if "::" in text:
        text = _WORKFLOW_COMMAND.sub(r"\1\\::", text)
    if "##[" in text:
        text = _OLD_WORKFLOW_COMMAND.sub(r"##\\[", text)
    return text


def for_terminal(text: str) -> str:
    """The gate for plain text printed to a terminal or a CI log (reports, errors, summaries)."""
    return ci_log(terminal(text))


# ── GitHub workflow commands ─────────────────────────────────────────────────


def github_data(text: str) -> str:
    """The message of a workflow command: `%`, CR and LF as the runner expects them."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value (`file=`, `title=`): also `:` and `,`, which end a property."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


# ── Markdown ─────────────────────────────────────────────────────────────────

# What makes Markdown of plain text: code spans, emphasis, strikethrough, links and images,
# HTML, autolinks, entities, table cells, a heading's closing #s, GitHub's math; URLs and mail
# addresses GitHub would link by themselves (`https://`, `www.`, `a@b.c`). Untrusted text is
# never at the start of a line, so marks that act only there (`-`, `+`, `1.`, `>`) need nothing. A backslash before
# any ASCII punctuation mark is CommonMark's way to say "this character as written".
_MARKDOWN_SPECIAL = re.compile(
    r"([\\`*~<>&|#$@]"  # always
    r"|(?<![^\W_])_|_(?![^\W_])"  # `_` at a word's edge (inside a word it is no emphasis)
    r"|\](?=[(\[])"  # a link or image needs `](` or `][`
    r"|:(?=//)|(?<=[wW]{3})\.)"  # URLs GitHub links by itself
)
_BREAKS = re.compile(r"\r\n|[\r\n]")


def markdown_inline(text: str) -> str:
    """Text inside a Markdown paragraph, heading, list item or table cell, rendered as written
    (line breaks become spaces: a new line could start a new block)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", terminal_line(_BREAKS.sub(" ", text)))


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(run) for run in runs), default=0)


def markdown_code(text: str, in_table: bool = False) -> str:
    """An inline code span holding `text` as written (longer backtick fences than any inside)."""
    body = terminal_line(_BREAKS.sub(" ", text))
    if in_table:  # a table splits its cells at every `|`, code spans included
        body = body.replace("|", "\\|")
    fence = "`" * (_longest_run(body, "`") + 1)
    if body.startswith("`") or body.endswith("`") or not body.strip():
        body = f" {body} "
    return f"{fence}{body}{fence}"


def markdown_fence(text: str, info: str = "text", indent: str = "") -> str:
    """A fenced code block holding `text`; the fence is longer than any backtick run inside."""
    body = terminal(text.replace("\r\n", "\n").replace("\r", "\n"))
    fence = "`" * max(3, _longest_run(body, "`") + 1)
    lines = [fence + info, *body.split("\n"), fence]
    return "\n".join(indent + line if line else line for line in lines)


# ── XML ──────────────────────────────────────────────────────────────────────


def xml_text(text: str) -> str:
    """Text for an XML 1.0 element or attribute: forbidden characters, controls and bidi
    overrides made visible (ElementTree escapes the markup characters)."""
    return terminal(text)


def each_string(value: Any, escape: Callable[[str], str]) -> Any:
    """A copy of a JSON-like value with every string value (not key) escaped."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, dict):
        return {key: each_string(item, escape) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [each_string(item, escape) for item in value]
    return value
