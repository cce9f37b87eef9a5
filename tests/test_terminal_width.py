"""Tables and lines fit the terminal (Chinese characters two cells wide); piped, they stay whole."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from playbook.cli import main
from playbook.io import terminal
from playbook.io.terminal import wrap_line
from tests.conftest import make_snapshot


@pytest.fixture
def at_a_terminal(monkeypatch):
    """stdout is an 80-column terminal (COLUMNS is what a terminal's size is read from first)."""
    monkeypatch.setattr(terminal, "_stdout_is_tty", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")


def widest(text: str) -> int:
    return max(wcswidth(line) for line in text.splitlines())


def run(*args: str, lang: str = "zh") -> str:
    result = CliRunner().invoke(main, ["--lang", lang, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def group_file(tmp_path):
    path = tmp_path / "group.json"
    snapshot = make_snapshot(activity={"daily": [{"date": "2026-11-19", "messages": 3, "speakers": 2}]})
    path.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("args", [["rules"], ["rules", "--metrics"], ["rules", "--operators"]])
def test_listings_fit_80_columns(at_a_terminal, args, lang):
    assert widest(run(*args, lang=lang)) <= 80


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_single_group_audit_fits_80_columns(at_a_terminal, group_file, lang):
    out = run("audit", group_file, "-v", "--today", "2026-11-20", lang=lang)
    assert widest(out) <= 80
    assert (
        "活跃趋势需要至少 42 天" in out or "activity trend needs at least 42 days" in out
    )  # wrapped, not cut


def test_every_rule_is_still_listed_when_columns_wrap(at_a_terminal):
    wide = CliRunner().invoke(main, ["--lang", "en", "rules", "-f", "json"]).stdout
    narrow = run("rules", lang="en")
    assert all(rule["id"] in narrow for rule in json.loads(wide))


def test_piped_output_is_never_wrapped(group_file):
    """Not a terminal: one line per row, however long, for grep and other programs."""
    rules = run("rules")
    assert widest(rules) > 120
    assert len(rules.splitlines()) == len(json.loads(run("rules", "-f", "json"))) + 2


def test_a_chinese_line_wraps_by_its_display_width():
    line = "  5. 潜水的人要唤醒或清理 — 缺少数据，请提供: 30天潜水率 (metrics.lurker_ratio_30d)"
    wrapped = wrap_line(line, 40)
    assert all(wcswidth(piece) <= 40 for piece in wrapped) and len(wrapped) > 1
    assert all(piece.startswith("     ") for piece in wrapped[1:])  # continued past `5. `
    assert "".join(piece.strip() for piece in wrapped).replace(" ", "") == line.replace(" ", "")


def test_diff_fits_and_trend_changes_wrap(at_a_terminal):
    from pathlib import Path

    files = sorted(str(p) for p in (Path(__file__).parent / "fixtures" / "trend").glob("2026-*.yaml"))
    assert widest(run("diff", files[0], files[-1], lang="en")) <= 80
    changes = run("trend", *files, lang="en").split("Rule changes:", 1)[1]
    assert widest(changes) <= 80
