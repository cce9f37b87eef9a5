"""One registry style for every kind of extension: operators, scorers, metrics, reporters,
importers and connectors.

A `Registry` maps a name to an entry. Built-ins register where they are defined (a decorator for
functions, `add` for records); plugins register the same way from an entry point group
(`playbook.<kind>`, loaded only with `--plugins`, see io/plugins.py). An entry may be a
`"module:attribute"` string, imported on first use, so `playbook --help` and a one-file JSON
audit never import what they do not use (xlsx writers, HTTP clients, YAML).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text, did_you_mean

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class Decorator(Protocol):
    def __call__(self, func: F, /) -> F: ...


class Registry(dict[str, T], Generic[T]):
    """Names → entries of one kind, in registration order (the order lists and docs show).

    A dict, so existing readers (`name in REGISTRY`, `.items()`) keep working; what it adds is
    the one way to register, to list, and to look a name up with a "did you mean" error."""

    def __init__(self, group: str, kind: Text):
        super().__init__()
        self.group = group  # the entry point group plugins of this kind are found in
        self.kind = kind  # what one entry is called in messages: Text("运算符", "operator")

    def add(self, name: str, entry: T) -> T:
        """Register `entry` under `name` (a later registration replaces an earlier one)."""
        self[name] = entry
        return entry

    def register(self, name: str, make: Callable[[Any], T] | None = None) -> Decorator:
        """A decorator registering the function (or `make(function)`) under `name`."""

        def decorate(func: F) -> F:
            self.add(name, func if make is None else make(func))  # type: ignore[arg-type]
            return func

        return decorate

    def names(self) -> list[str]:
        return list(self)

    def lookup(self, name: str, where: str) -> T:
        """The entry named `name`, else a located error naming the nearest known name."""
        if name not in self:
            raise PlaybookError.at(where, *self.unknown(name))
        return self[name]

    def unknown(self, name: str) -> tuple[Text, Text | None]:
        """`unknown reporter 'jsn'` and its hint, for callers that gather problems."""
        known = ", ".join(self)
        hint = did_you_mean(name, self) or Text(f"可选: {known}", f"choose from: {known}")
        return Text(f"未知的{self.kind.zh} '{name}'", f"unknown {self.kind.en} '{name}'"), hint


def resolve(target: str) -> Any:
    """The object a `"package.module:attribute"` string names (a module when there is no `:`)."""
    module, _, attribute = target.partition(":")
    found: Any = importlib.import_module(module)
    for part in attribute.split(".") if attribute else ():
        found = getattr(found, part)
    return found
