"""`playbook rules`: the rows of a playbook's rules, of where each value came from, of the operators.

Each listing is a list of rows; present/listing.py draws them as a table, JSON or Markdown
(and lists the metrics).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.i18n import Text, localize
from playbook.core.model import Playbook
from playbook.core.names import EFFORT_NAMES, SEVERITY_NAMES, name_in, stages_text
from playbook.core.operators import OPERATORS
from playbook.core.resources import rulesets_dir
from playbook.io.composition import BUILTIN, Merged, RuleEntry, merge_playbooks
from playbook.io.documents import Document
from playbook.io.playbook_loader import compile_merged

Row = dict[str, Any]


def load_merged(refs: Sequence[str]) -> tuple[Playbook, Merged]:
    """The compiled playbook and the merged layers behind it (for provenance)."""
    merged = merge_playbooks(list(refs))
    playbook = compile_merged(merged)
    merged.problems.raise_if_any()
    return playbook, merged


# ── rules ────────────────────────────────────────────────────────────────────


def rule_rows(playbook: Playbook, section: str | None, lang: str, readable: bool = False) -> list[Row]:
    """One row per rule; `readable` names severity, effort and stages in `lang` (for people,
    not for JSON, whose values stay the ids a playbook is written with)."""
    return [
        {
            "id": rule.id,
            "section": rule.section,
            "severity": name_in(SEVERITY_NAMES, rule.severity, lang) if readable else rule.severity,
            "effort": name_in(EFFORT_NAMES, rule.effort, lang) if readable else rule.effort,
            "stages": stages_text(rule.stages, lang) if readable else _stages_value(rule.stages, lang),
            "title": localize(rule.title, lang),
        }
        for rule in playbook.rules
        if section is None or rule.section == section
    ]


def _stages_value(stages: Mapping[str, str] | None, lang: str) -> dict[str, str] | str:
    return dict(stages) if stages else Text("全部", "all").render(lang)


RESOLVED_KEYS = ("enabled", "severity", "weight", "effort", "stages", "platforms")


def resolved_rules(merged: Merged, section: str | None) -> list[Row]:
    """Each rule's final values, with the `file:line:col` each one was set at."""
    return [
        _resolved(entry)
        for entry in merged.rules.values()
        if section is None or entry.effective().get("section") == section
    ]


def _resolved(entry: RuleEntry) -> Row:
    effective, origin = entry.effective(), entry.doc.where(entry.pointer)
    values: dict[str, Any] = {}
    for key in RESOLVED_KEYS:
        value = entry.enabled if key == "enabled" else effective.get(key)
        if value is not None:
            values[key] = {"value": value, "from": _where(entry.sources.get(key), origin)}
    for name, value in effective["params"].items():
        declared = (entry.doc, [*entry.pointer, "params", name])
        source = entry.sources.get(f"params.{name}", declared)
        values[f"params.{name}"] = {"value": value, "from": _where(source, origin)}
    return {
        "rule": effective["id"],
        "section": effective.get("section"),
        "defined_at": origin,
        "replaces": [doc.where(pointer) for doc, pointer in entry.replaces],
        "values": values,
    }


def _where(source: tuple[Document, list] | None, default: str) -> str:
    return default if source is None else source[0].where(source[1])


def short_origin(where: str) -> str:
    """`builtin:default:12:5` instead of the installed path of a bundled ruleset."""
    folder = str(rulesets_dir()) + os.sep
    if not where.startswith(folder):
        return where
    name, _, position = where[len(folder) :].partition(".yaml")
    return f"{BUILTIN}{name}{position}"


def flatten_resolved(rows: Sequence[Row]) -> list[Row]:
    """One line per rule and setting, for the table and Markdown views."""
    flat = []
    for row in rows:
        for key, item in row["values"].items():
            value = item["value"]
            shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
            flat.append({"rule": row["rule"], "key": key, "value": shown, "from": short_origin(item["from"])})
    return flat


# ── operators and metrics ────────────────────────────────────────────────────


def operator_rows(lang: str) -> list[Row]:
    return [{"name": op.name, "value": op.value, "doc": op.doc.render(lang)} for op in OPERATORS.values()]
