"""Hand-edited or foreign JSON exports: located errors (exit 2), never a crash or a bad snapshot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.cli import main
from playbook.importers.common import epoch_of_stamp
from tests.import_helpers import FIXTURES, assert_valid
from tests.mutation import paths, put

JSON_EXPORTS = [
    ("telegram", "telegram_single.json"),
    ("telegram", "telegram_full.json"),
    ("discord", "discord/general.json"),
    ("wechat-json", "wechat_weflow.json"),
]


CHOSEN = {"telegram_full.json": ["--chat", "1234567890"]}  # a full export holds several chats


def _import(
    tmp_path: Path, fmt: str, name: str, export: dict[str, Any], lang: str = "en"
) -> tuple[Any, Path]:
    source = tmp_path / "export.json"
    source.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "snapshot.json"
    args = ["import", fmt, str(source), "-o", str(out), "--lang", lang, *CHOSEN.get(name, [])]
    return CliRunner().invoke(main, args), out


def _export(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8-sig"))


@pytest.mark.parametrize(
    ("fmt", "name", "edit", "where", "said"),
    [
        (
            "telegram",
            "telegram_single.json",
            lambda e: e["messages"][2].update(text=[7]),
            "$.messages[2].text[0]",
            "7 is not text or a mapping",
        ),
        (
            "telegram",
            "telegram_single.json",
            lambda e: e.update(name=12345),
            "$.name",
            "12345 is not text or null",
        ),
        (
            "telegram",
            "telegram_full.json",
            lambda e: e["chats"]["list"][1]["messages"][0].update(members=3),
            "$.chats.list[1].messages[0].members",
            "3 is not a list or null",
        ),
        (
            "discord",
            "discord/general.json",
            lambda e: e["messages"][1].update(author="newbie"),
            "$.messages[1].author",
            "'newbie' is not a mapping or null",
        ),
        (
            "discord",
            "discord/general.json",
            lambda e: e["messages"][0]["author"].update(name=444),
            "$.messages[0].author.name",
            "444 is not text or null",
        ),
        (
            "discord",
            "discord/general.json",
            lambda e: e["messages"][1].update(attachments=[1]),
            "$.messages[1].attachments[0]",
            "1 is not a mapping",
        ),
        (
            "wechat-json",
            "wechat_weflow.json",
            lambda e: e["messages"].insert(1, "localId"),
            "$.messages[1]",
            "'localId' is not a mapping",
        ),
        (
            "wechat-json",
            "wechat_weflow.json",
            lambda e: e["session"].update(wxid=123),
            "$.session.wxid",
            "123 is not text or null",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_located_and_nothing_is_written(tmp_path, fmt, name, edit, where, said):
    export = _export(name)
    edit(export)
    result, out = _import(tmp_path, fmt, name, export)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{tmp_path / 'export.json'}::{where}: {where}: {said}\n")
    assert "never holds this: was the file edited by hand, or made by another tool?" in result.stderr
    assert not out.exists()


def test_the_message_speaks_chinese_too(tmp_path):
    export = _export("discord/general.json")
    export["messages"][1]["author"] = "newbie"
    result, _ = _import(tmp_path, "discord", "discord/general.json", export, lang="zh")
    assert "$.messages[1].author 应为键值对象 或 空值 null，实际是 'newbie'" in result.stderr
    assert "DiscordChatExporter 导出的 JSON 里不会出现这样的值" in result.stderr


def test_an_impossible_time_is_skipped_and_counted(tmp_path):
    export = _export("telegram_single.json")
    export["messages"][0]["date_unixtime"] = "99999999999"  # the year 5138
    result, out = _import(tmp_path, "telegram", "telegram_single.json", export)
    assert result.exit_code == 0, result.output
    assert "skipped 1: records with an impossible time (before 1990 or after 2999)" in result.stderr
    assert_valid(json.loads(out.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("stamp", "epoch"),
    [
        (1717203600, 1717203600.0),
        ("1717203600", 1717203600.0),
        (1717203600.0, 1717203600.0),
        (" 1717203600 ", 1717203600.0),
        (0, None),
        ("0", None),
        (None, None),
        ("", None),
        ("-5", None),
        ("²", None),
        ("17172036OO", None),
        ("2024-06-01", None),
    ],
)
def test_epoch_stamps(stamp, epoch):
    assert epoch_of_stamp(stamp) == epoch


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["2026-13-45T25:61:00", "99999999999999", "1717203600", "²", "０１", "\u202e"]),
    st.just([]),
    st.just({}),
    st.just([None, 1]),
    st.just({"id": None}),
)


@settings(
    max_examples=int(__import__("os").environ.get("PLAYBOOK_FUZZ_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.sampled_from(JSON_EXPORTS), st.data(), ODD_VALUES)
def test_any_value_anywhere_gives_a_valid_snapshot_or_a_clean_error(tmp_path, case, data, odd):
    fmt, name = case
    export = _export(name)
    path = data.draw(st.sampled_from([p for p in paths(export) if p]))
    put(export, path, odd)
    (tmp_path / "snapshot.json").unlink(missing_ok=True)  # hypothesis reuses the folder
    result, out = _import(tmp_path, fmt, name, export)
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if result.exit_code == 0:
        assert_valid(json.loads(out.read_text(encoding="utf-8")))
    else:
        assert not out.exists()
