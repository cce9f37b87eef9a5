"""Every inline rule example of every built-in ruleset runs as a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook.authoring.examples import run_examples
from playbook.core.resources import builtin_ruleset_names
from playbook.io.playbook_loader import load_playbook


def own_outcomes(name):
    """A profile runs the examples of the rules it defines; inherited rules are tested at home
    (their examples assume their home file's params, which a profile may deliberately change)."""
    for outcome in run_examples(load_playbook(f"builtin:{name}")):
        if Path(outcome.rule.origin.split(":")[0]).name == f"{name}.yaml":
            yield outcome


OUTCOMES = [
    pytest.param(outcome, id=f"{name}:{outcome.name}")
    for name in builtin_ruleset_names()
    for outcome in own_outcomes(name)
]


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_rule_example(outcome):
    message = outcome.result.message.en if outcome.result.message else ""
    assert outcome.result.status == outcome.expected, (
        f"{outcome.name}: got {outcome.result.status}: {message}"
    )


def test_every_builtin_rule_has_pass_and_fail_examples():
    for name in builtin_ruleset_names():
        for rule in load_playbook(f"builtin:{name}").rules:
            assert rule.examples.get("pass"), f"{name}: {rule.id} has no pass example"
            assert rule.examples.get("fail"), f"{name}: {rule.id} has no fail example"
