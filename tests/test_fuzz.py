"""Fuzzing: snapshots and playbooks built from the schemas' vocabulary, broken at random; every run
of `audit` and `validate` must end in a report or a clean error (exit 0, 1 or 2), never exit 3.

CI runs a few dozen examples (under 30 s). For a long local run:
    PLAYBOOK_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import os
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.cli import main
from playbook.core.operators import OPERATORS

EXAMPLES = int(os.environ.get("PLAYBOOK_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values that have broken parsers and engines elsewhere: wrong types, odd numbers, odd text.
ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        ["", "2026-02-30", "2026-11-20 21:00", "25:00", "2099-01-01T00:00:00+08:00", "'; DROP", "{x}"]
    ),
)
LEAF = st.recursive(
    ODD,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
TIME = st.sampled_from(
    ["2026-11-20T21:00:00+08:00", "2026-11-01", "2026-02-29", "2026-11-20 21:00", "1970-01-01"]
)
MEMBER = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=6)},
    optional={
        "name": st.text(max_size=10),
        "role": st.sampled_from(["owner", "admin", "member", "bot"]),
        "joined_at": TIME,
        "last_active_at": TIME,
        "messages_30d": st.integers(0, 500),
        "tags": st.lists(st.text(max_size=5), max_size=3),
    },
)
SNAPSHOT = st.fixed_dictionaries(
    {
        "platform": st.sampled_from(["qq", "wechat", "wecom", "telegram", "discord", "other"]),
        "group": st.fixed_dictionaries(
            {"name": st.text(max_size=20)},
            optional={
                "id": st.text(max_size=5),
                "kind": st.sampled_from(["long_term", "event"]),
                "tags": st.lists(st.text(max_size=6), max_size=4),
                "created_at": TIME,
                "intro": st.text(max_size=40),
                "rules": st.lists(st.fixed_dictionaries({"text": st.text(max_size=10)}), max_size=3),
            },
        ),
    },
    optional={
        "snapshot": st.just(1),
        "captured_at": TIME,
        "members": st.fixed_dictionaries(
            {},
            optional={
                "source": st.sampled_from(["bot", "export"]),
                "count": st.integers(0, 10**6),
                "list": st.lists(MEMBER, max_size=8),
            },
        ),
        "activity": st.fixed_dictionaries(
            {},
            optional={
                "daily": st.lists(
                    st.fixed_dictionaries(
                        {
                            "date": st.sampled_from(["2026-11-01", "2026-11-19"]),
                            "messages": st.integers(0, 1000),
                        }
                    ),
                    max_size=4,
                )
            },
        ),
        "moderation": st.fixed_dictionaries(
            {},
            optional={
                "incidents": st.lists(
                    st.fixed_dictionaries(
                        {
                            "at": TIME,
                            "kind": st.sampled_from(["ad", "spam", "abuse"]),
                            "member": st.text(max_size=4),
                        }
                    ),
                    max_size=4,
                )
            },
        ),
        "metrics": st.dictionaries(
            st.sampled_from(["weekly_active_ratio", "member_count", "x"]),
            st.floats(0, 2) | st.none(),
            max_size=2,
        ),
        "x-extra": LEAF,
    },
)
PATHS = st.sampled_from(
    [
        "group.name",
        "group.tags",
        "members.list[*].name",
        "members.list[?role=='admin']",
        "metrics.weekly_active_ratio",
        "length(members.list)",
        "max_by(members.list, &messages_30d).name",
        "x-extra",
        "activity.daily[0].messages",
        "nope.nothing",
        "members.list[*].tags[*][*]",
    ]
)
CONDITION = st.fixed_dictionaries(
    {"path": PATHS, "op": st.sampled_from(sorted(OPERATORS))},
    optional={"value": ODD | st.lists(ODD, max_size=3)},
)
RULE = st.builds(
    lambda i, cond, severity: {
        "id": f"naming.r{i}",
        "section": "naming",
        "title": {"zh": "t", "en": "t"},
        "severity": severity,
        "check": cond,
    },
    st.integers(0, 10**6),
    CONDITION,
    st.sampled_from(["critical", "high", "low", "info"]),
)
PLAYBOOK = st.builds(
    lambda rules: {
        "playbook": 1,
        "id": "fuzz",
        "title": {"zh": "模糊", "en": "fuzz"},
        "sections": {"naming": {"weight": 1}},
        "rules": rules,
    },
    st.lists(RULE, max_size=4, unique_by=lambda r: r["id"]),
)


def _mutate(data: dict[str, Any], draw_key: str | None, value: Any) -> dict[str, Any]:
    """Replace one top-level value with an odd one (or add an odd key): the schema's edges."""
    if draw_key is None:
        return data
    return {**data, draw_key: value}


def _run(*args: str):
    result = CliRunner().invoke(main, list(args), env={"PLAYBOOK_LANG": "en"})
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr, result.stdout[-500:])
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result


@FUZZ
@given(
    snapshot=SNAPSHOT,
    playbook=PLAYBOOK,
    key=st.none()
    | st.sampled_from(["group", "members", "activity", "captured_at", "platform", "timezone", "x-y"]),
    odd=LEAF,
    as_yaml=st.booleans(),
)
def test_audit_and_validate_never_crash(tmp_path_factory, snapshot, playbook, key, odd, as_yaml):
    folder = tmp_path_factory.mktemp("fuzz")
    snapshot_file = folder / ("group.yaml" if as_yaml else "group.json")
    snapshot_file.write_text(json.dumps(_mutate(snapshot, key, odd), ensure_ascii=False), encoding="utf-8")
    playbook_file = folder / "playbook.yaml"
    playbook_file.write_text(json.dumps(playbook, ensure_ascii=False), encoding="utf-8")
    _run("audit", str(snapshot_file), "-f", "json")
    result = _run("audit", str(snapshot_file), "-p", str(playbook_file), "-f", "json")
    if result.exit_code == 0:
        report = json.loads(result.stdout)
        assert all(r["status"] != "error" or r["message"] for r in report["results"])
    _run("validate", str(snapshot_file), str(playbook_file))


@FUZZ
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
def test_any_bytes_are_a_report_or_a_clean_error(tmp_path_factory, raw):
    folder = tmp_path_factory.mktemp("bytes")
    for name in ("f.json", "f.yaml"):
        (folder / name).write_bytes(raw)
        _run("audit", str(folder / name))
        _run("validate", str(folder / name))
