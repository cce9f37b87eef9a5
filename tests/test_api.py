"""playbook.api: reports from data, the same bytes as the command line, picklable, no CLI imported,
and the examples of docs/api.md run as written."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from datetime import date

import pytest

from playbook import api
from tests.ci_helpers import BETA, PLAYBOOK, ROOT, TODAY, run_audit

DAY = date.fromisoformat(TODAY)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def _python(code: str, cwd=ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_importing_the_api_imports_no_command_line():
    done = _python(
        "import sys, playbook.api\n"
        "print(sorted(m for m in sys.modules if m == 'click' or m.startswith(('click.', 'playbook.cli'))))"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_report_from_data_is_the_report_the_command_line_writes():
    cli = run_audit(BETA, "-f", "jsonl")
    assert cli.exit_code == 0, cli.stderr
    text = (ROOT / BETA).read_text(encoding="utf-8")
    report = api.audit(text, api.load_playbook(PLAYBOOK), today=DAY, name=BETA)
    assert report.to_bytes() + b"\n" == cli.stdout_bytes
    from_dict = api.audit(json.loads(text), api.load_playbook(PLAYBOOK), today=DAY, name=BETA)
    # a dict has no lines: the same report, its locations by JSON pointer alone
    for result in report.data["results"]:
        if result["location"]:
            result["location"].update(line=None, column=None)
    assert from_dict.data == report.data


def test_reports_and_loaded_playbooks_survive_pickling():
    loaded = api.load_playbook(PLAYBOOK)
    snapshot = json.loads((ROOT / BETA).read_text(encoding="utf-8"))
    report = api.audit(snapshot, loaded, today=DAY)
    again = pickle.loads(pickle.dumps(loaded))
    assert again.refs == loaded.refs and again.id == loaded.id
    assert api.audit(snapshot, again, today=DAY) == report
    assert pickle.loads(pickle.dumps(report)) == report
    assert report.version == api.REPORT_VERSION == report.data["report"]


def test_today_is_always_given():
    snapshot = json.loads((ROOT / BETA).read_text(encoding="utf-8"))
    with pytest.raises(TypeError):
        api.audit(snapshot)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"datetime\.date"):
        api.audit(snapshot, today="2026-11-20")  # type: ignore[arg-type]


def test_a_value_json_cannot_hold_is_a_located_error_in_both_languages():
    snapshot = json.loads((ROOT / BETA).read_text(encoding="utf-8"))
    snapshot["captured_at"] = DAY
    with pytest.raises(api.PlaybookError) as caught:
        api.audit(snapshot, today=DAY, name="g.json")
    assert caught.value.render("en").startswith("g.json: the snapshot holds a value JSON cannot")
    assert "json.loads" in caught.value.render("zh")


def test_the_examples_of_the_api_guide_run(tmp_path):
    guide = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", guide, flags=re.S)
    assert len(blocks) >= 5
    script = tmp_path / "examples.py"
    script.write_text("\n".join(blocks), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    first, *_ = done.stdout.splitlines()
    assert first.split()[:2] == [str(api.REPORT_VERSION), "2002"]
    assert "missing required key 'group'" in done.stdout
    assert re.search(r"^\[[\d.]+, [\d.]+, [\d.]+, [\d.]+\]$", done.stdout, flags=re.M)  # the pool's scores


def test_each_load_reads_the_playbook_afresh(tmp_path):
    path = tmp_path / "team.yaml"
    text = (ROOT / PLAYBOOK).read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    snapshot = json.loads((ROOT / BETA).read_text(encoding="utf-8"))
    first = api.audit(snapshot, api.load_playbook(str(path)), today=DAY)
    path.write_text(text.replace('version: "1"', 'version: "2"'), encoding="utf-8")
    second = api.audit(snapshot, api.load_playbook(str(path)), today=DAY)
    assert (first.data["playbook"]["version"], second.data["playbook"]["version"]) == ("1", "2")
