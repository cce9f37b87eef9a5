"""Opt-in plugins: custom Python operators from the `playbook.operators` entry point group.

A playbook is data and can never run code. Python operators come only from packages the user
installed *and* asked for: `playbook --plugins ...` or `PLAYBOOK_PLUGINS=1`. Each entry point is a
function taking no arguments that registers operators with `playbook.core.operators.operator`.
A plugin that fails to load, or that would replace a built-in operator, is a user error (exit 2).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text
from playbook.core.operators import OPERATORS

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

GROUP = "playbook.operators"
ENV = "PLAYBOOK_PLUGINS"
_loaded: set[str] = set()


def plugins_wanted(flag: bool, environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return flag or env.get(ENV, "").strip().lower() in ("1", "true", "yes", "on")


def entry_points(group: str) -> Any:
    """`importlib.metadata.entry_points`, imported only when plugins are asked for (~25 ms)."""
    from importlib.metadata import entry_points as find

    return find(group=group)


def load_plugins() -> list[str]:
    """Load every `playbook.operators` entry point once; returns the names of the new operators."""
    added: list[str] = []
    for entry in entry_points(group=GROUP):
        key = f"{entry.name}={entry.value}"
        if key not in _loaded:
            added.extend(_load_one(entry))
            _loaded.add(key)
    return added


def _load_one(entry: EntryPoint) -> list[str]:
    before = dict(OPERATORS)
    try:
        register = entry.load()
        register()
    except Exception as exc:  # any failure inside third-party code becomes one clear line
        OPERATORS.clear()
        OPERATORS.update(before)
        raise PlaybookError.at(
            f"plugin {entry.name} ({entry.value})",
            Text("插件加载失败: {e!r}", "the plugin failed to load: {e!r}").format(e=exc),
            Text(
                "请联系插件作者，或不加 --plugins / 去掉 PLAYBOOK_PLUGINS 运行",
                "ask the plugin's author, or run without --plugins / PLAYBOOK_PLUGINS",
            ),
        ) from None
    replaced = [name for name, op in before.items() if OPERATORS.get(name) is not op]
    if replaced:
        OPERATORS.clear()
        OPERATORS.update(before)
        raise PlaybookError.at(
            f"plugin {entry.name} ({entry.value})",
            Text("插件不能替换内置运算符: {n}", "a plugin may not replace built-in operators: {n}").format(
                n=", ".join(replaced)
            ),
        )
    return [name for name in OPERATORS if name not in before]
