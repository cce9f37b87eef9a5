"""Read JSON and YAML files into plain data, keeping the way back to line and column.

Parsing is done by the fast paths (`json`, PyYAML's C loader, safe only); positions are found
lazily, only for the values an error or a result points at, so a 100 MB snapshot costs no more
than `json.loads`.
"""

from __future__ import annotations

import codecs
import json
import math
import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playbook.core.errors import Location, PlaybookError
from playbook.core.i18n import Text
from playbook.core.pointers import Pointer, pointer_to_jsonpath
from playbook.io.json_checks import (
    DUPLICATE_CHECK_CHARS,
    LARGEST_NUMBER,
    NOT_DECIDED,
    DuplicateKey,
    deeper_than,
    fast_parse,
    find_duplicate_key,
    refuse_duplicates,
)
from playbook.io.limits import depth_error, limit, raise_hint
from playbook.io.locations import JsonLocator, line_col

MAX_FILE_BYTES = 512 * 1024 * 1024  # the default of PLAYBOOK_MAX_FILE_MB (see limits.py)
MAX_YAML_NODES = 2_000_000  # the default of PLAYBOOK_MAX_YAML_VALUES: an alias bomb goes far past it


@dataclass
class Document:
    """One parsed file: its data, and its text for finding where a value stands."""

    name: str
    data: Any
    fmt: str  # "json" or "yaml"
    text: str = field(repr=False, default="")
    numbers_checked: bool = False  # read by the fast path, which found no number beyond LARGEST_NUMBER
    _locator: Any = field(default=None, repr=False)
    _located: dict[tuple[Any, ...], tuple[int, int] | None] = field(default_factory=dict, repr=False)

    def locate(self, pointer: Pointer, key: bool = False) -> tuple[int, int] | None:
        """1-based (line, column) of the value at `pointer` (of its key with `key`), or None.

        Remembered per pointer: a report asks for the same few places many times (`group`,
        `group.rules`, …)."""
        wanted = (*pointer, key)
        if wanted not in self._located:
            self._located[wanted] = self._position(pointer, key)
        return self._located[wanted]

    def _position(self, pointer: Pointer, key: bool) -> tuple[int, int] | None:
        if not self.text:
            return None
        if self.fmt != "json":
            from playbook.io.yaml_documents import YamlLocator  # yaml is imported only for YAML files

            self._locator = self._locator or YamlLocator(self.text)
            return self._locator.position(pointer, key)
        try:
            self._locator = self._locator or JsonLocator(self.text, self.data)
            offset = self._locator.offset(pointer, key)
            return None if offset is None else self._locator.line_col(offset)
        except (ValueError, IndexError):
            return None

    def where(self, pointer: Pointer, key: bool = False) -> str:
        """`file:line:col` when the value is in the file, else `file::$.json.path`."""
        return str(self.location(pointer, key))

    def location(self, pointer: Pointer, key: bool = False) -> Location:
        """The line and column when the value is in the file, else the JSON path to it."""
        position = self.locate(pointer, key)
        if position is None:
            return Location(self.name, path=pointer_to_jsonpath(pointer))
        return Location(self.name, position[0], position[1])


def read_document(path: str | Path, max_bytes: int | None = None) -> Document:
    """Read and parse one JSON or YAML file; every failure is a located `PlaybookError`."""
    path = Path(path)
    name = str(path)
    raw = _read_bytes(path, max_bytes or int(limit("max_file_mb") * 1024 * 1024))
    text = decode_text(raw, name)
    # A large file's bytes are dropped as soon as they are decoded (120 MB must not be held
    # twice); a small one's plain UTF-8 bytes go to orjson, which reads them faster than text.
    utf8 = raw if len(raw) <= DUPLICATE_CHECK_CHARS and _plain_utf8(raw) else None
    del raw
    return parse_text(text, name, _format_of(path, text), utf8)


def _plain_utf8(raw: bytes) -> bool:
    return not raw.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not (
        _utf16_without_bom(raw)
    )


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    # One open and one fstat, unbuffered (a buffered file asks isatty and seeks; it is read whole
    # anyway): a batch reads thousands of files, and each system call shows (10 → 8 per file).
    name = str(path)
    try:
        with open(path, "rb", buffering=0) as handle:
            status = os.fstat(handle.fileno())
            if status.st_size > max_bytes:
                raise too_large(name, status.st_size, max_bytes)
            if stat.S_ISREG(status.st_mode):
                return handle.read()
            # A pipe (`<(cat group.json)`) or a device has no size to check first, and /dev/zero
            # never ends: read it in pieces, at most the limit.
            return _read_at_most(handle, max_bytes, name)
    except IsADirectoryError:
        raise PlaybookError.at(
            name, Text("这是一个文件夹，不是文件", "this is a folder, not a file")
        ) from None
    except FileNotFoundError:
        raise PlaybookError.at(name, Text("文件不存在", "no such file")) from None
    except PermissionError:
        raise PlaybookError.at(name, Text("没有读取权限", "permission denied")) from None
    except OSError as exc:
        raise PlaybookError.at(
            name, Text("无法读取: {e}", "cannot read: {e}").format(e=exc.strerror or exc)
        ) from None


def _read_at_most(handle: Any, max_bytes: int, name: str) -> bytes:
    pieces, total = [], 0
    while piece := handle.read(1 << 20):
        total += len(piece)
        if total > max_bytes:
            raise too_large(name, total, max_bytes, at_least=True)
        pieces.append(piece)
    return b"".join(pieces)


def too_large(name: str, size: int, max_bytes: int, at_least: bool = False) -> PlaybookError:
    more = Text("至少 ", "at least ") if at_least else Text("", "")
    return PlaybookError.at(
        name,
        Text("文件太大: ", "file too large: ")
        + more
        + Text("{n} 字节，上限 {m}", "{n} bytes, the limit is {m}").format(n=size, m=max_bytes),
        raise_hint("max_file_mb", limit("max_file_mb")),
    )


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is a clear error."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith(
        (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    ):  # before UTF-16: FF FE 00 00 starts like it
        try:
            return raw.decode("utf-32")
        except UnicodeDecodeError:
            raise PlaybookError.at(name, Text("UTF-32 内容损坏", "broken UTF-32 text")) from None
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise PlaybookError.at(name, Text("UTF-16 内容损坏", "broken UTF-16 text")) from None
    utf16 = _utf16_without_bom(raw)
    if utf16:
        try:
            return raw.decode(utf16)
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
        line, col = line_col(before, len(before))
        raise PlaybookError.at(
            Location(name, line, col),
            Text(
                "不是 UTF-8 编码（第 {b} 字节是 0x{x}）",
                "not UTF-8 text (byte {b} is 0x{x})",
            ).format(b=exc.start, x=raw[exc.start : exc.start + 1].hex()),
            _encoding_hint(raw),
        ) from None


def _utf16_without_bom(raw: bytes) -> str | None:
    """ "utf-16-le"/"-be" when the text starts like ASCII in UTF-16 (Windows tools write it so)."""
    head = raw[:64]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) // 2 * 2]
    if len(head) < 4:
        return None
    if not any(head[1::2]) and all(head[0::2]):
        return "utf-16-le"
    if not any(head[0::2]) and all(head[1::2]):
        return "utf-16-be"
    return None


def _encoding_hint(raw: bytes) -> Text:
    # Decoding GB18030 silently would turn Latin-1 or broken UTF-8 into wrong Chinese, so we only
    # name the likely encoding and let the user convert.
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return Text(
            "用记事本或编辑器「另存为 UTF-8」后再试（可能是 Latin-1 等其他编码）",
            "save the file as UTF-8 and try again (it may be Latin-1 or another encoding)",
        )
    return Text(
        "看起来是 GBK/GB18030 编码：用记事本或编辑器「另存为 UTF-8」后再试",
        "this looks like GBK/GB18030: save the file as UTF-8 and try again",
    )


def _format_of(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return "json" if _OPENS_JSON.match(text) else "yaml"


_OPENS_JSON = re.compile(r"\s*[{\[]")  # matched in place: `lstrip` would copy a large file


def parse_text(text: str, name: str, fmt: str, utf8: bytes | None = None) -> Document:
    """Parse `text` (`utf8`: the same text as the file's bytes, when it was plain UTF-8)."""
    if not text or text.isspace():  # not `strip()`: that copies the text (0.1 s for 100 MB)
        raise PlaybookError.at(name, Text("文件是空的", "the file is empty"))
    data = NOT_DECIDED
    if fmt == "json" and len(text) <= DUPLICATE_CHECK_CHARS:
        data = fast_parse(text if utf8 is None else utf8, int(limit("max_depth")))
    exact = data is NOT_DECIDED  # orjson accepts neither duplicates nor unpaired surrogates
    numbers_checked = not exact
    if exact and fmt == "json":
        data, numbers_checked = _parse_json(text, name)
    elif exact:
        from playbook.io.yaml_documents import (
            parse_yaml,  # importing yaml costs ~10 ms a JSON audit needs not
        )

        data = parse_yaml(text, name)
        if data is None and _only_comments(text):
            raise PlaybookError.at(
                name, Text("文件是空的（只有注释）", "the file is empty (it holds only comments)")
            )
    document = Document(name=name, data=data, fmt=fmt, text=text, numbers_checked=numbers_checked)
    if fmt == "yaml":
        _check_yaml_tree(document)
    if exact:
        _refuse_unpaired_surrogates(document)
    return document


def _only_comments(text: str) -> bool:
    return all(
        not line.strip() or line.lstrip().startswith("#") or line.strip() in ("---", "...")
        for line in text.splitlines()
    )


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _refuse_unpaired_surrogates(document: Document) -> None:
    """`"\\ud800"` is valid JSON and YAML but not text: no report could print or write it."""
    if not _SURROGATE_ESCAPE.search(document.text):
        return
    found = _unpaired_surrogate(document.data)
    if found is not None:
        pointer, is_key = found
        raise PlaybookError.at(
            document.location(pointer, key=is_key),
            Text(
                "这里有一个不成对的 \\ud800–\\udfff 转义（半个表情或文字），不是有效的文字",
                "an unpaired \\ud800–\\udfff escape (half of an emoji or character) is not valid text",
            ),
            Text("删掉它，或重新导出文件", "remove it, or export the file again"),
        )


def _unpaired_surrogate(data: Any) -> tuple[list[str | int], bool] | None:
    """(pointer, is a key) of the first text that cannot be written as UTF-8."""
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, str) and not _is_text(node):
            return pointer, False
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in reversed(list(items)):
            if isinstance(key, str) and not _is_text(key):
                return [*pointer, key], True
            stack.append((child, [*pointer, key]))
    return None


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _NotFinite(ValueError):
    pass


def _reject_constant(token: str) -> Any:
    raise _NotFinite(f"{token} is not allowed")


def _large_file_hook() -> tuple[Callable[[dict[str, Any]], dict[str, Any]], list[str]]:
    """The parser's hook for each object of a large file, which sees every value once anyway,
    and the list of keys it found a number beyond LARGEST_NUMBER under.

    It keeps one copy of each short value (message types, sender ids, roles): a million-message
    log repeats `"type": "text"` and a few thousand sender ids a million times; sharing them
    makes the parsed data ~20 % smaller (an audit then needs less memory than `json.loads` alone)
    for ~15 % more parse time. Long values are mostly unique: left as is.

    And it notes the numbers too large, so that the file's numbers need no second look (a regex
    over a 116 MB text to find candidates took 0.9 s; this takes ~0.1 s). A list's objects have
    passed here already; its plain numbers are looked at where the list is a value. A closure,
    not an object with `__call__`: that cost another 0.08 s a million objects.
    """
    huge: list[str] = []
    intern, largest = sys.intern, LARGEST_NUMBER

    def share_and_check(obj: dict[str, Any]) -> dict[str, Any]:
        for key, value in obj.items():
            kind = type(value)
            if kind is str:
                if len(value) <= 16:
                    obj[key] = intern(value)
            elif kind is int or kind is float:
                if not -largest < value < largest:
                    huge.append(key)
            elif kind is list and value and _huge_in_list(value):  # most lists are empty (`flags`)
                huge.append(key)
        return obj

    return share_and_check, huge


def _huge_in_list(values: list[Any]) -> bool:
    for value in values:
        kind = type(value)
        if (kind is int or kind is float) and not -LARGEST_NUMBER < value < LARGEST_NUMBER:
            return True
        if kind is list and _huge_in_list(value):
            return True
    return False


def _parse_json(text: str, name: str) -> tuple[Any, bool]:
    """The exact path: the standard parser, duplicate keys refused (small files), depth checked.
    Also whether every number is known to be within LARGEST_NUMBER (large files: the hook saw each)."""
    strict = len(text) <= DUPLICATE_CHECK_CHARS
    max_depth = int(limit("max_depth"))
    share_and_check, huge = _large_file_hook()
    try:
        with _recursion_allowance(max_depth):
            data = json.loads(
                text,
                parse_constant=_reject_constant,
                object_pairs_hook=refuse_duplicates if strict else None,
                object_hook=None if strict else share_and_check,
            )
    except json.JSONDecodeError as exc:
        from playbook.core.syntax_messages import json_wording  # only on the way to an error message

        raise PlaybookError.at(
            Location(name, exc.lineno, exc.colno), *json_wording(exc.msg, text, exc.pos)
        ) from None
    except DuplicateKey as exc:
        raise _duplicate_json_key(text, name, exc.key) from None
    except _NotFinite as exc:
        raise PlaybookError.at(
            name,
            Text(
                "JSON 中不允许 NaN 或 Infinity: {m}", "NaN and Infinity are not allowed in JSON: {m}"
            ).format(m=exc),
        ) from None
    except ValueError as exc:  # an integer beyond Python's digit limit
        raise PlaybookError.at(
            name, Text("数字太长: {m}", "a number is too long: {m}").format(m=str(exc).split(";")[0])
        ) from None
    except RecursionError:
        raise depth_error(name) from None
    # The parser's guard is exact to a level or two, and Python 3.12+ counts C recursion apart
    # from `sys.setrecursionlimit`: an exact walk where it is cheap (or needed).
    if (strict or sys.version_info >= (3, 12)) and deeper_than(data, max_depth):
        raise depth_error(name)
    # A root that is a number or a list of them was seen by no hook: checked the usual way.
    numbers_checked = not strict and type(data) is dict and not huge
    return data, numbers_checked


class _recursion_allowance:
    """Let the C JSON parser (which counts its nesting as recursion) go `depth` levels deeper.

    This makes the parser itself enforce the depth limit for free (up to Python 3.11); without it
    a 900-level file parses and then breaks the first recursive code that walks it.
    """

    def __init__(self, depth: int):
        self.depth = depth

    def __enter__(self) -> None:
        self.saved = sys.getrecursionlimit()
        frame, used = sys._getframe(), 0
        while frame is not None:
            used, frame = used + 1, frame.f_back  # type: ignore[assignment]
        # +4: the frames of json.loads itself and of the duplicate-key hook at the deepest level.
        sys.setrecursionlimit(used + self.depth + 4)

    def __exit__(self, *_exc: object) -> None:
        sys.setrecursionlimit(self.saved)


def _duplicate_json_key(text: str, name: str, key: str) -> PlaybookError:
    found = find_duplicate_key(text)
    if found is None:  # cannot happen: json.loads saw it
        return PlaybookError.at(name, Text(f"重复的键 {key!r}", f"duplicate key {key!r}"))
    key, first, second = found
    line, col = line_col(text, second)
    first_line, first_col = line_col(text, first)
    return duplicate_key_error(Location(name, line, col), key, first_line, first_col)


def duplicate_key_error(where: Location, key: str, line: int, col: int) -> PlaybookError:
    return PlaybookError.at(
        where,
        Text(
            f"重复的键 {key!r}（第一次出现在 {line}:{col}）",
            f"duplicate key {key!r} (first written at {line}:{col})",
        ),
        Text("删除其中一个：两个都在时只有后一个生效", "delete one of them: only the last one would count"),
    )


def _check_yaml_tree(document: Document) -> None:
    """Refuse alias bombs, deep nesting, NaN/Infinity and non-text keys before anything walks the tree."""
    name, max_depth, max_values = document.name, int(limit("max_depth")), int(limit("max_yaml_values"))
    sizes: dict[int, int] = {}

    def size(node: Any, pointer: list[str | int]) -> int:
        if len(pointer) >= max_depth:
            raise depth_error(document.location(pointer[:1]))
        if isinstance(node, float) and not math.isfinite(node):
            raise PlaybookError.at(
                document.location(pointer),
                Text(f"不允许 {node}（不是有限的数字）", f"{node} is not allowed (not a finite number)"),
            )
        if not isinstance(node, dict | list):
            return 1
        known = sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, dict) and not all(isinstance(k, str) for k in node):
            bad = next(k for k in node if not isinstance(k, str))
            raise PlaybookError.at(
                document.location(pointer),
                Text("键必须是文字，发现 {k!r}", "keys must be text, found {k!r}").format(k=bad),
            )
        items = node.items() if isinstance(node, dict) else enumerate(node)
        total = 1 + sum(size(child, [*pointer, key]) for key, child in items)
        if total > max_values:
            raise PlaybookError.at(
                name,
                Text(
                    "YAML 别名展开后超过 {n} 个值（疑似别名炸弹）",
                    "YAML aliases expand to more than {n} values (an alias bomb?)",
                ).format(n=max_values),
                raise_hint("max_yaml_values", max_values),
            )
        sizes[id(node)] = total
        return total

    size(document.data, [])
