"""QQ message-manager TXT: sections, headers, multi-line bodies, system lines, encodings."""

from __future__ import annotations

import codecs

import pytest

from playbook.core.errors import PlaybookError
from playbook.importers import run_import
from tests.import_helpers import FIXTURES, assert_valid, day

EXPORT = FIXTURES / "qq_export.txt"
TEXT = EXPORT.read_bytes().decode("utf-8")

MEMBERS = [
    {
        "id": "10001",
        "name": "阿明",
        "role": "owner",
        "first_active_at": "2024-05-01T09:05:00+08:00",
        "last_active_at": "2024-05-03T13:00:00+08:00",
        "messages_7d": 3,
        "messages_30d": 3,
        "messages_total": 3,
    },
    {
        "id": "0012345",
        "name": "名字(带(嵌套)括号)",
        "first_active_at": "2024-05-01T21:15:00+08:00",
        "last_active_at": "2024-05-01T21:15:00+08:00",
        "left_at": "2024-05-03T12:00:00+08:00",
        "messages_7d": 1,
        "messages_30d": 1,
        "messages_total": 1,
    },
    {
        "id": "10003",
        "name": "小刚",
        "role": "admin",
        "joined_at": "2024-05-01T09:10:00+08:00",
        "first_active_at": "2024-05-02T20:43:38+08:00",
        "last_active_at": "2024-05-02T20:43:38+08:00",
        "messages_7d": 1,
        "messages_30d": 1,
        "messages_total": 1,
    },
    {
        "id": "xiaohong@example.com",
        "name": "小红",
        "first_active_at": "2024-05-01T09:06:30+08:00",
        "last_active_at": "2024-05-01T09:06:30+08:00",
        "messages_7d": 1,
        "messages_30d": 1,
        "messages_total": 1,
    },
]


def test_group_section_members_daily_and_flags() -> None:
    snap, summary = run_import("qq", [EXPORT], include_messages=True)
    assert_valid(snap)
    assert snap["platform"] == "qq"
    assert snap["group"] == {"name": "产品运营交流群"}  # the only group; 老王 is a friend chat
    assert snap["members"]["list"] == MEMBERS
    assert snap["activity"]["daily"] == [
        day("2024-05-01", 3, 3, joins=1),
        day("2024-05-02", 2, 2),
        day("2024-05-03", 1, 1, leaves=1),  # the second section of the same group is merged
    ]
    messages = [(m.get("from"), m["type"], m["text"], m["flags"]) for m in snap["activity"]["messages"]]
    assert messages[1] == (
        "xiaohong@example.com",
        "text",
        "第一行\n第二行\n\n第二段落，加微信 wx123 有优惠",
        ["promo"],
    )
    assert messages[2] == (None, "system", "小刚加入本群。", ["system"])
    assert messages[3] == ("0012345", "image", "[图片]", [])
    assert messages[4] == ("10001", "text", "[图片]2 看这里 https://example.com/a", ["link"])
    assert messages[5][:2] == ("10003", "red_packet") and messages[5][3] == ["red_packet"]
    assert messages[8] == ("10001", "sticker", "[表情]", [])
    assert snap["activity"]["messages"][5]["at"] == "2024-05-02T20:43:38+08:00"  # 8:43:38 PM
    assert snap["activity"]["messages"][4]["at"] == "2024-05-02T01:02:03+08:00"  # 1:2:3
    assert summary.encodings == ["UTF-8"]
    assert "私聊内容不属于群" not in str(snap)


def test_friend_section_by_chat_name() -> None:
    snap, summary = run_import("qq", [EXPORT], chat="老王")
    assert snap["group"] == {"name": "老王"}
    assert [m["id"] for m in snap["members"]["list"]] == ["20002"]
    assert summary.chat == "老王"


@pytest.mark.parametrize(
    ("codec", "bom", "label"),
    [
        ("utf-8", codecs.BOM_UTF8, "UTF-8 (BOM)"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16 (BOM)"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16 (BOM)"),
        ("utf-16-le", b"", "UTF-16LE"),
        ("gb18030", b"", "GB18030"),
    ],
)
def test_encodings_are_sniffed_and_reported(tmp_path, codec: str, bom: bytes, label: str) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(bom + TEXT.encode(codec))
    snap, summary = run_import("qq", [path], chat="产品运营交流群")
    assert snap["members"]["list"] == MEMBERS
    assert summary.encodings == [label]
    assert f"encoding: {label}" in summary.render("en")


def test_a_file_that_changes_encoding_fails_at_the_line(tmp_path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(TEXT.encode("utf-8") * 80 + "2024-06-01 1:00:00 坏(1)\n坏行\n".encode("gbk"))
    with pytest.raises(PlaybookError) as caught:
        run_import("qq", [path], chat="产品运营交流群")
    where = str(caught.value.problems[0].where)
    assert where.startswith(f"{path}:") and int(where.rsplit(":", 1)[1]) > 80 * 40
    assert "save the whole file as UTF-8" in caught.value.render("en")


def test_binary_file_is_refused(tmp_path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(PlaybookError) as caught:
        run_import("qq", [path])
    assert "not a text file" in caught.value.render("en")


def test_text_that_is_not_a_qq_export(tmp_path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("购物清单\n牛奶\n", encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        run_import("qq", [path])
    assert str(caught.value.problems[0].where) == str(path)
    assert "不是 QQ 消息管理器导出的 TXT" in caught.value.render("zh")


def test_several_groups_need_chat(tmp_path) -> None:
    second = TEXT.replace("消息对象:老王", "消息对象:第二个群").replace("我的好友", "我的群聊")
    path = tmp_path / "all.txt"
    path.write_text(second, encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        run_import("qq", [path])
    rendered = caught.value.render("en")
    assert "the file holds 2 chats" in rendered
    assert "产品运营交流群 (我的群聊)" in rendered and "第二个群 (我的群聊)" in rendered


def test_discussion_group_without_ids(tmp_path) -> None:
    path = tmp_path / "talk.txt"
    path.write_text("2024-01-01 10:00:00 张三\n你好\n\n2024-01-01 10:01:00 李四\n好\n", encoding="utf-8")
    snap, _ = run_import("qq", [path])
    assert snap["group"] == {"name": "talk"}
    assert [(m["id"], m["name"]) for m in snap["members"]["list"]] == [("张三", "张三"), ("李四", "李四")]
