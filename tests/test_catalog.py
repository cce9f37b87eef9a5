"""The default playbook covers the whole practice catalog, and every rule is complete.

The catalog is the shared domain/PRACTICES.md beside the repository; the tests that need it
are skipped when it is absent (e.g. in a source distribution).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "rulesets" / "default.yaml"
CATALOG = Path(__file__).resolve().parents[2] / "shared" / "domain" / "PRACTICES.md"

SECTIONS = ("naming", "tags", "intro", "rules", "engagement", "lifecycle")
CATALOG_ROW = re.compile(r"^\|\s*([a-z]+)\.([a-z0-9]+(?:-[a-z0-9]+)*)\s*\|", re.MULTILINE)
TEXT_FIELDS = ("title", "why", "fix")


def _load_default() -> dict[str, Any]:
    with DEFAULT.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


PLAYBOOK = _load_default()
RULES: list[dict[str, Any]] = PLAYBOOK.get("rules") or []
BY_ID = {rule["id"]: rule for rule in RULES}


def catalog_ids() -> list[tuple[str, str]]:
    """(section, id) for every practice row in the catalog's tables."""
    text = CATALOG.read_text(encoding="utf-8")
    return [(section, f"{section}.{name}") for section, name in CATALOG_ROW.findall(text)]


def param_refs(node: Any) -> Iterator[str]:
    """Every `{param: name}` anywhere inside a rule."""
    if isinstance(node, dict):
        if set(node) == {"param"}:
            yield node["param"]
            return
        for value in node.values():
            yield from param_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from param_refs(value)


def rule_params(rule: dict[str, Any]) -> Any:
    """The parts of a rule where params may be referenced (not its texts or examples)."""
    return {key: value for key, value in rule.items() if key not in ("examples", "title", "why", "fix")}


needs_catalog = pytest.mark.skipif(not CATALOG.is_file(), reason="shared/domain/PRACTICES.md not available")


@needs_catalog
def test_catalog_is_parsed():
    ids = catalog_ids()
    assert len(ids) >= 50, "the catalog tables were not recognised"
    assert {section for section, _ in ids} == set(SECTIONS)


@needs_catalog
@pytest.mark.parametrize("section,rule_id", catalog_ids() if CATALOG.is_file() else [])
def test_every_practice_is_a_rule(section, rule_id):
    assert rule_id in BY_ID, f"{rule_id} from PRACTICES.md has no rule in rulesets/default.yaml"
    assert BY_ID[rule_id]["section"] == section


SEED_SOURCE = re.compile(r"\bS[0-4]\b")


@needs_catalog
def test_a_rule_beyond_the_catalog_cites_a_seed():
    """New practices may be added beyond the catalog's rows, but only from the seeds (issue 20)."""
    listed = {rule_id for _, rule_id in catalog_ids()}
    beyond = [rule for rule in RULES if rule["id"] not in listed]
    for rule in beyond:
        assert SEED_SOURCE.search(str(rule.get("source") or "")), (
            f"{rule['id']}: not in the catalog and cites no seed"
        )


def test_rule_ids_are_unique_and_match_their_section():
    ids = [rule["id"] for rule in RULES]
    assert len(ids) == len(set(ids)), "duplicate rule ids"
    for rule in RULES:
        assert rule["section"] in SECTIONS, rule["id"]
        assert rule["id"].startswith(rule["section"] + "."), rule["id"]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule["id"])
def test_rule_is_complete(rule):
    assert str(rule.get("source") or "").strip(), f"{rule['id']}: no source"
    for field in TEXT_FIELDS:
        text = rule.get(field)
        assert isinstance(text, dict), f"{rule['id']}: {field} must have zh and en"
        assert set(text) == {"zh", "en"}, f"{rule['id']}: {field} has keys {sorted(text)}"
        for lang in ("zh", "en"):
            assert isinstance(text[lang], str) and text[lang].strip(), (
                f"{rule['id']}: {field}.{lang} is empty"
            )
    examples = rule.get("examples") or {}
    assert examples.get("pass"), f"{rule['id']}: no pass example"
    assert examples.get("fail"), f"{rule['id']}: no fail example"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule["id"])
def test_referenced_params_are_declared(rule):
    declared = set(rule.get("params") or {})
    shared = set((PLAYBOOK.get("lifecycle") or {}).get("params") or {}) | set(PLAYBOOK.get("params") or {})
    for name in param_refs(rule_params(rule)):
        assert name in declared or name in shared, f"{rule['id']}: {{param: {name}}} is not declared"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule["id"])
def test_declared_params_are_used(rule):
    used = set(param_refs(rule_params(rule)))
    for name in rule.get("params") or {}:
        assert name in used, f"{rule['id']}: param {name} is declared but never referenced"
