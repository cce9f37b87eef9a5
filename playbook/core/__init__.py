"""The pure engine: a playbook and a snapshot in, a report out.

Flow: `model` (compiled rules) → `conditions` / `operators` (the rule language) → `metrics` (what a
snapshot measures) → `stages` (where the group is in its life) → `engine` (each rule's verdict) →
`scoring` → `diagnosis` (causes) → `checklist` → `report` (the canonical report).

Nothing here reads a user's file, the clock, the environment or a cache: those arrive as arguments
from `playbook.io` and the commands. Bundled, read-only data (the snapshot schema's field names)
is read through `resources`.
"""
