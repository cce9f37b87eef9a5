"""Streaming batch output: each format's Writer writes the same bytes as its whole-batch render,
and `playbook audit` writes reports as they arrive, with files whole or not at all."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from playbook.io.report_list import ReportList
from playbook.present.reporters import REPORTERS, RenderContext, get_reporter, get_writer
from playbook.present.reporters.stream import Item
from tests.ci_helpers import ALPHA, CI, ROOT, run_audit


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def reports() -> ReportList:
    import os

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        result = run_audit(str(CI / "groups"), "examples", "-f", "jsonl", playbook=None)
    finally:
        os.chdir(here)
    assert result.exit_code in (0, 1), result.stderr
    lines = result.stdout_bytes.splitlines()
    assert len(lines) > 5
    return ReportList(lines)


def _as_bytes(rendered: str | bytes | list[bytes]) -> bytes:
    pieces = rendered if isinstance(rendered, list) else [rendered]
    return b"".join(p.encode("utf-8") if isinstance(p, str) else p for p in pieces)


def _streamed(fmt: str, reports: ReportList, context: RenderContext) -> bytes:
    out = io.BytesIO()
    writer = get_writer(fmt)(
        lambda piece: out.write(piece.encode("utf-8") if isinstance(piece, str) else piece), context
    )
    for encoded in reports.encoded:
        writer.add(Item(encoded))
    writer.close()
    return out.getvalue()


CONTEXTS = [
    RenderContext(),
    RenderContext(lang="zh", details=True, verbose=True),
    RenderContext(color=True, details=True),
]


@pytest.mark.parametrize("fmt", list(REPORTERS))
@pytest.mark.parametrize("context", CONTEXTS, ids=["plain", "zh-details", "color-details"])
@pytest.mark.parametrize("count", [1, 2, 9])
def test_every_writer_writes_what_render_gives(fmt, context, count, reports):
    batch = ReportList(reports.encoded[:count])
    whole = _as_bytes(get_reporter(fmt)(batch, context))
    assert _streamed(fmt, batch, context) == whole


def test_jsonl_is_one_compact_report_per_line(tmp_path):
    result = run_audit(str(CI / "groups"), "-f", "jsonl")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    whole = json.loads(run_audit(str(CI / "groups"), "-f", "json").stdout)["reports"]
    assert [json.loads(line) for line in lines] == whole
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    for line in lines:
        jsonschema.validate(json.loads(line), schema)
    assert all("\n" not in line and line.startswith("{") for line in lines)


def test_one_snapshot_as_jsonl_is_still_one_line():
    result = run_audit(ALPHA, "-f", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    assert json.loads(result.stdout)["snapshot"]["path"] == ALPHA


def _folder_with_a_bad_file(tmp_path: Path, bad_at: int, count: int = 6) -> Path:
    folder = tmp_path / "groups"
    folder.mkdir()
    group = (ROOT / ALPHA).read_text(encoding="utf-8")
    for n in range(count):
        text = "{not json" if n == bad_at else group.replace('"1001"', f'"g{n}"')
        (folder / f"g{n}.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["json", "jsonl", "table", "sarif", "junit", "html", "markdown"])
def test_a_bad_file_late_in_a_batch_is_reported_and_the_others_are_written(tmp_path, fmt):
    """One bad export must not cost a batch its other reports (issue 22); the run still fails."""
    folder = _folder_with_a_bad_file(tmp_path, bad_at=4)
    out = tmp_path / "out" / "report.txt"
    out.parent.mkdir()
    result = run_audit(str(folder), "-f", f"{fmt}:{out}")
    assert result.exit_code == 2
    assert "g4.yaml" in result.stderr
    assert list(out.parent.iterdir()) == [out]  # whole, and no temporary file left
    text = out.read_text(encoding="utf-8")
    assert "g4.yaml" not in text
    assert (
        text.count("周末闲聊群") == 5 if fmt == "table" else "g5" in text
    )  # the table names groups, not ids


def test_a_batch_of_bad_files_only_writes_nothing(tmp_path):
    folder = tmp_path / "groups"
    folder.mkdir()
    (folder / "a.yaml").write_text("{not json", encoding="utf-8")
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    result = run_audit(str(folder), "-f", f"json:{out}")
    assert result.exit_code == 2 and "a.yaml" in result.stderr
    assert list(out.parent.iterdir()) == []


def test_on_the_terminal_every_good_report_is_out_and_the_bad_file_is_named(tmp_path):
    folder = _folder_with_a_bad_file(tmp_path, bad_at=3)
    result = run_audit(str(folder), "-f", "jsonl")
    assert result.exit_code == 2 and "g3.yaml" in result.stderr
    assert [json.loads(line)["snapshot"]["group_id"] for line in result.stdout.splitlines()] == [
        "g0",
        "g1",
        "g2",
        "g4",
        "g5",
    ]


def test_reports_are_written_while_the_batch_is_still_being_audited(tmp_path, monkeypatch):
    import playbook.cli.audit_cmd as audit_cmd
    import playbook.runner.audit as audit

    events: list[str] = []
    audit_one, print_piece = audit.audit_one, audit_cmd._print_piece

    def audited(item, *args, **kwargs):
        events.append("audit")
        return audit_one(item, *args, **kwargs)

    def printed(piece):
        events.append("write")
        print_piece(piece)

    monkeypatch.setattr(audit, "audit_one", audited)
    monkeypatch.setattr(audit_cmd, "_print_piece", printed)
    folder = _folder_with_a_bad_file(tmp_path, bad_at=-1, count=5)
    result = run_audit(str(folder), "-f", "jsonl", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    assert events == ["audit", "write"] * 5


@pytest.mark.parametrize("fmt", ["jsonl", "json", "sarif", "junit", "table"])
def test_jobs_2_streams_the_same_bytes_as_jobs_1(tmp_path, fmt):
    folder = tmp_path / "groups"
    folder.mkdir()
    group = (ROOT / ALPHA).read_text(encoding="utf-8")
    for n in range(120):  # several chunks per process, so chunks finish out of order
        (folder / f"g{n:03}.yaml").write_text(group.replace('"1001"', f'"g{n}"'), encoding="utf-8")
    one = run_audit(str(folder), "-f", fmt, "--jobs", "1")
    two = run_audit(str(folder), "-f", fmt, "--jobs", "2")
    assert one.exit_code == two.exit_code == 0, one.stderr + two.stderr
    assert one.stdout_bytes == two.stdout_bytes


@pytest.mark.parametrize(
    ("formats", "cut_in"),
    [(["jsonl"], True), (["json"], True), (["table"], False), (["jsonl:out.jsonl", "table"], False)],
)
def test_no_progress_line_cuts_into_reports_printed_on_the_same_terminal(monkeypatch, formats, cut_in):
    import sys

    from playbook.cli.audit_cmd import _prints_as_it_goes
    from playbook.present.reporters import parse_output_specs

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert _prints_as_it_goes(parse_output_specs(formats, None)) is cut_in
