"""The command line: one short function per command; wiring and exit codes only.

`base` holds the group, the exit codes and the shared options; each module beside it
registers a family of commands on the group.
"""

from playbook.cli import audit_cmd, authoring_cmds, data_cmds, report_cmds, settings  # noqa: F401  (they register)
from playbook.cli.base import main

__all__ = ["main"]
