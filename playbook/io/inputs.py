"""Turn the SNAPSHOT arguments of `audit` (files, folders, globs) into one sorted list of files.

Folders are searched recursively for `*.json`, `*.yaml` and `*.yml`, skipping hidden files and
folders (`.git`, `.github`, `.pre-commit-config.yaml`). The list is sorted and duplicates are
dropped, so the order of the output never depends on the shell, the file system or the order
of the arguments. Telling playbooks from snapshots needs the file's content, so that happens
when each file is loaded (`is_playbook`), not here.
"""

from __future__ import annotations

import glob
import heapq
import os
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

from playbook.core.errors import Location, PlaybookError, Problem
from playbook.core.i18n import Text

SNAPSHOT_SUFFIXES = (".json", ".yaml", ".yml")
GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, order=True, slots=True)
class Input:
    """One file to audit. `explicit`: named on the command line, not found in a folder or glob."""

    path: str
    explicit: bool = False


def expand_inputs(arguments: Sequence[str]) -> Sequence[Input]:
    """Every file the arguments name, sorted by path; all missing arguments reported at once."""
    if len(arguments) == 1 and _plain_folder(arguments[0]):
        return _folder_in_order(arguments[0])
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


def _plain_folder(argument: str) -> bool:
    return bool(argument.strip()) and os.path.isdir(argument) and not (GLOB_CHARS & set(argument))


def _folder_in_order(argument: str) -> InputList:
    """One folder, the usual large batch: walked in the order the sort below gives (at each level,
    entries by name, a folder's files where its name sorts), so there is nothing to sort, no
    duplicate to drop, and the list stays small (InputList)."""
    files, outside = InputList(), list[str]()
    _walk_in_order(argument, files, outside)
    if outside:  # see _expand_folder
        raise PlaybookError([Problem(Location(path), _LEADS_OUT) for path in outside])
    if not len(files):
        raise PlaybookError.at(
            argument,
            Text("文件夹里没有 .json/.yaml/.yml 文件", "the folder has no .json, .yaml or .yml file"),
        )
    return files.done()


def _walk_in_order(folder: str, files: InputList, outside: list[str], root: Path | None = None) -> None:
    # As os.walk: hidden entries skipped, symlinked folders not entered, unreadable folders skipped.
    root = root or Path(folder).resolve()
    try:
        runs = _sorted_runs(folder)
    except OSError:
        return
    for name, kind in heapq.merge(*(_entries_of(run) for run in runs)):
        if kind == "folder":
            _walk_in_order(os.path.join(folder, name), files, outside, root)
        else:
            path = os.path.join(folder, name)
            if kind == "file link" and not Path(path).resolve().is_relative_to(root):
                outside.append(path)
            else:
                files.append(folder, name)


# A folder's entries are sorted this many at a time and kept as one string each; the runs are
# merged as they are walked. Sorting a folder of 100,000 files at once held 100,000 names as
# strings in a dict: ~17 MB at the start of the batch, the parent's peak. A run of 1,000 is ~130 KB.
RUN_LENGTH = 1_000
_KINDS = {"folder": "d", "file": "f", "file link": "l"}
_KIND_NAMES = {code: kind for kind, code in _KINDS.items()}


def _sorted_runs(folder: str) -> list[str]:
    """The folder's entries worth walking (folders, snapshot files), as sorted runs of
    `kind-code name NUL` records."""
    runs: list[str] = []
    batch: list[str] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            kind = _kind(entry)
            if kind == "folder" or (kind != "link" and _is_snapshot_name(entry.name)):
                batch.append(entry.name)
                batch.append(_KINDS[kind])
            if len(batch) >= 2 * RUN_LENGTH:
                runs.append(_run_of(batch))
                batch = []
    runs.append(_run_of(batch))
    return runs


def _run_of(batch: list[str]) -> str:
    pairs = sorted(zip(batch[::2], batch[1::2], strict=True))
    return "".join(f"{name}\0{code}\0" for name, code in pairs)


def _entries_of(run: str) -> Iterator[tuple[str, str]]:
    start = 0
    while start < len(run):
        end = run.index("\0", start)
        yield run[start:end], _KIND_NAMES[run[end + 1]]
        start = end + 3


def _is_snapshot_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in SNAPSHOT_SUFFIXES


def _kind(entry: os.DirEntry[str]) -> str:
    try:
        if entry.is_dir():
            return "link" if entry.is_symlink() else "folder"
        return "file link" if entry.is_symlink() else "file"
    except OSError:
        return "file"


class InputList(Sequence[Input]):
    """Files found in a folder, kept small: a batch of 1,000,000 files holds each folder's path
    once and each file's name in one shared byte string (~30 bytes a file, not ~300 as Input
    objects with their full paths), so the parent's memory stays flat in the size of the batch.
    Bytes, not a str built at the end: building one held the names twice (a StringIO stores four
    bytes a character), the batch's peak."""

    def __init__(self) -> None:
        self._folders: list[str] = []
        self._folder_of = array("I")
        self._ends = array("Q")
        self._names = bytearray()

    def append(self, folder: str, name: str) -> None:
        if not self._folders or self._folders[-1] != folder:
            self._folders.append(folder)
        self._folder_of.append(len(self._folders) - 1)
        self._names += os.fsencode(name)  # as the file system gave it, undecodable bytes included
        self._ends.append(len(self._names))

    def done(self) -> InputList:
        return self

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> Input: ...

    @overload
    def __getitem__(self, index: slice) -> list[Input]: ...

    def __getitem__(self, index: int | slice) -> Input | list[Input]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        start = self._ends[index - 1] if index else 0
        return Input(
            os.path.join(
                self._folders[self._folder_of[index]],
                os.fsdecode(bytes(self._names[start : self._ends[index]])),
            )
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def _sort_key(path: str) -> tuple[str, ...]:
    # Compare path parts, so `a/b.yaml` sorts with `a/` and not between `a.yaml` and `a0/`.
    return Path(path).parts


def _expand_one(argument: str) -> Iterable[Input]:
    if (
        not argument.strip()
    ):  # Path("") is the current folder: an empty variable in a script must not audit it
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
                    outside.append(Problem(Location(path), _LEADS_OUT))
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
