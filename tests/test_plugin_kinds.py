"""Every kind of extension is pluggable the same way: an entry point in `playbook.<kind>` whose
function registers it as the built-ins register, loaded only with `--plugins`.

Each test installs a real distribution (a module and a dist-info with entry points on sys.path)
and uses the plugin from the command line."""

from __future__ import annotations

import importlib
import json
import sys

import pytest
from click.testing import CliRunner

from playbook.cli import main
from playbook.cli.base import plugin_registries
from playbook.io import plugins
from tests.conftest import make_snapshot

PLUGIN = """
from playbook.connectors import CONNECTORS, Connector
from playbook.connectors.run import Fetched
from playbook.core.engine import scored, scorer
from playbook.core.i18n import Text
from playbook.core.metrics import metric
from playbook.importers import IMPORTERS, Importer
from playbook.present.reporters import REPORTERS


def scorers():
    @scorer("at_least_rules")
    def at_least_rules(rule, scope, config):
        rules = scope.lookup("group.rules")
        if rules is None:
            return scored(rule, scope, None, Text("缺少群规", "no group rules"))
        share = min(1.0, len(rules) / config.options["least"])
        return scored(rule, scope, share, Text(f"{len(rules)} 条群规", f"{len(rules)} rules"), path="group.rules")


def metrics():
    @metric(
        "rule_count_doubled",
        ("群规条数的两倍", "twice the rule count"),
        ("群规条数乘 2", "the number of group rules times two"),
        needs=("group.rules",),
    )
    def rule_count_doubled(view):
        rules = (view.data.get("group") or {}).get("rules")
        return None if rules is None else 2 * len(rules)


def reporters():
    REPORTERS.add("scores", "pb_kinds_plugin")


def render(reports, context):
    return "".join(f"{r['snapshot']['group_id']} {r['score']['overall']}\\n" for r in reports)


def importers():
    about = Text("每行一条消息: 时间戳 发言人", "one message per line: timestamp sender")
    IMPORTERS.add("lines", Importer("other", "pb_kinds_plugin:read_lines", about))


def read_lines(paths, builder, meter):
    for path in paths:
        builder.group_name = path.stem
        for line in path.read_text(encoding="utf-8").splitlines():
            at, sender = line.split()
            builder.message(float(at), sender, sender, "text", "hello")


def hijack_json():
    REPORTERS.add("json", "pb_kinds_plugin")


def connectors():
    about = Text("演示平台", "a demo platform")
    CONNECTORS.add(
        "demo", Connector("other", "pb_kinds_plugin:fetch_demo", about, "http://127.0.0.1:9", "PB_DEMO", frozenset())
    )


def fetch_demo(request, report):
    group = {"id": request.target, "name": "Demo", "rules": [{"text": "be kind"}]}
    snapshot = {"snapshot": 1, "captured_at": "2026-11-20T21:00:00+08:00", "platform": "other", "group": group}
    return [Fetched(request.target, snapshot)]
"""

GROUPS = {
    "playbook.scorers": "scorers",
    "playbook.metrics": "metrics",
    "playbook.reporters": "reporters",
    "playbook.importers": "importers",
    "playbook.connectors": "connectors",
}

PLAYBOOK = """playbook: 1
id: kinds
title: {zh: 插件, en: Plugins}
sections: {rules: {weight: 1}}
rules:
  - id: rules.enough-rules
    section: rules
    title: {zh: 群规够多, en: Enough rules}
    severity: low
    score: {with: at_least_rules, least: 4}
  - id: rules.doubled
    section: rules
    title: {zh: 两倍, en: Doubled}
    severity: low
    check: {path: metrics.rule_count_doubled, op: at_least, value: 4}
"""


@pytest.fixture(autouse=True)
def installed(tmp_path, monkeypatch):
    """The plugin distribution, and every registry as it was before the test."""
    (tmp_path / "pb_kinds_plugin.py").write_text(PLUGIN, encoding="utf-8")
    info = tmp_path / "pb_kinds_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: pb-kinds-plugin\nVersion: 0.1\n", encoding="utf-8"
    )
    points = "".join(f"[{group}]\ndemo = pb_kinds_plugin:{func}\n\n" for group, func in GROUPS.items())
    (info / "entry_points.txt").write_text(points, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(plugins, "_loaded", set())
    monkeypatch.delenv("PLAYBOOK_PLUGINS", raising=False)
    sys.modules.pop("pb_kinds_plugin", None)
    importlib.invalidate_caches()
    registries = plugin_registries()
    before = [dict(registry) for registry in registries]
    yield tmp_path
    for registry, entries in zip(registries, before, strict=True):
        registry.clear()
        registry.update(entries)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def write_group(folder, rules: int):
    path = folder / "group.json"
    group = {"id": "g1", "name": "G", "rules": [{"text": f"rule {i}"} for i in range(rules)]}
    path.write_text(json.dumps(make_snapshot(group=group)), encoding="utf-8")
    return str(path)


def audit(folder, *extra: str):
    playbook = folder / "kinds.yaml"
    playbook.write_text(PLAYBOOK, encoding="utf-8")
    return run("--plugins", "audit", write_group(folder, 3), "-p", str(playbook), "--lang", "en", *extra)


def test_a_plugin_scorer_and_a_plugin_metric_score_rules(installed):
    result = audit(installed, "-f", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    by_rule = {r["rule"]: r for r in report["results"]}
    assert by_rule["rules.enough-rules"]["status"] == "partial"
    assert by_rule["rules.enough-rules"]["message"] == "3 rules"
    assert by_rule["rules.enough-rules"]["score"] == 0.75
    assert by_rule["rules.doubled"]["status"] == "pass"
    assert report["metrics"]["rule_count_doubled"] == 6


def test_a_plugin_metric_is_listed_with_the_built_in_ones(installed):
    result = run("--plugins", "rules", "--metrics", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "metrics.rule_count_doubled" in result.stdout


def test_without_opt_in_a_plugin_scorer_is_unknown(installed):
    playbook = installed / "kinds.yaml"
    playbook.write_text(PLAYBOOK, encoding="utf-8")
    result = run("validate", str(playbook), "--lang", "en")
    assert result.exit_code == 1
    assert "unknown scorer 'at_least_rules'" in result.stdout


def test_a_plugin_reporter_is_a_format(installed):
    result = audit(installed, "-f", "scores")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("g1 ")


def test_a_misspelt_plugin_format_is_suggested(installed):
    result = audit(installed, "-f", "score")
    assert result.exit_code == 2
    assert "unknown output format 'score'" in result.stderr
    assert "did you mean 'scores'?" in result.stderr


def test_a_plugin_may_not_replace_a_built_in_format(installed):
    from playbook.present.reporters import REPORTERS

    info = installed / "pb_kinds_plugin-0.1.dist-info" / "entry_points.txt"
    info.write_text("[playbook.reporters]\nhijack = pb_kinds_plugin:hijack_json\n", encoding="utf-8")
    result = audit(installed, "-f", "json")
    assert result.exit_code == 2
    assert (
        "plugin hijack (pb_kinds_plugin:hijack_json): a plugin may not replace built-in output formats: json"
        in (result.stderr)
    )
    assert REPORTERS["json"] == "playbook.present.reporters.json_report"


def test_a_plugin_importer_reads_its_format(installed):
    export = installed / "chat.txt"
    export.write_text("1795000000 alice\n1795000600 bob\n", encoding="utf-8")
    out = installed / "snapshot.json"
    result = run("--plugins", "import", "lines", str(export), "-o", str(out), "--lang", "en")
    assert result.exit_code == 0, result.stdout + result.stderr
    snapshot = json.loads(out.read_text(encoding="utf-8"))
    assert snapshot["platform"] == "other"
    assert snapshot["group"]["name"] == "chat"


def test_without_opt_in_a_plugin_importer_is_not_a_choice(installed):
    result = run("import", "lines", "chat.txt")
    assert result.exit_code == 2
    assert "'lines' is not one of" in result.stderr


def test_a_plugin_connector_fetches(installed):
    out = installed / "fetched.json"
    result = run("--plugins", "fetch", "demo", "room-7", "-o", str(out), "--lang", "en")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["group"]["id"] == "room-7"
