"""The metric catalogue: one small function per metric, with its label and definition, by theme.

Importing this package registers every metric in `playbook.core.metrics.METRICS`, in the order below
(which is also the order of `docs/metrics.md`, generated from the registry).
"""

from playbook.core.metric_catalog import activity, events, moderation, roster, texts

__all__ = ["activity", "events", "moderation", "roster", "texts"]
