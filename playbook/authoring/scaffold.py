"""`playbook init`: write a commented `group.yaml` and a starter `playbook.yaml`.

Every comment in `group.yaml` is the field's description from `schemas/snapshot.schema.json`
in the chosen language, so the template explains exactly what the validator checks. The
starter playbook extends the platform's built-in profile (`builtin:qq` for QQ) and names a rule
and a param that exist in it (looked up, not assumed), so both files validate and audit as
written. The schemas are copied into `schemas/` beside the files and the editor modelines point
there: a relative path that still resolves when the folder is zipped and sent to a colleague
(a path into the tool's install folder would not).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from playbook.authoring.scaffold_text import PLAYBOOK_TEMPLATE, group_values
from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text
from playbook.core.resources import load_schema, schema_path
from playbook.io.facts import platform_facts
from playbook.io.outputs import write_text_atomic

OUTPUTS = ("group.yaml", "playbook.yaml")
SCHEMA_FOLDER = "schemas"  # beside the group files; the modelines point here
# Preferred examples in the starter playbook, if the built-in default still has them.
OVERRIDE_RULES = ("naming.stable", "tags.member-profile")
PARAM_CHANGES = (("min_tags", 4), ("max_changes_30d", 2))


def write_templates(
    directory: str, platform: str, lang: str, force: bool, now: datetime, group_type: str = "interest"
) -> list[Path]:
    """Write both files (and the schemas they name) into `directory`; refuse to overwrite a file
    that differs without `force` (exit 2). Returns the two files."""
    folder = Path(directory)
    targets = [folder / name for name in OUTPUTS]
    schemas = {
        folder / SCHEMA_FOLDER / schema_path(name).name: schema_path(name).read_bytes()
        for name in ("snapshot", "playbook")
    }
    existing = [str(path) for path in targets if path.exists()]
    existing += [str(path) for path, data in schemas.items() if path.exists() and path.read_bytes() != data]
    if existing and not force:
        raise PlaybookError.at(
            existing[0],
            Text("文件已存在，未覆盖", "the file already exists; nothing was written"),
            Text(
                "加 --force 覆盖，或用 --dir 换个文件夹", "add --force to overwrite, or choose another --dir"
            ),
        )
    (folder / SCHEMA_FOLDER).mkdir(parents=True, exist_ok=True)
    for path, data in schemas.items():
        write_text_atomic(path, data)
    write_text_atomic(targets[0], render_group(platform, lang, now, group_type))
    write_text_atomic(targets[1], render_playbook(lang, platform))
    return targets


def schema_reference(name: str) -> str:
    """The schema copied beside the files, relative to them (forward slashes on every system)."""
    return f"{SCHEMA_FOLDER}/{schema_path(name).name}"


# ── group.yaml ───────────────────────────────────────────────────────────────


def render_group(platform: str, lang: str, now: datetime, group_type: str = "interest") -> str:
    values = group_values(platform, lang, now, platform_facts(platform), group_type)
    head = [
        f"# yaml-language-server: $schema={schema_reference('snapshot')}",
        Text(
            "# 群快照：一个群在某一时刻的设置、成员和活跃情况。按实际情况修改后运行：",
            "# A group snapshot: one group's settings, members and activity at one moment. Edit it, then run:",
        ).render(lang),
        "#   playbook validate group.yaml",
        "#   playbook audit group.yaml -p playbook.yaml",
        Text(
            "# 不知道的字段可以删掉：缺少数据的规则会显示为 unknown（待补充），不会算作不及格。",
            "# Delete what you do not know: rules missing their data say unknown (provide …), never fail.",
        ).render(lang),
        "",
    ]
    return "\n".join(head + _emit(values, (), 0, lang, True)) + "\n"


def _emit(value: Mapping[str, Any], path: tuple[str, ...], indent: int, lang: str, notes: bool) -> list[str]:
    """Block YAML for a mapping, each key with its description as a comment."""
    pad, lines = " " * indent, []
    for key, item in value.items():
        note = describe(load_schema("snapshot"), (*path, key), lang) if notes else ""
        if isinstance(item, Mapping):
            lines += [f"{pad}# {note}"] if note else []
            lines += [f"{pad}{key}:", *_emit(item, (*path, key), indent + 2, lang, notes)]
        elif isinstance(item, list) and item and isinstance(item[0], Mapping):
            lines += [f"{pad}# {note}"] if note else []
            lines.append(f"{pad}{key}:")
            for i, element in enumerate(item):
                body = _emit(element, (*path, key, "[]"), indent + 4, lang, notes and i == 0)
                lines += [f"{pad}  - {body[0].lstrip()}", *body[1:]]
        else:
            line = f"{pad}{key}: {_scalar(item)}"
            lines.append(f"{line}  # {note}" if note else line)
    return lines


def _scalar(value: Any) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def describe(schema: Mapping[str, Any], path: Sequence[str], lang: str) -> str:
    """The description of the field at `path` ("[]" steps into list items), in `lang`."""
    node: Mapping[str, Any] = schema
    for step in path:
        node = _resolve(schema, node)
        node = node.get("items", {}) if step == "[]" else node.get("properties", {}).get(step, {})
    text = node.get("description") or _resolve(schema, node).get("description") or ""
    zh, _, en = text.partition(" · ")
    return (zh if lang == "zh" else en or zh).strip()


def describe_values(path: Sequence[str], lang: str) -> list[tuple[str, str]]:
    """(value, its words) for a fixed-value field, from its description (`interest 兴趣/学习交流 | …`)."""
    text = describe(load_schema("snapshot"), path, lang)
    listing = text.split("：" if lang == "zh" else ": ", 1)[-1]
    found = []
    for item in listing.split(" | "):
        value, _, words = item.strip().partition(" ")
        found.append((value, words.strip("()") or value))
    return found


def _resolve(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


# ── playbook.yaml ────────────────────────────────────────────────────────────


def base_playbook(platform: str) -> str:
    """The built-in profile of `platform` (`builtin:qq`), or the default for a platform without one."""
    from playbook.core.resources import builtin_ruleset_names

    return f"builtin:{platform if platform in builtin_ruleset_names() else 'default'}"


def render_playbook(lang: str, platform: str) -> str:
    from playbook.io.playbook_loader import load_playbook

    base = base_playbook(platform)
    default = load_playbook(base)
    ids = [rule.id for rule in default.rules]
    override = next((r for r in OVERRIDE_RULES if r in ids), ids[0])
    params = {name: value for rule in default.rules for name, value in rule.params.items()}
    param, value = next(
        ((n, v) for n, v in PARAM_CHANGES if n in params), next(iter(params.items()), ("", None))
    )
    template = PLAYBOOK_TEMPLATE[lang]
    title = Text(default.title.get("zh", ""), default.title.get("en", ""))
    base_name = Text(f"内置的「{title.zh}」", f"built-in {title.en}").render(lang)
    return template.format(
        schema=schema_reference("playbook"),
        override=override,
        param=param,
        value=value,
        base=base,
        base_name=base_name,
        pad=" " * max(1, 25 - len(base)),
    )


def default_now() -> datetime:
    """Now in China Standard Time, to the minute (the snapshot's `captured_at`)."""
    from datetime import timezone

    return datetime.now(timezone(timedelta(hours=8))).replace(second=0, microsecond=0)
