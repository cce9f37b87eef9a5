"""Reports travel encoded: the same JSON as the standard encoder, and nothing lost on the way."""

from __future__ import annotations

import json

from playbook.io.report_list import ReportList, decode, encode

REPORT = {
    "report": 1,
    "群": "运营",
    "score": {"overall": 76.35, "coverage": 0.8494},
    "results": [],
    "x": None,
}


def test_encoding_matches_the_standard_encoder_compact_and_indented():
    assert encode(REPORT) == json.dumps(REPORT, ensure_ascii=False, separators=(",", ":")).encode()
    assert encode(REPORT, indent=True) == json.dumps(REPORT, ensure_ascii=False, indent=2).encode()


def test_integers_beyond_64_bits_from_a_hostile_snapshot_survive_the_round_trip():
    report = {**REPORT, "evidence": {"actual": 10**40}}
    assert decode(encode(report)) == report


def test_a_report_list_decodes_each_report_when_read_and_maps_to_a_new_list():
    reports = ReportList.of([REPORT, {**REPORT, "report": 2}])
    assert len(reports) == 2 and reports[1]["report"] == 2 and [r["report"] for r in reports] == [1, 2]
    reports[0]["report"] = 99  # a decoded copy: the list itself does not change
    assert reports[0]["report"] == 1
    changed = reports.map(lambda r: {**r, "baseline": {}})
    assert all("baseline" in r for r in changed) and all("baseline" not in r for r in reports)
    assert reports[0:1] == [REPORT]
