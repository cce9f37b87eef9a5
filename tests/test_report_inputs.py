"""Reports read back (`--baseline`, `diff`, `trend`) are untrusted input: checked against their schema."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.cli import main
from tests.conftest import FIXTURES
from tests.mutation import paths, put

GROUP = FIXTURES.parent.parent / "examples" / "wechat-groupbuy-ads.yaml"


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    result = CliRunner().invoke(main, ["audit", str(GROUP), "-f", "json", "--lang", "en"])
    return json.loads(result.stdout)


def _write(folder: Path, name: str, data: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _run(*args: Any) -> Any:
    return CliRunner().invoke(main, [*map(str, args), "--lang", "en"])


def test_a_hand_edited_baseline_is_located(tmp_path, report):
    edited = copy.deepcopy(report)
    edited["sections"][3]["score"] = "40"
    baseline = _write(tmp_path, "old.json", edited)
    result = _run("audit", GROUP, "--baseline", baseline, "--fail-on-regression")
    assert result.exit_code == 2
    line = next(i for i, text in enumerate(baseline.read_text().splitlines(), 1) if '"40"' in text)
    assert result.stderr.startswith(f"{baseline}:{line}:")
    assert "$.sections[3].score: '40' is not a number or null" in result.stderr
    assert "write the number alone, without quotes or a unit: 40" in result.stderr


def test_every_report_of_a_batch_baseline_is_checked(tmp_path, report):
    broken = copy.deepcopy(report)
    del broken["results"][0]["status"]
    baseline = _write(tmp_path, "old.json", {"reports": [report, broken]})
    result = _run("audit", GROUP, "--baseline", baseline)
    assert result.exit_code == 2
    assert "$.reports[1].results[0]: missing required key 'status'" in result.stderr


@pytest.mark.parametrize("command", ["diff", "trend"])
def test_diff_and_trend_check_the_reports_they_read(tmp_path, report, command):
    edited = copy.deepcopy(report)
    edited["results"][5] = ["not", "a", "result"]
    old, new = _write(tmp_path, "old.json", edited), _write(tmp_path, "new.json", report)
    result = _run(command, old, new)
    assert result.exit_code == 2
    assert "$.results[5]: […3] is not a mapping" in result.stderr
    assert "internal error" not in result.stderr


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.just([]),
    st.just({}),
    st.just(["x"]),
    st.just({"rule": None}),
)


@settings(
    max_examples=int(os.environ.get("PLAYBOOK_FUZZ_EXAMPLES", 40)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.data(), ODD_VALUES)
def test_any_value_anywhere_in_a_report_read_back_is_a_result_or_a_clean_error(tmp_path, report, data, odd):
    edited = copy.deepcopy(report)
    path = data.draw(st.sampled_from([p for p in paths(edited) if p]))
    put(edited, path, odd)
    old, new = _write(tmp_path, "old.json", edited), _write(tmp_path, "new.json", report)
    for args in (["diff", old, new], ["trend", new, old], ["audit", GROUP, "--baseline", old]):
        result = _run(*args)
        assert result.exit_code in (0, 1, 2), result.output
        assert "internal error" not in result.output
