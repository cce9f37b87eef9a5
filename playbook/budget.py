"""JMESPath searches within a time and size budget, so a hostile path cannot hang an audit.

`[@, @][] | [@, @][] | ...` doubles its input at every pipe: thirty pipes over a roster ask for
billions of items. The interpreter below checks the rule's deadline at every node it visits and
refuses a list result larger than `PLAYBOOK_MAX_PATH_ITEMS`; either breaks only the rule
(`RuleError` → status `error`), never the audit.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator
from typing import Any

from jmespath import visitor

from playbook.i18n import Text
from playbook.limits import LIMITS, limit
from playbook.operators import RuleError

# (deadline, item cap, seconds) of the rule being evaluated; None outside a rule.
_budget: contextvars.ContextVar[tuple[float, int, float] | None] = contextvars.ContextVar(
    "budget", default=None
)
# (deadline, seconds) shared by all rules of one snapshot: a thousand slow rules must not add up.
_audit: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar("audit", default=None)


class BudgetExceeded(RuleError):
    """A path took too long or selected too much."""


def _new_budget() -> tuple[float, int, float]:
    seconds = limit("rule_seconds")
    deadline = time.monotonic() + seconds
    overall = _audit.get()
    if overall is not None and overall[0] < deadline:
        deadline, seconds = overall
    return deadline, int(limit("max_path_items")), seconds


@contextlib.contextmanager
def audit_budget() -> Iterator[None]:
    """One snapshot's total budget for data paths (`PLAYBOOK_AUDIT_SECONDS`)."""
    seconds = limit("audit_seconds")
    token = _audit.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _audit.reset(token)


@contextlib.contextmanager
def rule_budget() -> Iterator[None]:
    """Give the paths read inside the block one shared time budget (`PLAYBOOK_RULE_SECONDS`)."""
    token = _budget.set(_new_budget())
    try:
        yield
    finally:
        _budget.reset(token)


class _BudgetInterpreter(visitor.TreeInterpreter):
    # The clock is read every CLOCK_EVERY nodes: reading it (and a super() call) at every node
    # doubled the cost of a roster filter; a few hundred nodes take well under a millisecond.
    CLOCK_EVERY = 256

    def __init__(self, expr: str, budget: tuple[float, int, float]):
        super().__init__()
        self.expr = expr if len(expr) <= 60 else expr[:57] + "..."
        self.deadline, self.max_items, _ = budget
        self.visits = 0
        self.methods: dict[str, Any] = {}  # node type -> visit method

    def visit(self, node: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        self.visits += 1
        if not self.visits % self.CLOCK_EVERY and time.monotonic() > self.deadline:
            raise self._out_of_time()
        kind = node["type"]
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
    budget = _budget.get() or _new_budget()
    return _BudgetInterpreter(expr, budget).visit(parsed.parsed, data)
