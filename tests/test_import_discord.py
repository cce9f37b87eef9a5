"""DiscordChatExporter: several channel files merge into one server; GuildMemberJoin joins."""

from __future__ import annotations

import pytest

from playbook.core.errors import PlaybookError
from playbook.importers import run_import
from tests.import_helpers import FIXTURES, assert_valid, day

FOLDER = FIXTURES / "discord"


@pytest.mark.parametrize("paths", [[FOLDER], [FOLDER / "general.json", FOLDER / "off-topic.json"]])
def test_channels_merge_into_one_guild(paths) -> None:
    snap, summary = run_import("discord", paths, include_messages=True)
    assert_valid(snap)
    assert snap["platform"] == "discord"
    assert snap["group"] == {"id": "900", "name": "Example Guild"}
    assert snap["captured_at"] == "2024-08-02T10:00:00+08:00"
    assert snap["members"]["list"] == [
        {
            "id": "222",
            "name": "bob",
            "first_active_at": "2024-08-01T03:00:00+08:00",
            "last_active_at": "2024-08-02T09:00:00+08:00",
            "messages_7d": 2,
            "messages_30d": 2,
            "messages_total": 2,
        },
        {
            "id": "111",
            "name": "Alice A",
            "first_active_at": "2024-08-01T10:00:00+08:00",
            "last_active_at": "2024-08-01T10:00:00+08:00",
            "messages_7d": 1,
            "messages_30d": 1,
            "messages_total": 1,
        },
        {
            "id": "333",
            "name": "helper",
            "role": "bot",
            "first_active_at": "2024-08-02T10:00:00+08:00",
            "last_active_at": "2024-08-02T10:00:00+08:00",
            "messages_7d": 1,
            "messages_30d": 1,
            "messages_total": 1,
        },
        {
            "id": "444",
            "name": "newbie",
            "joined_at": "2024-08-01T09:00:00+08:00",
            "first_active_at": "2024-08-01T09:05:00+08:00",
            "last_active_at": "2024-08-01T09:05:00+08:00",
            "messages_7d": 1,
            "messages_30d": 1,
            "messages_total": 1,
        },
    ]
    assert snap["activity"]["daily"] == [day("2024-08-01", 3, 3, joins=1), day("2024-08-02", 2, 2)]
    kinds = [(m["from"], m["type"], m["flags"]) for m in snap["activity"]["messages"]]
    assert kinds == [
        ("222", "text", []),
        ("444", "system", ["system"]),
        ("444", "text", ["link", "promo"]),
        ("111", "image", []),
        ("111", "system", ["system"]),
        ("222", "sticker", []),
        ("333", "text", []),
    ]
    assert summary.chat == "general, off-topic"


def test_files_from_two_servers_are_refused() -> None:
    with pytest.raises(PlaybookError) as caught:
        run_import("discord", [FOLDER / "general.json", FIXTURES / "discord_other_guild.json"])
    assert "another server 'Another Guild' (901)" in caught.value.render("en")


def test_truncated_channel_file(tmp_path) -> None:
    cut = tmp_path / "general.json"
    cut.write_bytes((FOLDER / "general.json").read_bytes()[:-300])
    with pytest.raises(PlaybookError) as caught:
        run_import("discord", [cut])
    assert str(caught.value.problems[0].where) == f"{cut}::$.messages[3]"
