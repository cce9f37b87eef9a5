"""The snapshot schema's list of metrics is the metric registry, written out: a metric added with
`@metric` appears in the schema (for editors and `validate`) by running

    python -m tests.metric_schema

and test_schemas.py fails while the two differ."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import playbook.core.metric_catalog  # noqa: F401  (registers the metrics)
from playbook.core.metrics import METRICS

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "snapshot.schema.json"


def metric_properties() -> dict[str, Any]:
    """One property per registered metric, described in both languages, in registry order."""
    return {
        name: {
            "type": ["number", "null"],
            "description": f"{m.label.zh}：{m.definition.zh} · {m.label.en[:1].upper()}{m.label.en[1:]}: {m.definition.en}",
        }
        for name, m in METRICS.items()
    }


def write() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    schema["properties"]["metrics"]["properties"] = metric_properties()
    SCHEMA.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
