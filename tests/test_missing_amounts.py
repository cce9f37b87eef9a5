"""A rule missing history says how much it needs and how much the snapshot has, not just "missing"."""

from __future__ import annotations

import json

from click.testing import CliRunner

from playbook.cli import main
from tests.conftest import make_snapshot


def daily(first: int, last: int) -> list[dict]:
    return [{"date": f"2026-11-{day:02d}", "messages": 30, "speakers": 8} for day in range(first, last + 1)]


def decline_watch(tmp_path, rows: list[dict], lang: str, **parts) -> dict:
    path = tmp_path / f"group-{len(rows)}.json"
    path.write_text(
        json.dumps(make_snapshot(activity={"daily": rows}, **parts), ensure_ascii=False), encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["audit", str(path), "-f", "json", "--lang", lang, "--today", "2026-11-20"]
    )
    assert result.exit_code == 0, result.output
    return next(r for r in json.loads(result.stdout)["results"] if r["rule"] == "lifecycle.decline-watch")


def test_two_days_of_data_say_that_the_trend_needs_42(tmp_path):
    zh = decline_watch(tmp_path, daily(19, 20), "zh")
    en = decline_watch(tmp_path, daily(19, 20), "en")
    assert zh["status"] == en["status"] == "unknown"
    assert zh["message"] == "活跃趋势需要至少 42 天的每日数据（activity.daily），现有 2 天"
    assert (
        en["message"]
        == "the activity trend needs at least 42 days of daily data (activity.daily); the snapshot has 2"
    )


def test_the_days_counted_run_to_the_capture_day(tmp_path):
    """Rows that stop before the capture still count the quiet days since as history."""
    result = decline_watch(tmp_path, daily(19, 20), "en", captured_at="2026-11-25T21:00:00+08:00")
    assert result["message"].endswith("the snapshot has 7")  # 2026-11-19 … 2026-11-25 (captured_at)


def test_no_daily_data_at_all_asks_for_it(tmp_path):
    path = tmp_path / "group.json"
    path.write_text(json.dumps(make_snapshot(), ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["audit", str(path), "-f", "json", "--lang", "en", "--today", "2026-11-20"]
    )
    rule = next(r for r in json.loads(result.stdout)["results"] if r["rule"] == "lifecycle.decline-watch")
    assert (
        rule["message"]
        == "the activity trend needs at least 42 days of daily data (activity.daily); the snapshot has 0"
    )


def test_the_table_shows_the_amounts_too(tmp_path):
    path = tmp_path / "group.json"
    path.write_text(
        json.dumps(make_snapshot(activity={"daily": daily(19, 20)}), ensure_ascii=False), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["audit", str(path), "--lang", "zh", "--today", "2026-11-20", "-v"])
    assert "活跃趋势需要至少 42 天的每日数据（activity.daily），现有 2 天" in result.stdout
