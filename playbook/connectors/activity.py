"""Messages and joins seen through an API, counted by the importers' builder (one counting code).

The builder turns messages into `activity.daily` and per-member statistics; a connector then
lays those statistics over the roster the API gave, as `import --roster` does for exports.
"""

from __future__ import annotations

from typing import Any

from playbook.connectors.run import FetchRequest
from playbook.importers.builder import SnapshotBuilder
from playbook.importers.common import ImportOptions, Summary
from playbook.importers.snapshot import assemble_snapshot

STATS = ("first_active_at", "last_active_at", "messages_7d", "messages_30d", "messages_total")


def message_log(platform: str, request: FetchRequest) -> SnapshotBuilder:
    options = ImportOptions(request.tz, None, request.captured_at, False)
    return SnapshotBuilder(platform, options, Summary(platform))


def counted(log: SnapshotBuilder, where: str) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The daily rows and each speaker's statistics by member id."""
    built = assemble_snapshot(log, where)
    return built["activity"]["daily"], {row["id"]: row for row in built["members"]["list"]}


def with_stats(roster: list[dict[str, Any]], stats: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each roster row with its message statistics (zeros for members never seen speaking)."""
    rows = []
    for person in roster:
        row = dict(person)
        seen = stats.get(person["id"])
        if seen is None:
            row.update(messages_7d=0, messages_30d=0, messages_total=0)
        else:
            row.update({key: seen[key] for key in STATS if key in seen})
        rows.append(row)
    return rows
