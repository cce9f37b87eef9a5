"""`--settings group.yaml`: what a person keeps by hand, merged under what the API says.

The API is the fresher source wherever it speaks (a guild's verification level, a chat's
description); the file fills what no API knows (the group's purpose, its written rules with
their penalties, goals, member tags). Mappings merge key by key, members by id; any other
value from the API replaces the file's.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text
from playbook.io.documents import Document, read_document
from playbook.io.validation import validate_document

# Keys a partial file may leave out: the fetched snapshot always has them.
FILLED_BY_API = {"platform": "other", "group": {"name": "?"}}


def load_settings(path: str, platform: str) -> dict[str, Any]:
    """The settings file as a mapping, checked against the snapshot schema where it is written."""
    document = read_document(path)
    if not isinstance(document.data, dict):
        raise PlaybookError.at(
            path,
            Text(
                "设置文件应是一个映射（键: 值），像群快照那样",
                "the settings file should be a mapping (key: value), like a snapshot",
            ),
        )
    _check(document)
    written = document.data.get("platform")
    if written is not None and written != platform:
        raise PlaybookError.at(
            document.location(["platform"]),
            Text(
                "设置文件写的平台是 '{w}'，但抓取的是 '{p}'",
                "the settings say platform '{w}' but this fetch is '{p}'",
            ).format(w=written, p=platform),
            Text("删掉这一行，或换一个设置文件", "remove the line, or use another settings file"),
        )
    return document.data


def _check(document: Document) -> None:
    """Validate with the keys the API fills given placeholders, so a partial file passes."""
    data = copy.deepcopy(document.data)
    data.setdefault("platform", FILLED_BY_API["platform"])
    group = data.setdefault("group", {})
    if isinstance(group, dict):
        group.setdefault("name", "?")
    validate_document(dataclasses.replace(document, data=data), "snapshot")


def merge_settings(fetched: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """`fetched` over `settings`: the hand-written value stays only where the API said nothing."""
    merged = _merge(settings, fetched)
    if "members" in fetched and "members" in settings:
        merged["members"]["list"] = _merge_members(
            settings["members"].get("list"), fetched["members"].get("list")
        )
        if merged["members"]["list"] is None:
            del merged["members"]["list"]
    return merged


def _merge(under: Any, over: Any) -> Any:
    if isinstance(under, dict) and isinstance(over, dict):
        result = dict(under)
        for key, value in over.items():
            result[key] = _merge(under[key], value) if key in under else value
        return result
    return over


def _merge_members(
    kept: list[dict[str, Any]] | None, fetched: list[dict[str, Any]] | None
) -> list[dict[str, Any]] | None:
    """The API decides who is in the group; a hand-kept entry adds what the API lacks (tags)."""
    if fetched is None:
        return kept
    by_id = {row.get("id"): row for row in kept or [] if isinstance(row, dict)}
    return [_merge(by_id[row["id"]], row) if row["id"] in by_id else row for row in fetched]
