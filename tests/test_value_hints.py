"""A refused value gets a hint with what to write instead, when the value shows what was meant:
a date written by hand (2026/11/20, 2026年11月20日 21点) spelt as the schema wants it; a
platform, stage or severity named in words ('QQ', '微信', '热运营期') or misspelt given its id;
a number with a unit ('500人'), a yes or no in words ('是'), a list written as one text."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from playbook.cli import main
from playbook.core.names import PLATFORM_NAMES, STAGE_NAMES, id_named
from playbook.core.timeutil import iso_spelling, parse_time
from playbook.core.value_hints import value_hint
from tests.conftest import audit_in_chinese

WHOLE_MINUTES = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("2026/11/20", "2026-11-20"),
        ("2026.1.5", "2026-01-05"),
        ("2026-1-5", "2026-01-05"),
        ("2026年11月20日", "2026-11-20"),
        ("2026年11月20号 21点", "2026-11-20T21:00:00"),
        ("2026年11月20日21点半", "2026-11-20T21:30:00"),
        ("2026年11月20日 21点30分15秒", "2026-11-20T21:30:15"),
        ("2026/11/20 9:05", "2026-11-20T09:05:00"),
        ("2026-11-20 21：00", "2026-11-20T21:00:00"),
    ],
)
def test_hand_written_times_are_spelt_in_iso(written: str, meant: str) -> None:
    assert iso_spelling(written) == meant


@pytest.mark.parametrize(
    "written", ["2026/02/30", "2026/11/20 25:00", "11/20/2026", "20261120", "next Friday", ""]
)
def test_what_is_no_time_gets_no_spelling(written: str) -> None:
    assert iso_spelling(written) is None


@given(
    WHOLE_MINUTES,
    st.sampled_from(["{y}/{m}/{d} {H}:{M}", "{y}年{m}月{d}日 {H}点{M}分", "{y}.{m}.{d} {H}:{M}:00"]),
)
def test_any_real_time_written_by_hand_comes_back_as_itself(moment: datetime, style: str) -> None:
    written = style.format(y=moment.year, m=moment.month, d=moment.day, H=moment.hour, M=moment.minute)
    spelled = iso_spelling(written)
    assert spelled is not None and parse_time(spelled) == parse_time(moment.isoformat())


def test_the_audit_says_how_to_write_the_date(tmp_path: Path) -> None:
    snapshot, result = audit_in_chinese(
        tmp_path / "group.yaml",
        "snapshot: 1\nplatform: wechat\ncaptured_at: 2026年11月20日 21点\ngroup:\n  name: x\n",
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"{snapshot}:3:14: $.captured_at 的值 '2026年11月20日 21点' 不是日期或时间"
        "（例如 2026-11-20 或 2026-11-20T21:00:00+08:00）\n"
        "  提示: 写成 2026-11-20T21:00:00\n"
    )


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("QQ", "qq"),
        ("微信", "wechat"),
        ("企业微信", "wecom"),
        ("weixin", "wechat"),
        (" Telegram ", "telegram"),
        ("热运营期", "growth"),
        ("成长期", "growth"),
        ("Cold start", "launch"),
    ],
)
def test_ids_named_in_words(written: str, meant: str) -> None:
    assert id_named(written, [*PLATFORM_NAMES, *STAGE_NAMES]) == meant


def test_a_name_whose_id_is_not_allowed_there_is_no_answer() -> None:
    assert id_named("微信", ["planning", "launch"]) is None
    assert id_named("zalo", list(PLATFORM_NAMES)) is None


@pytest.mark.parametrize(("line", "hint"), [("platform: wechatt", "你是不是想写 'wechat'？")])
def test_the_audit_names_the_platform_id(tmp_path: Path, line: str, hint: str) -> None:
    _, result = audit_in_chinese(tmp_path / "group.yaml", f"snapshot: 1\n{line}\ngroup:\n  name: x\n")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == f"  提示: {hint}"


@pytest.mark.parametrize(
    ("line", "note"), [("platform: 微信", "'微信' 按 wechat 读取"), ("platform: QQ", "'QQ' 按 qq 读取")]
)
def test_the_platform_in_the_words_the_tool_shows_is_read_as_its_id(
    tmp_path: Path, line: str, note: str
) -> None:
    _, result = audit_in_chinese(tmp_path / "group.yaml", f"snapshot: 1\n{line}\ngroup:\n  name: x\n")
    assert result.exit_code == 0 and note in result.stderr


def validate_rules(tmp_path: Path, rules: str) -> Result:
    """`validate` a one-section playbook whose rules are the YAML list `rules`."""
    playbook = tmp_path / "rules.yaml"
    head = "playbook: 1\nid: mine\ntitle: {zh: 我的, en: mine}\nsections: {naming: {weight: 1}}\nrules:\n"
    playbook.write_text(head + rules, encoding="utf-8")
    return CliRunner().invoke(main, ["validate", str(playbook), "--lang", "en"])


def test_a_playbook_severity_in_chinese_is_named(tmp_path: Path) -> None:
    result = validate_rules(
        tmp_path,
        "  - id: naming.x\n    section: naming\n    title: {zh: x, en: x}\n    severity: 高\n"
        "    check: {path: group.name, op: exists}\n",
    )
    assert result.exit_code == 1
    assert "$.rules[0].severity: '高' is not one of: critical, high, medium, low, info\n" in result.stdout
    assert "  hint: did you mean 'high'?\n" in result.stdout


def test_a_key_written_as_its_name_in_words_gets_the_key(tmp_path: Path) -> None:
    snapshot, result = audit_in_chinese(
        tmp_path / "group.yaml",
        "snapshot: 1\nplatform: qq\ngroup:\n  name: x\n  群介绍: 欢迎\n  人数上限: 500\n  Intro: y\n",
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{snapshot}:5:3: 未知的字段 '群介绍'（在 $.group）",
        "  提示: 你是不是想写 'intro'？",
        f"{snapshot}:6:3: 未知的字段 '人数上限'（在 $.group）",
        "  提示: 你是不是想写 'member_limit'？",
        f"{snapshot}:7:3: 未知的字段 'Intro'（在 $.group）",
        "  提示: 你是不是想写 'intro'？",
    ]


@pytest.mark.parametrize(
    ("value", "types", "hint"),
    [
        ("500人", ["integer"], "write the number alone, without quotes or a unit: 500"),
        (" 12 ", ["integer"], "write the number alone, without quotes or a unit: 12"),
        ("0.3", ["number", "null"], "write the number alone, without quotes or a unit: 0.3"),
        ("是", ["boolean"], "write true (without quotes)"),
        ("关闭", ["boolean"], "write false (without quotes)"),
        ("Yes", ["boolean"], "write true (without quotes)"),
        ("团购，小区、宝妈", ["array"], "write a list: [团购, 小区, 宝妈]"),
        ("团购, 小区", ["array"], "write a list: [团购, 小区]"),
        ("团购", ["array"], "write a list: [团购]"),
        ("很多", ["integer"], None),
        ("也许", ["boolean"], None),
        ("", ["array"], None),
        (5, ["string"], None),
    ],
)
def test_a_hint_spells_what_was_meant(value: object, types: list[str], hint: str | None) -> None:
    said = value_hint(value, types, [], time_pattern=False)
    assert (said.en if said else None) == hint
    assert said is None or said.zh != said.en


def test_the_audit_hints_numbers_lists_and_yes_or_no(tmp_path: Path) -> None:
    _, result = audit_in_chinese(
        tmp_path / "group.yaml",
        "snapshot: 1\nplatform: wechat\ngroup:\n  name: x\n  tags: 团购，小区\n  member_limit: 500人\n"
        "  join_policy:\n    mode: open\n    invite_confirmation: 是\n",
    )
    assert result.exit_code == 2
    assert [line for line in result.stderr.splitlines() if "提示" in line] == [
        "  提示: 写成列表: [团购, 小区]",
        "  提示: 只写数字，不加引号和单位: 500",
        "  提示: 写成 true（不加引号）",
    ]


def test_a_missing_key_is_explained_by_its_schema_description(tmp_path: Path) -> None:
    _, result = audit_in_chinese(tmp_path / "group.yaml", "snapshot: 1\ngroup: {intro: 欢迎}\n")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == (
        "  提示: 请填写 platform（平台：qq | wechat（微信） | wecom（企业微信） | telegram | discord | other）"
    )
    assert result.stderr.splitlines()[3] == "  提示: 请填写 name（群名称）"


def test_an_operator_value_in_quotes_gets_the_same_hints(tmp_path: Path) -> None:
    result = validate_rules(
        tmp_path,
        "  - id: naming.long\n    section: naming\n    title: {zh: x, en: x}\n    severity: low\n"
        '    check: {path: group.name, op: length_at_least, value: "3"}\n'
        "  - id: naming.words\n    section: naming\n    title: {zh: x, en: x}\n    severity: low\n"
        "    check: {path: group.tags, op: contains_any, value: 团购，小区}\n",
    )
    assert result.exit_code == 1
    hints = [line for line in result.stdout.splitlines() if line.startswith("  hint: ")]
    assert hints == [
        "  hint: write the number alone, without quotes or a unit: 3",
        "  hint: write a list: [团购, 小区]",
    ]
