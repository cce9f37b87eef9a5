"""The HTML report: self-contained, escaped, bilingual, and rendered by a real headless browser."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.core.report import Options, build_report
from playbook.io.documents import read_document
from playbook.io.facts import platform_fact_table
from playbook.io.playbook_loader import load_playbook
from playbook.present.reporters import RenderContext, get_reporter
from tests.conftest import TODAY, audit_data, make_snapshot

TREND = Path(__file__).parent / "fixtures" / "trend"
SNAPSHOT = TREND / "2026-10.yaml"


@pytest.fixture(scope="module")
def playbook():
    return load_playbook(str(TREND / "playbook.yaml"))


def render_html(playbook, lang: str = "en", paths=(SNAPSHOT,)) -> tuple[str, list[dict]]:
    reports = [
        build_report(playbook, read_document(p), Options(TODAY, lang=lang), platform_fact_table())
        for p in paths
    ]
    return get_reporter("html")(reports, RenderContext(lang=lang)), reports


def remote_references(html: str) -> list[str]:
    """Every src/href/url() that would make the browser fetch something from the network."""
    attrs = re.findall(
        r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", html, re.I
    )
    css = re.findall(r"""url\(\s*["']?\s*((?:https?:)?//[^)"']+)""", html, re.I)
    imports = re.findall(r"@import", html)
    return attrs + css + imports


@pytest.mark.parametrize(
    "lang, html_lang, heading", [("en", "en", "Checklist"), ("zh", "zh-CN", "下一步清单")]
)
def test_page_is_self_contained_and_in_the_report_language(playbook, lang, html_lang, heading):
    html, [report] = render_html(playbook, lang)
    assert html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{html_lang}">' in html
    assert heading in html
    assert "<script" not in html.lower()
    assert remote_references(html) == []
    assert "@media print" in html
    for section in report["sections"]:
        assert section["title"] in html
    assert html.count('type="checkbox"') == len(report["checklist"])
    assert html.count("<tr data-status=") == len(report["results"])


def test_scores_carry_shapes_and_text_not_only_colour(playbook):
    html, _ = render_html(playbook)
    assert "71.72" in html  # overall, as text (as stored: every format shows the same figure)
    assert '<circle class="mark good"' in html  # naming 100 → circle
    assert '<rect class="mark needs_work"' in html  # intro 66.7 → square
    assert '<polygon class="mark poor"' in html  # tags 0 → triangle
    assert 'role="img"' in html and "aria-label=" in html
    assert '<th scope="col">' in html


def test_every_user_string_is_escaped(mini_playbook):
    hostile = "<script>alert(1)</script>"
    group = {"id": "x", "name": hostile + '" onload="x', "keywords": [hostile], "created_at": "2026-06-01"}
    report = audit_data(mini_playbook, make_snapshot(group=group))
    html = get_reporter("html")([report], RenderContext())
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '" onload="x' not in html


def test_several_reports_give_a_summary_table_and_a_section_per_group(playbook):
    paths = (TREND / "2026-09.yaml", SNAPSHOT)
    html, _ = render_html(playbook, "en", paths)
    assert 'class="summary-table"' in html
    assert '<a href="#r1">' in html and '<a href="#r2">' in html
    assert 'id="r1"' in html and 'id="r2"' in html
    assert html.count("<h1>") == 1
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids must be unique across groups"


def test_filters_work_without_script(playbook):
    html, _ = render_html(playbook)
    assert 'type="radio"' in html
    assert ":has(.f-st-fail:checked) tr[data-status]:not([data-status=fail])" in html
    assert ":has(.f-sec-naming:checked) details[data-section]:not([data-section=naming])" in html
    assert html.count('<details class="rules"') == 6 and "open>" in html


def test_results_say_in_words_what_was_found_not_the_raw_evidence():
    from playbook.cli import main

    example = str(Path(__file__).parent.parent / "examples" / "wechat-groupbuy-ads.yaml")
    runner = CliRunner()
    html = runner.invoke(main, ["audit", example, "-f", "html", "--lang", "zh"]).stdout
    report = json.loads(runner.invoke(main, ["audit", example, "-f", "json", "--lang", "zh"]).stdout)
    named = next(r for r in report["results"] if r["rule"] == "naming.not-default")
    assert named["evidence"]["expected"].startswith("(?i)")  # the JSON keeps the regular expression
    assert "(?i)" not in html and "期望" not in html
    assert "每位管理员对应的成员数 (metrics.members_per_admin): 实际为 412，要求至多 200" in html


def test_audit_command_writes_html(tmp_path):
    from playbook.cli import main

    out = tmp_path / "report.html"
    args = [
        "audit",
        str(SNAPSHOT),
        "-p",
        str(TREND / "playbook.yaml"),
        "-f",
        "html",
        "-o",
        str(out),
        "--lang",
        "zh",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert '<html lang="zh-CN">' in out.read_text(encoding="utf-8")


# --- the real browser -------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def run_chromium(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    return subprocess.run(
        [str(CHROMIUM), *flags, *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (Debian: apt-get install chromium)")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_headless_chromium_renders_the_report(playbook, tmp_path, lang):
    html, [report] = render_html(playbook, lang)
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    dom = run_chromium(page, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "71.72" in dom.stdout
    for section in report["sections"]:
        assert section["title"] in dom.stdout
    for item in report["checklist"]:
        assert item["title"] in dom.stdout
    assert dom.stdout.count('type="checkbox"') == len(report["checklist"])
    shot = tmp_path / "report.png"
    result = run_chromium(page, tmp_path, f"--screenshot={shot}", "--window-size=1280,2000")
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.is_file() and shot.stat().st_size > 20_000  # a blank page compresses to a few KB
    assert png_size(shot) == (1280, 2000)
