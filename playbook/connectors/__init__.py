"""Platform APIs -> snapshots: the connector registry (also the CLI's choice list).

Adding a platform is one module with a `fetch_*(request, report)` function plus one
`CONNECTORS.add` below (plugins: the same call from the `playbook.connectors` entry point group).
Fetchers are "module:function" strings imported on use: the CLI imports this module at
start-up, and `httpx` only loads when a fetch runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playbook.core.i18n import Text
from playbook.core.registry import Registry, resolve


@dataclass(frozen=True)
class Connector:
    """A platform's API, as `playbook fetch` reaches it: where, with which token, reading what."""

    platform: str
    fetcher: str  # "package.module:function", imported on first use
    about: Text
    api_base: str  # the platform's own API; --api-base points elsewhere (a mirror, a test server)
    token_env: str  # the environment variable holding the token or secret
    options: frozenset[str]  # platform-only options this connector reads

    def load(self) -> Any:
        return resolve(self.fetcher)


CONNECTORS: Registry[Connector] = Registry("playbook.connectors", Text("平台接口", "platform connector"))
for _name, _connector in {
    "discord": Connector(
        "discord",
        "playbook.connectors.discord:fetch_discord",
        Text("Discord 服务器（REST API v10，机器人令牌）", "Discord server (REST API v10, bot token)"),
        "https://discord.com/api/v10",
        "PLAYBOOK_DISCORD_TOKEN",
        frozenset({"channels", "members", "since", "max_messages"}),
    ),
    "telegram": Connector(
        "telegram",
        "playbook.connectors.telegram:fetch_telegram",
        Text("Telegram 群（Bot API，机器人在群里）", "Telegram group (Bot API, the bot is in the group)"),
        "https://api.telegram.org",
        "PLAYBOOK_TELEGRAM_TOKEN",
        frozenset({"collect", "export", "max_messages"}),
    ),
    "wecom": Connector(
        "wecom",
        "playbook.connectors.wecom:fetch_wecom",
        Text("企业微信客户群（corp id + 应用 secret）", "WeCom customer groups (corp id + app secret)"),
        "https://qyapi.weixin.qq.com",
        "PLAYBOOK_WECOM_SECRET",
        frozenset({"all_groups", "corp_id", "since"}),
    ),
}.items():
    CONNECTORS.add(_name, _connector)

__all__ = ["CONNECTORS", "Connector"]
