"""Hostile text through every output: nothing a file writes acts on a terminal, a CI log, a
rendered Markdown page or an XML reader.

A corpus of strings written to do harm (escape sequences, bidi overrides, workflow commands,
Markdown and HTML, characters XML forbids, very long text) is put where an attacker can put it:
a group name, a rule's title and fix in a third-party playbook, a member's display name in a
chat export, a file name, an unknown key. Each output is then read back the way its consumer
reads it: markdown-it for Markdown, an XML parser for JUnit, the GitHub runner's command
grammar for CI logs, and a scan for control and bidi characters for the terminal.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from markdown_it import MarkdownIt

from playbook.cli import main
from playbook.io import escape
from tests.conftest import make_snapshot

HOSTILE = [
    "\x1b]0;pwned\x07title",  # OSC: window title
    "\x1b[2Jclear",  # clear the screen
    "\x1b[31mred\x1b[0m",  # colour
    "\x9b31mC1 CSI",  # the 8-bit CSI
    "evil\u202eexe.txt",  # right-to-left override
    "\u2066isolate\u2069 \u200fmark",
    "line\nbreak",
    "cr\rreturn",
    "\n::error file=README.md,line=1::injected",
    "::stop-commands::token",
    "  ::add-mask::secret",
    "x ##[set-output name=a;]b",
    "line\u2028separator\u2029para",
    "Shop <img src=https://t.example/p.gif> ![x](https://t.example/i.png)",
    "<script>alert(1)</script>",
    "[link](javascript:alert(1))",
    "**bold** _em_ ~~strike~~ `code`",
    "| pipe | in | table |",
    "fence\n```\nclosed the fence",
    "# heading\n- list\n> quote",
    "https://autolink.example www.example.com a@b.example",
    "$x^2$ math",
    "&lt;entity&gt; &amp;",
    "nul\x00byte",
    "bell\x07 and \x08 backspace \x7f del",
    "noncharacter \ufffe \uffff",
    "<group> placeholder <topic>",
    "长" * 3000,
]
# What must not reach a terminal: C0 controls but tab and newline, DEL, C1, bidi controls,
# line and paragraph separators.
TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
# A line the GitHub runner obeys: `::command` after any white space, or `##[` anywhere.
WORKFLOW_COMMAND = re.compile(r"^\s*::[\w-]+|##\[", re.MULTILINE)

PLAYBOOK = {
    "playbook": 1,
    "id": "hostile",
    "title": {"zh": "T", "en": "T"},
    "sections": {"naming": {"weight": 1}},
}


def _playbook(payload: str) -> dict:
    rule = {
        "id": "naming.hostile",
        "section": "naming",
        "title": {"zh": payload, "en": payload},
        "severity": "high",
        "check": {"path": "group.name", "op": "equals", "value": "never this"},
        "fix": {"zh": payload + "\n" + payload, "en": payload + "\n" + payload},
    }
    return {**PLAYBOOK, "rules": [rule]}


@pytest.fixture(params=range(len(HOSTILE)), ids=lambda i: f"payload{i}")
def hostile_files(request, tmp_path: Path) -> tuple[str, Path, Path]:
    payload = HOSTILE[request.param]
    group = make_snapshot()
    group["group"] = {**group["group"], "name": payload, "id": payload[:40]}
    snapshot = tmp_path / "group.json"
    snapshot.write_text(json.dumps(group, ensure_ascii=False), encoding="utf-8")
    playbook = tmp_path / "playbook.yaml"
    playbook.write_text(yaml.safe_dump(_playbook(payload), allow_unicode=True), encoding="utf-8")
    return payload, snapshot, playbook


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert result.exit_code in (0, 1, 2), result.output
    return result.exit_code, result.stdout, result.stderr


def assert_terminal_safe(text: str) -> None:
    assert not TERMINAL_UNSAFE.search(text), repr(TERMINAL_UNSAFE.search(text))
    assert not WORKFLOW_COMMAND.search(text), repr(WORKFLOW_COMMAND.search(text))


# Markdown-it token types that only Markdown syntax (not plain text) produces.
MARKUP_TOKENS = {
    "html_block",
    "html_inline",
    "image",
    "link_open",
    "em_open",
    "strong_open",
    "s_open",
    "code_inline",
    "fence",
    "heading_open",
    "bullet_list_open",
    "blockquote_open",
    "table_open",
}


def _markup(markdown: str) -> list[str]:
    """The markup tokens markdown-it makes of a document, in order (children included)."""
    tokens = MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(markdown)
    out = []
    for token in tokens:
        if token.type in MARKUP_TOKENS:
            out.append(token.type)
        out += [child.type for child in token.children or [] if child.type in MARKUP_TOKENS]
    return out


def _audit(snapshot: Path, playbook: Path, fmt: str) -> str:
    code, out, err = _run("audit", str(snapshot), "-p", str(playbook), "-f", fmt)
    assert code == 0 and not err, err
    return out


def test_the_terminal_table_shows_no_control_and_obeys_no_command(hostile_files) -> None:
    _, snapshot, playbook = hostile_files
    assert_terminal_safe(_audit(snapshot, playbook, "table"))


def test_a_summary_table_of_several_groups_is_as_safe(hostile_files, tmp_path) -> None:
    _, snapshot, playbook = hostile_files
    second = tmp_path / "second.json"
    second.write_text(snapshot.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = _run("audit", str(snapshot), str(second), "-p", str(playbook), "--details")
    assert code == 0
    assert_terminal_safe(out)


def test_markdown_renders_the_text_as_written(hostile_files, tmp_path) -> None:
    payload, snapshot, playbook = hostile_files
    hostile = _audit(snapshot, playbook, "markdown")
    group = make_snapshot()
    snapshot.write_text(json.dumps(group, ensure_ascii=False), encoding="utf-8")
    playbook.write_text(yaml.safe_dump(_playbook("plain words"), allow_unicode=True), encoding="utf-8")
    plain = _audit(snapshot, playbook, "markdown")
    # the same structure as with harmless words: no image, link, HTML, block or cell of its own
    assert _markup(hostile) == _markup(plain)
    rows = [line for line in hostile.splitlines() if line.startswith("|")]
    assert len(rows) == len([line for line in plain.splitlines() if line.startswith("|")])
    if "<group>" in payload:  # placeholders stay visible (they vanished as HTML tags)
        rendered = MarkdownIt("commonmark").enable("table").render(hostile)
        assert "&lt;group&gt;" in rendered


def test_junit_parses_and_keeps_the_text_visible(hostile_files) -> None:
    payload, snapshot, playbook = hostile_files
    root = ET.fromstring(_audit(snapshot, playbook, "junit").encode("utf-8"))
    names = [p.get("value") for p in root.iter("property") if p.get("name") == "group_name"]
    assert names and escape.xml_text(payload).startswith(names[0].rstrip("…"))


def test_github_commands_hold_one_command_a_line(hostile_files) -> None:
    _, snapshot, playbook = hostile_files
    lines = _audit(snapshot, playbook, "github").rstrip("\n").split("\n")  # the runner's lines (not U+2028)
    assert lines and all(re.fullmatch(r"::(error|warning|notice) [^:]*::[^\r\n]*", line) for line in lines)
    for line in lines:
        properties = line.split(" ", 1)[1].split("::", 1)[0]
        assert all(re.fullmatch(r"\w+=[^,]*", prop) for prop in properties.split(","))


def test_sarif_help_markdown_is_escaped(hostile_files) -> None:
    _, snapshot, playbook = hostile_files
    sarif = json.loads(_audit(snapshot, playbook, "sarif"))
    help_markdown = sarif["runs"][0]["tool"]["driver"]["rules"][0]["help"]["markdown"]
    assert set(_markup(help_markdown)) <= {"fence"}


def test_json_keeps_the_text_exactly(hostile_files) -> None:
    payload, snapshot, playbook = hostile_files
    report = json.loads(_audit(snapshot, playbook, "json"))
    name = report["snapshot"]["group_name"]
    assert name == payload or (len(payload) > 200 and payload.startswith(name.rstrip("…")))


def test_diff_and_trend_are_as_safe(hostile_files, tmp_path) -> None:
    _, snapshot, playbook = hostile_files
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    later = tmp_path / "later.json"
    later.write_text(json.dumps({**data, "captured_at": "2026-11-27T21:00:00+08:00"}), encoding="utf-8")
    code, out, _ = _run("diff", str(snapshot), str(later), "-p", str(playbook))
    assert code == 0
    assert_terminal_safe(out)
    code, out, _ = _run("diff", str(snapshot), str(later), "-p", str(playbook), "-f", "markdown")
    assert code == 0 and not {"html_inline", "html_block", "image", "link_open"} & set(_markup(out))
    code, out, _ = _run("trend", str(snapshot), str(later), "-p", str(playbook))
    assert code == 0
    assert_terminal_safe(out)


def test_error_messages_quote_file_names_and_keys_safely(hostile_files, tmp_path) -> None:
    payload, _, _ = hostile_files
    group = make_snapshot()
    group["group"] = {**group["group"], payload[:200]: 1}  # an unknown key
    snapshot = tmp_path / "odd.json"
    snapshot.write_text(json.dumps(group, ensure_ascii=False), encoding="utf-8")
    code, _, err = _run("audit", str(snapshot))
    assert code == 2 and err
    assert_terminal_safe(err)
    code, out, err = _run("validate", str(snapshot))
    assert code == 1 and "unknown key" in out + err
    assert_terminal_safe(out + err)


@pytest.mark.parametrize("name", ["\n::error::x.json", "\x1b]0;t\x07.json", "a\u202ejson.yaml"])
def test_a_hostile_file_name_in_an_error(tmp_path, name: str) -> None:
    code, _, err = _run("audit", str(tmp_path / name))
    assert code == 2 and err
    assert_terminal_safe(err)


def test_the_import_summary_shows_a_display_name_safely(tmp_path) -> None:
    messages = [
        {
            "id": i,
            "type": "message",
            "date": f"2026-03-12T10:0{i}:00",
            "from": payload,
            "from_id": f"user{i}",
            "text": "hi",
        }
        for i, payload in enumerate(HOSTILE[:9])
    ]
    export = tmp_path / "result.json"
    export.write_text(
        json.dumps({"name": HOSTILE[8], "type": "private_group", "id": 1, "messages": messages}),
        encoding="utf-8",
    )
    code, out, err = _run("import", "telegram", str(export), "-o", str(tmp_path / "snap.json"))
    assert code == 0
    assert_terminal_safe(out + err)


def test_colour_on_a_terminal_keeps_ours_and_escapes_theirs(tmp_path) -> None:
    from playbook.present.reporters import RenderContext, get_reporter

    report = json.loads(_audit(*_files(tmp_path, "\x1b]0;t\x07 \x1b[2J"), "json"))
    text = get_reporter("table")([report], RenderContext(color=True))
    assert "\x1b[" in text  # our colours
    assert "\x1b]" not in text and "\x1b[2J" not in text and "\\x1b]0;t\\x07" in text


def _files(tmp_path: Path, name: str) -> tuple[Path, Path]:
    group = make_snapshot()
    group["group"] = {**group["group"], "name": name}
    snapshot = tmp_path / "colour.json"
    snapshot.write_text(json.dumps(group), encoding="utf-8")
    playbook = tmp_path / "colour.yaml"
    playbook.write_text(yaml.safe_dump(_playbook("t")), encoding="utf-8")
    return snapshot, playbook


@pytest.mark.parametrize("text", HOSTILE)
def test_the_escapes_keep_chinese_and_show_every_control(text: str) -> None:
    shown = escape.terminal_line(text)
    assert not TERMINAL_UNSAFE.search(shown) and "\n" not in shown
    assert all(ch in shown for ch in text if "\u4e00" <= ch <= "\u9fff")
    assert escape.terminal("群名 👨‍👩‍👧 ok\n\tnext") == "群名 👨‍👩‍👧 ok\n\tnext"


def test_rules_listing_shows_a_playbooks_texts_as_written(hostile_files) -> None:
    _, _, playbook = hostile_files
    code, out, _ = _run("rules", "-p", str(playbook), "-f", "markdown")
    assert code == 0
    assert not {"html_inline", "html_block", "image", "link_open"} & set(_markup(out))
    assert (
        len([line for line in out.splitlines() if line.startswith("|")]) == 3
    )  # the header, its rule line, the one rule
    code, out, _ = _run("rules", "-p", str(playbook))
    assert code == 0
    assert_terminal_safe(out)


def test_explain_shows_a_hostile_rule_safely(hostile_files) -> None:
    _, snapshot, playbook = hostile_files
    code, out, _ = _run("explain", "naming.hostile", str(snapshot), "-p", str(playbook))
    assert code == 0 and "naming.hostile" in out
    assert_terminal_safe(out)


def _tags(html: str) -> list[str]:
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            self.found.append(tag)

    parser = Tags()
    parser.feed(html)
    return parser.found


def test_html_has_the_same_elements_as_with_harmless_words(hostile_files) -> None:
    _, snapshot, playbook = hostile_files
    hostile = _tags(_audit(snapshot, playbook, "html"))
    group = make_snapshot()
    snapshot.write_text(json.dumps(group, ensure_ascii=False), encoding="utf-8")
    playbook.write_text(yaml.safe_dump(_playbook("plain words"), allow_unicode=True), encoding="utf-8")
    assert hostile == _tags(_audit(snapshot, playbook, "html"))
