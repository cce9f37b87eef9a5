"""The output language follows the user's locale, as other programs on their machine do."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from playbook.cli import main
from playbook.io import language as i18n
from playbook.io.language import default_language
from tests.conftest import MINI, make_snapshot

# Every variable the language is read from, cleared: each test sets only what it describes.
NO_LOCALE: dict[str, str | None] = {
    "PLAYBOOK_LANG": None,
    "LC_ALL": None,
    "LC_MESSAGES": None,
    "LANG": None,
    "LANGUAGE": None,
}


@pytest.fixture
def group_file(tmp_path):
    path = tmp_path / "group.json"
    path.write_text(json.dumps(make_snapshot(), ensure_ascii=False), encoding="utf-8")
    return path


def audit(path, **env: str):
    return CliRunner().invoke(
        main, ["audit", str(path), "-p", str(MINI), "--today", "2026-11-20"], env={**NO_LOCALE, **env}
    )


@pytest.mark.parametrize("variable", ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"])
def test_a_chinese_locale_in_any_posix_variable_gives_chinese(group_file, variable, monkeypatch):
    monkeypatch.setattr(i18n.sys, "platform", "linux")
    result = audit(group_file, **{variable: "zh_CN.UTF-8"})
    assert result.exit_code == 0, result.output
    assert "总分" in result.stdout


def test_lc_all_overrides_lang_as_in_posix(group_file):
    assert "Overall" in audit(group_file, LC_ALL="en_US.UTF-8", LANG="zh_CN.UTF-8").stdout
    assert "总分" in audit(group_file, LC_ALL="zh_TW.UTF-8", LANG="C").stdout


def test_playbook_lang_and_lang_option_come_before_the_locale(group_file):
    assert "Overall" in audit(group_file, PLAYBOOK_LANG="en", LC_ALL="zh_CN.UTF-8").stdout
    result = CliRunner().invoke(
        main,
        ["--lang", "en", "audit", str(group_file), "-p", str(MINI)],
        env={**NO_LOCALE, "LC_ALL": "zh_CN.UTF-8"},
    )
    assert "Overall" in result.stdout


def test_windows_with_no_locale_variables_reads_the_user_locale(group_file, monkeypatch):
    monkeypatch.setattr(i18n.sys, "platform", "win32")
    monkeypatch.setattr(i18n, "windows_user_locale", lambda: "Chinese (Simplified)_China.936")
    assert "总分" in audit(group_file).stdout
    monkeypatch.setattr(i18n, "windows_user_locale", lambda: "English_United States.1252")
    assert "Overall" in audit(group_file).stdout


def test_no_locale_anywhere_means_english(group_file, monkeypatch):
    monkeypatch.setattr(i18n.sys, "platform", "linux")
    assert "Overall" in audit(group_file).stdout


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("zh_CN.UTF-8", "zh"),
        ("zh_TW.Big5", "zh"),
        ("zh_HK", "zh"),
        ("zh-Hans", "zh"),
        ("zh-Hant-TW", "zh"),
        ("Chinese_China.936", "zh"),
        ("Chinese (Traditional)_Taiwan.950", "zh"),
        ("C.UTF-8", "en"),
        ("POSIX", "en"),
        ("en_GB.UTF-8", "en"),
        ("ja_JP.UTF-8", "en"),
    ],
)
def test_any_chinese_locale_name_means_chinese(name, lang):
    assert default_language({"LC_ALL": name}, platform="linux") == lang
    assert default_language({}, platform="win32", system_locale=lambda: name) == lang


def test_language_lists_take_their_first_choice():
    assert default_language({"LANGUAGE": "zh_CN:en_US"}, platform="linux") == "zh"
    assert default_language({"LANGUAGE": "en_US:zh_CN"}, platform="linux") == "en"
