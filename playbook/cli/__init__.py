"""The command line: one short function per command; wiring and exit codes only.

`base` holds the group, the exit codes and the shared options; each module beside it
registers a family of commands on the group, and is imported when one of them is asked for
(`base.COMMAND_MODULES`).
"""

from playbook.cli.base import main

__all__ = ["main"]
