"""Choosing one chat (`--chat NAME_OR_ID`) from an export that holds several."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text, closest

SHOWN = 30  # chats listed in an error; a full-account export may have hundreds


def pick_chat(
    where: str,
    chats: list[dict[str, Any]],
    groups: list[dict[str, Any]],
    wanted: str | None,
    describe: Callable[[dict[str, Any]], str],
) -> int:
    """Index of the chat named or numbered `wanted`; without it, the only chat or only group."""
    if not chats:
        raise PlaybookError.at(where, Text("导出文件里没有任何聊天", "the export holds no chats"))
    if wanted is None:
        if len(chats) == 1:
            return 0
        if len(groups) == 1:
            return next(i for i, chat in enumerate(chats) if chat is groups[0])
        raise _choose(
            where,
            chats,
            describe,
            Text(
                "文件里有 {n} 个聊天，请用 --chat 名称或 ID 选择一个",
                "the file holds {n} chats; choose one with --chat NAME_OR_ID",
            ).format(n=len(chats)),
        )
    matches = [i for i, c in enumerate(chats) if wanted in (str(c.get("id")), c.get("name"))]
    if not matches:
        matches = [
            i for i, chat in enumerate(chats) if str(chat.get("name") or "").casefold() == wanted.casefold()
        ]
    if len(matches) == 1:
        return matches[0]
    what = (
        Text("有 {n} 个聊天都叫 '{w}'，请改用 ID", "{n} chats are named '{w}'; use the id").format(
            n=len(matches), w=wanted
        )
        if matches
        else _unknown(wanted, chats)
    )
    return _raise(_choose(where, [chats[i] for i in matches] or chats, describe, what))


def _unknown(wanted: str, chats: list[dict[str, Any]]) -> Text:
    names = [str(c.get("name")) for c in chats if c.get("name")]
    close = closest(wanted, names)
    what = Text("没有名为或 ID 为 '{w}' 的聊天", "no chat named or numbered '{w}'").format(w=wanted)
    if close:
        what += Text(" (是不是 '{c}'?)", " (did you mean '{c}'?)").format(c=close)
    return what


def _choose(
    where: str, chats: list[dict[str, Any]], describe: Callable[[dict[str, Any]], str], what: Text
) -> PlaybookError:
    listed = "\n    ".join(describe(chat) for chat in chats[:SHOWN])
    more = len(chats) - SHOWN
    tail = f"\n    … (+{more})" if more > 0 else ""
    hint = Text("文件里的聊天:\n    ", "chats in the file:\n    ") + Text(listed + tail, listed + tail)
    return PlaybookError.at(where, what, hint)


def _raise(error: PlaybookError) -> int:
    raise error
