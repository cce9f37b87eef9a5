"""Reports kept as compact JSON between the audit and the reporters.

A report is ~30 KB of JSON but several times that as Python objects, and a worker's result is
unpickled into fresh copies of every text in it: 10,000 decoded reports held 3.3 GB. Kept
encoded they take what their JSON takes, cross from worker processes as one bytes object each,
and the JSON reporter writes them as they are. Encoding is orjson (an order of magnitude faster
than the standard encoder, same output); the standard library takes over for what orjson
refuses (integers beyond 64 bits, which a hostile snapshot can carry into evidence). orjson
would read such integers back as floats, so those reports are marked with one leading space
(still valid JSON) and decoded by the standard library too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import overload

import orjson

from playbook.core.report_types import Report


def encode(report: Report, indent: bool = False) -> bytes:
    """Compact JSON (or indented by two spaces), UTF-8, keys in report order."""
    try:
        return orjson.dumps(report, option=orjson.OPT_INDENT_2 if indent else 0)
    except (TypeError, orjson.JSONEncodeError):
        if indent:
            return json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")
        return b" " + json.dumps(report, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(data: bytes) -> Report:
    report: Report = json.loads(data) if data[:1] == b" " else orjson.loads(data)
    return report


class ReportList(Sequence[Report]):
    """A read-only sequence of reports, each decoded afresh when read (so the list stays small)."""

    def __init__(self, encoded: Sequence[bytes]):
        self.encoded = list(encoded)

    @classmethod
    def of(cls, reports: Sequence[Report]) -> ReportList:
        return cls([encode(report) for report in reports])

    def __len__(self) -> int:
        return len(self.encoded)

    @overload
    def __getitem__(self, index: int) -> Report: ...

    @overload
    def __getitem__(self, index: slice) -> list[Report]: ...

    def __getitem__(self, index: int | slice) -> Report | list[Report]:
        if isinstance(index, slice):
            return [decode(data) for data in self.encoded[index]]
        return decode(self.encoded[index])

    def __iter__(self) -> Iterator[Report]:
        return (decode(data) for data in self.encoded)

    def map(self, change: Callable[[Report], Report]) -> ReportList:
        """A new list with `change` applied to every report."""
        return ReportList([encode(change(report)) for report in self])
