"""Compiled built-in playbooks are cached per user; any cache trouble falls back to compiling."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from playbook.core.resources import rulesets_dir
from playbook.io import cache as playbook_cache
from playbook.io.cache import load_cached
from playbook.io.playbook_loader import load_playbook


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(folder))
    monkeypatch.delenv("PLAYBOOK_NO_CACHE", raising=False)
    return folder


def _counting_loader(calls: list):
    def load(refs):
        calls.append(refs)
        return load_playbook(refs)

    return load


def test_second_load_comes_from_the_cache(cache: Path) -> None:
    calls: list = []
    first = load_cached(("builtin:default",), _counting_loader(calls))
    second = load_cached(("builtin:default",), _counting_loader(calls))
    assert len(calls) == 1
    assert [r.id for r in second.rules] == [r.id for r in first.rules]
    assert second.sha256 == first.sha256
    assert len(list(cache.glob("playbook-*.pickle"))) == 1


def test_rule_examples_come_back_from_the_cache_as_written(cache: Path) -> None:
    # Kept as JSON text in the entry (an audit never reads them), read when `playbook test` asks.
    first = load_cached(("builtin:default",), load_playbook)
    second = load_cached(("builtin:default",), _counting_loader([]))
    assert any(rule.examples for rule in first.rules)
    for old, new in zip(first.rules, second.rules, strict=True):
        assert dict(new.examples) == dict(old.examples)
        assert new.examples.get("pass", []) == old.examples.get("pass", [])


def test_user_playbooks_are_not_cached(cache: Path, tmp_path: Path) -> None:
    mini = Path(__file__).parent / "fixtures" / "playbooks" / "mini.yaml"
    calls: list = []
    load_cached((str(mini),), _counting_loader(calls))
    load_cached((str(mini),), _counting_loader(calls))
    assert len(calls) == 2
    assert not cache.exists()


def test_a_damaged_entry_is_compiled_again(cache: Path) -> None:
    calls: list = []
    load_cached(("builtin:default",), _counting_loader(calls))
    (entry,) = cache.glob("playbook-*.pickle")
    entry.write_bytes(b"not a pickle")
    playbook = load_cached(("builtin:default",), _counting_loader(calls))
    assert len(calls) == 2 and playbook.rules


def test_an_unwritable_cache_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    assert load_cached(("builtin:default",), load_playbook).rules


def test_a_changed_ruleset_or_code_changes_the_key(cache: Path, tmp_path: Path) -> None:
    key = playbook_cache._cache_key(("builtin:default",))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(playbook_cache, "__version__", "0.0.0-other")
        assert playbook_cache._cache_key(("builtin:default",)) != key

    edited = tmp_path / "rulesets"
    shutil.copytree(rulesets_dir(), edited)
    (edited / "default.yaml").write_text((edited / "default.yaml").read_text() + "\n# edited\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(playbook_cache, "rulesets_dir", lambda: edited)
        playbook_cache._installation.cache_clear()  # read once a process: a new one sees the edit
        try:
            assert playbook_cache._cache_key(("builtin:default",)) != key
        finally:
            playbook_cache._installation.cache_clear()
    assert playbook_cache._cache_key(("builtin:default",)) == key


def test_no_cache_when_switched_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAYBOOK_NO_CACHE", "1")
    load_cached(("builtin:default",), load_playbook)
    assert not cache.exists()


def test_two_installations_keep_an_entry_each(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list = []
    load_cached(("builtin:default",), _counting_loader(calls))
    with monkeypatch.context() as other:  # e.g. pre-commit's environment beside the user's install
        other.setattr(playbook_cache, "_PACKAGE_DIR", Path("/another-env/playbook"))
        other.setattr(playbook_cache, "_cache_key", lambda refs: "other-code")
        load_cached(("builtin:default",), _counting_loader(calls))
    load_cached(("builtin:default",), _counting_loader(calls))  # the first installation's entry survived
    assert len(calls) == 2
    assert len(list(cache.glob("playbook-*.pickle"))) == 2


def test_a_json_audit_with_a_warm_cache_does_not_import_yaml(tmp_path: Path) -> None:
    """The YAML parser is ~10 ms of a one-file start: a JSON snapshot and cached built-ins skip it."""
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import make_snapshot

    snapshot = tmp_path / "group.json"
    snapshot.write_text(json.dumps(make_snapshot()), encoding="utf-8")
    probe = (
        "import sys\nfrom playbook.cli import main\n"
        f"sys.argv = ['playbook', 'audit', {str(snapshot)!r}, '-f', 'json', '-o', {str(tmp_path / 'r.json')!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('yaml' in sys.modules)\n"
    )
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PLAYBOOK_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": root}
    runs = [
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=root)
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["True", "False"], runs[1].stderr  # cold, then warm


class _RunsCodeWhenLoaded:
    """A pickle that creates a file when unpickled: what an attacker would put in the cache."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_pickle_placed_in_the_cache_is_never_loaded(cache: Path, tmp_path: Path) -> None:
    import pickle

    calls: list = []
    load_cached(("builtin:default",), _counting_loader(calls))
    (entry,) = cache.glob("playbook-*.pickle")
    marker = tmp_path / "pwned"
    entry.write_bytes(pickle.dumps(_RunsCodeWhenLoaded(marker)))  # unsigned, as a stranger writes it
    again = load_cached(("builtin:default",), _counting_loader(calls))
    assert not marker.exists()
    assert len(calls) == 2 and again.rules  # compiled again instead
    forged = pickle.dumps(_RunsCodeWhenLoaded(marker))
    entry.write_bytes(b"\0" * 32 + forged)  # a signature made without the user's key
    load_cached(("builtin:default",), _counting_loader(calls))
    assert not marker.exists() and len(calls) == 3


def test_the_cache_folder_and_key_are_private(cache: Path) -> None:
    load_cached(("builtin:default",), _counting_loader([]))
    assert cache.stat().st_mode & 0o777 == 0o700
    assert (cache / "key").stat().st_mode & 0o777 == 0o600


def test_a_cache_folder_of_someone_else_is_not_used(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.mkdir(mode=0o700)
    monkeypatch.setattr(playbook_cache.os, "getuid", lambda: cache.stat().st_uid + 1)
    calls: list = []
    load_cached(("builtin:default",), _counting_loader(calls))
    load_cached(("builtin:default",), _counting_loader(calls))
    assert len(calls) == 2 and list(cache.iterdir()) == []


def test_a_cache_folder_others_may_write_to_is_not_used(cache: Path) -> None:
    cache.mkdir()
    cache.chmod(0o777)
    calls: list = []
    load_cached(("builtin:default",), _counting_loader(calls))
    load_cached(("builtin:default",), _counting_loader(calls))
    assert len(calls) == 2 and list(cache.iterdir()) == []
