"""JMESPath searches within a time and size budget, so a hostile path cannot hang an audit.

`[@, @][] | [@, @][] | ...` doubles its input at every pipe: thirty pipes over a roster ask for
billions of items. The interpreter below checks the rule's deadline as it visits nodes and
refuses a list result larger than `PLAYBOOK_MAX_PATH_ITEMS`; either breaks only the rule
(`RuleError` → status `error`), never the audit. Paths of bounded cost never come here: they
are compiled to plain functions (path_compiler.py).
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jmespath import visitor

from playbook.core.i18n import Text
from playbook.core.operators import RuleError
from playbook.io.limits import LIMITS, limit


@dataclass
class Budget:
    """The limits of one snapshot's data paths, read from the environment once per audit."""

    rule_seconds: float
    max_items: int
    audit_deadline: float
    deadline: float  # of the rule being evaluated

    @classmethod
    def from_limits(cls) -> Budget:
        now = time.monotonic()
        rule_seconds = limit("rule_seconds")
        audit_deadline = now + limit("audit_seconds")
        return cls(rule_seconds, int(limit("max_path_items")), audit_deadline, now + rule_seconds)

    def start_rule(self) -> None:
        # A thousand slow rules must not add up: no rule runs past the snapshot's deadline, and
        # once it has passed no rule starts (a rule's one slow step is the most it can overrun).
        now = time.monotonic()
        if now > self.audit_deadline:
            raise BudgetExceeded(_audit_out_of_time())
        self.deadline = min(now + self.rule_seconds, self.audit_deadline)

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(_rule_out_of_time())


_budget: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


class BudgetExceeded(RuleError):
    """A path took too long or selected too much."""


@contextlib.contextmanager
def audit_budget() -> Iterator[None]:
    """One snapshot's budget for data paths: `PLAYBOOK_AUDIT_SECONDS` in all, each rule's share
    `PLAYBOOK_RULE_SECONDS` from `start_rule`."""
    token = _budget.set(Budget.from_limits())
    try:
        yield
    finally:
        _budget.reset(token)


def start_rule() -> None:
    """Give the paths the next rule reads their own time budget (outside an audit: each path)."""
    budget = _budget.get()
    if budget is not None:
        budget.start_rule()


def check_time() -> None:
    """Stop the rule when its time (or the audit's) is up: called in the loops a rule's author
    controls the length of (every item of an `each`, whatever the check does per item)."""
    budget = _budget.get()
    if budget is not None:
        budget.check()


def _audit_out_of_time() -> Text:
    seconds = f"{limit('audit_seconds'):g}"
    return Text(
        f"审计超出时间预算（每个快照 {seconds} 秒），这条规则没有运行（上限见 PLAYBOOK_AUDIT_SECONDS）",
        f"not run: the audit is out of time (budget {seconds} s per snapshot; limit: PLAYBOOK_AUDIT_SECONDS)",
    )


def _rule_out_of_time() -> Text:
    rule, audit = f"{limit('rule_seconds'):g}", f"{limit('audit_seconds'):g}"
    return Text(
        f"规则超出时间预算（每条规则 {rule} 秒，每个快照 {audit} 秒），已停止"
        "（上限见 PLAYBOOK_RULE_SECONDS / PLAYBOOK_AUDIT_SECONDS）",
        f"the rule was stopped: out of time (budget {rule} s per rule, {audit} s per snapshot); "
        "limits: PLAYBOOK_RULE_SECONDS, PLAYBOOK_AUDIT_SECONDS",
    )


def max_path_items() -> int:
    """The current audit's limit on a path's list results (outside an audit: the environment's)."""
    return _current().max_items


def _current() -> Budget:
    """The running audit's budget; outside an audit, a fresh one (each path its own)."""
    return _budget.get() or Budget.from_limits()


class _BudgetInterpreter(visitor.TreeInterpreter):
    # The clock is read every CLOCK_EVERY nodes: reading it (and a super() call) at every node
    # doubled the cost of a roster filter; a few hundred nodes take well under a millisecond.
    CLOCK_EVERY = 256

    def __init__(self, expr: str, budget: Budget):
        super().__init__()
        self.expr = expr if len(expr) <= 60 else expr[:57] + "..."
        self.deadline, self.max_items = budget.deadline, budget.max_items
        self.visits = 0
        self.methods: dict[str, Any] = {}  # node type -> visit method

    def visit(self, node: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        self.visits += 1
        kind = node["type"]
        # A function may take long by itself (to_string of a 12 MB snapshot): the clock is read
        # before every call, not only every CLOCK_EVERY nodes.
        if (
            kind == "function_expression" or not self.visits % self.CLOCK_EVERY
        ) and time.monotonic() > self.deadline:
            raise self._out_of_time()
        if kind not in self.methods:
            self.methods[kind] = getattr(self, f"visit_{kind}", self.default_visit)
        result = self.methods[kind](node, *args, **kwargs)
        if isinstance(result, list) and len(result) > self.max_items:
            raise BudgetExceeded(
                Text(
                    f"路径 {self.expr!r} 选出了超过 {self.max_items} 项，已停止",
                    f"the path {self.expr!r} selects more than {self.max_items} items and was stopped",
                )
                + _hint("max_path_items")
            )
        return result

    def _out_of_time(self) -> BudgetExceeded:
        return BudgetExceeded(
            Text(
                f"路径 {self.expr!r} 超出时间预算（每条规则 {limit('rule_seconds'):g} 秒，"
                f"每个快照 {limit('audit_seconds'):g} 秒），已停止",
                f"the path {self.expr!r} was stopped: out of time (budget {limit('rule_seconds'):g} s "
                f"per rule, {limit('audit_seconds'):g} s per snapshot)",
            )
            + Text(
                "（上限见 PLAYBOOK_RULE_SECONDS / PLAYBOOK_AUDIT_SECONDS）",
                "; limits: PLAYBOOK_RULE_SECONDS, PLAYBOOK_AUDIT_SECONDS",
            )
        )


def _hint(name: str) -> Text:
    env = LIMITS[name].env
    return Text(f"（上限见 {env}）", f" (limit: {env})")


def search(parsed: Any, expr: str, data: Any) -> Any:
    """`parsed.search(data)` within the current rule's budget (or a budget of its own)."""
    return _BudgetInterpreter(expr, _current()).visit(parsed.parsed, data)
