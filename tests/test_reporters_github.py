"""GitHub Actions workflow commands: one annotation per finding, escaped as the runner expects."""

from __future__ import annotations

import pytest

from playbook.present.reporters.github import escape_data, escape_property
from tests.ci_helpers import ALPHA, ROOT, run_audit


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_escaping():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b: c%\n") == "a%2Cb%3A c%25%0A"


def test_annotations_per_status():
    lines = run_audit(ALPHA, "-f", "github").stdout.splitlines()
    kinds = [line.split(" ", 1)[0] for line in lines]
    assert kinds.count("::error") == 4 and kinds.count("::warning") == 1 and kinds.count("::notice") == 1
    first = next(line for line in lines if "naming.topic-keyword" in line)
    assert first.startswith(
        "::error file=tests/fixtures/ci/groups/alpha.yaml,line=7,col=9,title=naming.topic-keyword · "
    )
    partial = next(line for line in lines if line.startswith("::warning"))
    assert "(67%25)" in partial and "%0A" in partial  # message and fix on two lines
    for line in lines:
        props, message = line.split("::")[1], line.split("::", 2)[2]
        assert "\n" not in message and props.count("title=") == 1
