"""Load a group snapshot: parse, validate against the schema, check its times are real."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playbook.errors import PlaybookError, Problem
from playbook.i18n import Text
from playbook.loader import Document, read_document
from playbook.timeutil import parse_time, zone
from playbook.validation import validate_document

TIME_FIELDS = (("captured_at",), ("group", "created_at"))


def load_snapshot(path: str | Path) -> Document:
    document = read_document(path)
    check_snapshot(document)
    return document


def check_snapshot(document: Document) -> None:
    """Schema first; then what a schema cannot say (a real time zone, real dates)."""
    validate_document(document, "snapshot")
    problems = _zone_problems(document) or _time_problems(document)
    if problems:
        raise PlaybookError(problems)


def _zone_problems(document: Document) -> list[Problem]:
    name = document.data.get("timezone")
    if name is None:
        return []
    try:
        zone(name)
    except ValueError:
        return [
            Problem(
                document.where(["timezone"]),
                Text(
                    f"未知的时区 {name!r}（例如 Asia/Shanghai）",
                    f"unknown time zone {name!r} (e.g. Asia/Shanghai)",
                ),
            )
        ]
    return []


def _time_problems(document: Document) -> list[Problem]:
    problems = []
    for pointer in TIME_FIELDS:
        value: Any = document.data
        for key in pointer:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and parse_time(value) is None:
            problems.append(
                Problem(
                    document.where(list(pointer)),
                    Text(f"{value!r} 不是真实存在的日期时间", f"{value!r} is not a real date or time"),
                )
            )
    return problems
