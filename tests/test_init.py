"""`playbook init`: both files validate and audit as written, on every platform; never overwrite."""

from __future__ import annotations

import json
import shlex

import pytest
import yaml
from click.testing import CliRunner

from playbook.authoring.scaffold import describe
from playbook.cli import main
from playbook.core.model import PLATFORMS
from playbook.core.resources import load_schema


def run(*args: str):
    return CliRunner().invoke(main, [*map(str, args)])


# Every platform's template in Chinese, the English ones once in the fast tier (they differ in
# their comments only) and all of them in the whole suite.
@pytest.mark.parametrize(
    ("platform", "lang"),
    [(platform, "zh") for platform in PLATFORMS]
    + [
        pytest.param(platform, "en", marks=() if platform == "other" else pytest.mark.slow)
        for platform in PLATFORMS
    ],
)
def test_templates_validate_test_and_audit(tmp_path, platform, lang):
    result = run("init", "--platform", platform, "--lang", lang, "--dir", tmp_path)
    assert result.exit_code == 0, result.stderr
    group, playbook = tmp_path / "group.yaml", tmp_path / "playbook.yaml"
    assert run("validate", group, playbook, "--lang", "en").exit_code == 0
    audited = run("audit", group, "-p", playbook, "-f", "json", "--lang", "en")
    assert audited.exit_code == 0, audited.stderr
    tested = run("test", playbook, "--lang", "en")
    assert tested.exit_code == 0, tested.stdout
    assert yaml.safe_load(group.read_text(encoding="utf-8"))["platform"] == platform


def test_group_yaml_explains_every_field_and_has_the_modeline(tmp_path):
    run("init", "--lang", "zh", "--dir", tmp_path)
    text = (tmp_path / "group.yaml").read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert first.endswith("schemas/snapshot.schema.json")
    assert (tmp_path / first.split("=", 1)[1]).resolve().is_file()  # a relative path that resolves
    assert "name: 【运营交流】产品运营群  # 群名称" in text
    keys = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith(("#", "-"))]
    shallow = [line for line in keys if len(line) - len(line.lstrip()) <= 2]  # top level and group
    assert all("  # " in line or line.endswith(":") for line in shallow), shallow


def test_english_comments(tmp_path):
    run("init", "--lang", "en", "--dir", tmp_path)
    text = (tmp_path / "group.yaml").read_text(encoding="utf-8")
    assert "# Group name shown to members" in text
    assert "群名称" not in text
    playbook = (tmp_path / "playbook.yaml").read_text(encoding="utf-8")
    assert "extends: [builtin:wechat]" in playbook  # the default platform's profile
    assert "op: matches" in playbook and "examples:" in playbook and "overrides:" in playbook


def test_never_overwrites_without_force(tmp_path):
    (tmp_path / "group.yaml").write_text("mine", encoding="utf-8")
    result = run("init", "--dir", tmp_path, "--lang", "en")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{tmp_path / 'group.yaml'}: the file already exists; nothing was written" in result.stderr
    assert "hint: add --force to overwrite" in result.stderr
    assert (tmp_path / "group.yaml").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "playbook.yaml").exists()
    forced = run("init", "--dir", tmp_path, "--force", "--lang", "en")
    assert forced.exit_code == 0
    group, playbook = tmp_path / "group.yaml", tmp_path / "playbook.yaml"
    assert forced.stdout == (
        f"wrote {group}\nwrote {playbook}\n"
        f"next: fill in {group} (each field's comment says what goes there), then run\n"
        f"  playbook audit {group} -p {playbook}\n"
    )


def test_the_next_step_is_a_command_that_works_as_printed(tmp_path):
    folder = tmp_path / "my groups"  # a space: the command quotes it
    result = run("init", "--dir", folder, "--lang", "zh")
    assert result.stdout.splitlines()[2] == f"下一步: 按注释填写 {folder / 'group.yaml'}，然后运行"
    command = shlex.split(result.stdout.splitlines()[3])
    assert command[:2] == ["playbook", "audit"]
    assert run(*command[1:], "-f", "json").exit_code == 0


def test_describe_reads_the_schema():
    schema = load_schema("snapshot")
    assert describe(schema, ("group", "name"), "en") == "Group name shown to members"
    assert describe(schema, ("members", "list", "[]", "role"), "zh").startswith("角色")


@pytest.mark.parametrize(
    ("platform", "base"),
    [("qq", "builtin:qq"), ("telegram", "builtin:telegram"), ("other", "builtin:default")],
)
def test_the_starter_playbook_extends_the_platforms_profile(tmp_path, platform, base):
    assert run("init", "--platform", platform, "--lang", "zh", "--dir", tmp_path).exit_code == 0
    playbook = yaml.safe_load((tmp_path / "playbook.yaml").read_text(encoding="utf-8"))
    assert playbook["extends"] == [base]
    resolved = run("rules", "-p", tmp_path / "playbook.yaml", "--resolved", "-f", "json", "--lang", "en")
    assert resolved.exit_code == 0, resolved.output


def test_the_group_has_a_member_count_and_the_type_asked_for(tmp_path):
    assert run("init", "--type", "trade", "--lang", "zh", "--dir", tmp_path).exit_code == 0
    text = (tmp_path / "group.yaml").read_text(encoding="utf-8")
    group = yaml.safe_load(text)
    assert group["group"]["type"] == "trade" and group["members"]["count"] == len(group["members"]["list"])
    assert "type: trade  # 群的用途" in text and "count: 3  # 成员数（没有名单时填写）" in text


def test_at_a_terminal_init_asks_for_the_group_type(tmp_path, monkeypatch):
    from playbook.cli import authoring_cmds

    monkeypatch.setattr(authoring_cmds, "interactive", lambda: True)
    result = CliRunner().invoke(main, ["init", "--lang", "zh", "--dir", str(tmp_path)], input="paid\n")
    assert result.exit_code == 0, result.output
    assert "paid        付费/会员" in result.stdout and "这个群的用途" in result.stdout
    assert yaml.safe_load((tmp_path / "group.yaml").read_text(encoding="utf-8"))["group"]["type"] == "paid"
    # the words shown beside each type are answers too
    answered = CliRunner().invoke(
        main, ["init", "--lang", "zh", "--dir", str(tmp_path / "b")], input="团购\n"
    )
    assert answered.exit_code == 0, answered.output
    assert (
        yaml.safe_load((tmp_path / "b" / "group.yaml").read_text(encoding="utf-8"))["group"]["type"]
        == "trade"
    )


def test_the_english_sample_passes_its_naming_rules(tmp_path):
    run("init", "--lang", "en", "--dir", tmp_path)
    audited = run(
        "audit", tmp_path / "group.yaml", "-p", tmp_path / "playbook.yaml", "-f", "json", "--lang", "en"
    )
    naming = [r for r in json.loads(audited.stdout)["results"] if r["section"] == "naming"]
    assert {r["status"] for r in naming} <= {"pass", "unknown", "not_applicable"}, naming


def test_the_modelines_still_resolve_once_the_folder_is_moved(tmp_path):
    """The schemas are written beside the files, so the folder can be zipped and shared."""
    run("init", "--lang", "zh", "--dir", tmp_path / "mine")
    moved = tmp_path / "shared"
    (tmp_path / "mine").rename(moved)
    for name in ("group.yaml", "playbook.yaml"):
        first = (moved / name).read_text(encoding="utf-8").splitlines()[0]
        reference = first.split("$schema=", 1)[1]
        assert not reference.startswith(("/", "..")) and "site-packages" not in reference
        assert json.loads((moved / reference).read_text(encoding="utf-8"))["$schema"]


def test_schema_writes_a_file_for_the_modeline(tmp_path):
    target = tmp_path / "schemas" / "snapshot.schema.json"
    target.parent.mkdir()
    assert run("schema", "snapshot", "-o", target).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == load_schema("snapshot")
