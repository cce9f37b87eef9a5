"""Hardening, second pass: inputs are never overwritten, a failed write is an error, odd
numbers and tags are located errors, limits hold on every path.

Each test is one defect found by trying the tool as an attacker would (issue 22).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.cli import main
from tests.conftest import make_snapshot

FIXTURES = Path(__file__).parent / "fixtures"
TELEGRAM = FIXTURES / "import" / "telegram_single.json"


def run(*args: object, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, [*map(str, args), "--lang", "en"], env=env)


@pytest.fixture
def group(tmp_path: Path) -> Path:
    path = tmp_path / "g.json"
    path.write_text(json.dumps(make_snapshot(), ensure_ascii=False), encoding="utf-8")
    return path


# ── inputs are never overwritten ─────────────────────────────────────────────


@pytest.mark.parametrize("how", ["-o", "-f json:FILE", "symlink", "hard link"])
def test_audit_refuses_to_write_its_report_over_the_snapshot(group: Path, tmp_path: Path, how: str) -> None:
    before = group.read_bytes()
    target = group
    if how == "symlink":
        target = tmp_path / "link.json"
        target.symlink_to(group)
    elif how == "hard link":
        target = tmp_path / "hard.json"
        os.link(group, target)
    args = ["-f", f"json:{target}"] if how == "-f json:FILE" else ["-f", "json", "-o", target]
    result = run("audit", group, *args)
    assert result.exit_code == 2
    assert f"{target}: the output is the input {group}: writing would replace it" in result.stderr
    assert group.read_bytes() == before


def test_audit_refuses_to_write_over_its_playbook_or_baseline(group: Path, tmp_path: Path) -> None:
    playbook = FIXTURES / "playbooks" / "mini.yaml"
    copy = tmp_path / "mini.yaml"
    copy.write_bytes(playbook.read_bytes())
    result = run("audit", group, "-p", copy, "-f", "json", "-o", copy)
    assert result.exit_code == 2 and "the output is the input" in result.stderr
    assert copy.read_bytes() == playbook.read_bytes()
    baseline = tmp_path / "base.json"
    assert run("audit", group, "-f", "json", "-o", baseline).exit_code == 0
    kept = baseline.read_bytes()
    result = run("audit", group, "--baseline", baseline, "-f", "json", "-o", baseline)
    assert result.exit_code == 2 and baseline.read_bytes() == kept


@pytest.mark.parametrize("command", ["diff", "trend"])
def test_diff_and_trend_refuse_to_write_over_an_input(group: Path, tmp_path: Path, command: str) -> None:
    later = tmp_path / "later.json"
    later.write_text(json.dumps(make_snapshot(captured_at="2026-11-27T21:00:00+08:00")), encoding="utf-8")
    kept = later.read_bytes()
    result = run(command, group, later, "-o", later)
    assert result.exit_code == 2 and "the output is the input" in result.stderr
    assert later.read_bytes() == kept


def test_import_refuses_to_write_over_its_export(tmp_path: Path) -> None:
    export = tmp_path / "result.json"
    export.write_bytes(TELEGRAM.read_bytes())
    result = run("import", "telegram", export, "-o", export)
    assert result.exit_code == 2 and "the output is the input" in result.stderr
    assert export.read_bytes() == TELEGRAM.read_bytes()


def test_import_replaces_an_existing_snapshot_only_with_force(tmp_path: Path) -> None:
    snapshot = tmp_path / "group.json"
    snapshot.write_text("# edited by hand\n", encoding="utf-8")
    result = run("import", "telegram", TELEGRAM, "-o", snapshot)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{snapshot}: the file exists and was not replaced\n  hint: add --force")
    assert snapshot.read_text(encoding="utf-8") == "# edited by hand\n"
    assert run("import", "telegram", TELEGRAM, "-o", snapshot, "--force").exit_code == 0
    assert json.loads(snapshot.read_text(encoding="utf-8"))["platform"] == "telegram"


# ── a write to stdout that fails is an error ─────────────────────────────────


def _limited(size: int):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "{g}", "-f", "json"],
        ["audit", "{g}", "-f", "html"],
        ["audit", "{g}"],
        ["import", "telegram", str(TELEGRAM)],
    ],
    ids=["json", "html", "table", "import"],
)
def test_a_full_disk_on_stdout_is_an_error(group: Path, tmp_path: Path, args: list[str]) -> None:
    """`(ulimit -f 1; playbook audit g.yaml -f json > r.json)` left 1 KB of JSON and exit 0."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "playbook", *(a.format(g=group) for a in args), "--lang", "en"]
    with out.open("wb") as stdout:
        done = subprocess.run(
            command, stdout=stdout, stderr=subprocess.PIPE, preexec_fn=_limited(1024), check=False
        )
    assert done.returncode == 2
    assert done.stderr.decode().startswith(
        "<stdout>: cannot write the standard output; what was written is cut short"
    )
    assert "ulimit -f" in done.stderr.decode()


# ── numbers and YAML tags that were internal errors ──────────────────────────

GROUP_YAML = (
    "snapshot: 1\ncaptured_at: 2026-11-20T21:00:00+08:00\nplatform: wechat\n"
    "group: {{id: '1', name: {name}}}\nmembers: {{count: {count}}}\n"
)


@pytest.mark.parametrize(
    ("name", "count", "message"),
    [
        ("x", "1" + "0" * 27, "5:18: $.members.count: 1e+27 is too large; at most 10^15 is allowed"),
        (
            "x",
            "9" * 400,
            "5:18: $.members.count: a number of 400 digits is too large; at most 10^15 is allowed",
        ),
        ("!!binary aGVsbG8=", "3", "4:24: the YAML tag !!binary is not allowed"),
        ("!!set {a, b}", "3", "4:24: the YAML tag !!set is not allowed"),
        ("!!timestamp 2026-01-01", "3", "4:24: the YAML tag !!timestamp is not allowed"),
        ("!custom x", "3", "4:24: the YAML tag !custom is not allowed: playbooks and snapshots are data"),
    ],
)
def test_odd_numbers_and_tags_are_located_errors(tmp_path: Path, name: str, count: str, message: str) -> None:
    snapshot = tmp_path / "g.yaml"
    snapshot.write_text(GROUP_YAML.format(name=name, count=count), encoding="utf-8")
    result = run("audit", snapshot)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{snapshot}:{message}")


def test_a_number_beyond_a_float_is_named_as_such(tmp_path: Path) -> None:
    """1e309 was read as infinity and reported as 'null is not a whole number'."""
    data = json.dumps(make_snapshot(members={"count": 7})).replace('"count": 7', '"count": 1e309')
    snapshot = tmp_path / "g.json"
    snapshot.write_text(data, encoding="utf-8")
    result = run("audit", snapshot)
    assert result.exit_code == 2
    assert "$.members.count: the number is beyond the range of a float (about 1.8e308)" in result.stderr


@pytest.mark.parametrize(
    ("place", "where"),
    [
        ('"count": 12345678901234567', "$.members.count: 1.23457e+16 is too large"),  # an object's value
        ('"count": [7, [1e400, 7]]', "$.members.count[1][0]: the number is beyond"),  # in nested lists
    ],
)
def test_a_large_file_finds_its_huge_numbers_while_it_is_parsed(tmp_path, monkeypatch, place, where):
    # Files over DUPLICATE_CHECK_CHARS take the exact parser, whose object hook notes numbers
    # beyond 10^15 (a regex over the whole text did, 0.9 s for 116 MB); made small here.
    from playbook.io import documents

    monkeypatch.setattr(documents, "DUPLICATE_CHECK_CHARS", 100)
    data = json.dumps(make_snapshot(members={"count": 7})).replace('"count": 7', place)
    snapshot = tmp_path / "g.json"
    snapshot.write_text(data, encoding="utf-8")
    result = run("audit", snapshot)
    assert result.exit_code == 2, result.output
    assert where in result.stderr
    snapshot.write_text(json.dumps(make_snapshot(members={"count": 7})), encoding="utf-8")
    assert run("audit", snapshot).exit_code in (0, 1)


def test_a_bad_file_in_a_batch_is_reported_and_the_rest_are_written(tmp_path: Path) -> None:
    folder = tmp_path / "groups"
    folder.mkdir()
    for index in range(3):
        (folder / f"g{index}.json").write_text(json.dumps(make_snapshot()), encoding="utf-8")
    (folder / "g1.json").unlink()
    (folder / "g1.yaml").write_text(GROUP_YAML.format(name="!!set {a}", count=3), encoding="utf-8")
    out = tmp_path / "r.json"
    result = run("audit", folder, "-f", f"json:{out}")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{folder / 'g1.yaml'}:4:24: the YAML tag !!set is not allowed")
    paths = [r["snapshot"]["path"] for r in json.loads(out.read_text(encoding="utf-8"))["reports"]]
    assert [Path(p).name for p in paths] == ["g0.json", "g2.json"]


@pytest.mark.parametrize("command", ["baseline", "diff", "trend"])
def test_a_report_with_a_metric_near_1e308_is_a_located_error(
    group: Path, tmp_path: Path, command: str
) -> None:
    report = tmp_path / "old.json"
    assert run("audit", group, "-f", "json", "-o", report).exit_code == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    data["metrics"]["member_count"] = 1.7e308
    report.write_text(json.dumps(data), encoding="utf-8")
    args = {
        "baseline": ["audit", group, "--baseline", report],
        "diff": ["diff", report, group],
        "trend": ["trend", report, group],
    }[command]
    result = run(*args)
    assert result.exit_code == 2
    assert f"{report}:" in result.stderr and "$.metrics.member_count: 1.7e+308 is too large" in result.stderr


# ── imports: nesting, size, line length ──────────────────────────────────────


def _nested_export(depth: int, one_line: bool = False) -> str:
    text = "[" * depth + '"x"' + "]" * depth
    message = f'{{"id": 1, "type": "message", "date": "2026-03-12T10:01:00", "from": "A", "from_id": "u1", "text": {text}}}'
    sep = "" if one_line else "\n"
    return f'{{"name": "g", "type": "private_group", "id": 1,{sep} "messages": [{sep}{message}{sep}]}}'


def _memory_limited(megabytes: int):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (megabytes * 1024 * 1024, megabytes * 1024 * 1024))

    return limit


@pytest.mark.parametrize("fmt", ["telegram", "discord", "wechat"])
@pytest.mark.parametrize("one_line", [False, True], ids=["lines", "one-line"])
def test_an_export_nested_20000_levels_is_refused_in_little_memory(
    tmp_path: Path, fmt: str, one_line: bool
) -> None:
    """80 KB nested 20,000 levels took 3.9 GB (ijson keeps the path of every open level)."""
    export = tmp_path / "result.json"
    export.write_text(_nested_export(20_000, one_line), encoding="utf-8")
    command = [sys.executable, "-m", "playbook", "import", fmt, str(export), "-o", str(tmp_path / "s.json")]
    done = subprocess.run(
        [*command, "--lang", "en"],
        capture_output=True,
        preexec_fn=_memory_limited(1024),
        check=False,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().startswith(f"{export}: nesting is deeper than 100 levels")


def test_an_export_nested_1000_levels_is_a_clean_error(tmp_path: Path) -> None:
    export = tmp_path / "result.json"
    export.write_text(_nested_export(1000), encoding="utf-8")
    result = run("import", "telegram", export, "-o", tmp_path / "s.json")
    assert result.exit_code == 2 and "nesting is deeper than 100 levels" in result.stderr
    inside_a_string = _nested_export(0).replace('"text": "x"', '"text": "' + "[{" * 1000 + '\\"]"')
    export.write_text(inside_a_string, encoding="utf-8")  # brackets in a text are no nesting
    assert run("import", "telegram", export, "-o", tmp_path / "t.json").exit_code == 0


@pytest.mark.parametrize("fmt", ["qq", "wechat"])
def test_text_exports_have_the_size_limit(tmp_path: Path, fmt: str) -> None:
    export = tmp_path / ("chat.txt" if fmt == "qq" else "chat.csv")
    with export.open("wb") as handle:  # sparse: 2 GB on paper, nothing on the disk
        handle.truncate(2 * 1024**3)
    result = run("import", fmt, export, "-o", tmp_path / "s.json")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{export}: file too large: 2147483648 bytes, the limit is 536870912")
    assert "PLAYBOOK_MAX_FILE_MB=1024" in result.stderr


def test_a_text_export_line_is_bounded(tmp_path: Path) -> None:
    export = tmp_path / "chat.txt"
    export.write_text("2026-03-12 10:00:00 A(1)\n" + "x" * 1_500_000 + "\n", encoding="utf-8")
    result = run("import", "qq", export, "-o", tmp_path / "s.json")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{export}:2: this line is longer than 1,000,000 characters")


# ── the audit's time budget holds whatever the rules do ──────────────────────


def _rules_playbook(rules: list[str]) -> str:
    head = "playbook: 1\nid: slow\ntitle: {zh: 慢, en: slow}\nsections: {naming: {weight: 1}}\nrules:\n"
    return head + "".join(
        f"  - id: naming.r{i}\n    section: naming\n    title: {{zh: t, en: t}}\n    severity: low\n{rule}"
        for i, rule in enumerate(rules)
    )


def test_a_slow_check_per_item_stops_at_the_rule_budget(tmp_path: Path) -> None:
    """Each regular expression under `each` kept within its 0.1 s; 300 of them took 22 s."""
    members = [{"id": f"m{i}", "name": "a" * 100} for i in range(5000)]
    snapshot = tmp_path / "g.json"
    snapshot.write_text(
        json.dumps(make_snapshot(members={"source": "bot", "list": members})), encoding="utf-8"
    )
    playbook = tmp_path / "slow.yaml"
    rule = '    each: members.list\n    check: {path: name, op: matches, value: "a.*a.*b"}\n'
    playbook.write_text(_rules_playbook([rule]), encoding="utf-8")
    started = time.monotonic()
    result = run("audit", snapshot, "-p", playbook, "-f", "json", env={"PLAYBOOK_RULE_SECONDS": "0.5"})
    assert time.monotonic() - started < 10
    assert result.exit_code == 0
    (rule_result,) = json.loads(result.stdout)["results"]
    assert rule_result["status"] == "error"
    assert rule_result["message"].startswith(
        "rule error: the rule was stopped: out of time (budget 0.5 s per rule"
    )


def test_the_audit_budget_bounds_many_heavy_paths(tmp_path: Path) -> None:
    """120 rules of `length(to_string([@, `i`]))` over a large snapshot ran 23.7 s with a 1 s budget."""
    messages = [
        {"at": "2026-11-19T10:00:00+08:00", "from": f"m{i % 50}", "type": "text", "text": "x" * 200}
        for i in range(20_000)
    ]
    snapshot = tmp_path / "g.json"
    snapshot.write_text(json.dumps(make_snapshot(activity={"messages": messages})), encoding="utf-8")
    rules = [
        f"    check: {{path: 'length(to_string([@, `{i}`]))', op: at_least, value: 1}}\n" for i in range(120)
    ]
    playbook = tmp_path / "heavy.yaml"
    playbook.write_text(_rules_playbook(rules), encoding="utf-8")
    started = time.monotonic()
    result = run("audit", snapshot, "-p", playbook, "-f", "json", env={"PLAYBOOK_AUDIT_SECONDS": "1"})
    elapsed = time.monotonic() - started
    assert result.exit_code == 0
    messages_of = [r["message"] for r in json.loads(result.stdout)["results"]]
    assert any(
        m.startswith("rule error: not run: the audit is out of time (budget 1 s per snapshot")
        for m in messages_of
    )
    assert elapsed < 10


# ── files outside the playbook's folder are neither read nor echoed ──────────

NO_ALLOWANCE = {"PLAYBOOK_ALLOW_PATH": None}  # not the fixtures' allowance (conftest.py)
SECRET = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".env").write_text(SECRET + "\n", encoding="utf-8")
    (tmp_path / "team").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "base.yaml").write_text(
        "playbook: 1\nid: base\ntitle: {zh: 基, en: base}\nsections: {naming: {weight: 1}}\nrules: []\n",
        encoding="utf-8",
    )
    return tmp_path


def _extending(project: Path, ref: str) -> Path:
    playbook = project / "team" / "p.yaml"
    playbook.write_text(
        f"playbook: 1\nid: p\ntitle: {{zh: p, en: p}}\nextends: ['{ref}']\nsections: {{naming: {{weight: 1}}}}\nrules: []\n",
        encoding="utf-8",
    )
    return playbook


@pytest.mark.parametrize("ref", ["../.env", "{root}/.env", "../shared/base.yaml"])
def test_extends_outside_the_playbooks_folder_is_refused(project: Path, group: Path, ref: str) -> None:
    playbook = _extending(project, ref.format(root=project))
    result = run("audit", group, "-p", playbook, env=NO_ALLOWANCE)
    assert result.exit_code == 2
    assert (
        f"{playbook}:4:11: '{ref.format(root=project)}' is outside the playbook's folder and was not read"
        in (result.stderr)
    )
    assert "AWS" not in result.stderr


def test_allow_path_lets_a_playbook_extend_a_shared_folder(project: Path, group: Path) -> None:
    playbook = _extending(project, "../shared/base.yaml")
    result = run("audit", group, "-p", playbook, "--allow-path", project / "shared", env=NO_ALLOWANCE)
    assert result.exit_code == 0, result.stderr


def test_a_symlink_out_of_the_folder_is_refused_too(project: Path, group: Path) -> None:
    (project / "team" / "base.yaml").symlink_to(project / "shared" / "base.yaml")
    playbook = _extending(project, "base.yaml")
    result = run("audit", group, "-p", playbook, env=NO_ALLOWANCE)
    assert result.exit_code == 2 and "'base.yaml' is outside the playbook's folder" in result.stderr


def test_a_file_of_the_wrong_kind_is_described_never_quoted(project: Path, group: Path) -> None:
    result = run("audit", group, "-p", project / ".env", env=NO_ALLOWANCE)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{project / '.env'}:1:1: $: a text of 60 characters is not a mapping")
    assert "AWS" not in result.stderr


def test_a_test_files_snapshot_outside_is_refused(project: Path) -> None:
    playbook = project / "team" / "p.yaml"
    playbook.write_text(
        "playbook: 1\nid: p\ntitle: {zh: p, en: p}\nsections: {naming: {weight: 1}}\nrules: []\n",
        encoding="utf-8",
    )
    (project / "team" / "tests").mkdir()
    (project / "team" / "tests" / "t.yaml").write_text(
        "tests:\n  - name: leak\n    snapshot: ../../.env\n    expect: {overall: 0}\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["test", str(playbook), "--lang", "en"], env=NO_ALLOWANCE)
    assert result.exit_code == 2
    assert "'../../.env' is outside the playbook's folder and was not read" in result.stderr
    assert "AWS" not in result.stderr


def test_a_symlink_in_an_audited_folder_that_leads_out_is_refused(project: Path, tmp_path: Path) -> None:
    folder = project / "groups"
    folder.mkdir()
    (folder / "g.json").write_text(json.dumps(make_snapshot()), encoding="utf-8")
    (folder / "config.yaml").symlink_to(project / ".env")
    result = run("audit", folder)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"{folder / 'config.yaml'}: a symbolic link that leads out of the folder: not read"
    )
    assert "AWS" not in result.stderr


# ── smaller defects ──────────────────────────────────────────────────────────


def test_placeholders_in_fix_texts_stay_visible_in_markdown_and_sarif(tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    group = make_snapshot(onboarding={"pre_join_message": "hi"})  # too short: a fix with <group> is shown
    snapshot = tmp_path / "g.json"
    snapshot.write_text(json.dumps(group, ensure_ascii=False), encoding="utf-8")
    markdown = run("audit", snapshot, "-f", "markdown", "-v").stdout
    assert "Hi, I run &lt;group&gt;" in MarkdownIt("commonmark").enable("table").render(markdown)
    sarif = json.loads(run("audit", snapshot, "-f", "sarif").stdout)
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "&lt;topic&gt;" in MarkdownIt("commonmark").render(rules["intro.present"]["help"]["markdown"])


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-le", "utf-32-be"])
def test_utf32_with_a_bom_is_read(tmp_path: Path, codec: str) -> None:
    """It was 'invalid JSON: a value is expected', naming neither the problem nor the encoding."""
    import codecs

    bom = {"utf-32": b"", "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}[codec]
    snapshot = tmp_path / "g.json"
    snapshot.write_bytes(bom + json.dumps(make_snapshot(), ensure_ascii=False).encode(codec))
    result = run("audit", snapshot, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["snapshot"]["group_name"] == "运营交流群"
