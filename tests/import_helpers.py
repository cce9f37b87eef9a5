"""Shared helpers for the importer tests: fixture paths and schema validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SCHEMA = Path(__file__).parent.parent / "schemas" / "snapshot.schema.json"


def assert_valid(snapshot: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(snapshot)]
    assert errors == []


def day(date: str, messages: int, speakers: int, joins: int = 0, leaves: int = 0) -> dict:
    return {"date": date, "messages": messages, "speakers": speakers, "joins": joins, "leaves": leaves}
