"""The limits that keep hostile input from exhausting time or memory, and how to raise them.

Each limit has one environment variable (`PLAYBOOK_MAX_FILE_MB=1024 playbook audit ...`). Env
vars, not options, because every command and every `--jobs` worker reads files and playbooks:
one mechanism reaches them all. Every message about a limit names the variable that raises it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from playbook.core.errors import Location, PlaybookError
from playbook.core.i18n import Text
from playbook.core.path_limits import PathLimits

_PATHS = PathLimits()  # the engine's defaults, so the two never disagree


@dataclass(frozen=True, eq=False)
class Limit:
    """A safety limit: its environment variable, default and meaning."""

    env: str
    default: float
    about: Text


LIMITS: dict[str, Limit] = {
    "max_file_mb": Limit(
        "PLAYBOOK_MAX_FILE_MB", 512, Text("单个输入文件的最大大小（MB）", "largest input file, in MB")
    ),
    "max_depth": Limit(
        "PLAYBOOK_MAX_DEPTH", 100, Text("JSON/YAML 的最大嵌套层数", "deepest nesting of JSON/YAML values")
    ),
    "max_yaml_values": Limit(
        "PLAYBOOK_MAX_YAML_VALUES",
        2_000_000,
        Text(
            "YAML 别名展开后的最多值数（防别名炸弹）", "most values a YAML file may expand to (alias bombs)"
        ),
    ),
    "max_rules": Limit(
        "PLAYBOOK_MAX_RULES", 2000, Text("一本手册合并后的最多规则数", "most rules in one resolved playbook")
    ),
    "max_layers": Limit(
        "PLAYBOOK_MAX_LAYERS",
        64,
        Text(
            "一次加载（含 extends）最多读取的手册文件数",
            "most playbook files one load reads, extends included",
        ),
    ),
    "rule_seconds": Limit(
        "PLAYBOOK_RULE_SECONDS",
        _PATHS.rule_seconds,
        Text(
            "每条规则读取数据（JMESPath）的时间上限（秒）", "time budget of one rule's data paths, in seconds"
        ),
    ),
    "audit_seconds": Limit(
        "PLAYBOOK_AUDIT_SECONDS",
        _PATHS.audit_seconds,
        Text(
            "每个快照所有规则读取数据的总时间上限（秒）",
            "time budget of all rules' data paths per snapshot, in seconds",
        ),
    ),
    "max_path_items": Limit(
        "PLAYBOOK_MAX_PATH_ITEMS",
        _PATHS.max_path_items,
        Text("一个路径最多可选出的列表项数", "most list items one path may select"),
    ),
}


def limit(name: str) -> float:
    """The limit's value: its environment variable when set, else the default."""
    spec = LIMITS[name]
    raw = os.environ.get(spec.env, "").strip()
    if not raw:
        return spec.default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not value > 0 or math.isinf(value):
        raise PlaybookError.at(
            spec.env,
            Text(f"应为正数，实际是 {raw!r}", f"must be a positive number, found {raw!r}"),
        )
    return value


def path_limits() -> PathLimits:
    """The data paths' limits for the engine, read from the environment (once per audit)."""
    return PathLimits(limit("rule_seconds"), limit("audit_seconds"), int(limit("max_path_items")))


def raise_hint(name: str, current: float) -> Text:
    """`hint: raise the limit with PLAYBOOK_X=<double>` for a limit that was hit."""
    spec = LIMITS[name]
    bigger = current * 2
    shown = f"{bigger:g}" if bigger < 1e6 else str(int(bigger))
    return Text(
        f"如确有需要，可放宽限制: {spec.env}={shown}（{spec.about.zh}）",
        f"if this input is legitimate, raise the limit: {spec.env}={shown} ({spec.about.en})",
    )


def depth_error(where: str | Location) -> PlaybookError:
    depth = int(limit("max_depth"))
    return PlaybookError.at(
        where,
        Text(f"嵌套层数超过 {depth} 层", f"nesting is deeper than {depth} levels"),
        raise_hint("max_depth", depth),
    )


def check_rule_count(count: int, where: str | Location) -> None:
    most = int(limit("max_rules"))
    if count > most:
        raise PlaybookError.at(
            where,
            Text(f"规则太多: 超过 {most} 条", f"too many rules: more than {most}"),
            raise_hint("max_rules", most),
        )


def check_layers(count: int, where: str) -> None:
    most = int(limit("max_layers"))
    if count >= most:
        raise PlaybookError.at(
            where,
            Text(f"extends 读取的手册文件超过 {most} 个", f"extends reads more than {most} playbook files"),
            raise_hint("max_layers", most),
        )
