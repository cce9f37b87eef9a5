"""Keep compiled built-in playbooks in a per-user cache, so a one-file audit starts fast.

Parsing, validating and compiling the default playbook's YAML takes ~0.15 s, most of a cold
start; unpickling the compiled result takes ~2 ms. Only built-in playbooks are cached: their
key is the sha256 of every bundled ruleset and of the installed code (names, sizes, mtimes), so
an upgrade or an edited checkout never reads a stale entry. Any cache problem (unwritable
folder, damaged file) silently falls back to loading the YAML: the cache only saves time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from playbook import __version__
from playbook.model import Playbook
from playbook.resources import rulesets_dir

BUILTIN = "builtin:"
T = TypeVar("T")
_PACKAGE_DIR = Path(__file__).resolve().parent


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
    for path in sorted(rulesets_dir().glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for path in sorted(_PACKAGE_DIR.rglob("*.py")):  # the code that compiled the entry
        stat = path.stat()
        digest.update(f"{path.relative_to(_PACKAGE_DIR)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


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


def _read(entry: Path, kind: type[T]) -> T | None:
    try:
        with entry.open("rb") as handle:
            cached = pickle.load(handle)
    except Exception:  # a missing, partial or foreign entry only means: compile again
        return None
    return cached if isinstance(cached, kind) else None


def _store(entry: Path, value: Any) -> None:
    """Write to a temporary file and rename, so a reader never sees half an entry."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
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
