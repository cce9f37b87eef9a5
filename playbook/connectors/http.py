"""One HTTP client for every connector: timeouts, bounded retries, rate limits, no leaked secrets.

Each platform says what an answer means through a `judge` (ok, wait and retry, refresh the
token once, or fail with a message); this module owns the loop around it. Every sentence that
leaves it passes `redact`, and no URL is ever shown: the Telegram token is part of the path and
WeCom's access token part of the query, so messages name the API method instead.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx

from playbook.core.errors import PlaybookError
from playbook.core.i18n import Text

TIMEOUT = 20.0  # seconds for one request (long polls add their own wait)
ATTEMPTS = 4  # tries of one request after 5xx answers or network errors
BACKOFF = 0.5  # seconds before the second try; doubled each time
RATE_WAITS = 8  # rate-limit waits allowed for one request before giving up
MAX_WAIT = 120.0  # a longer retry_after is not waited for: the fetch stops and says when to retry
MASK = "***"

# httpx logs each request's URL at INFO; a caller who turns logging on must not see a token.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("httpcore").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Reply:
    """One HTTP answer whose body parsed as JSON."""

    status: int
    body: Any
    headers: httpx.Headers


@dataclass(frozen=True)
class Verdict:
    """What a platform makes of a reply: `ok`, `wait` (seconds), `refresh` (token) or `fail`."""

    kind: str
    seconds: float = 0.0
    error: Text | None = None
    hint: Text | None = None

    @classmethod
    def ok(cls) -> Verdict:
        return cls("ok")

    @classmethod
    def wait(cls, seconds: float) -> Verdict:
        return cls("wait", seconds=max(0.0, seconds))

    @classmethod
    def absent(cls) -> Verdict:
        """Nothing there (a welcome screen never set up): the call returns None."""
        return cls("absent")

    @classmethod
    def refresh(cls) -> Verdict:
        return cls("refresh")

    @classmethod
    def fail(cls, error: Text, hint: Text | None = None) -> Verdict:
        return cls("fail", error=error, hint=hint)


Judge = Callable[[Reply], Verdict]


class Secrets:
    """The strings that must never be shown; `redact` masks them in any text."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self.values: list[str] = []
        for value in values:
            self.add(value)

    def add(self, value: str) -> None:
        if value and value not in self.values:
            self.values.append(value)
            self.values.sort(key=len, reverse=True)  # a longer secret holding a shorter one first

    def redact(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, MASK)
        return text

    def text(self, message: Text) -> Text:
        return Text(self.redact(message.zh), self.redact(message.en))


class ApiClient:
    """Calls one platform's API at `base` (never shown with a secret in it)."""

    def __init__(
        self,
        service: str,
        base: str,
        judge: Judge,
        secrets: Secrets,
        headers: dict[str, str] | None = None,
        on_refresh: Callable[[], None] | None = None,
    ) -> None:
        self.service, self.base, self.judge, self.secrets = service, base.rstrip("/"), judge, secrets
        self.on_refresh = on_refresh
        self.calls = 0
        self.http = httpx.Client(headers=headers or {}, timeout=TIMEOUT, follow_redirects=False)

    def close(self) -> None:
        self.http.close()

    def call(
        self,
        label: str,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        wait: float = 0.0,
        judge: Judge | None = None,
    ) -> Any:
        """The JSON body of a successful answer (None when `absent`); `label` names the call in
        messages; `judge` replaces the client's for this call (a hint that fits this endpoint)."""
        judge = judge or self.judge
        refreshed, rate_waits, failures = False, 0, 0
        while True:
            reply = self._send(label, method, path, params, body, wait, failures)
            if reply is None:  # a 5xx or a network error: back off and try again
                failures += 1
                pause(BACKOFF * 2 ** (failures - 1))
                continue
            verdict = judge(reply)
            if verdict.kind == "ok":
                return reply.body
            if verdict.kind == "absent":
                return None
            if verdict.kind == "wait":
                rate_waits += 1
                self._check_wait(label, verdict.seconds, rate_waits)
                pause(verdict.seconds)
            elif verdict.kind == "refresh" and not refreshed and self.on_refresh is not None:
                refreshed = True
                self.on_refresh()
            else:
                raise self.error(
                    label, verdict.error or Text("令牌已失效", "the token expired"), verdict.hint
                )

    def url(self, path: str, params: dict[str, Any] | None) -> tuple[str, dict[str, Any] | None]:
        """Where a call goes; connectors whose secret sits in the URL override `prefix`."""
        return self.base + self.prefix() + path, params

    def prefix(self) -> str:
        return ""

    def _send(
        self,
        label: str,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        body: Any,
        wait: float,
        failures: int,
    ) -> Reply | None:
        url, params = self.url(path, params)
        self.calls += 1
        try:
            response = self.http.request(method, url, params=params, json=body, timeout=TIMEOUT + wait)
        except httpx.TimeoutException:
            self._give_up_or_retry(
                label,
                failures,
                Text("{s} 在 {t:.0f} 秒内没有回应", "{s} did not answer within {t:.0f} s").format(
                    s=self.base, t=TIMEOUT + wait
                ),
            )
            return None
        except httpx.InvalidURL:
            raise self.error(
                label, Text("地址无效：{s}", "not a valid address: {s}").format(s=self.base)
            ) from None
        except httpx.TransportError as exc:
            self._give_up_or_retry(
                label,
                failures,
                Text("无法连接 {s}（{e}）", "cannot reach {s} ({e})").format(s=self.base, e=_reason(exc)),
            )
            return None
        except httpx.HTTPError as exc:  # a broken answer (bad compression): named by kind, never quoted
            raise self.error(
                label, Text("请求失败（{e}）", "the request failed ({e})").format(e=type(exc).__name__)
            ) from None
        if response.status_code >= 500:
            self._give_up_or_retry(
                label,
                failures,
                Text("服务器出错（HTTP {c}）", "the server failed (HTTP {c})").format(c=response.status_code),
            )
            return None
        try:
            parsed = json.loads(response.content)
        except ValueError:
            raise self.error(
                label,
                Text(
                    "回应不是 JSON（HTTP {c}，{n} 字节，类型 {t}）",
                    "the answer is not JSON (HTTP {c}, {n} bytes, type {t})",
                ).format(
                    c=response.status_code,
                    n=len(response.content),
                    t=response.headers.get("content-type", "-"),
                ),
                Text(
                    "检查 --api-base 是否指向该平台的 API（或其镜像）",
                    "check that --api-base points at the platform's API (or a mirror of it)",
                ),
            ) from None
        return Reply(response.status_code, parsed, response.headers)

    def _give_up_or_retry(self, label: str, failures: int, why: Text) -> None:
        if failures + 1 >= ATTEMPTS:
            raise self.error(
                label,
                why + Text("；已重试 {n} 次", "; tried {n} times").format(n=ATTEMPTS),
                Text(
                    "检查网络或 --api-base，稍后再试", "check the network or --api-base and try again later"
                ),
            )

    def _check_wait(self, label: str, seconds: float, waits: int) -> None:
        if seconds > MAX_WAIT or waits > RATE_WAITS:
            raise self.error(
                label,
                Text(
                    "被限流：平台要求等待 {s:.0f} 秒（已等待 {n} 次）",
                    "rate limited: the platform asks to wait {s:.0f} s (waited {n} times already)",
                ).format(s=seconds, n=waits - 1),
                Text(
                    "稍后再运行；批量抓取时可减少群数或加 --max-messages",
                    "run again later; for a batch, fetch fewer groups or lower --max-messages",
                ),
            )

    def error(self, label: str, what: Text, hint: Text | None = None) -> PlaybookError:
        """A located, redacted error: `discord GET /guilds/1: …`."""
        where = self.secrets.redact(f"{self.service} {label}")
        return PlaybookError.at(
            where, self.secrets.text(what), None if hint is None else self.secrets.text(hint)
        )


def pause(seconds: float) -> None:
    """Waiting before a retry (one place, so tests can see how long the client waited)."""
    time.sleep(seconds)


def clean(text: Any, limit: int = 200) -> str:
    """Text from an API made safe to print: control characters dropped, length bounded."""
    kept = "".join(ch for ch in str(text) if ch.isprintable() or ch == " ")
    return kept if len(kept) <= limit else kept[: limit - 1] + "…"


def _reason(exc: httpx.TransportError) -> str:
    """A short reason without the URL: 'connection refused', 'name not resolved'."""
    text = str(exc).lower()
    for needle, said in (
        ("refused", "connection refused"),
        ("name or service", "name not resolved"),
        ("nodename", "name not resolved"),
        ("reset", "connection reset"),
        ("ssl", "TLS handshake failed"),
        ("certificate", "TLS certificate rejected"),
    ):
        if needle in text:
            return said
    return type(exc).__name__


def retry_after_header(headers: httpx.Headers) -> float | None:
    """`Retry-After: 2` as seconds, when present and a number."""
    value = headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
