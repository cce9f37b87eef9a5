"""The stable Python API: load a playbook once, audit snapshots given as data, get reports.

    from datetime import date
    from playbook import api

    rules = api.load_playbook()                      # the built-in profile of each snapshot's platform
    report = api.audit(snapshot_dict, rules, today=date(2026, 11, 20))
    report.score                                     # 72.5
    report.to_json()                                 # the canonical JSON report

Everything here is plain data and picklable (a loaded playbook travels with its compiled
rules, so a worker of a cluster needs neither the playbook files nor a cache), and nothing
here imports the command line. `API_VERSION` is the version of this module's promises: the
names and arguments below keep working while it stays 1. A report carries its own schema
version (`report.version`, schemas/report.schema.json). The engine never reads the clock:
`today` is always given.

Bad input raises `PlaybookError`: `.problems` says where (a `Location`: file:line:col or name::$.path), what
was found and what was expected; `.render("zh")` / `.render("en")` as the CLI shows it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from playbook.core.errors import Location, PlaybookError
from playbook.core.gates import GateFailure, Gates, check_gates
from playbook.core.i18n import Text
from playbook.core.model import Playbook as CompiledPlaybook
from playbook.core.report import REPORT_VERSION, Options, build_report
from playbook.core.report_types import Report as ReportData
from playbook.core.resources import builtin_ruleset_names
from playbook.core.selection import RuleSelection, restrict
from playbook.io.documents import Document, parse_text
from playbook.io.facts import platform_fact_table
from playbook.io.limits import path_limits
from playbook.io.report_list import decode, encode

__all__ = [
    "API_VERSION",
    "REPORT_VERSION",
    "LoadedPlaybook",
    "Location",
    "PlaybookError",
    "Report",
    "audit",
    "load_playbook",
    "read_snapshot",
]

API_VERSION = 1


@dataclass(frozen=True)
class LoadedPlaybook:
    """Playbooks loaded and compiled once, for any number of audits.

    `refs` are what `-p` takes (files, `builtin:NAME`, combined in order). With none, each
    snapshot is audited by the built-in profile of its platform (else `builtin:default`),
    loaded on first use in each process."""

    refs: tuple[str, ...] = ()
    compiled: CompiledPlaybook | None = field(default=None, repr=False, compare=False)
    selection: RuleSelection = field(default_factory=RuleSelection)  # --select / --ignore

    @property
    def id(self) -> str | None:
        return None if self.compiled is None else self.compiled.id

    def for_platform(self, platform: str) -> CompiledPlaybook:
        """The compiled playbook that audits a snapshot of `platform`."""
        if self.compiled is not None:
            return restrict(self.compiled, self.selection)
        name = platform if platform in builtin_ruleset_names() else "default"
        return restrict(compiled_playbook((f"builtin:{name}",)), self.selection)


def load_playbook(*refs: str) -> LoadedPlaybook:
    """Load, check and compile the playbooks `refs` (none: the built-in profile per platform).

    Read afresh on every call (an edited file is seen), so call it once per batch."""
    return LoadedPlaybook(tuple(refs), _compile(tuple(refs)) if refs else None)


def _compile(refs: tuple[str, ...]) -> CompiledPlaybook:
    from playbook.io.cache import load_cached

    return load_cached(refs, _load_files)  # built-in playbooks come compiled from the per-user cache


def _load_files(refs: list[str]) -> CompiledPlaybook:
    # The YAML reader and the composition of playbooks: imported when the cache cannot answer.
    from playbook.io.playbook_loader import load_playbook as load_files

    return load_files(refs)


# Once per process: the built-in profiles chosen per platform, and `playbook audit`'s -p files.
compiled_playbook = functools.cache(_compile)


@dataclass(frozen=True)
class Report:
    """One snapshot's audit: `data` is the canonical report (schemas/report.schema.json)."""

    data: ReportData

    @property
    def version(self) -> int:
        """The report schema's version (the `report` field)."""
        return int(self.data["report"])

    @property
    def score(self) -> float | None:
        return self.data["score"]["overall"]

    @property
    def group_id(self) -> str | None:
        return self.data["snapshot"]["group_id"]

    def to_json(self, indent: bool = False) -> str:
        """The report as JSON: compact (one line), or indented by two spaces."""
        return encode(self.data, indent=indent).decode("utf-8").lstrip(" ")

    def to_bytes(self) -> bytes:
        """Compact UTF-8 JSON: what `playbook audit -f jsonl` writes per line."""
        return encode(self.data)

    @classmethod
    def from_json(cls, text: str | bytes) -> Report:
        return cls(decode(text.encode("utf-8") if isinstance(text, str) else text))


def read_snapshot(data: Mapping[str, Any] | str | bytes, name: str = "snapshot") -> Document:
    """A snapshot as a document: a dict as it is, or JSON/YAML text (then errors carry line:col).
    `name` is what errors and the report's `snapshot.path` call it."""
    if isinstance(data, Mapping):
        return Document(name=name, data=dict(data), fmt="json")
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    looks_json = text.lstrip()[:1] in ("{", "[")
    return parse_text(text, name, "json" if looks_json else "yaml")


def audit(
    snapshot: Mapping[str, Any] | str | bytes | Document,
    playbook: LoadedPlaybook | None = None,
    *,
    today: date,
    lang: str = "en",
    use_waivers: bool = True,
    show_members: bool = False,
    name: str = "",
) -> Report:
    """Audit one snapshot (a dict, JSON/YAML text, or a read document) on the day `today`.

    `name` becomes the report's `snapshot.path` (empty: none). Raises PlaybookError for a
    snapshot that does not match the schema, or a playbook that cannot be loaded."""
    options = Options(lang=lang, use_waivers=use_waivers, show_members=show_members, today=_day(today))
    try:
        document = snapshot if isinstance(snapshot, Document) else read_snapshot(snapshot, name)
        report, _ = audit_document(document, playbook or LoadedPlaybook(), options)
    except PlaybookError as exc:
        if not name:  # `::$.group` alone reads as nothing: say it is the snapshot
            exc.problems = [
                replace(p, where=replace(p.where, file="snapshot")) if _unnamed(p.where) else p
                for p in exc.problems
            ]
        raise
    return report


def _unnamed(where: Location) -> bool:
    return not where.file and where.path is not None


def audit_document(
    document: Document, playbook: LoadedPlaybook, options: Options, gates: Gates | None = None
) -> tuple[Report, list[GateFailure]]:
    """The report of a parsed snapshot and the gates it fails (what `playbook audit` runs per file)."""
    from playbook.io.snapshots import check_snapshot

    try:
        check_snapshot(document)
    except ValueError as exc:  # a dict from elsewhere can hold what JSON cannot (a datetime, a set)
        raise PlaybookError.at(
            document.name or "snapshot",
            Text(
                f"快照里有 JSON 不能表示的值（{exc}）：请给出 json.loads 得到的那种数据",
                f"the snapshot holds a value JSON cannot ({exc}): give data as json.loads returns it",
            ),
        ) from None
    compiled = playbook.for_platform(str(document.data.get("platform")))
    report = build_report(compiled, document, options, platform_fact_table(), path_limits())
    if gates is None:
        return Report(report), []
    source = compiled.files[-1] if compiled.files else compiled.id  # named in errors about `assert:`
    return Report(report), check_gates(report, gates, compiled.assertions, source)


def _day(today: date) -> date:
    if isinstance(today, datetime):
        return today.date()
    if not isinstance(today, date):
        raise TypeError(f"today must be a datetime.date, got {type(today).__name__}")
    return today
