"""Shared pytest fixtures. Keep each fixture small and documented; add new ones in their own section."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from factcheck.fetch import FetchSettings
from tests.servers import Server, serve

# -- no test touches the internet ------------------------------------------------------------------

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_loopback(host: object) -> bool:
    if not isinstance(host, str) or host in _LOCAL_NAMES:
        return isinstance(host, str)
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse DNS lookups and connections to anything but loopback, so a test that would go online fails."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host.decode() if isinstance(host, bytes) else host):
            raise socket.gaierror(socket.EAI_NONAME, f"tests may not look up {host!r}: loopback only")
        return real_getaddrinfo(host, *args, **kwargs)

    def guard(address: Any) -> None:
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            raise OSError(f"tests may not connect to {address[0]}: loopback only")

    def connect(self: socket.socket, address: Any) -> None:
        guard(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        guard(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


# -- fetch and archive: loopback servers (see tests/servers.py) -----------------------------------


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """A misbehaving HTTP server on 127.0.0.1 (also the Wayback and oEmbed endpoints)."""
    with serve("127.0.0.1") as running:
        yield running


@pytest.fixture(scope="session")
def other_server() -> Iterator[Server]:
    """The same routes on a second loopback "host", 127.0.0.2."""
    with serve("127.0.0.2") as running:
        yield running


@pytest.fixture
def fast(server: Server) -> FetchSettings:
    """Fetch settings with small timeouts and backoffs so fault tests finish in well under a second."""
    return replace(
        FetchSettings(),
        connect_timeout=1.0,
        read_timeout=0.4,
        total_timeout=1.0,
        max_retries=2,
        backoff_base=0.01,
        backoff_max=0.05,
        max_retry_after=0.3,
        max_bytes=1024 * 1024,
        wayback_url=server.url(""),
        oembed_url=server.url("/oembed"),
    )
