"""Settings files: `.playbook.yaml` or `[tool.playbook]` in `pyproject.toml`, found upward.

The search starts in the working folder and goes up one folder at a time; in each folder a
`.playbook.yaml` (or `.yml`) comes before a `pyproject.toml`, and a `pyproject.toml` without a
`[tool.playbook]` table is passed over. It stops after the repository root (a folder holding
`.git`) or the file-system root. The first file found is the only one read (no merging: one
place to look). Its values are validated against `schemas/config.schema.json`, every problem
located at `file:line:col`. A flag given on the command line always wins (see cli/settings.py).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playbook.core.errors import Location, PlaybookError
from playbook.core.i18n import Text
from playbook.io.documents import Document, Pointer, decode_text, read_document
from playbook.io.validation import schema_problems

DOT_FILES = (".playbook.yaml", ".playbook.yml")
PYPROJECT = "pyproject.toml"
TABLE = ("tool", "playbook")
# Settings that name files: relative to the settings file's folder, as ruff and pytest read them.
PATH_SETTINGS = ("paths", "playbooks", "baseline")
MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True, eq=False)
class Setting:
    """One configured value and where it was written."""

    value: Any
    where: str  # `file:line:col` of the value


@dataclass(frozen=True, eq=False)
class Config:
    """The settings file found (None: none) and its values, paths already made usable from here."""

    path: str | None = None
    values: dict[str, Setting] = field(default_factory=dict)
    searched: tuple[str, ...] = ()  # the folders looked in, nearest first


def load_config(start: Path | None = None) -> Config:
    """The settings that apply in `start` (default: the working folder)."""
    start = Path(start or os.getcwd()).resolve()
    searched: list[str] = []
    for folder in (start, *start.parents):
        searched.append(str(folder))
        document = _settings_in(folder)
        if document is not None:
            return _config_from(document, folder, tuple(searched))
        if (folder / ".git").exists():
            break
    return Config(searched=tuple(searched))


def _settings_in(folder: Path) -> Document | None:
    for name in DOT_FILES:
        if (folder / name).is_file():
            return _dot_file(folder / name)
    if (folder / PYPROJECT).is_file():
        return _pyproject_table(folder / PYPROJECT)
    return None


def _dot_file(path: Path) -> Document:
    """`.playbook.yaml`; an empty one (or one of comments only) sets nothing, as an empty table would."""
    name = _shown(path)
    text = decode_text(path.read_bytes()[:MAX_CONFIG_BYTES], name)
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return Document(name=name, data={}, fmt="yaml", text=text)
    return read_document(name, MAX_CONFIG_BYTES)


def _shown(path: Path) -> str:
    """The path relative to the working folder when it is below it (as a user would type it)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def _pyproject_table(path: Path) -> Document | None:
    # Imported here: most runs find no pyproject.toml, and the parser costs ~1.5 ms to import.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    name = _shown(path)
    text = decode_text(path.read_bytes()[:MAX_CONFIG_BYTES], name)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if "tool.playbook" not in text:  # somebody else's broken file: not ours to judge
            return None
        raise _toml_syntax_error(name, text, exc) from None
    table: Any = data
    for key in TABLE:
        table = table.get(key) if isinstance(table, dict) else None
    if table is None:
        return None
    return TomlDocument(name=name, data=table, fmt="toml", text=text)


def _toml_syntax_error(name: str, text: str, exc: Exception) -> PlaybookError:
    message = str(exc)
    place = re.search(r"\(at (?:line (\d+), column (\d+)|end of document)\)", message)
    if place and place.group(1):
        where = Location(name, int(place.group(1)), int(place.group(2)))
    elif place:  # the end: the line after the last one
        where = Location(name, text.count(chr(10)) + 1, len(text) - text.rfind(chr(10)))
    else:
        where = Location(name)
    found = message[: place.start()].strip() if place else message
    return PlaybookError.at(
        where,
        Text(f"TOML 语法错误: {found}", f"TOML syntax error: {found}"),
        Text("见 https://toml.io", "see https://toml.io"),
    )


class TomlDocument(Document):
    """The `[tool.playbook]` table of a pyproject.toml, located by its keys' lines.

    tomllib keeps no positions; a value is placed at its key's line (for an item of a list: the
    list's key), which is what an editor needs to jump to it.
    """

    def _position(self, pointer: Pointer, key: bool) -> tuple[int, int] | None:
        if not pointer:
            return _table_header(self.text)
        return _key_line(self.text, str(pointer[0]), key)


_HEADER = re.compile(r"^\s*\[\s*tool\s*\.\s*playbook\s*\]\s*(#.*)?$")


def _table_header(text: str) -> tuple[int, int] | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if _HEADER.match(line):
            return number, line.index("[") + 1
    return None


def _key_line(text: str, key: str, want_key: bool) -> tuple[int, int] | None:
    header = _table_header(text)
    if header is None:
        return None
    pattern = re.compile(rf"^(\s*)([\"']?){re.escape(key)}\2\s*=\s*")
    for number, line in enumerate(text.splitlines()[header[0] :], start=header[0] + 1):
        if line.lstrip().startswith("["):
            break
        found = pattern.match(line)
        if found:
            return number, (len(found.group(1)) if want_key else found.end()) + 1
    return None


def _config_from(document: Document, folder: Path, searched: tuple[str, ...]) -> Config:
    if not isinstance(document.data, dict):
        raise PlaybookError.at(
            document.location([]),
            Text("设置应是键值对（映射）", "the settings should be a mapping of keys to values"),
            Text("例如 fail_under: 70", "e.g. fail_under: 70"),
        )
    problems = schema_problems(document, "config")
    if problems:
        raise PlaybookError(problems)
    values = {
        key: Setting(_rebased(key, value, folder), document.where([key]))
        for key, value in document.data.items()
    }
    return Config(document.name, values, searched)


def _rebased(key: str, value: Any, folder: Path) -> Any:
    if key in PATH_SETTINGS:
        return (
            [_from_here(v, folder) for v in value] if isinstance(value, list) else _from_here(value, folder)
        )
    if key == "format":
        return [_format_from_here(spec, folder) for spec in value]
    return value


def _from_here(path: str, folder: Path) -> str:
    """A path written relative to the settings file, as seen from the working folder."""
    if path.startswith("builtin:") or os.path.isabs(path):
        return path
    if folder == Path(os.getcwd()).resolve():
        return path  # unchanged: reports name files as they were written
    return _shown(folder / path)


def _format_from_here(spec: str, folder: Path) -> str:
    cut = min((i for i in (spec.find(":"), spec.find("=")) if i > 0), default=-1)
    if cut < 0:
        return spec
    return spec[: cut + 1] + _from_here(spec[cut + 1 :], folder)
