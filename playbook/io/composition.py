"""Compose a playbook from its layers: resolve `extends`, merge sections, rules, params and
overrides, base first, later wins. Problems are collected, each at the `file:line:col` of the
value that caused it, with a "did you mean" where a close name exists.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playbook.core.errors import Location, PlaybookError, Problem, located
from playbook.core.i18n import Text, closest, unknown_name
from playbook.core.resources import builtin_ruleset_names, rulesets_dir
from playbook.io.documents import Document, read_document
from playbook.io.limits import check_layers, check_rule_count
from playbook.io.sandbox import check_inside
from playbook.io.validation import validate_document

BUILTIN = "builtin:"
OVERRIDABLE = ("severity", "weight", "effort", "stages", "types", "escalate", "platforms")


Source = tuple[Document, list]  # a value's file and pointer, located only when shown


class Problems:
    """Collects located problems so that one load reports all of them, not just the first."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.used_params: dict[str, set[str]] = {}  # rule id or "lifecycle" -> params it read

    def add(self, where: str | Location, what: Text, hint: Text | None = None) -> None:
        self.items.append(Problem(located(where), what, hint))

    def attempt(self, step: Callable[..., Any], *args: Any) -> Any:
        """`step(*args)`, or None when it raised a `PlaybookError` (whose problems are kept)."""
        try:
            return step(*args)
        except PlaybookError as exc:
            self.items.extend(exc.problems)
            return None

    def raise_if_any(self) -> None:
        if self.items:
            raise PlaybookError(list(dict.fromkeys(self.items)))


@dataclass
class RuleEntry:
    """A rule as merged so far: its raw mapping, where it was written, what later layers changed.

    `sources` says where each changed value came from (`severity`, `enabled`, `params.NAME`),
    `replaces` where earlier definitions of the same id were: `playbook rules --resolved` shows both.
    """

    raw: dict[str, Any]
    doc: Document
    pointer: list[str | int]
    enabled: bool = True
    changes: dict[str, Any] = field(default_factory=dict)
    param_changes: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    replaces: list[Source] = field(default_factory=list)

    def effective(self) -> dict[str, Any]:
        merged = {**self.raw, **self.changes}
        merged["params"] = {**self.raw.get("params", {}), **self.param_changes}
        return merged


@dataclass
class Merged:
    """The playbooks merged so far (`extends`), before they are compiled."""

    id: str = ""
    version: str | None = None
    title: dict[str, str] = field(default_factory=dict)
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    rules: dict[str, RuleEntry] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)  # global: lifecycle and top-level
    lifecycle: dict[str, tuple[Any, Document, list]] = field(default_factory=dict)
    diagnosis: dict[str, dict[str, Any]] = field(default_factory=dict)
    waivers: list[tuple[dict[str, Any], Document, list]] = field(default_factory=list)
    assertions: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    section_sources: dict[str, Source] = field(default_factory=dict)
    global_sources: dict[str, Source] = field(default_factory=dict)  # params no rule declares


def resolve_reference(ref: str, base_dir: Path | None = None) -> Path:
    """`builtin:NAME` or a path (relative to the file that names it)."""
    if ref.startswith(BUILTIN):
        name = ref[len(BUILTIN) :]
        if name not in builtin_ruleset_names():
            close = closest(name, builtin_ruleset_names())
            hint = (
                Text("你是不是想写 'builtin:{c}'？", "did you mean 'builtin:{c}'?").format(c=close)
                if close
                else None
            )
            raise PlaybookError.at(ref, Text("没有这个内置手册", "no such built-in playbook"), hint)
        return rulesets_dir() / f"{name}.yaml"
    path = Path(ref)
    # normalised, so that locations read `rules/base.yaml:3:5`, not `team/../rules/base.yaml:3:5`
    return path if path.is_absolute() or base_dir is None else Path(os.path.normpath(base_dir / path))


def merge_playbooks(refs: str | Sequence[str]) -> Merged:
    """Resolve `extends` and merge the layers. Unreadable or schema-invalid files raise at once;
    semantic problems (unknown names, duplicates) are collected in `merged.problems`."""
    merged = Merged()
    for ref in [refs] if isinstance(refs, str) else refs:
        path = resolve_reference(ref)
        _merge_file(merged, path, chain=(), home=path.parent)
    return merged


def _merge_file(merged: Merged, path: Path, chain: tuple[str, ...], home: Path) -> None:
    key = str(path.resolve()) if path.exists() else str(path)
    if key in chain:
        raise PlaybookError.at(str(path), Text("extends 出现循环引用", "extends forms a cycle"))
    check_layers(len(merged.files) + len(chain), str(path))  # `extends: [b, b]` at every level doubles
    doc = read_document(path)
    validate_document(doc, "playbook")
    raw = doc.data
    for i, ref in enumerate(raw.get("extends", [])):
        try:
            base = resolve_reference(ref, path.parent)
        except PlaybookError as exc:
            raise PlaybookError.at(
                doc.location(["extends", i]), exc.problems[0].what, exc.problems[0].hint
            ) from None
        if not ref.startswith(BUILTIN):  # the files a playbook may name: sandbox.py
            check_inside(base, home, doc.location(["extends", i]), ref)
        if not base.exists():
            raise PlaybookError.at(
                doc.location(["extends", i]),
                Text("找不到被继承的文件 {f}", "the extended file {f} does not exist").format(f=ref),
            )
        _merge_file(merged, base, (*chain, key), home)
    _merge_layer(merged, doc)


def _merge_layer(merged: Merged, doc: Document) -> None:
    raw = doc.data
    merged.files.append(doc.name)
    merged.id, merged.version = raw["id"], raw.get("version", merged.version)
    merged.title = raw.get("title", merged.title)
    for sid, section in raw.get("sections", {}).items():
        merged.sections[sid] = {**merged.sections.get(sid, {}), **section}
        merged.section_sources[sid] = (doc, ["sections", sid])
    _merge_lifecycle(merged, doc)
    _merge_rules(merged, doc)
    _merge_params(merged, doc, has_bases=bool(raw.get("extends")))
    _merge_overrides(merged, doc)
    for cause in raw.get("diagnosis", []):
        merged.diagnosis[cause["id"]] = cause
    merged.waivers.extend((w, doc, ["waivers", i]) for i, w in enumerate(raw.get("waivers", [])))
    merged.assertions.update(raw.get("assert", {}))


def _merge_lifecycle(merged: Merged, doc: Document) -> None:
    lifecycle = doc.data.get("lifecycle", {})
    merged.params.update(lifecycle.get("params", {}))
    for name in lifecycle.get("params", {}):
        merged.global_sources[name] = (doc, ["lifecycle", "params", name])
    for kind in ("long_term", "event"):
        if kind in lifecycle:
            merged.lifecycle[kind] = (lifecycle[kind], doc, ["lifecycle", kind])


def _merge_rules(merged: Merged, doc: Document) -> None:
    seen: dict[str, int] = {}
    for i, rule in enumerate(doc.data.get("rules", [])):
        if rule["id"] in seen:
            merged.problems.add(
                doc.location(["rules", i, "id"]),
                Text(
                    "规则 id 重复: {r}（第一次出现在第 {line} 行）",
                    "duplicate rule id {r} (first defined at line {line})",
                ).format(r=rule["id"], line=_line_of(doc, ["rules", seen[rule["id"]], "id"])),
            )
            continue
        seen[rule["id"]] = i
        earlier = merged.rules.get(rule["id"])
        entry = RuleEntry(rule, doc, ["rules", i])
        if earlier is not None:  # a later layer redefines the rule: later wins, the trail stays
            entry.replaces = [*earlier.replaces, (earlier.doc, earlier.pointer)]
        merged.rules[rule["id"]] = entry
    check_rule_count(len(merged.rules), doc.location(["rules"]))


def _line_of(doc: Document, pointer: list) -> str:
    position = doc.locate(pointer)
    return str(position[0]) if position else "?"


def _merge_params(merged: Merged, doc: Document, has_bases: bool) -> None:
    for name, value in doc.data.get("params", {}).items():
        declared = [e for e in merged.rules.values() if name in e.raw.get("params", {})]
        for entry in declared:
            entry.param_changes[name] = value
            entry.sources[f"params.{name}"] = (doc, ["params", name])
        if not declared and name not in merged.params and not has_bases:
            merged.global_sources[name] = (doc, ["params", name])
        if declared or name in merged.params or not has_bases:
            merged.params[name] = value
            continue
        known = sorted(
            {p for e in merged.rules.values() for p in e.raw.get("params", {})} | set(merged.params)
        )
        merged.problems.add(doc.location(["params", name]), *unknown_name("参数", "param", name, known))


def _merge_overrides(merged: Merged, doc: Document) -> None:
    for i, override in enumerate(doc.data.get("overrides", [])):
        entry = merged.rules.get(override["rule"])
        if entry is None:
            merged.problems.add(
                doc.location(["overrides", i, "rule"]),
                *unknown_name("规则", "rule", override["rule"], list(merged.rules)),
            )
            continue
        entry.enabled = override.get("enabled", entry.enabled)
        entry.changes.update({k: override[k] for k in OVERRIDABLE if k in override})
        for key in (*OVERRIDABLE, "enabled"):
            if key in override:
                entry.sources[key] = (doc, ["overrides", i, key])
        for name, value in override.get("params", {}).items():
            if name not in entry.raw.get("params", {}):
                merged.problems.add(
                    doc.location(["overrides", i, "params", name]),
                    *unknown_name("参数", "param", name, list(entry.raw.get("params", {}))),
                )
                continue
            entry.param_changes[name] = value
            entry.sources[f"params.{name}"] = (doc, ["overrides", i, "params", name])
