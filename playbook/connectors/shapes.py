"""Reading an API's JSON answer with the shape its documentation promises, or a clear error.

A mirror that answers HTML, a proxy's error page or a changed API must stop the fetch with the
call and the field named, never with a KeyError three functions later.
"""

from __future__ import annotations

from typing import Any

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text

KINDS = {
    dict: ("映射", "an object"),
    list: ("列表", "a list"),
    str: ("字符串", "a string"),
    int: ("整数", "an integer"),
    bool: ("布尔值", "a boolean"),
}


class Shape:
    """Checks values from the answer to one call; errors come from the client, redacted."""

    def __init__(self, client: Any, label: str) -> None:
        self.client, self.label = client, label

    def be(self, value: Any, kind: type, path: str = "$") -> Any:
        if not _is(value, kind):
            raise self._wrong(path, kind, value)
        return value

    def need(self, obj: dict[str, Any], key: str, kind: type, path: str = "$") -> Any:
        if key not in obj or obj[key] is None:
            raise self.client.error(
                self.label,
                Text("回应缺少字段 {p}.{k}（应为{z}）", "the answer lacks {p}.{k} ({e} expected)").format(
                    p=path, k=key, z=KINDS[kind][0], e=KINDS[kind][1]
                ),
                _HINT,
            )
        return self.be(obj[key], kind, f"{path}.{key}")

    def may(self, obj: dict[str, Any], key: str, kind: type, path: str = "$") -> Any:
        value = obj.get(key)
        return None if value is None else self.be(value, kind, f"{path}.{key}")

    def _wrong(self, path: str, kind: type, value: Any) -> PlaybookError:
        return self.client.error(
            self.label,
            Text("回应里的 {p} 应为{z}，却是 {f}", "the answer's {p} should be {e}, found {f}").format(
                p=path, z=KINDS[kind][0], e=KINDS[kind][1], f=type(value).__name__
            ),
            _HINT,
        )


_HINT = Text(
    "API 的回应与文档不符：检查 --api-base，或该平台 API 是否已改版",
    "the answer does not match the API's documentation: check --api-base, or whether the API changed",
)


def _is(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)
