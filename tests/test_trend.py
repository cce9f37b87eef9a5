"""`playbook trend`: scores over time from snapshots or reports, same group only."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.cli import main
from tests.golden_files import check_golden

TREND = Path(__file__).parent / "fixtures" / "trend"
PLAYBOOK = str(TREND / "playbook.yaml")
DATES = [str(TREND / f"2026-{m}.yaml") for m in ("11", "09", "10")]  # out of order on purpose


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def relative(text: str) -> str:
    return text.replace(str(TREND.parent.parent) + os.sep, "")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trend_table_is_ordered_by_capture_time(lang):
    result = run("trend", "-p", PLAYBOOK, *DATES, "--lang", lang)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    check_golden(f"trend_{lang}.txt", result.stdout)


def test_trend_lists_what_changed_between_dates():
    out = run("trend", "-p", PLAYBOOK, *DATES, "--lang", "en").stdout
    later = out.split("2026-10-01 → 2026-11-01:")[1]
    assert "✗ regressed: engagement.weekly-active (partial → fail)" in later
    assert "✓ fixed: tags.present (fail → pass)" in later


def test_trend_accepts_reports_and_snapshots_mixed(tmp_path):
    report = tmp_path / "september.json"
    made = run("audit", DATES[1], "-p", PLAYBOOK, "-f", "json", "-o", str(report))
    assert made.exit_code == 0, made.output
    assert json.loads(report.read_text(encoding="utf-8"))["report"] == 2
    mixed = run("trend", "-p", PLAYBOOK, str(report), DATES[0], DATES[2], "--lang", "en")
    only_snapshots = run("trend", "-p", PLAYBOOK, *DATES, "--lang", "en")
    assert mixed.exit_code == 0, mixed.output
    assert mixed.stdout == only_snapshots.stdout


@pytest.mark.parametrize(
    "lang, message",
    [
        ("en", "not the same group: group id 'g-200', but 'g-100' in"),
        ("zh", "不是同一个群：群ID为 'g-200'"),
    ],
)
def test_trend_rejects_different_groups(lang, message):
    result = run("trend", "-p", PLAYBOOK, DATES[0], str(TREND / "other-group.yaml"), "--lang", lang)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "other-group.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_trend_html_is_a_self_contained_line_chart(tmp_path):
    out = tmp_path / "trend.html"
    result = run("trend", "-p", PLAYBOOK, *DATES, "-f", "html", "-o", str(out), "--lang", "zh")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    assert html.count("<polyline") == 7  # overall + six sections
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "退步" in html and "2026-09-01" in html
