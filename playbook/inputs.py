"""Turn the SNAPSHOT arguments of `audit` (files, folders, globs) into one sorted list of files.

Folders are searched recursively for `*.json`, `*.yaml` and `*.yml`, skipping hidden files and
folders (`.git`, `.github`, `.pre-commit-config.yaml`). The list is sorted and duplicates are
dropped, so the order of the output never depends on the shell, the file system or the order
of the arguments. Telling playbooks from snapshots needs the file's content, so that happens
when each file is loaded (`is_playbook`), not here.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook.errors import PlaybookError, Problem
from playbook.i18n import Text

SNAPSHOT_SUFFIXES = (".json", ".yaml", ".yml")
GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, order=True)
class Input:
    """One file to audit. `explicit`: named on the command line, not found in a folder or glob."""

    path: str
    explicit: bool = False


def expand_inputs(arguments: Sequence[str]) -> list[Input]:
    """Every file the arguments name, sorted by path; all missing arguments reported at once."""
    found: dict[str, Input] = {}
    problems: list[Problem] = []
    for argument in arguments:
        try:
            for item in _expand_one(argument):
                key = os.path.normcase(os.path.abspath(item.path))
                previous = found.get(key)
                found[key] = (
                    item if previous is None else Input(previous.path, previous.explicit or item.explicit)
                )
        except PlaybookError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PlaybookError(problems)
    return sorted(found.values(), key=lambda item: _sort_key(item.path))


def _sort_key(path: str) -> tuple[str, ...]:
    # Compare path parts, so `a/b.yaml` sorts with `a/` and not between `a.yaml` and `a0/`.
    return Path(path).parts


def _expand_one(argument: str) -> Iterable[Input]:
    if not argument.strip():  # Path("") is the current folder: an empty variable in a script must not audit it
        raise PlaybookError.at(repr(argument), Text("文件名是空的", "the file name is empty"))
    if GLOB_CHARS & set(argument) and not os.path.exists(argument):
        return _expand_glob(argument)
    path = Path(argument)
    if path.is_dir():
        files = _expand_folder(path)
        if not files:
            raise PlaybookError.at(
                argument,
                Text("文件夹里没有 .json/.yaml/.yml 文件", "the folder has no .json, .yaml or .yml file"),
            )
        return files
    if not path.exists():
        raise PlaybookError.at(argument, Text("文件不存在", "no such file or folder"))
    return [Input(argument, explicit=True)]


def _expand_glob(pattern: str) -> list[Input]:
    matches = sorted(glob.glob(pattern, recursive=True))
    files: list[Input] = []
    for match in matches:
        path = Path(match)
        if path.is_dir():
            files.extend(_expand_folder(path))
        elif path.suffix.lower() in SNAPSHOT_SUFFIXES:
            files.append(Input(match))
    if not files:
        raise PlaybookError.at(
            pattern,
            Text("没有匹配的 .json/.yaml/.yml 文件", "matches no .json, .yaml or .yml file"),
            Text(
                "加上引号，让 playbook 而不是 shell 展开通配符",
                "quote the pattern so playbook expands it, not the shell",
            ),
        )
    return files


def _expand_folder(folder: Path) -> list[Input]:
    files, outside = [], []
    inside = folder.resolve()
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and Path(name).suffix.lower() in SNAPSHOT_SUFFIXES:
                path = os.path.join(root, name)
                # A link in the folder that leads out of it (`g.yaml -> ../.git/config`) is not
                # the folder's to audit: a shared folder must not make us read the user's files.
                if os.path.islink(path) and not Path(path).resolve().is_relative_to(inside):
                    outside.append(Problem(path, _LEADS_OUT))
                else:
                    files.append(Input(path))
    if outside:
        raise PlaybookError(outside)
    return files


_LEADS_OUT = Text(
    "这是指向文件夹之外的符号链接，没有读取", "a symbolic link that leads out of the folder: not read"
)


def is_playbook(data: Any) -> bool:
    """A playbook has a top-level `playbook:` key (its format version); a snapshot never does."""
    return isinstance(data, dict) and "playbook" in data
