"""Fixtures of the fetch tests: nothing leaves 127.0.0.1, and retry pauses are recorded, not slept."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in these tests reaches the internet: every request must go to 127.0.0.1."""
    real = httpx.Client.send

    def send(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        assert request.url.host in ("127.0.0.1", "localhost"), f"request left the machine: {request.url.host}"
        return real(self, request, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", send)


@pytest.fixture()
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The client's waits before retries, recorded instead of slept."""
    seen: list[float] = []
    monkeypatch.setattr("playbook.connectors.http.pause", seen.append)
    return seen
