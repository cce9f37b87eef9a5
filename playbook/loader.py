"""Read JSON and YAML files into plain data, keeping the way back to line and column.

Parsing is done by the fast paths (`json`, PyYAML's C loader, safe only); positions are found
lazily, only for the values an error or a result points at, so a 100 MB snapshot costs no more
than `json.loads`.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from playbook.errors import PlaybookError
from playbook.i18n import Text

Pointer = Sequence[str | int]

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_YAML_NODES = 2_000_000  # expanded size; an alias bomb ("billion laughs") goes far past it

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type, misc]
    """Safe YAML loading that keeps timestamps as the strings the user wrote."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def pointer_to_string(pointer: Pointer) -> str:
    """JSON Pointer (RFC 6901) text: `/members/list/3/joined_at`."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in pointer)


def pointer_to_jsonpath(pointer: Pointer) -> str:
    """The `$.members.list[3].joined_at` form used when no line is known."""
    out = "$"
    for part in pointer:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


@dataclass
class Document:
    """One parsed file: its data, and its text for finding where a value stands."""

    name: str
    data: Any
    fmt: str  # "json" or "yaml"
    text: str = field(repr=False, default="")
    _yaml_root: Any = field(default=None, repr=False)

    def locate(self, pointer: Pointer, key: bool = False) -> tuple[int, int] | None:
        """1-based (line, column) of the value at `pointer` (of its key with `key`), or None."""
        if not self.text:
            return None
        try:
            if self.fmt == "json":
                offset = _json_offset(self.text, pointer, key)
                return None if offset is None else _line_col(self.text, offset)
            return self._yaml_position(pointer, key)
        except (ValueError, IndexError, yaml.YAMLError):
            return None

    def where(self, pointer: Pointer, key: bool = False) -> str:
        """`file:line:col` when the value is in the file, else `file::$.json.path`."""
        position = self.locate(pointer, key)
        if position is None:
            return f"{self.name}::{pointer_to_jsonpath(pointer)}"
        return f"{self.name}:{position[0]}:{position[1]}"

    def _yaml_position(self, pointer: Pointer, key: bool) -> tuple[int, int] | None:
        if self._yaml_root is None:
            self._yaml_root = yaml.compose(self.text, Loader=_Loader)
        node = self._yaml_root
        for index, part in enumerate(pointer):
            node = _yaml_child(node, part, key and index == len(pointer) - 1)
            if node is None:
                return None
        return node.start_mark.line + 1, node.start_mark.column + 1


def _yaml_child(node: Any, part: str | int, want_key: bool) -> Any:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return key if want_key else value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    return match.end() if match else pos


def _json_offset(text: str, pointer: Pointer, want_key: bool = False) -> int | None:
    """Offset of the value (or key) at `pointer`, skipping siblings with the C-speed decoder."""
    pos = _skip(text, 0)
    for index, part in enumerate(pointer):
        opener = text[pos]
        pos = _skip(text, pos + 1)
        if opener == "{":
            while text[pos] != "}":
                key_at = pos
                key, pos = _DECODER.raw_decode(text, pos)
                pos = _skip(text, _skip(text, pos) + 1)  # past the colon
                if key == str(part):
                    if want_key and index == len(pointer) - 1:
                        return key_at
                    break
                pos = _next_item(text, pos)
            else:
                return None
        elif opener == "[" and isinstance(part, int):
            for _ in range(part):
                if text[pos] == "]":
                    return None
                pos = _next_item(text, pos)
            if text[pos] == "]":
                return None
        else:
            return None
    return pos


def _next_item(text: str, pos: int) -> int:
    _, pos = _DECODER.raw_decode(text, pos)
    pos = _skip(text, pos)
    return _skip(text, pos + 1) if text[pos] == "," else pos


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def read_document(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read and parse one JSON or YAML file; every failure is a located `PlaybookError`."""
    path = Path(path)
    name = str(path)
    raw = _read_bytes(path, max_bytes)
    text = decode_text(raw, name)
    return parse_text(text, name, _format_of(path, text))


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    name = str(path)
    if path.is_dir():
        raise PlaybookError.at(name, Text("这是一个文件夹，不是文件", "this is a folder, not a file"))
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise PlaybookError.at(
                name,
                Text("文件太大: {n} 字节，上限 {m}", "file too large: {n} bytes, the limit is {m}").format(
                    n=size, m=max_bytes
                ),
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise PlaybookError.at(name, Text("文件不存在", "no such file")) from None
    except PermissionError:
        raise PlaybookError.at(name, Text("没有读取权限", "permission denied")) from None
    except OSError as exc:
        raise PlaybookError.at(
            name, Text("无法读取: {e}", "cannot read: {e}").format(e=exc.strerror or exc)
        ) from None


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is a clear error."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise PlaybookError.at(name, Text("UTF-16 内容损坏", "broken UTF-16 text")) from None
    if b"\x00" in raw[:8192]:
        raise PlaybookError.at(
            name,
            Text("这是二进制文件，不是 JSON 或 YAML 文本", "this is a binary file, not JSON or YAML text"),
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", "replace")
        line, col = _line_col(before, len(before))
        raise PlaybookError.at(
            f"{name}:{line}:{col}",
            Text(
                "不是 UTF-8 编码（第 {b} 字节是 0x{x}）",
                "not UTF-8 text (byte {b} is 0x{x})",
            ).format(b=exc.start, x=raw[exc.start : exc.start + 1].hex()),
            Text(
                "用记事本或编辑器「另存为 UTF-8」后再试；GBK/GB18030 文件需要先转换",
                "save the file as UTF-8 and try again (GBK/GB18030 files must be converted)",
            ),
        ) from None


def _format_of(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return "json" if text.lstrip()[:1] in ("{", "[") else "yaml"


def parse_text(text: str, name: str, fmt: str) -> Document:
    if not text.strip():
        raise PlaybookError.at(name, Text("文件是空的", "the file is empty"))
    data = _parse_json(text, name) if fmt == "json" else _parse_yaml(text, name)
    return Document(name=name, data=data, fmt=fmt, text=text)


def _reject_constant(token: str) -> Any:
    raise ValueError(f"{token} is not allowed")


def _parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise PlaybookError.at(
            f"{name}:{exc.lineno}:{exc.colno}",
            Text("JSON 格式错误: {m}", "invalid JSON: {m}").format(m=exc.msg),
        ) from None
    except ValueError as exc:
        raise PlaybookError.at(
            name,
            Text(
                "JSON 中不允许 NaN 或 Infinity: {m}", "NaN and Infinity are not allowed in JSON: {m}"
            ).format(m=exc),
        ) from None
    except RecursionError:
        raise PlaybookError.at(name, Text("嵌套层数太深", "nesting is too deep")) from None


def _parse_yaml(text: str, name: str) -> Any:
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = exc.problem or exc.context or "syntax error"
        raise PlaybookError.at(
            where, Text("YAML 格式错误: {m}", "invalid YAML: {m}").format(m=problem)
        ) from None
    except yaml.YAMLError as exc:
        raise PlaybookError.at(name, Text("YAML 格式错误: {m}", "invalid YAML: {m}").format(m=exc)) from None
    except RecursionError:
        raise PlaybookError.at(name, Text("嵌套层数太深", "nesting is too deep")) from None
    _check_yaml_tree(data, name)
    return data


def _check_yaml_tree(data: Any, name: str) -> None:
    """Refuse alias bombs and keys that are not text, before anything walks the tree."""
    sizes: dict[int, int] = {}

    def size(node: Any, depth: int) -> int:
        if depth > 1000:
            raise PlaybookError.at(name, Text("嵌套层数太深", "nesting is too deep"))
        if not isinstance(node, dict | list):
            return 1
        known = sizes.get(id(node))
        if known is not None:
            return known
        children = node.values() if isinstance(node, dict) else node
        if isinstance(node, dict) and not all(isinstance(k, str) for k in node):
            bad = next(k for k in node if not isinstance(k, str))
            raise PlaybookError.at(
                name, Text("键必须是文字，发现 {k!r}", "keys must be text, found {k!r}").format(k=bad)
            )
        total = 1 + sum(size(child, depth + 1) for child in children)
        if total > MAX_YAML_NODES:
            raise PlaybookError.at(
                name,
                Text(
                    "YAML 别名展开后超过 {n} 个值（疑似别名炸弹）",
                    "YAML aliases expand to more than {n} values (an alias bomb?)",
                ).format(n=MAX_YAML_NODES),
            )
        sizes[id(node)] = total
        return total

    size(data, 0)
