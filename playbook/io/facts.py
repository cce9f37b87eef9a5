"""Platform facts (caps, QR validity, …) from `rulesets/platforms.yaml`, read as `facts.*`.

The engine is given them (`build_report(..., facts=platform_fact_table())`): reading the file and
keeping it in the per-user cache is io's work."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from playbook.core.resources import rulesets_dir
from playbook.io.cache import load_cached_table


@functools.cache
def _table() -> Mapping[str, Mapping[str, Mapping[str, Any]]]:
    return load_cached_table("platform-facts", _read_table)


def _read_table() -> dict[str, Any]:
    import yaml  # only when the cache has no entry: a JSON audit does not import yaml

    with (rulesets_dir() / "platforms.yaml").open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ~10× faster
    facts: dict[str, Any] = data.get("facts", {})
    return facts


@functools.cache
def platform_fact_table() -> Mapping[str, Mapping[str, Any]]:
    """Every platform's fact values, what the engine takes as `facts`: `{qq: {member_cap: 500}}`."""
    return {platform: platform_facts(platform) for platform in _table()}


def platform_facts(platform: str) -> dict[str, Any]:
    """The values only: `{member_cap: 500, ...}` for one platform."""
    return {name: fact.get("value") for name, fact in _table().get(platform, {}).items()}


def fact_sources(platform: str) -> dict[str, Mapping[str, Any]]:
    return dict(_table().get(platform, {}))
