"""Opt-in plugins: operators, scorers, metrics, reporters, importers and connectors from the
entry point groups `playbook.operators`, `playbook.scorers`, … (each registry's `group`).

A playbook is data and can never run code. Python extensions come only from packages the user
installed *and* asked for: `playbook --plugins ...` or `PLAYBOOK_PLUGINS=1`. Each entry point is a
function taking no arguments that registers its extensions the way the built-ins do (the
`operator` decorator, `metric`, `scorer`, `REPORTERS.add`, `IMPORTERS.add`, `CONNECTORS.add`).
A plugin that fails to load, or that would replace a built-in, is a user error (exit 2).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text
from playbook.core.operators import OPERATORS
from playbook.core.registry import Registry

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

GROUP = OPERATORS.group
ENV = "PLAYBOOK_PLUGINS"
_loaded: set[str] = set()


def plugins_wanted(flag: bool, environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return flag or env.get(ENV, "").strip().lower() in ("1", "true", "yes", "on")


def entry_points(group: str) -> Any:
    """`importlib.metadata.entry_points`, imported only when plugins are asked for (~25 ms)."""
    from importlib.metadata import entry_points as find

    return find(group=group)


def load_plugins(registries: Sequence[Registry[Any]] = (OPERATORS,)) -> list[str]:
    """Load every entry point of each registry's group once; returns the names they added."""
    added: list[str] = []
    for registry in registries:
        for entry in entry_points(group=registry.group):
            key = f"{registry.group}:{entry.name}={entry.value}"
            if key not in _loaded:
                added.extend(_load_one(entry, registry))
                _loaded.add(key)
    if added:
        forget_worded_paths()
    return added


def forget_worded_paths() -> None:
    """The wording of data paths is cached as a function of the registered metrics; a plugin's
    metric changes what `metrics.its_name` is called."""
    from playbook.core import labels, messages

    for cached in (labels.label_path, messages._to_provide, messages._what_to_provide):
        cached.cache_clear()


def _load_one(entry: EntryPoint, registry: Registry[Any]) -> list[str]:
    before = dict(registry)
    try:
        register = entry.load()
        register()
    except Exception as exc:  # any failure inside third-party code becomes one clear line
        _restore(registry, before)
        raise PlaybookError.at(
            f"plugin {entry.name} ({entry.value})",
            Text("插件加载失败: {e!r}", "the plugin failed to load: {e!r}").format(e=exc),
            Text(
                "请联系插件作者，或不加 --plugins / 去掉 PLAYBOOK_PLUGINS 运行",
                "ask the plugin's author, or run without --plugins / PLAYBOOK_PLUGINS",
            ),
        ) from None
    replaced = [name for name, entry_ in before.items() if registry.get(name) is not entry_]
    if replaced:
        _restore(registry, before)
        kind = registry.kind
        raise PlaybookError.at(
            f"plugin {entry.name} ({entry.value})",
            Text(
                f"插件不能替换内置{kind.zh}: {{n}}", f"a plugin may not replace built-in {kind.en}s: {{n}}"
            ).format(n=", ".join(replaced)),
        )
    return [name for name in registry if name not in before]


def _restore(registry: Registry[Any], before: Mapping[str, Any]) -> None:
    registry.clear()
    registry.update(before)
