"""Telegram Desktop JSON: single chat, full-account export, service messages, bad files."""

from __future__ import annotations

import pytest

from playbook.core.errors import PlaybookError
from playbook.importers import run_import
from tests.import_helpers import FIXTURES, assert_valid, day

SINGLE = FIXTURES / "telegram_single.json"
FULL = FIXTURES / "telegram_full.json"


def test_single_chat_members_daily_and_flags() -> None:
    snap, summary = run_import("telegram", [SINGLE], include_messages=True)
    assert_valid(snap)
    assert snap["group"] == {"id": "1234567890", "name": "测试群 Sample"}
    assert snap["captured_at"] == "2024-03-20T21:00:00+08:00"  # the pinned-message service line
    assert snap["members"]["source"] == "export"
    assert snap["members"]["list"] == [
        {
            "id": "user222",
            "name": "Bob",
            "first_active_at": "2024-03-12T10:02:00+08:00",
            "last_active_at": "2024-03-12T23:30:00+08:00",
            "left_at": "2024-03-13T12:00:00+08:00",
            "messages_7d": 0,
            "messages_30d": 2,
            "messages_total": 2,
        },
        {
            "id": "user333",
            "name": "Carol",
            "first_active_at": "2024-03-13T08:00:00+08:00",
            "last_active_at": "2024-03-20T20:00:00+08:00",
            "messages_7d": 1,
            "messages_30d": 2,
            "messages_total": 2,
        },
        {
            "id": "user111",
            "name": "Alice",
            "joined_at": "2024-03-12T10:00:00+08:00",
            "first_active_at": "2024-03-12T10:01:00+08:00",
            "last_active_at": "2024-03-12T10:01:00+08:00",
            "messages_7d": 0,
            "messages_30d": 1,
            "messages_total": 1,
        },
    ]
    daily = snap["activity"]["daily"]
    assert daily[0] == day("2024-03-12", 3, 2, joins=1)
    assert daily[1] == day("2024-03-13", 1, 1, joins=1, leaves=1)  # invite of Dave, Bob left
    assert daily[2:8] == [day(f"2024-03-{d}", 0, 0) for d in range(14, 20)]
    assert daily[8] == day("2024-03-20", 1, 1)
    kinds = [(m["type"], m["text"], m["flags"]) for m in snap["activity"]["messages"]]
    assert kinds == [
        ("system", "Alice join_group_by_link", ["system"]),
        ("text", "see https://example.com", ["link"]),  # entity list flattened
        ("image", "nice", []),
        ("text", "加微信 138 1234 5678 有优惠", ["phone", "promo"]),  # `date` only: read in tz
        ("sticker", "", []),  # date_unixtime "0000000000": falls back to `date`
        ("system", "Alice invite_members", ["system"]),
        ("system", "Bob remove_members", ["system"]),
        ("text", "call +8613800000000 扫码进群", ["phone", "promo", "qr"]),
        ("system", "Alice pin_message", ["system"]),
    ]
    assert summary.records == 10 and summary.member_messages == 5
    assert summary.service_messages == 4 and sum(summary.skipped.values()) == 1
    assert "Telegram 'unsupported' messages" in summary.render("en")


def test_messages_are_left_out_unless_asked() -> None:
    snap, _ = run_import("telegram", [SINGLE])
    assert "messages" not in snap["activity"]


def test_date_without_offset_follows_tz() -> None:
    snap, _ = run_import("telegram", [SINGLE], tz="UTC", include_messages=True)
    # epoch times move with the zone; the message with only `date` keeps its wall clock
    texts = {m["text"]: m["at"] for m in snap["activity"]["messages"]}
    assert texts["see https://example.com"] == "2024-03-12T02:01:00+00:00"
    assert texts["加微信 138 1234 5678 有优惠"] == "2024-03-12T23:30:00+00:00"


def test_captured_at_sets_the_windows_and_skips_later_records() -> None:
    snap, summary = run_import("telegram", [SINGLE], captured_at="2024-03-13")
    assert snap["captured_at"] == "2024-03-13T23:59:59+08:00"
    carol = next(m for m in snap["members"]["list"] if m["id"] == "user333")
    assert carol["messages_total"] == 1
    assert summary.skipped.total() == 3  # unsupported + two records after the capture time


@pytest.mark.parametrize("chat", ["测试群 Sample", "1234567890", "测试群 sample"])
def test_full_export_picks_a_chat_by_name_or_id(chat: str) -> None:
    snap, summary = run_import("telegram", [FULL], chat=chat)
    assert_valid(snap)
    assert snap["group"] == {"id": "1234567890", "name": "测试群 Sample"}
    assert len(snap["members"]["list"]) == 3
    assert summary.chat == "测试群 Sample (id 1234567890, private_supergroup)"


def test_full_export_without_chat_lists_the_chats() -> None:
    with pytest.raises(PlaybookError) as caught:
        run_import("telegram", [FULL])
    text = caught.value.render("zh")
    assert "文件里有 3 个聊天" in text
    assert "Other Group (id 555, public_supergroup)" in text
    assert "Friend (id 777, personal_chat)" in text


def test_unknown_chat_suggests_a_name() -> None:
    with pytest.raises(PlaybookError) as caught:
        run_import("telegram", [FULL], chat="Other Grup")
    assert "did you mean 'Other Group'?" in caught.value.render("en")


def test_truncated_export_names_the_message(tmp_path) -> None:
    broken = tmp_path / "result.json"
    broken.write_bytes(SINGLE.read_bytes()[:1200])
    with pytest.raises(PlaybookError) as caught:
        run_import("telegram", [broken])
    message = caught.value.render("en")
    assert message.startswith(f"{broken}::$.messages[")
    assert "the JSON ends here" in message
    assert "JSON 在这里中断" in caught.value.render("zh")


@pytest.mark.parametrize(("chat", "index"), [("测试群 Sample", 1), ("Other Group", 2)])
def test_a_truncated_full_export_names_the_chat_it_ends_in(tmp_path, chat: str, index: int) -> None:
    raw = FULL.read_bytes()
    broken = tmp_path / "result.json"
    broken.write_bytes(raw[: raw.index(chat.encode()) + 60])  # cut inside that chat
    with pytest.raises(PlaybookError) as caught:
        run_import("telegram", [broken])
    assert caught.value.render("en").startswith(f"{broken}::$.chats.list[{index}]: the JSON ends here")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"name": "x", "list": []}', "not a Telegram Desktop export"),
        ("[1, 2]", "does not hold a JSON object"),
        ("2024-05-01 9:05:00 阿明(10001)\nhi\n", "does not hold a JSON object"),
        ("消息记录（此消息记录为文本格式）\n", "not valid JSON"),
    ],
)
def test_not_an_export(tmp_path, content: str, expected: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        run_import("telegram", [path])
    assert expected in caught.value.render("en")
