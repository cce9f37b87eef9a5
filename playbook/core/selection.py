"""`--select` / `--ignore`: which rules an audit runs, by glob on the rule id (`naming.*`).

As ruff's and Checkov's: a rule runs when it matches a `--select` glob (or none was given) and
no `--ignore` glob. A rule left out is not evaluated at all, so the scores are those of the
rules that ran, and an `assert: must_pass` naming it is not judged. A glob that matches no rule
of the playbooks in use is a usage error: a typo would otherwise select nothing, silently.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass

from playbook.core.errors import Location, PlaybookError, Problem
from playbook.core.i18n import Text, closest
from playbook.core.model import Playbook


@dataclass(frozen=True)
class RuleSelection:
    """The rules asked for with --select and --ignore (globs of rule ids)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.select or self.ignore)

    def wants(self, rule_id: str) -> bool:
        chosen = not self.select or any(fnmatch.fnmatchcase(rule_id, glob) for glob in self.select)
        return chosen and not any(fnmatch.fnmatchcase(rule_id, glob) for glob in self.ignore)


def restrict(playbook: Playbook, selection: RuleSelection) -> Playbook:
    """The playbook with only the rules `selection` wants (the same object when it wants all)."""
    if not selection:
        return playbook
    key = ("restricted", selection)  # kept with the playbook: every snapshot of a batch asks
    if key not in playbook.memo:
        rules = tuple(rule for rule in playbook.rules if selection.wants(rule.id))
        kept = {rule.id for rule in rules}
        assertions = dict(playbook.assertions)
        if "must_pass" in assertions:
            assertions["must_pass"] = [rule for rule in assertions["must_pass"] if rule in kept]
        playbook.memo[key] = dataclasses.replace(playbook, rules=rules, assertions=assertions)
    restricted: Playbook = playbook.memo[key]
    return restricted


def check_globs(selection: RuleSelection, rule_ids: Iterable[str]) -> None:
    """Every glob matches some rule in `rule_ids`, else a usage error naming the nearest id."""
    known = sorted(set(rule_ids))
    problems = []
    for option, globs in (("--select", selection.select), ("--ignore", selection.ignore)):
        for glob in globs:
            if not fnmatch.filter(known, glob):
                near = closest(glob, known)
                hint = (
                    Text(f"是不是 '{near}'？", f"did you mean '{near}'?")
                    if near
                    else Text("用 playbook rules 列出规则 id", "list the rule ids with: playbook rules")
                )
                problems.append(
                    Problem(
                        Location(option), Text(f"'{glob}' 不匹配任何规则", f"'{glob}' matches no rule"), hint
                    )
                )
    if problems:
        raise PlaybookError(problems)
