"""What to write instead: a hint for a value the schema refused, when the value shows what was meant.

Operators fill in snapshots by hand: `500人` for a number, `是` for true, `团购，小区` for a list,
`2026/11/20` for a date, `微信` for wechat. The value is still refused (a guess must never change
what is audited); the hint spells it the way the schema wants it, ready to paste.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from playbook.core.i18n import Text, did_you_mean, you_mean
from playbook.core.names import id_named
from playbook.core.syntax_messages import USE_ASCII_COLON, full_width_colon
from playbook.core.timeutil import iso_spelling

_NUMBER_WITH_UNIT = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*(?:人|个|位|名|条|次|天|日|小时|分钟|元|%|％)?\s*")
_YES = ("是", "对", "有", "开", "开启", "打开", "启用", "yes", "y", "on", "true")
_NO = ("否", "不", "不是", "没有", "无", "关", "关闭", "停用", "no", "n", "off", "false")
_LIST_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")


def value_hint(value: Any, types: Sequence[str], options: Sequence[str], time_pattern: bool) -> Text | None:
    """The hint for `value` refused where one of `types` (or of `options`, or a time) was wanted."""
    if not isinstance(value, str):
        return None
    if options:
        named = id_named(value, options)  # 'QQ', '微信' or 'wechatt' for wechat
        return _option_hint(value, options) if named is None else you_mean(named)
    if time_pattern:
        spelled = iso_spelling(value)
        return None if spelled is None else _write(spelled)
    hints = (_HINTS[kind](value) for kind in types if kind in _HINTS)
    return next((hint for hint in hints if hint is not None), None)


def _option_hint(value: str, options: Sequence[str]) -> Text | None:
    """`did you mean` an option, or the option whose word (`成员` for member) `value` is close to."""
    from playbook.core.i18n import closest
    from playbook.core.value_labels import labels_for

    words = labels_for(options)
    word = closest(value.strip().casefold(), words)
    return you_mean(words[word]) if word is not None else did_you_mean(value, options)


def _write(spelled: str) -> Text:
    return Text("写成 {s}", "write {s}").format(s=spelled)


def _mapping(value: str) -> Text | None:
    if full_width_colon(value) is None:  # YAML read `name：x` as text
        return None
    return (
        Text(
            '这是中文冒号 "："，YAML 把整行读成了文字；',
            'that is a full-width colon "：", so YAML read the line as text; ',
        )
        + USE_ASCII_COLON
    )


def _number(value: str) -> Text | None:
    found = _NUMBER_WITH_UNIT.fullmatch(value)
    if found is None:
        return None
    return Text(
        "只写数字，不加引号和单位: {n}", "write the number alone, without quotes or a unit: {n}"
    ).format(n=found.group(1))


def _boolean(value: str) -> Text | None:
    word = value.strip().casefold()
    meant = "true" if word in _YES else "false" if word in _NO else None
    return (
        None if meant is None else Text("写成 {b}（不加引号）", "write {b} (without quotes)").format(b=meant)
    )


def _list(value: str) -> Text | None:
    items = [item for item in _LIST_SEPARATORS.split(value.strip()) if item]
    if not items:
        return None
    return Text("写成列表: [{l}]", "write a list: [{l}]").format(l=", ".join(items))


_HINTS = {"object": _mapping, "integer": _number, "number": _number, "boolean": _boolean, "array": _list}
