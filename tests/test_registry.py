"""The one registry every kind of extension uses: register, list, look up, resolve lazily."""

from __future__ import annotations

import sys

import pytest

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text
from playbook.core.registry import Registry, resolve


def colours() -> Registry[str]:
    registry: Registry[str] = Registry("playbook.colours", Text("颜色", "colour"))
    registry.add("red", "#f00")
    registry.add("green", "#0f0")
    return registry


def test_names_keep_the_order_of_registration():
    registry = colours()
    registry.add("blue", "#00f")
    assert registry.names() == ["red", "green", "blue"]


def test_the_decorator_registers_the_function_or_what_is_made_of_it():
    registry: Registry[object] = Registry("playbook.things", Text("东西", "thing"))

    @registry.register("plain")
    def plain() -> int:
        return 1

    @registry.register("wrapped", make=lambda func: ("made", func))
    def wrapped() -> int:
        return 2

    assert registry["plain"] is plain
    assert registry["wrapped"] == ("made", wrapped)
    assert plain() == 1  # the decorated function itself is unchanged


def test_an_unknown_name_is_a_located_error_with_the_nearest_name():
    with pytest.raises(PlaybookError) as caught:
        colours().lookup("gren", "--colour")
    assert caught.value.render("en") == "--colour: unknown colour 'gren'\n  hint: did you mean 'green'?"
    assert "未知的颜色 'gren'" in caught.value.render("zh")


def test_a_name_like_none_lists_the_choices():
    with pytest.raises(PlaybookError) as caught:
        colours().lookup("purple", "--colour")
    assert caught.value.render("en").endswith("hint: choose from: red, green")


def test_a_module_function_string_is_imported_on_first_use():
    sys.modules.pop("colorsys", None)
    target = "colorsys:rgb_to_hsv"
    assert "colorsys" not in sys.modules
    assert resolve(target)(1, 0, 0) == (0.0, 1.0, 1)
    assert resolve("colorsys").__name__ == "colorsys"
