"""The command line: exit codes 0/1/2/3 with stdout and stderr, and bad input of every kind."""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from playbook.cli import main
from playbook.cli.base import COMMAND_MODULES
from tests.conftest import GOOD_GROUP, MINI, make_snapshot

GOOD = make_snapshot(
    group=GOOD_GROUP,
    metrics={"weekly_active_ratio": 0.1},
    goals=[{"metric": "weekly_active_ratio", "target": 0.3}],
)


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env or {"PLAYBOOK_LANG": "en"})


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "group.json"
    path.write_text(json.dumps(GOOD, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_audit_prints_score_stage_sections_and_checklist(good_file):
    result = run("audit", good_file, "-p", MINI)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "Overall" in out and "grade" in out and "coverage" in out
    assert "Stage: growth — declared in the snapshot (group.stage)" in out
    for section in ("Naming", "Tags", "Intro", "Rules", "Engagement", "Lifecycle"):
        assert section in out
    assert "Do now:" in out and "[+" in out and "Weekly active" in out


def test_audit_in_chinese(good_file):
    result = run("audit", good_file, "-p", MINI, "--lang", "zh")
    assert result.exit_code == 0
    assert "总分" in result.stdout and "现在就做" in result.stdout and "周活跃" in result.stdout


def test_language_from_environment(good_file):
    result = run(
        "audit",
        good_file,
        "-p",
        MINI,
        env={"PLAYBOOK_LANG": "", "LANG": "zh_CN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None},
    )
    assert "总分" in result.stdout


def test_json_output_to_a_file(good_file, tmp_path):
    out = tmp_path / "report.json"
    result = run("audit", good_file, "-p", MINI, "-f", "json", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["score"]["overall"] == 85.86
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--fail-under", "90"], 1, "gate --fail-under 90 failed: overall 85.86"),
        (["--fail-under", "85"], 0, ""),
        (["--fail-on", "high"], 1, "gate --fail-on high failed: 1 rule failed (engagement.weekly-active)"),
        (["--fail-on", "critical"], 0, ""),
    ],
)
def test_gates_exit_1_and_say_which(good_file, args, code, message):
    result = run("audit", good_file, "-p", MINI, *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Overall" in result.stdout  # the report is printed either way


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)

BAD_INPUTS = [
    (
        "truncated.json",
        '{"snapshot": 1, "platform": "qq", "group": {"name": "x"',
        "truncated.json:1:",
        "invalid JSON",
    ),
    ("empty.json", "", "empty.json", "the file is empty"),
    (
        "comments.yaml",
        "# group.yaml\n\n# to be filled in\n",
        "comments.yaml",
        "the file is empty (it holds only comments)",
    ),
    ("hash.yaml", "#", "hash.yaml", "the file is empty (it holds only comments)"),
    (
        "types.json",
        json.dumps({"platform": "qq", "group": {"name": 5}}),
        "types.json:1:",
        "$.group.name: 5 is not text",
    ),
    (
        "unknown.json",
        json.dumps({"platform": "qq", "group": {"name": "x"}, "grop": {}}),
        "unknown.json:1:",
        "unknown key 'grop'",
    ),
    ("enum.yaml", "platform: line\ngroup: {name: x}\n", "enum.yaml:1:11", "'line' is not one of"),
    ("bomb.yaml", ALIAS_BOMB, "bomb.yaml", "alias bomb"),
    ("gbk.json", '{"platform": "qq", "group": {"name": "运营群"}}'.encode("gbk"), "gbk.json:1:", "not UTF-8"),
    ("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary.json", "binary file"),
    ("nan.json", '{"platform": "qq", "group": {"name": "x"}, "metrics": {"m": NaN}}', "nan.json", "NaN"),
    (
        "date.yaml",
        "platform: qq\ncaptured_at: 2026-02-30\ngroup: {name: x}\n",
        "date.yaml:2:14",
        "not a real date",
    ),
    ("tz.yaml", "platform: qq\ntimezone: Mars/Base\ngroup: {name: x}\n", "tz.yaml:2:11", "unknown time zone"),
    # The schema's pattern allows the year 0000; no calendar the tool reads dates in has it (a
    # generated snapshot found it breaking a rule instead of being refused).
    (
        "year0.yaml",
        "platform: qq\ngroup: {name: x}\nevents:\n  - {at: 0000-01-01}\n",
        "year0.yaml:4:10",
        "not a real date",
    ),
]


@pytest.mark.parametrize(("name", "content", "where", "what"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_snapshots_exit_2_with_location_and_no_traceback(tmp_path, name, content, where, what):
    path = write(tmp_path, name, content)
    started = time.monotonic()
    result = run("audit", path, "-p", MINI)
    assert time.monotonic() - started < 2
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert where in result.stderr and what in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_several_schema_problems_are_reported_at_once(tmp_path):
    data = {"platform": "qq", "group": {"name": 5, "tags": "a"}, "extra": 1}
    path = write(tmp_path, "many.json", json.dumps(data, indent=2))
    result = run("audit", path)
    assert result.exit_code == 2
    assert result.stderr.count("many.json:") == 3


def test_unknown_key_gets_a_did_you_mean(tmp_path):
    path = write(tmp_path, "typo.yaml", "platform: qq\ngroup: {name: x, tgas: [a]}\n")
    result = run("audit", path, "-p", MINI)
    assert "typo.yaml:2:18: unknown key 'tgas'" in result.stderr
    assert "did you mean 'tags'?" in result.stderr


def test_utf8_bom_and_utf16_are_read(tmp_path):
    text = json.dumps(GOOD, ensure_ascii=False)
    for name, raw in (("bom.json", codecs.BOM_UTF8 + text.encode()), ("u16.json", text.encode("utf-16"))):
        result = run("audit", write(tmp_path, name, raw), "-p", MINI)
        assert result.exit_code == 0, result.stderr


def test_missing_file_and_directory(tmp_path):
    result = run("audit", tmp_path / "nope.json", "-p", MINI)
    assert result.exit_code == 2 and "no such file" in result.stderr
    result = run("audit", tmp_path, "-p", MINI)
    assert result.exit_code == 2 and "folder" in result.stderr


def test_output_into_a_missing_folder_is_a_clean_error(good_file, tmp_path):
    result = run("audit", good_file, "-p", MINI, "-o", tmp_path / "no" / "r.json")
    assert result.exit_code == 2 and "output folder does not exist" in result.stderr


def test_output_over_a_folder_is_a_clean_error_and_leaves_nothing(good_file, tmp_path):
    (tmp_path / "r.json").mkdir()
    result = run("audit", good_file, "-p", MINI, "-f", f"json:{tmp_path / 'r.json'}", "--lang", "zh")
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / 'r.json'}: 无法写入，什么也没有写: 已有同名文件夹\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([good_file.name, "r.json"])


def test_output_into_a_pipe_is_written_to_and_the_pipe_stays_a_pipe(good_file, tmp_path):
    # `-o /dev/stdout` or a FIFO: replacing it with a file (as a rename would) breaks it for everyone
    fifo = tmp_path / "reports.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("audit", good_file, "-p", MINI, "-f", "json", "-o", fifo)
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert json.loads(received[0])["report"] == 2
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_output_through_a_symlink_replaces_the_file_it_points_to(good_file, tmp_path):
    (tmp_path / "reports").mkdir()
    latest = tmp_path / "reports" / "latest.json"
    latest.write_text("old", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(latest)
    result = run("audit", good_file, "-p", MINI, "-f", "json", "-o", link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and json.loads(latest.read_text(encoding="utf-8"))["report"] == 2


def test_a_full_disk_is_a_clean_error_and_leaves_nothing(good_file, tmp_path, monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)  # the last step of writing: the data is all in
    result = run("audit", good_file, "-p", MINI, "-o", tmp_path / "r.json")
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"{tmp_path / 'r.json'}: cannot write, nothing was written: no space left on the disk\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == [good_file.name]


def test_catastrophic_regex_in_a_playbook_is_an_error_result_within_seconds(tmp_path):
    playbook = write(
        tmp_path,
        "slow.yaml",
        "playbook: 1\nid: slow\ntitle: {zh: 慢, en: slow}\nsections: {naming: {weight: 1}}\nrules:\n"
        "  - id: naming.slow\n    section: naming\n    title: {zh: 慢, en: slow}\n    severity: high\n"
        '    check: {path: group.name, op: matches, value: "^(a|aa)+$"}\n',
    )
    good_file = write(tmp_path, "g.json", json.dumps(make_snapshot(group={"name": "a" * 40 + "!"})))
    started = time.monotonic()
    result = run("audit", good_file, "-p", playbook, "-f", "json")
    assert time.monotonic() - started < 3
    assert result.exit_code == 0
    assert json.loads(result.stdout)["results"][0]["status"] == "error"


def test_bad_playbook_points_at_the_line(good_file, tmp_path):
    playbook = write(
        tmp_path,
        "bad.yaml",
        "playbook: 1\nid: bad\ntitle: {zh: 坏, en: bad}\nsections: {naming: {weight: 1}}\nrules:\n"
        "  - id: naming.x\n    section: naming\n    title: {zh: x, en: x}\n    severity: high\n"
        "    check: {path: group.name, op: at_leest, value: 3}\n",
    )
    result = run("audit", good_file, "-p", playbook)
    assert result.exit_code == 2
    assert "bad.yaml:10:35: unknown operator 'at_leest'" in result.stderr
    assert "did you mean 'at_least'?" in result.stderr


def test_python_tags_in_yaml_are_refused(good_file, tmp_path):
    playbook = write(tmp_path, "evil.yaml", "playbook: 1\nid: !!python/object/apply:os.system ['echo hi']\n")
    result = run("validate", playbook)
    assert result.exit_code == 1
    assert "evil.yaml:2:5" in result.stdout and "python/object" in result.stdout


def test_validate_tells_playbooks_from_snapshots(good_file):
    result = run("validate", good_file, MINI)
    assert result.exit_code == 0
    assert f"{good_file}: ok (snapshot)" in result.stdout
    assert "mini.yaml: ok (playbook)" in result.stdout
    chinese = CliRunner().invoke(main, ["validate", str(good_file), str(MINI), "--lang", "zh"])
    assert f"{good_file}: 通过（群快照）" in chinese.stdout and "mini.yaml: 通过（手册）" in chinese.stdout


def test_validate_exit_1_on_invalid_file(tmp_path):
    path = write(tmp_path, "bad.json", json.dumps({"platform": "qq"}))
    result = run("validate", path)
    assert result.exit_code == 1
    assert "missing required key 'group'" in result.stdout


@pytest.mark.parametrize("name", ["snapshot", "playbook", "report"])
def test_schema_prints_json_schema(name):
    result = run("schema", name)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["$schema"].startswith("https://json-schema.org/draft/2020-12")


def test_usage_errors_exit_2():
    assert run("audit").exit_code == 2
    assert run("schema", "nope").exit_code == 2
    assert run("nope").exit_code == 2


def test_internal_error_is_one_line_with_exit_3(good_file, monkeypatch):
    import playbook.core.report

    def boom(*_args, **_kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(playbook.core.report, "build_report", boom)
    monkeypatch.setattr("playbook.api.build_report", boom)
    result = run("audit", good_file, "-p", MINI)
    assert result.exit_code == 3
    assert result.stderr.strip() == "internal error: RuntimeError('bug') (run with --traceback for details)"


def test_a_step_to_do_now_shows_its_whole_fix_with_the_template():
    example = Path(__file__).resolve().parents[1] / "examples" / "wechat-groupbuy-ads.yaml"
    result = run("audit", example, "--lang", "zh")
    lines = result.stdout.splitlines()
    first = lines.index("     → 今天就把至少 3 条群规（含处罚）发到群公告，可以直接用这个模板：")
    assert lines[first + 1 : first + 3] == [
        "         【群规】",
        "         1. 禁止发广告、链接、小程序、二维码（推广需先找群主报备）",
    ]
    assert lines[first + 7].startswith("         违规处理：")
    assert re.match(r"  \d\. \[", lines[first + 8])  # the next step follows the template


def test_each_command_is_found_in_the_module_that_defines_it():
    # Commands are imported on demand (`playbook audit` loads no other command's module): the
    # table must name every command, each with its own module.
    names = main.list_commands(click.Context(main))
    assert sorted(COMMAND_MODULES) == names
    for name in names:
        command = main.get_command(click.Context(main), name)
        assert command is not None and command.callback is not None
        assert command.callback.__module__ == f"playbook.cli.{COMMAND_MODULES[name]}", name


def test_an_audit_imports_no_other_command(good_file):
    code = (
        "import sys\nfrom playbook.cli import main\n"
        "try:\n    main(['audit', sys.argv[1], '-f', 'json'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('playbook.cli.')))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(good_file)], capture_output=True, text=True)
    loaded = done.stdout.splitlines()[-1]
    assert "audit_cmd" in loaded
    for other in ("authoring_cmds", "data_cmds", "report_cmds"):
        assert other not in loaded
