"""Load a playbook: compose its layers (composition.py), then compile every rule.

Compiling checks what the schema cannot: operators, params, paths and regexes, each problem
at its `file:line:col`; a playbook loads only when it has none.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from playbook.core.conditions import compile_condition, compile_path_checked, resolve_value
from playbook.core.engine import SCORERS
from playbook.core.i18n import unknown_name
from playbook.core.model import (
    Cause,
    CheckScorer,
    CriteriaScorer,
    Criterion,
    EachScorer,
    Escalation,
    Examples,
    MetricScorer,
    NamedScorer,
    Playbook,
    Rule,
    Scorer,
    Section,
    StageRule,
    Waiver,
)
from playbook.io.composition import Merged, Problems, RuleEntry, merge_playbooks
from playbook.io.documents import Document


class TrackedParams(dict):
    """Params that remember which names a rule read, for the "unused param" lint."""

    def __init__(self, values: Mapping[str, Any], used: set[str]):
        super().__init__(values)
        self.used = used

    def __getitem__(self, name: str) -> Any:
        self.used.add(name)
        return super().__getitem__(name)


def load_playbook(refs: str | Sequence[str]) -> Playbook:
    """Load one playbook, or several merged in order (later wins), as `-p A -p B` does.

    Raises one `PlaybookError` carrying every compile problem found, not just the first.
    """
    merged = merge_playbooks(refs)
    playbook = compile_merged(merged)
    merged.problems.raise_if_any()
    return playbook


# ── compiling ────────────────────────────────────────────────────────────────


def compile_merged(merged: Merged) -> Playbook:
    """Compile every enabled rule; a rule with problems is left out and its problems are kept
    in `merged.problems` (so the caller decides whether to raise or to report them all)."""
    sections = {
        sid: Section(sid, s.get("title", {"zh": sid, "en": sid}), float(s.get("weight", 1)))
        for sid, s in merged.sections.items()
    }
    compiled = (
        _compile_rule(entry, merged.params, sections, merged.problems)
        for entry in merged.rules.values()
        if entry.enabled
    )
    rules = tuple(rule for rule in compiled if rule is not None)
    for waiver, doc, at in merged.waivers:  # a waiver of no rule is a typo that would hide nothing
        if waiver["rule"] not in merged.rules:
            merged.problems.add(
                doc.location([*at, "rule"]), *unknown_name("规则", "rule", waiver["rule"], list(merged.rules))
            )
    return Playbook(
        id=merged.id,
        version=merged.version,
        title=merged.title,
        sections=sections,
        rules=rules,
        long_term_stages=_compile_stages(merged, "long_term"),
        event_stages=_compile_stages(merged, "event"),
        diagnosis=tuple(
            Cause(c["id"], c["title"], c.get("why", {}), tuple(c.get("rules", [])))
            for c in merged.diagnosis.values()
        ),
        waivers=tuple(
            Waiver(**{k: str(v) for k, v in w.items() if not k.startswith("x-")})
            for w, _, _ in merged.waivers
        ),
        assertions=dict(merged.assertions),
        sha256=_fingerprint(merged),
        files=tuple(merged.files),
    )


def _compile_rule(
    entry: RuleEntry, global_params: Mapping[str, Any], sections: Mapping[str, Section], problems: Problems
) -> Rule | None:
    raw, doc, at = entry.effective(), entry.doc, entry.pointer
    before = len(problems.items)
    if raw["section"] not in sections:
        problems.add(
            doc.location([*at, "section"]), *unknown_name("章节", "section", raw["section"], list(sections))
        )
    params = TrackedParams(
        {**global_params, **raw["params"]}, problems.used_params.setdefault(raw["id"], set())
    )
    requires = tuple(
        problems.attempt(compile_path_checked, p, doc.location, [*at, "requires", i])
        for i, p in enumerate(raw.get("requires", []))
    )
    when = (
        problems.attempt(lambda: compile_condition(raw["when"], params, doc.location, [*at, "when"]))
        if "when" in raw
        else None
    )
    scorer = _compile_scorer(raw, params, doc, at, problems)
    escalations = _compile_escalations(entry, params, problems)
    if len(problems.items) > before:
        return None
    return Rule(
        id=raw["id"],
        section=raw["section"],
        title=raw["title"],
        why=raw.get("why", {}),
        fix=raw.get("fix", {}),
        severity=raw["severity"],
        effort=raw.get("effort", "medium"),
        scorer=scorer,
        stages=raw.get("stages"),
        types=raw.get("types"),
        escalations=escalations,
        platforms=tuple(raw["platforms"]) if "platforms" in raw else None,
        requires=requires,
        when=when,
        params=raw["params"],
        source=raw.get("source"),
        weight=raw.get("weight"),
        examples=Examples(raw.get("examples")),
        origin=doc.where(at),
    )


def _compile_escalations(
    entry: RuleEntry, params: Mapping[str, Any], problems: Problems
) -> tuple[Escalation, ...]:
    """`escalate:` from the rule or from the override that last set it, located where written."""
    doc, at = entry.sources.get("escalate", (entry.doc, [*entry.pointer, "escalate"]))
    return tuple(
        Escalation(
            problems.attempt(compile_condition, step["when"], params, doc.location, [*at, i, "when"]),
            step["severity"],
            step["because"],
        )
        for i, step in enumerate(entry.effective().get("escalate", []))
    )


def _compile_scorer(
    raw: Mapping[str, Any], params: Mapping[str, Any], doc: Document, at: list, problems: Problems
) -> Scorer:
    """The rule's scorer; each part is compiled even when another fails (problems are collected)."""

    def value(key: str, container: Mapping[str, Any], pointer: list, default: Any = None) -> Any:
        return problems.attempt(
            lambda: resolve_value(container.get(key, default), params, doc.location, [*pointer, key])
        )

    def condition(cond: Any, pointer: list) -> Any:
        return problems.attempt(lambda: compile_condition(cond, params, doc.location, pointer))

    if "each" in raw:
        return EachScorer(
            path=problems.attempt(lambda: compile_path_checked(raw["each"], doc.location, [*at, "each"])),
            check=condition(raw["check"], [*at, "check"]),
            mostly=float(value("mostly", raw, at, 1.0) or 0),
            empty=raw.get("empty", "not_applicable"),
        )
    if "metric" in raw:
        metric, mat = raw["metric"], [*at, "metric"]
        return MetricScorer(
            path=problems.attempt(lambda: compile_path_checked(metric["path"], doc.location, [*mat, "path"])),
            curve=metric.get("curve", "linear"),
            fail_at=value("fail_at", metric, mat),
            pass_at=value("pass_at", metric, mat),
            target=value("target", metric, mat),
        )
    if "score" in raw:
        return _named_scorer(raw["score"], value, doc, [*at, "score"], problems)
    if "criteria" in raw:
        return CriteriaScorer(
            tuple(
                Criterion(
                    condition(c["check"], [*at, "criteria", i, "check"]),
                    float(c["points"]),
                    c.get("label", {}),
                )
                for i, c in enumerate(raw["criteria"])
            )
        )
    return CheckScorer(condition(raw["check"], [*at, "check"]))


BUILT_IN_SCORERS = ("check", "each", "metric", "criteria")


def _named_scorer(
    raw: Mapping[str, Any], value: Callable[..., Any], doc: Document, at: list, problems: Problems
) -> NamedScorer:
    """`score: {with: NAME, ...}`: a registered scorer (a plugin's), its options' params resolved."""
    name = str(raw["with"])
    named = [kind for kind in SCORERS if kind not in BUILT_IN_SCORERS]  # those have keys of their own
    if name not in named:
        problems.add(doc.where([*at, "with"]), *unknown_name("评分方式", "scorer", name, named))
    options = {key: value(key, raw, at) for key in raw if key != "with"}
    return NamedScorer(name, options)


def _compile_stages(merged: Merged, kind: str) -> tuple[StageRule, ...]:
    if kind not in merged.lifecycle:
        return ()
    entries, doc, at = merged.lifecycle[kind]
    params = TrackedParams(merged.params, merged.problems.used_params.setdefault("lifecycle", set()))

    def when(entry: Mapping[str, Any], i: int) -> Any:
        pointer = [*at, i, "when"]
        return merged.problems.attempt(
            lambda: compile_condition(entry["when"], params, doc.location, pointer)
        )

    return tuple(
        StageRule(
            stage=e["stage"], when=when(e, i) if "when" in e else None, evidence=tuple(e.get("evidence", []))
        )
        for i, e in enumerate(entries)
    )


def _fingerprint(merged: Merged) -> str:
    """sha256 of everything that decides results, so a changed playbook is told from a changed group."""
    resolved = {
        "sections": merged.sections,
        "rules": [e.effective() for e in merged.rules.values() if e.enabled],
        "params": merged.params,
        "lifecycle": {k: v[0] for k, v in merged.lifecycle.items()},
        "diagnosis": merged.diagnosis,
    }
    text = json.dumps(copy.deepcopy(resolved), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
