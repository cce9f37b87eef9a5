"""Notes said while loading files, for the user but not errors: `'管理员' read as admin`.

The library says them through `tell`; a command decides where they go (`listen`), and in
which language. Nothing listening means nothing is said.
"""

from __future__ import annotations

from collections.abc import Callable

from playbook.core.i18n import Text

NoteSink = Callable[[Text], None]


def _say_nothing(note: Text) -> None:
    """Where notes go when no command listens (the library used on its own)."""


_listener: list[NoteSink] = [_say_nothing]


def tell(note: Text) -> None:
    _listener[0](note)


def listen(sink: NoteSink) -> None:
    """Send notes to `sink` from now on (the CLI: stderr, in the user's language). Worker
    processes of a batch are forked after this and inherit it."""
    _listener[0] = sink
