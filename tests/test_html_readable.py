"""The shared HTML page reads as words first: human time, rule titles before ids, no evidence for
a cause not found, long paths wrapping inside their cards; trend lines told apart, provisional
points marked; `diff` names metrics in words."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.cli import main
from tests.conftest import GOOD_GROUP, make_snapshot

TREND = Path(__file__).parent / "fixtures" / "trend"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
LONG_PATH = "metrics.weekly_active_vs_expected_in_a_group_of_this_size_over_the_last_thirty_days"


def page(tmp_path: Path, lang: str, **parts) -> str:
    snapshot = tmp_path / "group.json"
    data = make_snapshot(
        group={**GOOD_GROUP, "intro": "短"},
        activity={"daily": [{"date": "2026-11-19", "messages": 3, "speakers": 1}]},
        **parts,
    )
    snapshot.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / f"report-{lang}.html"
    result = CliRunner().invoke(
        main, ["audit", str(snapshot), "-f", "html", "-o", str(out), "--lang", lang, "--today", "2026-11-20"]
    )
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("zh", "快照时间 2026年11月20日 21:00（UTC+8）"), ("en", "captured 20 Nov 2026, 21:00 (UTC+8)")],
)
def test_the_header_shows_a_human_time(tmp_path, lang, shown):
    html = page(tmp_path, lang)
    assert f"<span>{shown}</span>" in html and "2026-11-20T21:00:00+08:00" not in html


def test_a_cause_not_found_lists_no_rule_and_a_found_one_leads_with_words(tmp_path):
    html = page(tmp_path, "zh")
    absent = re.findall(r'<li class="absent">(.*?)</li>(?=<li class=|</ul>)', html)
    assert absent and all("<ul>" not in card and 'class="id"' not in card for card in absent)
    present = re.findall(r'<li class="present">(.*?)</li></ul></li>', html)
    assert present
    for card in present:  # the rule's title in bold, then its id, small
        assert re.search(r"<li><b>[^<]+</b> <span class=\"id\">[a-z]+\.[a-z-]+</span><br>", card)


def test_checklist_and_results_show_the_title_then_the_id(tmp_path):
    html = page(tmp_path, "en")
    assert re.search(r'<label for="[^"]+">[^<]+ <span class="id">[a-z]+\.[a-z-]+</span></label>', html)
    assert "<code>" not in html.split('<table class="results">', 1)[1].split("</table>", 1)[0]


def test_trend_lines_each_have_a_colour_and_provisional_points_a_mark(tmp_path):
    out = tmp_path / "trend.html"
    files = sorted(str(p) for p in TREND.glob("2026-*.yaml"))
    result = CliRunner().invoke(main, ["trend", *files, "-f", "html", "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    classes = re.findall(r'<g class="series (s\d)">', html)
    assert len(classes) == len(set(classes)) >= 5  # every section line its own colour and dash
    assert all(f".lines .{c} polyline{{stroke:" in html for c in classes)
    assert html.count('class="provisional"') == 3  # the fixtures' coverage is 25–27 %: every point
    # Two of the three fall below a quarter of the rules judged: provisional, and no grade at all.
    assert "数据覆盖率低于 80%" in html and "<td>–*</td>" in html and "<td>C*</td>" in html


def test_diff_in_chinese_names_metrics_in_words(tmp_path):
    result = CliRunner().invoke(
        main, ["diff", str(TREND / "2026-09.yaml"), str(TREND / "2026-11.yaml"), "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    assert "建群天数 (age_days)" in result.stdout
    assert not re.search(r"^age_days", result.stdout, re.M)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (Debian: apt-get install chromium)")
@pytest.mark.parametrize("width", [390, 1280])
def test_nothing_spills_out_at_phone_and_desktop_widths(tmp_path, width):
    """Measured in the browser: the page is no wider than the window, and no diagnosis card is
    wider than itself, however long a metric path in it. (Headless Chromium lays a --dump-dom page
    out at least 500 px wide: the phone layout, below 720 px, is what is measured there.)"""
    html = page(tmp_path, "zh", metrics={})
    html = html.replace("(metrics.weekly_active_vs_expected)", f"({LONG_PATH})")
    probe = (
        "<script>addEventListener('load',()=>{const cards=[...document.querySelectorAll('.causes>li')];"
        "document.body.dataset.pageWidth=document.documentElement.scrollWidth;"
        "document.body.dataset.window=innerWidth;"
        "document.body.dataset.spills=cards.filter(c=>c.scrollWidth>c.clientWidth+1).length;});</script>"
    )
    target = tmp_path / "probe.html"
    target.write_text(html.replace("</body>", probe + "</body>"), encoding="utf-8")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--window-size={width},2000",
        "--dump-dom",
    ]
    dom = subprocess.run(
        [str(CHROMIUM), *flags, target.as_uri()], capture_output=True, text=True, timeout=120, check=False
    ).stdout
    found = re.search(r'data-page-width="(\d+)" data-window="(\d+)" data-spills="(\d+)"', dom)
    assert found, dom[-500:]
    page_width, window, spills = map(int, found.groups())
    assert (window < 720) == (width < 720)  # the phone layout at the phone width
    assert page_width <= window and spills == 0
