"""YAML: safe loading that keeps times as written and refuses duplicate keys, and positions.

Kept apart from documents.py so that auditing a JSON snapshot never imports yaml (~10 ms of a
one-file start). Only the safe loader runs: tags such as `!!python/object` are refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from playbook.core.errors import Location, PlaybookError
from playbook.core.i18n import Text
from playbook.core.syntax_messages import FULL_WIDTH_COLON, USE_ASCII_COLON, full_width_colon, yaml_wording
from playbook.io.documents import duplicate_key_error
from playbook.io.escape import terminal_line
from playbook.io.limits import depth_error

Pointer = Sequence[str | int]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DuplicateYamlKey(yaml.YAMLError):
    def __init__(self, key: str, first: Any, second: Any):
        super().__init__(f"duplicate key {key!r}")
        self.key, self.first, self.second = key, first, second


class _Loader(_BaseLoader):  # type: ignore[valid-type, misc]
    """Safe YAML loading that keeps timestamps as the strings the user wrote, refusing duplicate keys."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: dict[tuple[str, str], Any] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                first = seen.setdefault((key_node.tag, key_node.value), key_node)
                if first is not key_node:
                    raise _DuplicateYamlKey(key_node.value, first.start_mark, key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def _refuse_tag(loader: Any, node: Any) -> Any:
    """`!!binary`, `!!set`, `!!timestamp`, `!!omap`, `!!pairs`: YAML types that JSON has not.
    The safe loader builds them (bytes, a set, a date), and nothing downstream expects them."""
    raise yaml.constructor.ConstructorError(
        None, None, f"could not determine a constructor for the tag '{node.tag}'", node.start_mark
    )


for _tag in ("binary", "set", "timestamp", "omap", "pairs"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


def parse_yaml(text: str, name: str) -> Any:
    """Safe YAML to plain data; every failure is a located `PlaybookError`."""
    try:
        return yaml.load(text, Loader=_Loader)
    except _DuplicateYamlKey as exc:
        where = Location(name, exc.second.line + 1, exc.second.column + 1)
        raise duplicate_key_error(where, exc.key, exc.first.line + 1, exc.first.column + 1) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
        problem = exc.problem or exc.context or "syntax error"
        if "nesting depth" in problem:  # libyaml's own guard (1000 levels)
            raise depth_error(where) from None
        if isinstance(exc, yaml.constructor.ConstructorError) and "constructor for the tag" in problem:
            raise _tag_error(where, problem) from None
        raise _syntax_error(text, name, exc) from None
    except yaml.reader.ReaderError as exc:
        raise _unreadable_character(text, name, exc.character) from None
    except yaml.YAMLError as exc:
        raise PlaybookError.at(name, Text("YAML 格式错误: {m}", "invalid YAML: {m}").format(m=exc)) from None
    except RecursionError:
        raise depth_error(name) from None
    except ValueError as exc:  # an integer beyond Python's digit limit
        raise PlaybookError.at(
            name, Text("数字太长: {m}", "a number is too long: {m}").format(m=str(exc).split(";")[0])
        ) from None


def _syntax_error(text: str, name: str, exc: yaml.MarkedYAMLError) -> PlaybookError:
    """A syntax error worded for people (syntax_messages.py), at the problem or where its construct began."""
    colon = _full_width_colon_before(text, exc.problem_mark)
    if colon:
        line, column = colon
        what = Text("YAML 格式错误: ", "invalid YAML: ") + FULL_WIDTH_COLON
        return PlaybookError.at(Location(name, line + 1, column + 1), what, USE_ASCII_COLON)
    rest = _text_from(text, exc.problem_mark)
    what, hint, at_start = yaml_wording(exc.problem or "", exc.context or "", rest[:1], not rest.strip())
    marks = (exc.context_mark, exc.problem_mark) if at_start else (exc.problem_mark, exc.context_mark)
    mark = marks[0] or marks[1]
    return PlaybookError.at(Location(name, mark.line + 1, mark.column + 1) if mark else name, what, hint)


def _full_width_colon_before(text: str, mark: Any) -> tuple[int, int] | None:
    """A `key：value` line where the parser stopped or on the last written line above it: YAML
    stumbles right after such a line. Lines further up are not blamed (a block of text may
    hold `Rules：…` and be fine)."""
    lines = text.split("\n")[: mark.line + 1] if mark else []
    written = [n for n in range(len(lines) - 1) if lines[n].strip() and not lines[n].lstrip().startswith("#")]
    for number in [len(lines) - 1, *written[-1:]] if lines else []:
        column = full_width_colon(lines[number])
        if column is not None:
            return number, column
    return None


def _text_from(text: str, mark: Any) -> str:
    """The text from a mark on; "" for none or one past the last line (libyaml's end of stream)."""
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines):
        return ""
    return "\n".join([lines[mark.line][mark.column :], *lines[mark.line + 1 :]])


def _unreadable_character(text: str, name: str, code: int) -> PlaybookError:
    # The reader stops at the first such character; libyaml counts its position in bytes, so find it.
    offset = text.find(chr(code))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return PlaybookError.at(
        Location(name, line, column) if offset >= 0 else name,
        Text(
            "YAML 格式错误: 文件里有不可见的控制字符 (#x{c:04X})",
            "invalid YAML: the file holds an invisible control character (#x{c:04X})",
        ).format(c=code),
        Text(
            "删掉这个字符（常见于从网页或聊天窗口复制来的文字）",
            "delete it (it often comes with text copied from a web page or a chat window)",
        ),
    )


def _tag_error(where: Location, problem: str) -> PlaybookError:
    """`!!python/object` and friends: only the safe loader runs, and it says so plainly."""
    written = problem.split("for the tag '", 1)[-1].rstrip("'")
    tag = "!!" + written[len("tag:yaml.org,2002:") :] if written.startswith("tag:yaml.org,2002:") else written
    return PlaybookError.at(
        where,
        Text(
            "不允许使用 YAML 标签 {t}：手册和快照只是数据，不能运行代码",
            "the YAML tag {t} is not allowed: playbooks and snapshots are data and never run code",
        ).format(t=terminal_line(tag)),
        Text("删掉这个标签，写普通的值", "remove the tag and write a plain value"),
    )


class YamlLocator:
    """Positions of values in YAML text, from the node tree composed once on first use."""

    def __init__(self, text: str):
        self.text = text
        self._root: Any = None

    def position(self, pointer: Pointer, want_key: bool = False) -> tuple[int, int] | None:
        """1-based (line, column) of the value at `pointer` (of its key with `want_key`), or None."""
        try:
            if self._root is None:
                self._root = yaml.compose(self.text, Loader=_Loader)
        except yaml.YAMLError:
            return None
        node = self._root
        if node is None:  # a text of comments only composes to nothing
            return None
        for index, part in enumerate(pointer):
            node = _yaml_child(node, part, want_key and index == len(pointer) - 1)
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
