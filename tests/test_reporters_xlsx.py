"""`-f xlsx` and `-f csv`: a batch as a workbook and a summary CSV, read back as Excel would."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from playbook.cli import main
from tests.conftest import GOOD_GROUP, make_snapshot

HOSTILE = '=HYPERLINK("http://example.invalid","点我")'


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "groups"
    folder.mkdir()
    groups = {
        "a.json": make_snapshot(group={**GOOD_GROUP, "type": "trade"}),
        "b.json": make_snapshot(group={**GOOD_GROUP, "id": "g2", "name": "广州羽毛球约球群·天河区周末场"}),
        "c.json": make_snapshot(group={**GOOD_GROUP, "id": "g3", "name": HOSTILE}),
    }
    for name, data in groups.items():
        (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def audit(*args):
    return CliRunner().invoke(main, ["audit", *map(str, args), "--today", "2026-11-20"])


def reports_of(folder) -> list[dict]:
    result = audit(folder, "-f", "json", "--lang", "zh")
    return [json.loads(line.rstrip(",")) for line in result.stdout.splitlines()[1:-1]]


def test_one_workbook_with_summary_results_and_checklist(batch, tmp_path):
    out = tmp_path / "report.xlsx"
    result = audit(batch, "-f", "xlsx", "-o", out, "--lang", "zh")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "结果", "清单"]
    reports = {r["snapshot"]["group_name"]: r for r in reports_of(batch)}
    summary = book["汇总"]
    head = [cell.value for cell in summary[1]]
    assert head[:9] == [
        "群名",
        "平台",
        "群类型",
        "阶段",
        "总分",
        "等级",
        "数据覆盖率",
        "数据不足",
        "诊断出的原因",
    ]
    assert head[9:12] == ["首要改进 1", "首要改进 2", "首要改进 3"]
    rows = {row[0]: row for row in summary.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == set(reports)
    for name, row in rows.items():
        report = reports[name]
        assert row[4] == pytest.approx(report["score"]["overall"]) and row[5] == report["score"]["grade"]
        assert row[6] == pytest.approx(report["score"]["coverage"])
        first = [i["title"] for i in report["checklist"] if i["group"] in ("now", "next")][:3]
        assert [v for v in row[9:12] if v] == first
    assert rows["运营交流群"][2] == "团购/交易群"  # group.type, in words
    assert book["结果"].max_row - 1 == sum(len(r["results"]) for r in reports.values())
    assert book["清单"].max_row - 1 == sum(len(r["checklist"]) for r in reports.values())
    for sheet in book:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.auto_filter.ref.endswith(str(sheet.max_row))


def test_english_headers_and_widths_that_fit_chinese(batch, tmp_path):
    out = tmp_path / "report.xlsx"
    assert audit(batch, "-f", "xlsx", "-o", out, "--lang", "en").exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["summary", "results", "checklist"]
    summary = book["summary"]
    assert [c.value for c in summary[1]][:6] == ["group", "platform", "type", "stage", "score", "grade"]
    longest = max(wcswidth(str(row[0])) for row in summary.iter_rows(min_row=2, values_only=True))
    assert summary.column_dimensions["A"].width >= longest  # two cells per Chinese character


def test_untrusted_text_never_becomes_a_formula(batch, tmp_path):
    out = tmp_path / "report.xlsx"
    assert audit(batch, "-f", "xlsx", "-o", out).exit_code == 0
    cells = [c for row in openpyxl.load_workbook(out)["summary"].iter_rows(min_row=2) for c in row[:1]]
    hostile = next(c for c in cells if c.value == HOSTILE)
    assert hostile.data_type == "s"  # stored as text, not as a formula
    table = audit(batch, "-f", "csv", "--lang", "en").stdout
    assert "'=HYPERLINK" in table and "\n=HYPERLINK" not in table


def test_the_summary_as_csv_for_excel(batch):
    result = CliRunner().invoke(
        main, ["audit", str(batch), "-f", "csv", "--lang", "zh", "--today", "2026-11-20"]
    )
    assert result.exit_code == 0
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel reads Chinese by
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["群名", "平台", "群类型", "阶段"]
    reports = {r["snapshot"]["group_name"]: r for r in reports_of(batch)}
    assert {row[0].lstrip("'") for row in rows[1:]} == set(reports)
    trade = next(row for row in rows[1:] if row[0] == "运营交流群")
    assert trade[2] == "团购/交易群" and trade[6].endswith("%")


def test_a_workbook_piped_is_the_workbook(batch):
    """Not a terminal: the bytes go through, for `> report.xlsx` or another program."""
    result = CliRunner().invoke(main, ["audit", str(batch), "-f", "xlsx", "--today", "2026-11-20"])
    assert result.exit_code == 0
    assert openpyxl.load_workbook(io.BytesIO(result.stdout_bytes)).sheetnames == [
        "summary",
        "results",
        "checklist",
    ]


def test_the_same_audit_gives_the_same_workbook(batch, tmp_path):
    """Dated by the newest capture in it, not by the clock."""
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert audit(batch, "-f", "xlsx", "-o", first).exit_code == 0
    assert audit(batch, "-f", "xlsx", "-o", second).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    created = openpyxl.load_workbook(first).properties.created
    assert created is not None and created.isoformat().startswith("2026-11-20T13:00")  # 21:00+08:00
