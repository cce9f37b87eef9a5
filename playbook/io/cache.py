"""Keep compiled built-in playbooks in a per-user cache, so a one-file audit starts fast.

Parsing, validating and compiling the default playbook's YAML takes ~0.15 s, most of a cold
start; unpickling the compiled result takes ~2 ms. Only built-in playbooks are cached: their
key is the sha256 of every bundled ruleset and of the installed code (names, sizes, mtimes), so
an upgrade or an edited checkout never reads a stale entry. Any cache problem (unwritable
folder, damaged file) silently falls back to loading the YAML: the cache only saves time.

Unpickling runs code, so an entry is trusted only when it is ours: the folder is created 0700
and refused when another user owns it or others may write to it (or it is a symlink); every
entry carries an HMAC-SHA256 of its bytes under a per-user random key kept in the folder (0600),
checked before anything is unpickled. A pickle placed there by anyone else is never loaded.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from playbook import __version__
from playbook.core.model import Playbook
from playbook.core.resources import rulesets_dir

BUILTIN = "builtin:"
T = TypeVar("T")
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # playbook/, above io/


def cache_dir() -> Path | None:
    """`PLAYBOOK_CACHE_DIR`, else the XDG cache folder; None when `PLAYBOOK_NO_CACHE` is set."""
    if os.environ.get("PLAYBOOK_NO_CACHE"):
        return None
    explicit = os.environ.get("PLAYBOOK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "playbook"


def _cache_key(refs: Sequence[str]) -> str:
    """Changes whenever the rulesets, the code or the Python that compiled the entry change."""
    digest = hashlib.sha256(f"{__version__}|{sys.version}|{'|'.join(refs)}".encode())
    digest.update(_installation())
    return digest.hexdigest()


@functools.cache
def _installation() -> bytes:
    """A digest of the bundled rulesets and of the code (names, sizes, mtimes), taken once a
    process: a run asks for two entries (the playbook and the platform facts), each ~3 ms."""
    digest = hashlib.sha256()
    for path in sorted(rulesets_dir().glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name, size, mtime in sorted(_code_files(str(_PACKAGE_DIR))):  # the code that compiled it
        digest.update(f"{name}:{size}:{mtime}".encode())
    return digest.digest()


def _code_files(folder: str, prefix: str = "") -> Iterator[tuple[str, int, int]]:
    """(path below the package, size, mtime in ns) of each .py file: os.scandir, as pathlib's
    rglob took ~2 ms of a one-file audit for the same 150 files."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _code_files(entry.path, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".py"):
                stat = entry.stat()
                yield f"{prefix}{entry.name}", stat.st_size, stat.st_mtime_ns


def load_cached(refs: Sequence[str], load: Callable[[list[str]], Playbook]) -> Playbook:
    """`load(refs)`, answered from the cache when every ref is built in."""
    return _cached(refs, Playbook, lambda: load(list(refs)))


def load_cached_table(name: str, load: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`load()` of a table read from the bundled rulesets (the platform facts), cached like a
    built-in playbook: a JSON audit then never needs the YAML parser."""
    return _cached((f"{BUILTIN}{name}",), dict, load)


def _cached(refs: Sequence[str], kind: type[T], load: Callable[[], T]) -> T:
    entry = _entry(refs)
    cached = _read(entry, kind) if entry else None
    if cached is not None:
        return cached
    value = load()
    if entry:
        _store(entry, value)
    return value


def _entry(refs: Sequence[str]) -> Path | None:
    folder = cache_dir()
    if folder is None or not refs or not all(ref.startswith(BUILTIN) for ref in refs):
        return None
    # The installation is part of the name: a pre-commit environment and the user's own install
    # keep an entry each, instead of replacing each other's on every other run.
    name = hashlib.sha256(f"{_PACKAGE_DIR}|{'|'.join(refs)}".encode()).hexdigest()[:16]
    try:
        return folder / f"playbook-{name}-{_cache_key(refs)}.pickle"
    except OSError:
        return None


_TAG = hashlib.sha256().digest_size


def _ours(path: Path, private: int) -> bool:
    """`path` is not a symlink, belongs to this user, and nobody else may do `private` to it."""
    try:
        status = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(status.st_mode):
        return False
    if hasattr(os, "getuid") and status.st_uid != os.getuid():
        return False
    return not status.st_mode & private


def _secure_folder(folder: Path) -> bool:
    """The cache folder, made 0700 when missing; False when it is not safely ours."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return False
    if not _ours(folder, stat.S_IWGRP | stat.S_IWOTH):
        return False
    with contextlib.suppress(OSError):  # a folder an older version made 0755: others may not look in
        os.chmod(folder, 0o700)
    return True


def _key(folder: Path) -> bytes | None:
    """This user's signing key, made on first use (0600, never replaced once written)."""
    path = folder / "key"
    with contextlib.suppress(FileExistsError, OSError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(32))  # what secrets.token_bytes does, without importing it
    if not _ours(path, stat.S_IRWXG | stat.S_IRWXO):
        return None
    try:
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == 32 else None


def _sign(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def _read(entry: Path, kind: type[T]) -> T | None:
    key = _key(entry.parent) if _secure_folder(entry.parent) else None
    if key is None:
        return None
    try:
        raw = entry.read_bytes()
    except OSError:  # a missing entry only means: compile again
        return None
    tag, data = raw[:_TAG], raw[_TAG:]
    if not hmac.compare_digest(tag, _sign(key, data)):  # not written by us: never unpickled
        return None
    try:
        cached = pickle.loads(data)
    except Exception:  # an entry of an older version of the code
        return None
    return cached if isinstance(cached, kind) else None


def _store(entry: Path, value: Any) -> None:
    """Write to a temporary file and rename, so a reader never sees half an entry."""
    key = _key(entry.parent) if _secure_folder(entry.parent) else None
    if key is None:
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_sign(key, data) + data)
        os.replace(temporary, entry)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return
    _remove_stale(entry)


def _remove_stale(entry: Path) -> None:
    """Older entries of this installation for the same refs (an upgrade or an edit made them)."""
    prefix = entry.name.rsplit("-", 1)[0]
    for old in entry.parent.glob(f"{prefix}-*.pickle"):
        if old != entry:
            with contextlib.suppress(OSError):
                old.unlink()
