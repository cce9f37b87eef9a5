"""Find the bundled rulesets/ and schemas/ folders: inside an installed wheel, or in a checkout.

A wheel maps the top-level folders into the package (`playbook/rulesets`, `playbook/schemas`);
an editable install or a plain checkout has them beside the package instead.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # playbook/, above core/


def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"playbook is installed without its {name}/ folder")


def rulesets_dir() -> Path:
    return _data_dir("rulesets")


def schemas_dir() -> Path:
    return _data_dir("schemas")


@functools.cache
def builtin_ruleset_names() -> tuple[str, ...]:
    # Asked once per audited file: listing the folder each time cost ~30 µs of a ~2 ms audit.
    return tuple(sorted(p.stem for p in rulesets_dir().glob("*.yaml") if p.stem != "platforms"))


def schema_path(name: str) -> Path:
    return schemas_dir() / f"{name}.schema.json"


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    with schema_path(name).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema
