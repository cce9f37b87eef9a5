"""Several formats in one run (`-f FORMAT[:FILE]`, `-o`), each file written whole or not at all."""

from __future__ import annotations

import json

import pytest

from playbook.core.errors import PlaybookError
from playbook.present.reporters import OutputSpec, parse_output_specs
from tests.ci_helpers import ALPHA, CI, ROOT, run_audit


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize(
    ("specs", "output", "expected"),
    [
        ([], None, [OutputSpec("table")]),
        (["json"], "x.json", [OutputSpec("json", "x.json")]),
        (["table", "sarif:out.sarif"], None, [OutputSpec("table"), OutputSpec("sarif", "out.sarif")]),
        (["sarif", "table"], "out.sarif", [OutputSpec("sarif", "out.sarif"), OutputSpec("table")]),
        (
            ["junit=j.xml", "json:r.json", "github"],
            None,
            [OutputSpec("junit", "j.xml"), OutputSpec("json", "r.json"), OutputSpec("github")],
        ),
        (["table"], "t.txt", [OutputSpec("table", "t.txt")]),
    ],
)
def test_format_specs(specs, output, expected):
    assert parse_output_specs(specs, output) == expected


@pytest.mark.parametrize(
    ("specs", "output", "message"),
    [
        (["sarf"], None, "did you mean 'sarif'?"),
        (["json", "sarif"], None, "only one format can go to the terminal, got: json, sarif"),
        (["json", "sarif"], "x", "-o needs exactly one -f given without a file"),
        (["json:a", "sarif:a"], None, "two formats write to the same file"),
        (["json:"], None, "'json:' names no file"),
    ],
)
def test_bad_format_specs(specs, output, message):
    with pytest.raises(PlaybookError) as caught:
        parse_output_specs(specs, output)
    assert message in caught.value.render("en")


def test_several_formats_in_one_run(tmp_path):
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    result = run_audit(ALPHA, "-f", "table", "-f", f"sarif:{sarif}", "-f", f"junit={junit}")
    assert result.exit_code == 0 and "Overall 14.1" in result.stdout
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert junit.read_text(encoding="utf-8").startswith("<?xml")
    classic = run_audit(ALPHA, "-f", "json", "-o", str(tmp_path / "x.json"))
    assert (
        classic.stdout == "" and json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))["report"] == 2
    )


@pytest.mark.parametrize("where", ["_suite", "render"])
@pytest.mark.parametrize("groups", [ALPHA, str(CI / "groups")], ids=["one", "several"])
def test_a_failing_render_leaves_no_file(tmp_path, monkeypatch, where, groups):
    def boom(*args):
        raise RuntimeError("renderer broke")

    import playbook.present.reporters.junit as junit

    monkeypatch.setattr(junit, where, boom)
    if where == "render":  # the format as a reporter without a streaming writer
        monkeypatch.delattr(junit, "Writer")
    json_out, junit_out = tmp_path / "r.json", tmp_path / "r.xml"
    result = run_audit(groups, "-f", f"json:{json_out}", "-f", f"junit:{junit_out}")
    assert result.exit_code == 3 and "renderer broke" in result.stderr
    assert list(tmp_path.iterdir()) == []  # not even the json that rendered fine, nor a temp file
