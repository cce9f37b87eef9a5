"""JMESPath searches within a time and size budget, so a hostile path cannot hang an audit.

`[@, @][] | [@, @][] | ...` doubles its input at every pipe: thirty pipes over a roster ask for
billions of items. The interpreter below checks the rule's deadline as it visits nodes and
refuses a list result larger than `PLAYBOOK_MAX_PATH_ITEMS`; either breaks only the rule
(`RuleError` → status `error`), never the audit. Paths of bounded cost never come here: they
are compiled to plain functions (path_compiler.py).

The limits arrive as a `PathLimits` value (io/limits.py reads them from the environment): the
engine reads no environment itself. The clock read here is `time.monotonic`, a watchdog's
stopwatch, never a date.
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
from playbook.core.path_limits import DEFAULT_LIMITS, PathLimits


@dataclass
class Budget:
    """The limits of one snapshot's data paths and the deadlines they set."""

    limits: PathLimits
    audit_deadline: float
    deadline: float  # of the rule being evaluated

    def __post_init__(self) -> None:
        self.rule_seconds = self.limits.rule_seconds  # read as every rule starts: no property call

    @property
    def max_items(self) -> int:
        return self.limits.max_path_items

    @classmethod
    def from_limits(cls, limits: PathLimits) -> Budget:
        now = time.monotonic()
        return cls(limits, now + limits.audit_seconds, now + limits.rule_seconds)

    def start_rule(self) -> None:
        # A thousand slow rules must not add up: no rule runs past the snapshot's deadline, and
        # once it has passed no rule starts (a rule's one slow step is the most it can overrun).
        now = time.monotonic()
        if now > self.audit_deadline:
            raise BudgetExceeded(_audit_out_of_time(self.limits))
        self.deadline = min(now + self.rule_seconds, self.audit_deadline)

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(_rule_out_of_time(self.limits))


_budget: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)
# The limits of paths read outside an audit (`explain`, rule examples): each path its own budget.
_outside: contextvars.ContextVar[PathLimits] = contextvars.ContextVar("path_limits", default=DEFAULT_LIMITS)


class BudgetExceeded(RuleError):
    """A path took too long or selected too much."""


@contextlib.contextmanager
def audit_budget(limits: PathLimits) -> Iterator[None]:
    """One snapshot's budget for data paths: `limits.audit_seconds` in all, each rule's share
    `limits.rule_seconds` from `start_rule`."""
    token = _budget.set(Budget.from_limits(limits))
    try:
        yield
    finally:
        _budget.reset(token)


@contextlib.contextmanager
def path_limits(limits: PathLimits) -> Iterator[None]:
    """The limits of paths read outside an audit (each path gets a budget of its own)."""
    token = _outside.set(limits)
    try:
        yield
    finally:
        _outside.reset(token)


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


def _audit_out_of_time(limits: PathLimits) -> Text:
    seconds = f"{limits.audit_seconds:g}"
    return Text(
        f"审计超出时间预算（每个快照 {seconds} 秒），这条规则没有运行（上限见 PLAYBOOK_AUDIT_SECONDS）",
        f"not run: the audit is out of time (budget {seconds} s per snapshot; limit: PLAYBOOK_AUDIT_SECONDS)",
    )


def _rule_out_of_time(limits: PathLimits) -> Text:
    rule, audit = f"{limits.rule_seconds:g}", f"{limits.audit_seconds:g}"
    return Text(
        f"规则超出时间预算（每条规则 {rule} 秒，每个快照 {audit} 秒），已停止"
        "（上限见 PLAYBOOK_RULE_SECONDS / PLAYBOOK_AUDIT_SECONDS）",
        f"the rule was stopped: out of time (budget {rule} s per rule, {audit} s per snapshot); "
        "limits: PLAYBOOK_RULE_SECONDS, PLAYBOOK_AUDIT_SECONDS",
    )


def max_path_items() -> int:
    """The current audit's limit on a path's list results (outside an audit: `path_limits`')."""
    return _current().max_items


def _current() -> Budget:
    """The running audit's budget; outside an audit, a fresh one (each path its own)."""
    return _budget.get() or Budget.from_limits(_outside.get())


class _BudgetInterpreter(visitor.TreeInterpreter):
    # The clock is read every CLOCK_EVERY nodes: reading it (and a super() call) at every node
    # doubled the cost of a roster filter; a few hundred nodes take well under a millisecond.
    CLOCK_EVERY = 256

    def __init__(self, expr: str, budget: Budget):
        super().__init__()
        self.expr = expr if len(expr) <= 60 else expr[:57] + "..."
        self.deadline, self.max_items, self.limits = budget.deadline, budget.max_items, budget.limits
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
                + Text("（上限见 PLAYBOOK_MAX_PATH_ITEMS）", " (limit: PLAYBOOK_MAX_PATH_ITEMS)")
            )
        return result

    def _out_of_time(self) -> BudgetExceeded:
        rule, audit = self.limits.rule_seconds, self.limits.audit_seconds
        return BudgetExceeded(
            Text(
                f"路径 {self.expr!r} 超出时间预算（每条规则 {rule:g} 秒，每个快照 {audit:g} 秒），已停止",
                f"the path {self.expr!r} was stopped: out of time (budget {rule:g} s "
                f"per rule, {audit:g} s per snapshot)",
            )
            + Text(
                "（上限见 PLAYBOOK_RULE_SECONDS / PLAYBOOK_AUDIT_SECONDS）",
                "; limits: PLAYBOOK_RULE_SECONDS, PLAYBOOK_AUDIT_SECONDS",
            )
        )


def search(parsed: Any, expr: str, data: Any) -> Any:
    """`parsed.search(data)` within the current rule's budget (or a budget of its own)."""
    return _BudgetInterpreter(expr, _current()).visit(parsed.parsed, data)
