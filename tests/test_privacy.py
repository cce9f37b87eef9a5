"""Privacy: no report format prints a member's name, id or message text unless --show-members.

The formats are read from the registry at test time, so a format added later is checked too.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from playbook.cli import main
from playbook.present.reporters import REPORTERS
from tests.conftest import make_snapshot

SECRET = re.compile(r"ZQ(?:NAME|ID|TEXT)\d+")
MEMBERS = [
    {
        "id": f"ZQID{i:03d}",
        "name": f"ZQNAME{i:03d}",
        "role": "admin" if i < 3 else "member",
        "joined_at": "2026-06-01",
        "last_active_at": "2026-07-01" if i % 2 else "2026-11-19",
        "messages_30d": i,
    }
    for i in range(40)
]
SNAPSHOT = make_snapshot(
    members={"source": "bot", "list": MEMBERS},
    activity={
        "messages": [
            {
                "at": f"2026-11-1{i % 10}T10:00:00+08:00",
                "from": f"ZQID{i % 40:03d}",
                "type": "text",
                "text": f"ZQTEXT{i}",
            }
            for i in range(200)
        ]
    },
    moderation={
        "incidents": [
            {"at": "2026-11-10", "kind": "ad", "member": "ZQID007", "action": "warn"},
            {"at": "2026-11-11", "kind": "ad", "member": "ZQID007", "action": "warn"},
        ]
    },
)


def _rule(rid: str, check: str) -> str:
    return f"  - id: naming.{rid}\n    section: naming\n    title: {{zh: t, en: t}}\n    severity: high\n    check: {check}\n"


# Rules written to read people: the paths name members, activity and moderation in every position.
LEAKY = (
    "playbook: 1\nid: leaky\ntitle: {zh: 泄, en: leaky}\nsections: {naming: {weight: 1}}\nrules:\n"
    + "".join(
        [
            _rule("admins", "{path: \"members.list[?role=='admin'].name\", op: length_at_least, value: 5}"),
            _rule("first", '{path: "members.list[0].name", op: equals, value: nobody}'),
            _rule("max-by", '{path: "max_by(members.list, &messages_30d).name", op: equals, value: nobody}'),
            _rule("incident", '{path: "moderation.incidents[0].member", op: in, value: [a, b]}'),
            _rule("text", '{path: "activity.messages[-1].text", op: contains, value: nobody}'),
            _rule("value-path", '{path: "group.name", op: equals, value: {path: "members.list[3].name"}}'),
        ]
    )
)


@pytest.fixture
def files(tmp_path):
    snapshot = tmp_path / "group.json"
    snapshot.write_text(json.dumps(SNAPSHOT, ensure_ascii=False), encoding="utf-8")
    leaky = tmp_path / "leaky.yaml"
    leaky.write_text(LEAKY, encoding="utf-8")
    return snapshot, leaky


def _audit(*args) -> str:
    result = CliRunner().invoke(main, ["audit", *map(str, args)], env={"PLAYBOOK_LANG": "en"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
@pytest.mark.parametrize("playbook", ["builtin", "leaky"])
def test_no_format_prints_members(files, fmt, playbook):
    snapshot, leaky = files
    extra = ["-p", leaky] if playbook == "leaky" else []
    out = _audit(snapshot, "-f", fmt, "--lang", "en", *extra, "-v")
    assert SECRET.findall(out) == []


def test_show_members_shows_the_people_behind_a_failing_rule(files):
    snapshot, leaky = files
    report = json.loads(_audit(snapshot, "-p", leaky, "-f", "json", "--show-members"))
    results = {r["rule"]: r for r in report["results"]}
    assert results["naming.admins"]["evidence"]["actual"] == ["ZQNAME000", "ZQNAME001", "ZQNAME002"]
    assert "ZQID007" in results["naming.incident"]["message"]
    hidden = {r["rule"]: r for r in json.loads(_audit(snapshot, "-p", leaky, "-f", "json"))["results"]}
    assert hidden["naming.admins"]["evidence"]["actual"] == "[3]"
    assert (
        hidden["naming.incident"]["message"]
        == "Member id involved (moderation.incidents[0].member): found '…'(7), expected one of a, b"
    )


# Paths spelt to read around a check of the path's words: privacy is decided from what a value
# is (a text of the members, activity or moderation records), so each is hidden all the same.
AROUND = [
    '{path: "@.members.list[0].name", op: equals, value: nobody}',
    '{path: "*.list[0].name", op: equals, value: nobody}',
    '{path: "values(@)[?list][0].list[1].name", op: equals, value: nobody}',
    '{path: "[@][0].members.list[2].name", op: equals, value: nobody}',
    '{path: "[@][0].activity.messages[0].text", op: contains, value: nobody}',
    '{path: "[@][0].moderation.incidents[0].member", op: in, value: [a, b]}',
    '{path: "to_string([@][0].members.list[0])", op: contains, value: nobody}',
    "{path: \"join(', ', [@][0].members.list[:3].name)\", op: equals, value: nobody}",
    '{path: "[@][0].members.list[:3].name", op: contains, value: nobody}',
    '{path: "[@][0].members.list[:2].id", op: length_at_least, value: 5}',
    '{path: "[@][0].members.list[0].name", op: at_least, value: 3}',
    '{path: "[@][0].members.list[0].name", op: days_since_at_most, value: 3}',
    '{path: "[@][0].members.list[0]", op: contains, value: x}',
    "{path: \"join(', ', [@][0].members.list[:2])\", op: exists}",
    '{path: "sort_by([@][0].members.list, &name)[0].name", op: matches, value: "^nobody$"}',
    '{path: "group.name", op: equals, value: {path: "[@][0].members.list[3].name"}}',
    '{path: "max_by(*.list[], &messages_30d).name", op: ends_with, value: nobody}',
]
AROUND_PLAYBOOK = (
    "playbook: 1\nid: around\ntitle: {zh: 绕, en: around}\nsections: {naming: {weight: 1}}\nrules:\n"
    + "".join(_rule(f"around{i}", check) for i, check in enumerate(AROUND))
)


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_no_spelling_of_a_path_reads_around_the_redaction(tmp_path, fmt):
    snapshot = tmp_path / "group.json"
    snapshot.write_text(json.dumps(SNAPSHOT, ensure_ascii=False), encoding="utf-8")
    playbook = tmp_path / "around.yaml"
    playbook.write_text(AROUND_PLAYBOOK, encoding="utf-8")
    out = _audit(snapshot, "-f", fmt, "--lang", "en", "-p", playbook, "-v")
    assert SECRET.findall(out) == []
    if fmt == "json":  # every rule ran and said something (a pass, a failure, or a broken rule)
        results = json.loads(out)["results"]
        assert len(results) == len(AROUND) and all(r["message"] for r in results)
        assert any(r["status"] == "error" for r in results)
        assert any("'…'(9)" in r["message"] for r in results)  # a name shown by its size


def test_a_broken_rule_names_the_kind_of_value_not_the_value(tmp_path):
    snapshot = tmp_path / "group.json"
    snapshot.write_text(json.dumps(SNAPSHOT, ensure_ascii=False), encoding="utf-8")
    playbook = tmp_path / "around.yaml"
    playbook.write_text(AROUND_PLAYBOOK, encoding="utf-8")
    results = {r["rule"]: r for r in json.loads(_audit(snapshot, "-f", "json", "-p", playbook))["results"]}
    assert (
        results["naming.around10"]["message"] == "rule error: expected a number, found a text of 9 characters"
    )
    assert (
        results["naming.around13"]["message"]
        == "rule error: join() in the path expects array-string, got dict"
    )
    shown = json.loads(_audit(snapshot, "-f", "json", "-p", playbook, "--show-members"))["results"]
    assert any("ZQNAME" in r["message"] for r in shown)  # --show-members still shows them
