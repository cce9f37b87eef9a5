"""Many snapshots: files, folders and globs in one stable order; playbooks skipped; bad files all reported."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from playbook.core.errors import PlaybookError
from playbook.io import inputs
from playbook.io.inputs import expand_inputs
from tests.ci_helpers import ALPHA, BETA, CI, GAMMA, ROOT, run_audit, write_yaml


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def paths(*arguments: str) -> list[str]:
    return [item.path for item in expand_inputs(arguments)]


def test_folders_recurse_into_json_and_yaml_in_sorted_order():
    assert paths(str(CI / "groups")) == [ALPHA, BETA, GAMMA]


def test_globs_files_and_duplicates_give_one_sorted_list():
    assert paths(GAMMA, str(CI / "groups" / "*.json"), ALPHA, ALPHA) == [ALPHA, BETA, GAMMA]
    assert paths(str(CI / "groups" / "**" / "*.yml")) == [GAMMA]


def test_hidden_files_and_other_suffixes_are_left_out(tmp_path):
    for name in ("a.yaml", "b.JSON", ".hidden.yaml", ".git/c.yaml", "notes.txt", "sub/d.yml"):
        write_yaml(tmp_path / name, "x: 1\n")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in paths(str(tmp_path))]
    assert found == ["a.yaml", "b.JSON", "sub/d.yml"]


def test_missing_files_and_empty_globs_are_all_reported(tmp_path):
    with pytest.raises(PlaybookError) as caught:
        expand_inputs([str(tmp_path / "nope.yaml"), str(tmp_path / "*.json"), ALPHA])
    rendered = caught.value.render("en")
    assert "nope.yaml: no such file or folder" in rendered
    assert "*.json: matches no .json, .yaml or .yml file" in rendered


def test_an_empty_argument_is_refused_not_read_as_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_yaml(tmp_path / "group.yaml", (ROOT / ALPHA).read_text(encoding="utf-8"))
    with pytest.raises(PlaybookError) as caught:
        expand_inputs(["", " "])
    assert caught.value.render("en") == "'': the file name is empty\n' ': the file name is empty"


def test_playbooks_in_a_folder_are_skipped_and_a_named_one_is_noted(tmp_path):
    folder = tmp_path / "repo"
    write_yaml(folder / "group.yaml", (ROOT / ALPHA).read_text(encoding="utf-8"))
    write_yaml(folder / "playbook.yaml", (ROOT / CI / "playbook.yaml").read_text(encoding="utf-8"))
    result = run_audit(str(folder))
    assert result.exit_code == 0 and result.stderr == ""
    assert "周末闲聊群" in result.stdout and "Overall" in result.stdout  # one snapshot: the full table
    result = run_audit(str(folder / "group.yaml"), str(folder / "playbook.yaml"))
    assert result.exit_code == 0
    assert "playbook.yaml: skipped (a playbook; pass it with -p)" in result.stderr
    only = run_audit(str(folder / "playbook.yaml"))
    assert only.exit_code == 2 and "no group snapshot to audit" in only.stderr


def test_every_bad_file_is_reported_at_its_place_and_the_others_are_written(tmp_path):
    folder = tmp_path / "groups"
    write_yaml(folder / "a-good.yaml", (ROOT / ALPHA).read_text(encoding="utf-8"))
    write_yaml(folder / "b-broken.yaml", "snapshot: 1\nplatform: [wechat\n")
    write_yaml(
        folder / "c-invalid.json",
        json.dumps({"snapshot": 1, "platform": "icq", "group": {"name": "x"}}, indent=2),
    )
    out = tmp_path / "report.json"
    result = run_audit(str(folder), "-f", f"json:{out}", "--jobs", "2")
    assert result.exit_code == 2  # the run fails: a report with files missing is not a pass
    assert "b-broken.yaml:2:11: invalid YAML" in result.stderr
    assert "c-invalid.json:3:15:" in result.stderr
    assert "a-good.yaml" not in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["snapshot"]["path"].endswith("a-good.yaml")
    assert list(tmp_path.glob(".report.json*")) == []


@pytest.mark.parametrize("run_length", [1_000, 2])  # 2: each folder sorted in runs then merged
def test_one_folder_is_listed_in_the_order_and_with_the_files_of_the_general_rules(
    tmp_path, monkeypatch, run_length
):
    # One folder is walked in order without a sort (inputs.py); a folder named twice goes
    # through the general sort-and-deduplicate path. Both must agree on every kind of entry.
    monkeypatch.setattr(inputs, "RUN_LENGTH", run_length)
    root = tmp_path / "g"
    names = "a.json a/x.json a-b/y.yaml a.b/z.yml B.JSON b/c/d.json b.yaml notes.txt .hidden.json .git/h.json"
    for name in [*names.split(), "z/.q.json", "z/Ω.json", "z/e.YML"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("{}", encoding="utf-8")
    (root / "link.json").symlink_to(root / "a")  # a symlinked folder is not entered, nor is it a file
    (root / "broken.json").symlink_to(root / "missing.json")  # a file as far as the listing knows
    one = paths(str(root))
    assert one == paths(str(root), str(root))
    assert one[:3] == [str(root / "B.JSON"), str(root / "a" / "x.json"), str(root / "a-b" / "y.yaml")]
    assert str(root / "broken.json") in one and not any(".git" in p or "/." in p for p in one)


def test_a_large_folder_is_listed_in_little_memory(tmp_path):
    import tracemalloc

    for n in range(20_000):
        (tmp_path / f"group-{n:05}.json").touch()
    tracemalloc.start()
    try:
        listed = expand_inputs([str(tmp_path)])
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(listed) == 20_000 and listed[-1].path == str(tmp_path / "group-19999.json")
    assert kept < 40 * 20_000  # bytes a file: its name once, not an object and a full path
    assert peak < 60 * 20_000  # while listing too: never every name as a string at once


def test_a_file_name_that_is_not_utf8_is_listed_as_the_file_system_gives_it(tmp_path):
    name = os.fsdecode(b"\xff-group.json")  # undecodable bytes, kept as surrogates
    try:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses such names")
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    listed = [item.path for item in expand_inputs([str(tmp_path)])]
    assert listed == sorted([str(tmp_path / "a.json"), str(tmp_path / name)])
    assert Path(listed[-1]).read_text(encoding="utf-8") == "{}"
