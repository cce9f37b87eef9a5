"""WeChat: MemoTrace CSV (type codes, system lines, missing columns) and WeFlow JSON."""

from __future__ import annotations

import pytest

from playbook.core.errors import PlaybookError
from playbook.importers import run_import
from tests.import_helpers import FIXTURES, assert_valid, day

CSV = FIXTURES / "wechat_memotrace_utf8.csv"
WEFLOW = FIXTURES / "wechat_weflow.json"


@pytest.mark.parametrize("fmt", ["wechat", "wechat-csv"])
def test_memotrace_csv(fmt: str) -> None:
    snap, summary = run_import(fmt, [CSV], include_messages=True)
    assert_valid(snap)
    assert snap["platform"] == "wechat" and snap["group"] == {"name": "wechat_memotrace"}
    members = {m["id"]: m for m in snap["members"]["list"]}
    assert list(members) == ["wxid_alice", "wxid_bob", "wxid_carol", "wxid_me"]
    assert members["wxid_bob"]["joined_at"] == "2024-06-01T09:01:00+08:00"  # "A"邀请"B、C"
    assert members["wxid_carol"]["joined_at"] == "2024-06-01T09:01:00+08:00"
    assert members["wxid_bob"]["left_at"] == "2024-06-03T09:00:00+08:00"  # 你将"Bob"移出了群聊
    assert members["wxid_me"]["name"] == "我"  # Remark wins over NickName
    assert members["wxid_alice"]["messages_total"] == 3
    assert snap["activity"]["daily"] == [
        day("2024-06-01", 3, 3, joins=2),
        day("2024-06-02", 4, 3),
        day("2024-06-03", 1, 1, leaves=1),
    ]
    kinds = [(m["type"], m["flags"]) for m in snap["activity"]["messages"]]
    assert kinds == [
        ("text", []),
        ("system", ["system"]),
        ("image", []),
        ("text", ["promo"]),
        ("sticker", []),
        ("link", ["link"]),
        ("red_packet", ["red_packet"]),
        ("voice", []),
        ("system", ["system"]),
        ("system", ["system"]),
        ("text", ["qr"]),
    ]
    recall = snap["activity"]["messages"][8]["text"]
    assert recall == '"Bob" 撤回了一条消息'  # CDATA and the 重新编辑 link are stripped
    assert summary.encodings == ["UTF-8 (BOM)"]
    assert summary.skipped.total() == 1 and "messages without a time" in summary.render("en")


def test_memotrace_csv_in_gb18030(tmp_path) -> None:
    path = tmp_path / "群_utf8.csv"
    path.write_bytes(CSV.read_bytes().decode("utf-8-sig").encode("gb18030"))
    snap, summary = run_import("wechat-csv", [path])
    assert snap["group"] == {"name": "群"}
    assert len(snap["members"]["list"]) == 4 and summary.encodings == ["GB18030"]


def test_csv_with_missing_columns(tmp_path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("localId,Type,StrContent\n1,1,hi\n", encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        run_import("wechat", [path])
    problem = caught.value.problems[0]
    assert str(problem.where) == f"{path}:1"
    assert "missing column(s) CreateTime, Sender; found: localId, Type, StrContent" in (problem.render("en"))
    assert "缺少列 CreateTime, Sender" in problem.render("zh")


def test_csv_with_a_quote_never_closed_points_at_its_row(tmp_path) -> None:
    path = tmp_path / "x.csv"
    rows = [
        "localId,Type,StrContent,CreateTime,Sender",
        "1,1,hi,2024-06-01 09:00:00,wxid_a",
        '2,1,"oops,2024-06-01 09:01:00,wxid_b',
    ] + [f"{n},1,{'x' * 100},2024-06-01 09:02:00,wxid_a" for n in range(3, 2000)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        run_import("wechat", [path])
    assert caught.value.render("en") == (
        f"{path}:3: malformed CSV: a cell starting on this line runs past 131072 characters; "
        "most likely a quote on this line is never closed"
    )
    assert "从这一行开始的一格超过 131072 个字符" in caught.value.render("zh")


def test_weflow_json() -> None:
    snap, summary = run_import("wechat", [WEFLOW], include_messages=True)
    assert_valid(snap)
    assert snap["group"] == {"id": "12345678@chatroom", "name": "读书会 2024"}
    assert snap["members"]["list"] == [
        {
            "id": "wxid_host",
            "name": "主持人",
            "first_active_at": "2024-07-01T20:00:00+08:00",
            "last_active_at": "2024-07-01T20:06:00+08:00",
            "messages_7d": 2,
            "messages_30d": 2,
            "messages_total": 2,
        },
        {
            "id": "wxid_new",
            "name": "新人",
            "joined_at": "2024-07-01T20:01:00+08:00",
            "first_active_at": "2024-07-01T20:05:00+08:00",
            "last_active_at": "2024-07-01T20:07:00+08:00",
            "messages_7d": 2,
            "messages_30d": 2,
            "messages_total": 2,
        },
    ]
    assert snap["activity"]["daily"] == [day("2024-07-01", 4, 2, joins=1)]
    flags = [(m["type"], m["flags"]) for m in snap["activity"]["messages"]]
    assert flags == [
        ("text", ["link"]),
        ("system", ["system"]),
        ("image", []),
        ("red_packet", ["red_packet"]),
        ("text", ["phone"]),
    ]
    assert summary.encodings == ["UTF-8"]


def test_json_without_session(tmp_path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"messages": []}', encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        run_import("wechat-json", [path])
    assert "not a WeFlow/EchoTrace WeChat export" in caught.value.render("en")
