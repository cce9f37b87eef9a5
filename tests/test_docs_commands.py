"""Every `playbook …` command the README and docs/ show is one the tool accepts, and runs as shown.

A reader copies commands from code blocks and from inline code in tables. Each is parsed by the
real command line (an option renamed or a choice dropped fails here), then run in a folder laid
out as a user's would be (`group.yaml`, `groups/`, the months of one group, a playbook of their
own), with the bundled examples as the files: it must not end in a usage error (2) or an
internal error (3). A synopsis (`explain RULE [SNAPSHOT]`) and a bare command name in prose are
checked for the command only. docs/authoring.md's tutorial, whose steps build on each other, is
run step by step with its expected output in test_authoring_doc.py (likewise docs/importing.md's
walkthrough and docs/operator-month.md, see WALKTHROUGHS).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from playbook.cli import main
from playbook.io.documents import read_document

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", ROOT / "examples" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
INLINE = re.compile(r"`(playbook [^`]+)`")
# `audit SNAPSHOT…`, `schema snapshot|playbook`, `init --platform P`, `explain RULE [SNAPSHOT]`: a synopsis
SYNOPSIS = re.compile(r"…|\.\.\.|\||\[|(?<![\w:-])[A-Z][A-Z_]*(?![\w.])")
PLACEHOLDER = re.compile(r"…|\.\.\.|\|")
EXAMPLES = ROOT / "examples"
TREND = ROOT / "tests" / "fixtures" / "trend"
# The files the docs' commands name, as a user's folder would hold them.
USER_FILES = {
    "group.yaml": EXAMPLES / "wechat-groupbuy-ads.yaml",
    "snapshot.json": EXAMPLES / "qq-interest-healthy.yaml",
    "small.json": EXAMPLES / "wechat-cold-start.yaml",
    "extra.json": EXAMPLES / "telegram-export.yaml",
    "my-playbook.yaml": ROOT / "tests" / "fixtures" / "ci" / "playbook.yaml",
    "playbook.yaml": ROOT / "tests" / "fixtures" / "ci" / "playbook.yaml",
    "playbooks/ours.yaml": ROOT / "tests" / "fixtures" / "ci" / "playbook.yaml",
    "old.yaml": TREND / "2026-10.yaml",
    "new.yaml": TREND / "2026-11.yaml",
    "old": TREND / "2026-10.yaml",
    "new": TREND / "2026-11.yaml",
    "sept.yaml": TREND / "2026-09.yaml",
    "oct.yaml": TREND / "2026-10.yaml",
    "nov.yaml": TREND / "2026-11.yaml",
    **{name: TREND / name for name in ("2026-09.yaml", "2026-10.yaml", "2026-11.yaml")},
    **{f"groups/{p.name}": p for p in EXAMPLES.glob("*.yaml")},
}


def commands_in(page: Path) -> list[tuple[str, str]]:
    """(where, command) for each `playbook` command the page shows as one to type."""
    found: list[tuple[str, str]] = []
    in_block = False
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{page.relative_to(ROOT)}:{number}"
        if line.startswith("```"):
            in_block = not in_block
            continue
        text = line.strip()
        if in_block:
            text = text.removeprefix("$ ")
            for part in text.split("&&"):  # `pip install . && playbook audit …`
                part = part.strip()
                if part.startswith("playbook ") and not PLACEHOLDER.search(part.split("#")[0]):
                    found.append((where, part))
        else:
            found += [(where, c) for c in INLINE.findall(line)]
    return found


COMMANDS = [entry for page in PAGES for entry in commands_in(page)]


GLOBAL_FLAGS = {"--plugins", "--traceback"}  # `playbook --plugins validate …`


def _args(command: str) -> list[str]:
    args = shlex.split(command.replace("<(cat group.json)", "group.yaml"), comments=True)
    return [a for a in args[1:] if a not in GLOBAL_FLAGS]


def _is_synopsis(command: str) -> bool:
    return bool(SYNOPSIS.search(command.split("#")[0])) or len(_args(command)) == 1


def test_the_docs_show_commands():
    assert len(COMMANDS) >= 40


@pytest.mark.parametrize(("where", "command"), COMMANDS, ids=[w for w, _ in COMMANDS])
def test_each_command_shown_is_accepted(where, command):
    args = _args(command)
    if args[0] in ("--version", "--help", "-h"):  # the group's own options: `playbook --version`
        with pytest.raises(click.exceptions.Exit):
            main.make_context("playbook", args)
        return
    group_ctx = main.make_context("playbook", [args[0]], resilient_parsing=True)
    sub = main.get_command(group_ctx, args[0])
    assert sub is not None, f"{where}: no command {args[0]!r} in `{command}`"
    if _is_synopsis(command):
        return
    try:
        sub.make_context(args[0], args[1:], parent=group_ctx)
    except click.exceptions.Exit:
        pass  # --help, --version
    except click.UsageError as exc:
        pytest.fail(f"{where}: `{command}` is refused: {exc.format_message()}")


# Walkthroughs whose steps build on each other run step by step, with their expected output, in
# their own tests: docs/importing.md and docs/operator-month.md in examples/exports/
# (test_importing_doc.py, test_operator_month.py). docs/fetching.md's commands need a platform's
# API: tests/fetch/test_fetching_doc.py runs them against fake servers on 127.0.0.1 (here they
# would need a token, and would reach the internet).
WALKTHROUGHS = (
    "docs/authoring.md",
    "docs/metrics.md",
    "docs/fetching.md",
    "docs/importing.md",
    "docs/operator-month.md",
)
RUNNABLE = [(w, c) for w, c in COMMANDS if not _is_synopsis(c) and not w.startswith(WALKTHROUGHS)]


@pytest.fixture
def users_folder(tmp_path, monkeypatch):
    for name, source in USER_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".json"):  # the same group, as a JSON file
            data = read_document(str(source)).data
            (tmp_path / name).write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
        else:
            (tmp_path / name).write_bytes(source.read_bytes())
    (tmp_path / "examples").symlink_to(EXAMPLES, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLAYBOOK_LANG", "en")
    return tmp_path


def test_most_commands_run():
    assert len(RUNNABLE) >= 20


@pytest.mark.parametrize(("where", "command"), RUNNABLE, ids=[w for w, _ in RUNNABLE])
def test_each_command_runs_as_shown(where, command, users_folder):
    args = _args(command)
    if args[0] == "audit" and "--baseline" in args:  # the baseline the step before it writes
        CliRunner().invoke(main, ["audit", "groups/", "-f", "json:baseline.json"])
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), f"{where}: `{command}` ended {result.exit_code}:\n{result.output}"


def playbook_fragments(page: Path) -> list[tuple[str, str]]:
    """(where, yaml) for each ```yaml block that is a part of a playbook (`waivers:`, `assert:`)."""
    lines, found = page.read_text(encoding="utf-8").splitlines(), []
    for number, line in enumerate(lines):
        if line.strip() == "```yaml" and lines[number + 1].split(":")[0] in ("waivers", "assert"):
            body = lines[number + 1 : lines.index("```", number + 1)]
            found.append((f"{page.relative_to(ROOT)}:{number + 2}", "\n".join(body)))
    return found


FRAGMENTS = [entry for page in PAGES for entry in playbook_fragments(page)]


@pytest.mark.parametrize(("where", "fragment"), FRAGMENTS, ids=[w for w, _ in FRAGMENTS])
def test_each_playbook_fragment_validates(where, fragment, tmp_path):
    """Copied into a playbook, a fragment the docs show is valid (its rule ids exist)."""
    path = tmp_path / "ours.yaml"
    head = "playbook: 1\nid: ours\ntitle: {zh: 我们的手册, en: Ours}\nextends: [builtin:default]\n"
    path.write_text(head + fragment + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 0, f"{where}:\n{result.output}"
