"""Click's own messages (usage errors, help headings) come in the user's language."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import click
import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from playbook.cli import main
from playbook.cli.click_text import LOCALE_DIR, language_asked

CATALOG = LOCALE_DIR / "zh" / "LC_MESSAGES"
FIELD = re.compile(r"\{[^{}]*\}|%\([a-z]+\)s")


def run(*args: str, env: dict[str, str] | None = None):
    # LC_ALL and LC_MESSAGES come before LANG: cleared, so that LANG decides as each test says
    unset = {"LC_ALL": None, "LC_MESSAGES": None}
    return CliRunner().invoke(
        main, list(args), env={"PLAYBOOK_LANG": "", "LANG": "C", **unset, **(env or {})}
    )


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["audti"], "错误: 没有这个命令 'audti'。", "Error: No such command 'audti'."),
        (["audit"], "错误: 缺少参数 'SNAPSHOTS...'", "Error: Missing argument 'SNAPSHOTS...'"),
        (["audit", "g.json", "--jbos", "2"], "没有这个选项 '--jbos'", "No such option '--jbos'"),
        (
            ["audit", "g.json", "--fail-under", "abc"],
            "'--fail-under' 的取值无效",
            "Invalid value for '--fail-under'",
        ),
        # the number types are named in words, not click's `float range` in every language
        (
            ["audit", "g.json", "--fail-under", "abc"],
            "'abc' 不是有效的数字。",
            "'abc' is not a valid number.",
        ),
        (["audit", "g.json", "--jobs", "x"], "'x' 不是有效的整数。", "'x' is not a valid whole number."),
        (
            ["audit", "g.json", "--today", "2026/11/20"],
            "'2026/11/20' 不是日期（应写成 2026-11-20）",
            "'2026/11/20' is not a date (write 2026-11-20)",
        ),
        (
            ["audit", "g.json", "--today", "2026-02-30"],
            "'2026-02-30' 不是日期（没有这一天）",
            "'2026-02-30' is not a date (there is no such day)",
        ),
        (
            ["audit", "g.json", "--today", "soon"],
            "'soon' 不是日期（YYYY-MM-DD）",
            "'soon' is not a date (YYYY-MM-DD)",
        ),
    ],
)
def test_a_usage_error_is_in_the_language_asked_for(args, zh, en):
    chinese, english = run(*args, "--lang", "zh"), run(*args, "--lang", "en")
    assert (chinese.exit_code, english.exit_code) == (2, 2)
    assert zh in chinese.stderr and "用法:" in chinese.stderr
    assert en in english.stderr and "Usage:" in english.stderr


def test_the_environment_decides_when_no_lang_is_given():
    assert "缺少参数" in run("audit", env={"PLAYBOOK_LANG": "zh"}).stderr
    assert "Missing argument" in run("audit", env={"LANG": "en_US.UTF-8"}).stderr
    assert "缺少参数" in run("audit", env={"LANG": "zh_CN.UTF-8"}).stderr


def test_help_headings_follow_the_language():
    chinese = run("--lang", "zh", "--help").stdout
    assert chinese.startswith("用法:") and "\n选项:\n" in chinese and "\n命令:\n" in chinese
    english = run("--lang", "en", "--help").stdout
    assert english.startswith("Usage:") and "\nOptions:\n" in english and "\nCommands:\n" in english


@pytest.mark.parametrize(
    ("lang", "expected", "unexpected"),
    [
        (
            "zh",
            ["用法:", "显示本帮助后退出", "显示版本号后退出", "输出语言"],
            ["Show this message", "output language"],
        ),
        ("en", ["Usage:", "Show this message and exit.", "output language"], ["显示本帮助", "输出语言"]),
    ],
)
def test_a_whole_help_page_is_in_one_language(lang, expected, unexpected):
    # A process of its own: option help is written as the program starts, once.
    done = subprocess.run(
        [sys.executable, "-m", "playbook", "--lang", lang, "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PLAYBOOK_LANG": "", "LANG": "C", "LC_ALL": "", "LC_MESSAGES": ""},
    )
    for text in expected:
        assert text in done.stdout
    for text in unexpected:
        assert text not in done.stdout


@pytest.mark.parametrize(
    ("argv", "asked"),
    [
        (["audit", "--lang", "zh"], "zh"),
        (["--lang=en", "audit"], "en"),
        (["audit", "--lang", "fr"], "zh"),  # not a language we speak: the default stays
        (["audit", "--", "--lang", "en"], "zh"),  # after `--` it is a file name
        (["audit", "--lang"], "zh"),
    ],
)
def test_language_asked_reads_the_command_line(argv, asked):
    assert language_asked(argv, "zh") == asked


def test_the_compiled_catalog_is_compiled_from_the_source():
    with open(CATALOG / "click.po", "rb") as source, open(CATALOG / "click.mo", "rb") as compiled:
        wanted, shipped = read_po(source), read_mo(compiled)
    assert _pairs(wanted) == _pairs(shipped), "run: pybabel compile -d playbook/locale -D click"


def _pairs(catalog) -> set[tuple]:
    return {(_tuple(m.id), _tuple(m.string)) for m in catalog if m.id}


def _tuple(text):
    return tuple(text) if isinstance(text, list | tuple) else (text,)


def test_every_translation_keeps_the_fields_click_fills_in():
    with open(CATALOG / "click.po", "rb") as source:
        catalog = read_po(source)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {ids[0]!r}"
        for translated in strings:
            # Chinese has one form: it is the plural's, with the plural's fields (click fills both).
            assert set(FIELD.findall(translated)) == set(FIELD.findall(ids[-1])), translated


@pytest.mark.parametrize(("lang", "line"), [("zh", "playbook，版本 "), ("en", "playbook, version ")])
def test_the_version_line_is_in_the_language_asked_for(lang, line):
    done = subprocess.run(
        [sys.executable, "-m", "playbook", "--version", "--lang", lang],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PLAYBOOK_LANG": "", "LANG": "C", "LC_ALL": "", "LC_MESSAGES": ""},
    )
    assert done.stdout.startswith(line)


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("zh", ["--fail-under SCORE", "--jobs N", "--today YYYY-MM-DD"]),
        ("en", ["--fail-under SCORE", "--jobs N", "--today YYYY-MM-DD"]),
    ],
)
def test_number_and_date_options_are_named_plainly_in_help(lang, shown):
    help_page = " ".join(run("audit", "--help", "--lang", lang).stdout.split())
    for text in shown:
        assert text in help_page
    assert "RANGE" not in help_page and "%Y" not in help_page


def test_every_command_takes_lang():
    context = click.Context(main)
    for name in main.list_commands(context):
        command = main.get_command(context, name)
        assert command is not None
        assert "--lang" in {opt for param in command.params for opt in param.opts}, name
    assert run("schema", "tests", "--lang", "zh").exit_code == 0
    assert "不在可选值中" in run("schema", "nothing", "--lang", "zh").stderr


def test_the_help_column_stays_aligned_in_chinese():
    # click aligns by characters: a Chinese metavar (two columns each) would push its help right.
    # A process of its own: option help is written in the language asked for as the program starts.
    done = subprocess.run(
        [sys.executable, "-m", "playbook", "audit", "--help", "--lang", "zh"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PLAYBOOK_LANG": "", "LANG": "C", "LC_ALL": "", "LC_MESSAGES": ""},
    )
    options = [line for line in done.stdout.splitlines() if line.startswith("  -")]
    assert len(options) > 10 and "总分低于此值时" in done.stdout
    for line in options:
        names = line.split("   ")[0]  # the option and its metavar, before the padding
        assert names.isascii(), line
