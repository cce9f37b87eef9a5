"""Where a connector's secret comes from: an environment variable or a file, nothing else.

A token on the command line would end up in shell history and in CI logs, so there is no option
for one. The value read is registered with the client's `Secrets` and never shown again.
"""

from __future__ import annotations

import os
from pathlib import Path

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text

MAX_TOKEN_FILE = 64 * 1024  # a token file is one line; anything larger is the wrong file


def read_secret(env: str, token_file: str | None, what: Text) -> str:
    """The secret from `--token-file` when given, else from `$env`; an error says how to give it."""
    if token_file is not None:
        return _plain(_from_file(Path(token_file), what), token_file, what)
    value = os.environ.get(env, "").strip()
    if not value:
        raise PlaybookError.at(
            env,
            Text(
                "没有" + what.zh + "：环境变量 " + env + " 未设置或为空",
                "no " + what.en + ": the environment variable " + env + " is unset or empty",
            ),
            Text(
                "设置 " + env + "=…（CI 里放进 secrets），或用 --token-file FILE 指向只含该值的文件",
                "set " + env + "=… (a secret in CI), or pass --token-file FILE naming a file that "
                "holds only the value",
            ),
        )
    return _plain(value, env, what)


def _plain(value: str, where: str, what: Text) -> str:
    """Tokens are printable ASCII without spaces; anything else is the wrong value (and would fail
    deep inside the HTTP library with an error quoting it)."""
    if not value.isascii() or not value.isprintable() or " " in value:
        raise PlaybookError.at(
            where,
            Text(
                what.zh + "里有令牌不会有的字符（非 ASCII、空格或控制字符）",
                "the " + what.en + " holds characters no token has (non-ASCII, spaces or control characters)",
            ),
            Text("重新复制令牌，只保留令牌本身", "copy the token again, and only the token"),
        )
    return value


def read_plain(env: str, what: Text, option: str) -> str:
    """A value that is not secret but still comes from the environment (the WeCom corp id)."""
    value = os.environ.get(env, "").strip()
    if not value:
        raise PlaybookError.at(
            env,
            Text(
                "没有" + what.zh + "：环境变量 " + env + " 未设置",
                "no " + what.en + ": the environment variable " + env + " is unset",
            ),
            Text("设置 " + env + "=…，或用 " + option, "set " + env + "=…, or pass " + option),
        )
    return value


def _from_file(path: Path, what: Text) -> str:
    where = str(path)
    if not path.exists():
        raise PlaybookError.at(where, Text("令牌文件不存在", "no such token file"))
    try:
        if path.is_file() and path.stat().st_size > MAX_TOKEN_FILE:
            raise PlaybookError.at(
                where,
                Text("令牌文件太大（应只含一行）", "the token file is too large (it should hold one line)"),
            )
        raw = path.read_bytes()[:MAX_TOKEN_FILE]
    except OSError as exc:
        raise PlaybookError.at(
            where,
            Text("无法读取令牌文件（{e}）", "cannot read the token file ({e})").format(
                e=exc.strerror or type(exc).__name__
            ),
        ) from None
    try:
        value = raw.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise PlaybookError.at(
            where, Text("令牌文件不是 UTF-8 文本", "the token file is not UTF-8 text")
        ) from None
    if not value:
        raise PlaybookError.at(
            where,
            Text(
                "令牌文件是空的；应只含" + what.zh,
                "the token file is empty; it should hold only the " + what.en,
            ),
        )
    if "\n" in value:  # several lines: never guess which one is the token
        raise PlaybookError.at(
            where,
            Text(
                "令牌文件有多行；应只含" + what.zh + "一行",
                "the token file has several lines; it should hold only the " + what.en,
            ),
        )
    return value
