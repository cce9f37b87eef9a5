"""docs/fetching.md: every documented command runs, against the fake platform servers."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from fakes import (
    ACCESS_TOKENS,
    CORP_ID,
    DISCORD_TOKEN,
    TELEGRAM_TOKEN,
    WECOM_SECRET,
    CliRunner,
    main,
    serve_discord,
    serve_telegram,
    serve_wecom,
)

DOC = Path(__file__).parent.parent.parent / "docs" / "fetching.md"
TEXT = DOC.read_text(encoding="utf-8")
ENV = {
    "discord": {"PLAYBOOK_DISCORD_TOKEN": DISCORD_TOKEN},
    "telegram": {"PLAYBOOK_TELEGRAM_TOKEN": TELEGRAM_TOKEN},
    "wecom": {"PLAYBOOK_WECOM_CORP_ID": CORP_ID, "PLAYBOOK_WECOM_SECRET": WECOM_SECRET},
}
SERVE = {"discord": serve_discord, "telegram": serve_telegram, "wecom": serve_wecom}
SECRETS = [DISCORD_TOKEN, TELEGRAM_TOKEN, WECOM_SECRET, *ACCESS_TOKENS]


def shell_blocks() -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", TEXT, re.S)
    return [[line for line in block.splitlines() if line.startswith("playbook ")] for block in blocks]


def files() -> dict[str, str]:
    return dict(re.findall(r"<!-- file: (\S+) -->\n```yaml\n(.*?)```", TEXT, re.S))


def run_command(line: str, platform: str, base: str) -> tuple[list[str], object]:
    args = shlex.split(line)[1:]
    if args[0] == "fetch":
        args += ["--api-base", base]
    if "--collect" in args:  # the doc collects for ten minutes; one second shows the same here
        args[args.index("--collect") + 1] = "1"
    result = CliRunner().invoke(main, [*args, "--lang", "en"], env=ENV[platform])
    return args, result


@pytest.mark.parametrize("block", shell_blocks(), ids=lambda block: block[0].split()[2])
def test_each_documented_command_runs_against_the_fake_server(block, httpserver, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, content in files().items():
        Path(name).write_text(content, encoding="utf-8")
    platform = block[0].split()[2]
    SERVE[platform](httpserver)
    for line in block:
        args, result = run_command(line, platform, httpserver.url_for("/").rstrip("/"))
        assert result.exit_code == (0 if args[0] == "fetch" else result.exit_code) and result.exit_code in (
            0,
            1,
        ), (line, result.output)
        assert not any(secret in result.output for secret in SECRETS)
    assert len(httpserver.log) > 0  # the commands went to the fake, nowhere else


def test_the_nightly_workflow_fetches_audits_against_a_baseline_and_passes_when_nothing_regressed(
    httpserver, tmp_path, monkeypatch
):
    workflow = yaml.safe_load(re.search(r"```yaml\n(# \.github/workflows/.*?)```", TEXT, re.S).group(1))
    runs = [step["run"].strip() for step in workflow["jobs"]["audit"]["steps"] if "run" in step]
    fetch, audit = [" ".join(run.split()) for run in runs if run.startswith("playbook")]
    triggers = workflow.get("on") or workflow[True]  # YAML 1.1 reads a bare `on` as true
    assert triggers["schedule"] and "secrets.PLAYBOOK_DISCORD_TOKEN" in str(workflow)
    monkeypatch.chdir(tmp_path)
    Path("community").mkdir()
    Path("community/server.yaml").write_text(files()["server.yaml"], encoding="utf-8")
    serve_discord(httpserver)
    base = httpserver.url_for("/").rstrip("/")
    _, fetched = run_command(fetch, "discord", base)
    assert fetched.exit_code == 0, fetched.output
    refresh = re.search(r"\(`(playbook audit server\.json -f json:community/baseline\.json)`\)", TEXT).group(
        1
    )
    _, baseline = run_command(refresh, "discord", base)
    assert baseline.exit_code == 0, baseline.output
    _, audited = run_command(audit, "discord", base)
    assert audited.exit_code == 0, audited.output
    assert Path("report.json").exists()
