"""docs/authoring.md cannot go stale: its files are written and its commands run, in order.

Conventions in the page: a fenced block opened with ```yaml file=NAME is written to NAME; in a
```console block each `$ playbook ...` line is run (a trailing `# exit N` gives the expected exit
code, default 0) and each following line must appear in the output (whitespace collapsed);
lines containing `…` stand for output that is not checked.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook import cli

DOC = Path(__file__).parent.parent / "docs" / "authoring.md"
FENCE = re.compile(r"^```(\S*)(.*)$")


@dataclass
class Command:
    args: list[str]
    exit_code: int
    expected: list[str] = field(default_factory=list)


def parse(text: str) -> list[tuple[str, object]]:
    """The page's steps in order: ("file", (name, content)) and ("run", Command)."""
    steps: list[tuple[str, object]] = []
    lines = iter(text.splitlines())
    for line in lines:
        match = FENCE.match(line)
        if not match or not match.group(1):
            continue
        body = []
        for inner in lines:
            if inner.startswith("```"):
                break
            body.append(inner)
        info = match.group(2).strip()
        if match.group(1) == "yaml" and info.startswith("file="):
            steps.append(("file", (info[len("file=") :], "\n".join(body) + "\n")))
        elif match.group(1) == "console":
            steps.extend(("run", command) for command in _commands(body))
    return steps


def _commands(body: list[str]) -> list[Command]:
    commands: list[Command] = []
    for line in body:
        if line.startswith("$ "):
            code = re.search(r"#\s*exit (\d+)\s*$", line)
            args = shlex.split(line[2:], comments=True)
            assert args[0] == "playbook", line
            commands.append(Command(args[1:], int(code.group(1)) if code else 0))
        elif line.strip() and "…" not in line:
            commands[-1].expected.append(" ".join(line.split()))
    return commands


def run_step(step: Command) -> None:
    """Run one `$ playbook ...` line of a page: its exit code, and each line shown after it."""
    result = CliRunner().invoke(cli.main, step.args)
    shown = f"$ playbook {' '.join(step.args)}\n{result.stdout}{result.stderr}"
    assert result.exit_code == step.exit_code, shown
    output = [" ".join(line.split()) for line in (result.stdout + result.stderr).splitlines()]
    for expected in step.expected:
        assert expected in output, f"{expected!r} not in the output of:\n{shown}"


def test_the_page_has_commands_and_files():
    steps = parse(DOC.read_text(encoding="utf-8"))
    kinds = [kind for kind, _ in steps]
    assert kinds.count("run") >= 8 and kinds.count("file") >= 3


def test_every_command_of_the_tutorial(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLAYBOOK_LANG", "en")
    monkeypatch.delenv("PLAYBOOK_PLUGINS", raising=False)
    for kind, step in parse(DOC.read_text(encoding="utf-8")):
        if kind == "file":
            name, content = step  # type: ignore[misc]
            Path(name).parent.mkdir(parents=True, exist_ok=True)
            Path(name).write_text(content, encoding="utf-8")
            continue
        assert isinstance(step, Command)
        run_step(step)


@pytest.mark.parametrize("name", ["rule-language.md", "metrics.md"])
def test_linked_pages_exist(name):
    assert (DOC.parent / name).is_file()
