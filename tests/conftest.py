"""Shared pytest fixtures. Keep each fixture small and documented; add new ones in their own section."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from factcheck.fetch import FetchSettings
from tests.servers import Server, serve

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
