"""`playbook fetch`: options checked, the connector run, settings merged, snapshots written."""

from __future__ import annotations

import shlex
from datetime import datetime
from typing import Any

import click

from playbook.connectors import CONNECTORS, Connector
from playbook.connectors.run import FetchReport, FetchRequest, finish, write_folder, write_one
from playbook.core.errors import EXIT_OK, PlaybookError
from playbook.core.i18n import Text
from playbook.importers.common import load_zone, parse_captured_at
from playbook.io.escape import for_terminal

# Option name -> its flag as written, for "--members applies to discord only".
FLAGS = {
    "channels": "--channel",
    "members": "--members",
    "collect": "--collect",
    "export": "--export",
    "all_groups": "--all",
    "corp_id": "--corp-id",
    "since": "--since",
    "max_messages": "--max-messages",
}
DEFAULTS = {
    "channels": (),
    "members": False,
    "collect": 0,
    "export": None,
    "all_groups": False,
    "corp_id": None,
    "since": None,
    "max_messages": 1000,
}


def run_fetch_command(
    platform: str,
    group_id: str | None,
    output: str | None,
    settings_path: str | None,
    options: dict[str, Any],
    lang: str,
) -> int:
    connector = CONNECTORS[platform]
    _check_options(connector, options)
    request = _request(connector, group_id, output, options, lang)
    settings = None
    if settings_path is not None:
        from playbook.connectors.settings import load_settings

        settings = load_settings(settings_path, platform)
    report = FetchReport(platform)
    fetched = connector.load()(request, report)
    snapshots = [(item.name, finish(item, settings)) for item in fetched]  # all valid, or nothing written
    if request.all_groups:
        write_folder(snapshots, str(output))
    else:
        write_one(snapshots[0][1], output)
    click.echo(for_terminal(report.render(lang)), err=True)  # group names from the platform's API
    if output is not None:
        target = f"{shlex.quote(output)}/*.json" if request.all_groups else shlex.quote(output)
        click.echo(
            Text("下一步: playbook audit {t}", "next: playbook audit {t}").format(t=target).render(lang),
            err=True,
        )
    return EXIT_OK


def _check_options(connector: Connector, options: dict[str, Any]) -> None:
    for name, flag in FLAGS.items():
        if options.get(name) != DEFAULTS[name] and name not in connector.options:
            users = ", ".join(sorted(c.platform for c in CONNECTORS.values() if name in c.options))
            raise PlaybookError.at(
                flag,
                Text("{f} 只用于 {u}，不用于 {p}", "{f} applies to {u} only, not to {p}").format(
                    f=flag, u=users, p=connector.platform
                ),
            )


def _request(
    connector: Connector, group_id: str | None, output: str | None, options: dict[str, Any], lang: str
) -> FetchRequest:
    if options["all_groups"]:
        if group_id is not None:
            raise PlaybookError.at(
                "--all",
                Text("--all 抓取全部群，不要再写群 ID", "--all fetches every group: give no GROUP_ID"),
            )
        if output is None:
            raise PlaybookError.at("--all", Text("--all 需要 -o 文件夹", "--all needs -o FOLDER"))
    elif not group_id or not group_id.strip():
        raise PlaybookError.at(
            "GROUP_ID", Text("缺少群 ID", "the group id is missing"), _id_hint(connector.platform)
        )
    else:
        _check_id(connector.platform, group_id.strip())
    zone = load_zone(options["tz"])
    captured = (
        parse_captured_at(options["captured_at"], zone) if options["captured_at"] else datetime.now(zone)
    )
    since = parse_captured_at(options["since"], zone) if options["since"] else None
    if since is not None and len(options["since"]) == 10:  # a date alone: from the start of that day
        since = since.replace(hour=0, minute=0, second=0)
    return FetchRequest(
        target=group_id.strip() if group_id else None,
        api_base=_api_base(connector, options["api_base"]),
        token_file=options["token_file"],
        tz=zone,
        captured_at=captured,
        lang=lang,
        since=since,
        max_messages=options["max_messages"],
        channels=tuple(options["channels"]),
        members=options["members"],
        collect=float(options["collect"]),
        export=options["export"],
        all_groups=options["all_groups"],
        corp_id=options["corp_id"],
    )


def _api_base(connector: Connector, given: str | None) -> str:
    if given is None:
        return connector.api_base
    from urllib.parse import urlsplit

    parts = urlsplit(given)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise PlaybookError.at(
            "--api-base",
            Text("'{v}' 不是 http(s) 地址", "'{v}' is not an http(s) address").format(v=given),
            Text("例如 " + connector.api_base, "for example " + connector.api_base),
        )
    return given.rstrip("/")


# What a group id looks like on each platform (a wrong one fails before any call is made).
ID_SHAPES = {
    "discord": r"\d{15,21}",
    "telegram": r"-?\d{1,20}|@[A-Za-z0-9_]{4,32}",
    "wecom": r"[A-Za-z0-9_-]{1,128}",
}


def _check_id(platform: str, group_id: str) -> None:
    import re

    if group_id.startswith("--"):  # the command takes unknown options as arguments (for -100… ids)
        from playbook.core.i18n import unknown_name

        known = [
            *FLAGS.values(),
            "--output",
            "--settings",
            "--token-file",
            "--api-base",
            "--tz",
            "--captured-at",
        ]
        what, hint = unknown_name("选项", "option", group_id, known)
        raise PlaybookError.at("fetch", what, hint)
    shape = ID_SHAPES.get(platform)  # a plugin's platform: its fetcher checks its own ids
    if shape is not None and not re.fullmatch(shape, group_id):
        raise PlaybookError.at(
            "GROUP_ID",
            Text("'{g}' 不像 {p} 的群 ID", "'{g}' does not look like a {p} group id").format(
                g=group_id, p=platform
            ),
            _id_hint(platform),
        )


def _id_hint(platform: str) -> Text:
    hints = {
        "discord": Text(
            "Discord：打开开发者模式，右键服务器图标 → 复制服务器 ID",
            "Discord: turn on Developer Mode, right-click the server icon → Copy Server ID",
        ),
        "telegram": Text(
            "Telegram：群的 chat id（如 -1001234567890）或公开群的 @username",
            "Telegram: the group's chat id (like -1001234567890) or a public group's @username",
        ),
        "wecom": Text(
            "企业微信：客户群的 chat_id（或用 --all 抓取全部客户群）",
            "WeCom: the customer group's chat_id (or --all for every customer group)",
        ),
    }
    return hints.get(platform) or Text(f"{platform}：群的 ID", f"{platform}: the group's id")
