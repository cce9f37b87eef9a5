"""Hostile and broken input: every file of tests/hostile/ (plus a few too big to commit) with the
exact message and exit code it must give. Never a traceback, never more than a few seconds.

The cases of test_cli.py (empty file, unknown keys, time zones, a missing file) are not repeated.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.cli import main

HOSTILE = Path(__file__).parent / "hostile"
SECONDS = 5  # the bound for every case; big generated files included
TAG_HINT = "  hint: remove the tag and write a plain value"
UTF8_HINT = "  hint: save the file as UTF-8 and try again"
DUP_HINT = "  hint: delete one of them: only the last one would count"
A_TIME = "is not a date or time (e.g. 2026-11-20 or 2026-11-20T21:00:00+08:00)"


def _deep_json() -> str:
    return '{"platform": "qq", "group": {"name": "x"}, "x-deep": ' + "[" * 10_000 + "]" * 10_000 + "}"


def _deep_yaml() -> str:
    return "platform: qq\ngroup: {name: x}\nx-deep: " + "[" * 10_000 + "]" * 10_000 + "\n"


def _deep_block_yaml() -> str:
    return "platform: qq\ngroup: {name: x}\nx-deep:\n" + "".join(" " * i + "- \n" for i in range(1, 10_000))


def _huge_string() -> str:
    return json.dumps({"platform": "qq", "group": {"name": "x" * 50_000_000}})


GENERATED = {
    "deep.json": _deep_json,
    "deep.yaml": _deep_yaml,
    "deep-block.yaml": _deep_block_yaml,
    "huge-string.json": _huge_string,
}

DEPTH = "nesting is deeper than 100 levels"
DEPTH_HINT = (
    "  hint: if this input is legitimate, raise the limit: PLAYBOOK_MAX_DEPTH=200 "
    "(deepest nesting of JSON/YAML values)"
)

# (file, exit code, stderr): `audit FILE -f json`, in English.
CASES = [
    (
        "truncated.json",
        2,
        "truncated.json:1:56: invalid JSON: the file ends here, unfinished\n"
        "  hint: was the file cut short? every { and [ needs its } and ]",
    ),
    (
        "truncated.yaml",
        2,
        "truncated.yaml:2:15: invalid YAML: the quote that opens here is never closed\n"
        "  hint: add the same quote at the end of the text",
    ),
    (
        "invalid.json",
        2,
        "invalid.json:1:2: invalid JSON: field names need double quotes, not single ones\n"
        "  hint: write \"name\" instead of 'name'",
    ),
    (
        "invalid.yaml",
        2,
        "invalid.yaml:4:2: invalid YAML: this line's indentation does not line up with the keys above, or there "
        "is text after a closing quote\n"
        "  hint: keys at the same level need the same number of spaces; nothing may follow a closing quote",
    ),
    ("duplicate.json", 2, f"duplicate.json:4:3: duplicate key 'platform' (first written at 2:3)\n{DUP_HINT}"),
    ("duplicate.yaml", 2, f"duplicate.yaml:4:3: duplicate key 'name' (first written at 3:3)\n{DUP_HINT}"),
    (
        "alias-bomb.yaml",
        2,
        "alias-bomb.yaml: YAML aliases expand to more than 2000000 values (an alias bomb?)\n"
        "  hint: if this input is legitimate, raise the limit: PLAYBOOK_MAX_YAML_VALUES=4000000 "
        "(most values a YAML file may expand to (alias bombs))",
    ),
    ("deep.json", 2, f"deep.json: {DEPTH}\n{DEPTH_HINT}"),
    ("deep.yaml", 2, f"deep.yaml:3:1008: {DEPTH}\n{DEPTH_HINT}"),
    ("deep-block.yaml", 2, f"deep-block.yaml:1002:1000: {DEPTH}\n{DEPTH_HINT}"),
    ("huge-string.json", 0, ""),
    ("nan.json", 2, "nan.json: NaN and Infinity are not allowed in JSON: NaN is not allowed"),
    ("infinity.json", 2, "infinity.json: NaN and Infinity are not allowed in JSON: -Infinity is not allowed"),
    ("infinity.yaml", 2, "infinity.yaml:3:32: inf is not allowed (not a finite number)"),
    (
        "long-number.json",
        2,
        "long-number.json: a number is too long: Exceeds the limit (4300 digits) for integer string "
        "conversion: value has 5000 digits",
    ),
    ("number-for-text.yaml", 2, "number-for-text.yaml:2:15: $.group.name: 12345 is not text"),
    (
        "text-for-number.yaml",
        2,
        "text-for-number.yaml:3:18: $.members.count: '300' is not a whole number\n"
        "  hint: write the number alone, without quotes or a unit: 300",
    ),
    ("month-13.yaml", 2, f"month-13.yaml:2:14: $.captured_at: '2026-13-01' {A_TIME}"),
    ("hour-25.yaml", 2, f"hour-25.yaml:2:14: $.captured_at: '2026-11-20T25:00' {A_TIME}"),
    ("february-30.yaml", 2, "february-30.yaml:6:26: '2026-02-30' is not a real date or time"),
    ("negative-count.yaml", 2, "negative-count.yaml:3:18: $.members.count: -5 must be at least 0"),
    ("not-a-mapping.json", 2, "not-a-mapping.json:1:1: $: a list of 3 items is not a mapping"),
    (
        "gb18030.json",
        2,
        "gb18030.json:1:54: not UTF-8 text (byte 53 is 0xd4)\n"
        "  hint: this looks like GBK/GB18030: save the file as UTF-8 and try again",
    ),
    (
        "latin1.json",
        2,
        f"latin1.json:1:42: not UTF-8 text (byte 41 is 0xe9)\n{UTF8_HINT} (it may be Latin-1 or another encoding)",
    ),
    ("utf16-bom.json", 0, ""),
    ("utf16-no-bom.json", 0, ""),
    ("binary.json", 2, "binary.json: this is a binary file, not JSON or YAML text"),
    (
        "python-tag.yaml",
        2,
        "python-tag.yaml:1:11: the YAML tag !!python/object/apply:os.system is not allowed: "
        f"playbooks and snapshots are data and never run code\n{TAG_HINT}",
    ),
    (
        "lone-surrogate.json",
        2,
        "lone-surrogate.json:5:51: an unpaired \\ud800–\\udfff escape (half of an emoji or character) is not "
        "valid text\n  hint: remove it, or export the file again",
    ),
    ("empty-lists.yaml", 0, ""),
    ("ghost-member.yaml", 0, ""),
    ("no-zone.yaml", 0, ""),
    ("future.yaml", 0, ""),
]


def run(*args: object, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], env={"PLAYBOOK_LANG": "en", **(env or {})})


@pytest.fixture
def in_corpus(tmp_path, monkeypatch):
    """Work in a copy of the corpus, so messages name files as `name.json`, not a machine path."""
    for path in HOSTILE.iterdir():
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _materialize(name: str, folder: Path) -> None:
    if name in GENERATED:
        (folder / name).write_text(GENERATED[name](), encoding="utf-8")


@pytest.mark.parametrize(("name", "code", "stderr"), CASES, ids=[c[0] for c in CASES])
def test_hostile_snapshot(in_corpus, name, code, stderr):
    _materialize(name, in_corpus)
    started = time.monotonic()
    result = run("audit", name, "-f", "json")
    assert time.monotonic() - started < SECONDS
    assert (result.exit_code, result.stderr.rstrip("\n")) == (code, stderr)
    if code == 0:
        assert json.loads(result.stdout)["snapshot"]["path"] == name
    else:
        assert result.stdout == ""


def test_every_corpus_file_has_a_case():
    covered = {name for name, _, _ in CASES} | set(PLAYBOOK_CASES) | {"group.json", "cycle-b.yaml"}
    assert {p.name for p in HOSTILE.iterdir()} <= covered
    assert all(p.stat().st_size < 1024 * 1024 for p in HOSTILE.iterdir())


def _report(name: str, *args: str) -> dict:
    result = run("audit", name, "-f", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_time_without_zone_is_read_in_the_snapshot_zone(in_corpus):
    # captured_at 2026-11-20 21:00 in New York is 2026-11-21 02:00 UTC: ages count from there.
    from playbook.core.engine import build_scope

    scope = build_scope({"captured_at": "2026-11-20 21:00", "timezone": "America/New_York"}, {})
    assert scope.op_context.now is not None
    assert scope.op_context.now.utcoffset().total_seconds() == -5 * 3600
    assert _report("no-zone.yaml")["snapshot"]["captured_at"] == "2026-11-20 21:00"


def test_future_captured_at_is_audited_as_written(in_corpus):
    """Decision: no error, no warning. A report is a function of its files only; reading the
    wall clock would make the same files give different reports. The snapshot's time is its "now"."""
    report = _report("future.yaml")
    assert report["snapshot"]["captured_at"] == "2099-01-01T00:00:00+08:00"


def test_incident_members_absent_from_the_roster_still_count(in_corpus):
    """Decision: not an error. Rosters are partial (exports list only speakers; removed members are
    gone): incidents count by id, and "repeat offenders" counts only people still on the roster."""
    metrics = _report("ghost-member.yaml")["metrics"]
    assert (metrics["ad_incidents_30d"], metrics["removals_30d"], metrics["repeat_ad_offenders"]) == (2, 1, 0)


def test_empty_lists_everywhere_give_a_report(in_corpus):
    report = _report("empty-lists.yaml")
    assert report["summary"]["error"] == 0


def test_a_directory_given_as_a_file(tmp_path):
    folder = tmp_path / "group.json"
    folder.mkdir()
    result = run("validate", folder)  # validate searches folders, as audit does; this one is empty
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{folder}: the folder has no .json, .yaml or .yml file\n")


def test_an_unreadable_file(in_corpus, monkeypatch):
    # We run as root in CI, where chmod 000 still reads: simulate the refusal instead.
    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    from playbook.io import documents

    monkeypatch.setattr(documents, "open", refuse, raising=False)  # the loader's own open() only
    result = run("audit", "empty-lists.yaml")
    assert (result.exit_code, result.stderr) == (2, "empty-lists.yaml: permission denied\n")


def test_an_output_path_in_a_missing_directory(in_corpus):
    result = run("audit", "empty-lists.yaml", "-f", "json:nowhere/report.json")
    assert result.exit_code == 2
    assert result.stderr == "nowhere/report.json: the output folder does not exist: nowhere\n"
    assert not (in_corpus / "nowhere").exists()


def test_file_size_limit_names_its_variable(in_corpus):
    result = run("audit", "group.json", env={"PLAYBOOK_MAX_FILE_MB": "0.001"})
    size = (in_corpus / "group.json").stat().st_size
    assert result.exit_code == 2
    assert result.stderr == (
        f"group.json: file too large: {size} bytes, the limit is 1048\n"
        "  hint: if this input is legitimate, raise the limit: PLAYBOOK_MAX_FILE_MB=0.002 "
        "(largest input file, in MB)\n"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_file_that_never_ends_stops_at_the_size_limit(in_corpus):
    # /dev/zero has no size to check first and no end: read in pieces, at most the limit
    result = run("audit", "/dev/zero", env={"PLAYBOOK_MAX_FILE_MB": "2"})
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "/dev/zero: file too large: at least 3145728 bytes, the limit is 2097152\n"
    )


def test_a_snapshot_can_come_through_a_pipe(in_corpus):
    # `playbook audit <(cat group.json)`: a pipe has no size either, and is read to its end
    reading, writing = os.pipe()

    def feed() -> None:
        with os.fdopen(writing, "wb") as pipe:
            pipe.write((in_corpus / "group.json").read_bytes())

    feeder = threading.Thread(target=feed)
    feeder.start()
    try:
        result = run("audit", f"/dev/fd/{reading}", "-f", "json")
    finally:
        feeder.join()
        os.close(reading)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["report"] == 2


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_export_must_be_a_file_it_can_read_twice(in_corpus):
    result = run("import", "telegram", "/dev/zero")
    assert (result.exit_code, result.stderr) == (
        2,
        "/dev/zero: not a regular file (a pipe or a device): save the export to a file first\n",
    )


def test_a_roster_that_is_missing_or_no_file_is_named(in_corpus):
    export = Path(__file__).parent / "fixtures" / "import" / "telegram_single.json"
    missing = run("import", "telegram", str(export), "--roster", "nope.csv")
    assert (missing.exit_code, missing.stderr) == (2, "nope.csv: no such roster file\n")
    if Path("/dev/zero").exists():  # endless, and read twice (encoding, then rows)
        device = run("import", "telegram", str(export), "--roster", "/dev/zero")
        assert (device.exit_code, device.stderr) == (2, "/dev/zero: the roster must be a CSV file\n")
        mini = Path(__file__).parent / "fixtures" / "playbooks" / "mini.yaml"
        tests = run("test", str(mini), "--tests", "/dev/zero")
        assert (tests.exit_code, tests.stderr) == (2, "/dev/zero: not a regular file (a pipe or a device)\n")


def test_a_bad_limit_value_is_a_usage_error(in_corpus):
    result = run("audit", "group.json", env={"PLAYBOOK_MAX_DEPTH": "lots"})
    assert (result.exit_code, result.stderr) == (
        2,
        "PLAYBOOK_MAX_DEPTH: must be a positive number, found 'lots'\n",
    )


def test_depth_limit_can_be_raised(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"platform": "qq", "group": {"name": "x"}, "x-a": ' + "[" * 150 + "]" * 150 + "}")
    assert run("audit", path).exit_code == 2
    assert run("audit", path, env={"PLAYBOOK_MAX_DEPTH": "200"}).exit_code == 0


# ── hostile playbooks ────────────────────────────────────────────────────────

PLAYBOOK_CASES = {
    "catastrophic-regex.yaml": {"naming.regex": "rule error: the regular expression timed out (0.1 s)"},
    "doubling-path.yaml": {
        "naming.doubling": "rule error: the path 'members.list[*].tags[*][*] | [@, @][] | [@, @][] | [@, @]...' was "
        "stopped: out of time (budget 1 s per rule, 5 s per snapshot); limits: PLAYBOOK_RULE_SECONDS, "
        "PLAYBOOK_AUDIT_SECONDS",
        "naming.fine": "passes",
    },
    "self-extends.yaml": "self-extends.yaml: extends forms a cycle",
    "cycle-a.yaml": "cycle-a.yaml: extends forms a cycle",
    "python-tag-playbook.yaml": "python-tag-playbook.yaml:2:5: the YAML tag !!python/name:os.system is not "
    f"allowed: playbooks and snapshots are data and never run code\n{TAG_HINT}",
}


@pytest.mark.parametrize("name", sorted(PLAYBOOK_CASES))
def test_hostile_playbook(in_corpus, name):
    expected = PLAYBOOK_CASES[name]
    started = time.monotonic()
    result = run("audit", "group.json", "-p", name, "-f", "json")
    assert time.monotonic() - started < SECONDS
    if isinstance(expected, str):
        assert (result.exit_code, result.stderr.rstrip("\n"), result.stdout) == (2, expected, "")
        return
    assert result.exit_code == 0, result.stderr
    messages = {r["rule"]: r["message"] for r in json.loads(result.stdout)["results"]}
    assert messages == expected


def test_many_hostile_rules_share_one_budget(in_corpus):
    rule = (
        "  - id: naming.slow-{i}\n    section: naming\n    title: {{zh: t, en: t}}\n    severity: high\n"
        '    check: {{path: "members.list[*].tags | [@, @][]{pipes} | length(@)", op: at_least, value: {i}}}\n'
    )
    rules = "".join(rule.format(i=i, pipes=" | [@, @][]" * 40) for i in range(20))
    text = (
        "playbook: 1\nid: slow\ntitle: {zh: 慢, en: slow}\nsections: {naming: {weight: 1}}\nrules:\n" + rules
    )
    (in_corpus / "slow.yaml").write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = run("audit", "group.json", "-p", "slow.yaml", "-f", "json", env={"PLAYBOOK_AUDIT_SECONDS": "2"})
    assert time.monotonic() - started < SECONDS
    statuses = {r["status"] for r in json.loads(result.stdout)["results"]}
    assert statuses == {"error"}


def test_rule_count_limit(in_corpus):
    rule = "  - id: naming.r{i}\n    section: naming\n    title: {{zh: t, en: t}}\n    severity: low\n    check: {{path: group.name, op: exists}}\n"
    text = "playbook: 1\nid: many\ntitle: {zh: 多, en: many}\nsections: {naming: {weight: 1}}\nrules:\n"
    (in_corpus / "many.yaml").write_text(
        text + "".join(rule.format(i=i) for i in range(11)), encoding="utf-8"
    )
    result = run("audit", "group.json", "-p", "many.yaml", env={"PLAYBOOK_MAX_RULES": "10"})
    assert result.exit_code == 2
    assert result.stderr == (
        "many.yaml:6:3: too many rules: more than 10\n"
        "  hint: if this input is legitimate, raise the limit: PLAYBOOK_MAX_RULES=20 "
        "(most rules in one resolved playbook)\n"
    )


def test_extends_that_doubles_at_every_level_is_cut_short(in_corpus):
    for level in range(30):
        base = f"layer{level + 1}.yaml"
        extends = f"extends: [{base}, {base}]\n" if level < 29 else ""
        (in_corpus / f"layer{level}.yaml").write_text(
            f"playbook: 1\nid: l{level}\ntitle: {{zh: l, en: l}}\n{extends}rules: []\n", encoding="utf-8"
        )
    started = time.monotonic()
    result = run("audit", "group.json", "-p", "layer0.yaml")
    assert time.monotonic() - started < SECONDS
    assert result.exit_code == 2
    assert "extends reads more than 64 playbook files" in result.stderr
    assert "PLAYBOOK_MAX_LAYERS=128" in result.stderr


def test_a_plugin_that_raises_is_a_clean_error(monkeypatch):
    from importlib.metadata import EntryPoint

    import playbook.io.plugins as plugins

    broken = EntryPoint("broken", "tests.test_hostile:_broken_plugin", plugins.GROUP)
    monkeypatch.setattr(plugins, "entry_points", lambda group: [broken])
    monkeypatch.setattr(plugins, "_loaded", set())
    before = dict(plugins.OPERATORS)
    with pytest.raises(plugins.PlaybookError) as caught:
        plugins.load_plugins()
    assert caught.value.render("en") == (
        "plugin broken (tests.test_hostile:_broken_plugin): the plugin failed to load: RuntimeError('boom')\n"
        "  hint: ask the plugin's author, or run without --plugins / PLAYBOOK_PLUGINS"
    )
    assert before == plugins.OPERATORS  # half-registered operators are rolled back


def _broken_plugin() -> None:
    from playbook.core.operators import operator

    operator("half", "none", ("半", "half"), ("半", "half"))(lambda a, v, c: True)
    raise RuntimeError("boom")


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_nothing_is_left_behind(in_corpus):
    run("audit", "nan.json", "-f", "json:out.json")
    assert not list(in_corpus.glob("*.tmp")) and not list(in_corpus.glob(".*.tmp"))
    assert not (in_corpus / "out.json").exists()
