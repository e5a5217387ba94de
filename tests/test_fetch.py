"""The fetcher against real loopback servers that misbehave like the web (no mocking of httpx).

Servers run on 127.0.0.1 and 127.0.0.2 (tests/servers.py). ``block_private`` is tested for real on
127.0.0.1 and on ``localhost`` (a name that is only seen to be loopback after DNS resolution); for the
redirect case, where the first hop must be allowed, the test declares 127.0.0.2 public by patching
``factcheck.fetch.forbidden_reason`` for that one address, and shows the hop to 127.0.0.1 refused.
"""

from __future__ import annotations

import asyncio
import io
import json
import time
import tracemalloc
from collections.abc import Coroutine
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck import HOMEPAGE, __version__, fetch
from factcheck.fetch import (
    Fetcher,
    FetchResult,
    FetchSettings,
    Hop,
    check_url,
    fetch_sync,
    forbidden_reason,
    is_tweet_url,
    parse_retry_after,
    wayback_raw_url,
    wayback_timestamp,
)
from tests.fuzzing import examples
from tests.servers import (
    CP1251_TEXT,
    ETAG,
    LAST_MODIFIED,
    PDF_PAGES,
    WAYBACK_TIMESTAMP,
    Server,
    gzip_bomb,
    make_pdf,
    unused_port,
)

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def get(url: str, settings: FetchSettings, **kwargs: Any) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, **kwargs)

    return run(go())


def token(request: pytest.FixtureRequest) -> str:
    """A query string unique to the test, so stateful routes count only this test's requests."""
    return "?k=" + quote(request.node.nodeid)


# -- plain outcomes -------------------------------------------------------------------------------


def test_200_keeps_body_headers_and_identity(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/ok"), fast)
    assert result.outcome == "ok" and result.ok
    assert result.status == 200
    assert result.body is not None and b"Hello from loopback." in result.body
    assert result.content_type == "text/html; charset=utf-8"
    assert result.headers["etag"] == '"ok-1"'
    assert result.headers["server"] == "loopback"
    assert set(result.headers) <= set(fetch.KEPT_HEADERS)
    assert result.final_url == server.url("/ok")
    assert result.redirects == []
    assert result.error is None and result.attempts == 1
    assert result.fetched_at.endswith("Z") and result.fetched_at[:4].isdigit()


def test_user_agent_names_factcheck_version_and_home_page(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/echo"), fast)
    assert result.body is not None
    sent = json.loads(result.body)
    assert sent["user-agent"] == f"factcheck/{__version__} (+{HOMEPAGE})"
    assert sent["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize(("code", "phrase"), [(404, "404 Not Found"), (410, "410 Gone")])
def test_404_and_410_are_dead_and_never_retried(
    server: Server, fast: FetchSettings, code: int, phrase: str, request: pytest.FixtureRequest
) -> None:
    path = f"/flaky/{code}/99{token(request)}"
    result = get(server.url(path), fast)
    assert result.outcome == "dead" and not result.ok
    assert result.status == code
    assert result.error == phrase
    assert result.attempts == 1
    assert server.hits(path) == 1
    assert result.body is None


def test_403_is_blocked_after_one_retry(
    server: Server, fast: FetchSettings, request: pytest.FixtureRequest
) -> None:
    path = f"/flaky/403/99{token(request)}"
    result = get(server.url(path), replace(fast, max_retries=5))
    assert result.outcome == "blocked"
    assert result.error == "blocked: 403 Forbidden after 2 attempts"
    assert result.attempts == 2 and server.hits(path) == 2


def test_403_that_clears_on_retry_is_ok(
    server: Server, fast: FetchSettings, request: pytest.FixtureRequest
) -> None:
    result = get(server.url(f"/flaky/403/1{token(request)}"), fast)
    assert result.outcome == "ok" and result.attempts == 2


def test_401_and_451_are_blocked_without_retry(server: Server, fast: FetchSettings) -> None:
    for code in (401, 451):
        result = get(server.url(f"/status/{code}"), fast)
        assert result.outcome == "blocked" and result.attempts == 1
        assert result.error is not None and result.error.startswith(f"blocked: {code}")


def test_accept_status_turns_a_code_into_ok(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/status/403"), replace(fast, accept_status=frozenset({403})))
    assert result.outcome == "ok" and result.body == b"status 403\n"


def test_429_with_retry_after_then_200(
    server: Server, fast: FetchSettings, request: pytest.FixtureRequest
) -> None:
    path = f"/flaky/429/1{token(request)}&retry_after=1"
    settings = replace(fast, max_retry_after=0.25, backoff_base=0.001, backoff_max=0.001)
    started = time.monotonic()
    result = get(server.url(path), settings)
    waited = time.monotonic() - started
    assert result.outcome == "ok" and result.attempts == 2
    # Retry-After said 1 s; the cap of 0.25 s applies, and the tiny backoff was not used instead.
    assert 0.25 <= waited < 0.9


def test_429_that_persists_is_blocked(
    server: Server, fast: FetchSettings, request: pytest.FixtureRequest
) -> None:
    path = f"/flaky/429/99{token(request)}&retry_after=0"
    result = get(server.url(path), fast)
    assert result.outcome == "blocked"
    assert result.error == "blocked: 429 Too Many Requests after 3 attempts"
    assert server.hits(path) == 3


def test_503_twice_then_200(server: Server, fast: FetchSettings, request: pytest.FixtureRequest) -> None:
    path = f"/flaky/503/2{token(request)}"
    result = get(server.url(path), fast)
    assert result.outcome == "ok" and result.body == b"recovered\n"
    assert result.attempts == 3 and server.hits(path) == 3


def test_5xx_that_persists_is_an_error_after_all_retries(
    server: Server, fast: FetchSettings, request: pytest.FixtureRequest
) -> None:
    path = f"/flaky/500/99{token(request)}"
    result = get(server.url(path), replace(fast, max_retries=1))
    assert result.outcome == "error"
    assert result.error == "500 Internal Server Error after 2 attempts"
    assert server.hits(path) == 2


def test_bot_challenge_is_blocked_not_retried(server: Server, fast: FetchSettings) -> None:
    # LinkedIn-style 999 is a bot wall, not a server fault.
    result = get(server.url("/status/999"), fast)
    assert result.outcome == "blocked" and result.attempts == 1


def test_backoff_grows_and_is_capped(server: Server, request: pytest.FixtureRequest) -> None:
    settings = replace(
        FetchSettings(), max_retries=3, backoff_base=0.05, backoff_max=0.1, read_timeout=1, total_timeout=2
    )
    started = time.monotonic()
    result = get(server.url(f"/flaky/502/3{token(request)}"), settings)
    waited = time.monotonic() - started
    assert result.outcome == "ok" and result.attempts == 4
    # Waits are base*2^n with jitter in [0.5, 1]: (0.025..0.05) + (0.05..0.1) + capped (0.05..0.1).
    assert 0.12 <= waited < 1.0


# -- redirects ------------------------------------------------------------------------------------


def test_301_302_200_chain_is_recorded(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/chain/1"), fast)
    assert result.outcome == "ok" and result.body == b"end of chain\n"
    assert result.redirects == [Hop(server.url("/chain/1"), 301), Hop(server.url("/chain/2"), 302)]
    assert result.final_url == server.url("/chain/3")
    assert result.url == server.url("/chain/1")
    assert result.status == 200


def test_redirect_loop_is_detected(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/loop/a"), fast)
    assert result.outcome == "redirect_loop"
    a, b = server.url("/loop/a"), server.url("/loop/b")
    assert result.error == f"redirect loop: {a} → {b} → {a}"
    assert result.attempts == 1


def test_redirect_maximum_is_enforced(server: Server, fast: FetchSettings) -> None:
    assert get(server.url("/hops/3"), replace(fast, max_redirects=3)).outcome == "ok"
    result = get(server.url("/hops/4"), replace(fast, max_redirects=3))
    assert result.outcome == "too_many_redirects"
    assert len(result.redirects) == 4
    assert result.error is not None and "more than 3 redirects" in result.error


def test_redirect_to_another_host_is_followed(
    server: Server, other_server: Server, fast: FetchSettings
) -> None:
    target = other_server.url("/text")
    result = get(server.url(f"/redirect?to={quote(target, safe='')}&code=307"), fast)
    assert result.outcome == "ok" and result.final_url == target
    assert [hop.status for hop in result.redirects] == [307]


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.com/x", "javascript:alert(1)"])
def test_redirect_to_a_non_http_url_is_refused(server: Server, fast: FetchSettings, target: str) -> None:
    result = get(server.url(f"/redirect?to={quote(target, safe='')}"), fast)
    assert result.outcome == "refused"
    assert result.error is not None and "only http(s)" in result.error
    assert len(result.redirects) == 1


def test_redirect_without_location_is_an_error(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/no-location"), fast)
    assert result.outcome == "error" and result.error == "302 Found without a Location header"


# -- timeouts, truncation, connection faults ------------------------------------------------------


def test_stalled_headers_time_out(server: Server, fast: FetchSettings) -> None:
    settings = replace(fast, read_timeout=0.3, max_retries=0)
    started = time.monotonic()
    result = get(server.url("/stall-headers"), settings)
    assert time.monotonic() - started < 1.0
    assert result.outcome == "timeout"
    assert result.error == "timed out after 0.3 s without data waiting for the response"


def test_stalled_body_times_out_within_its_limit(server: Server, fast: FetchSettings) -> None:
    settings = replace(fast, read_timeout=0.3, max_retries=1)
    started = time.monotonic()
    result = get(server.url("/stall-body"), settings)
    assert time.monotonic() - started < 1.5
    assert result.outcome == "timeout" and result.attempts == 2
    assert result.error == "timed out after 0.3 s without data reading the body (2 attempts)"
    assert result.body is None


def test_trickling_body_is_cut_by_the_total_deadline(server: Server, fast: FetchSettings) -> None:
    # One byte every 50 ms never trips the read timeout; only the total per attempt can end it.
    settings = replace(fast, read_timeout=0.5, total_timeout=0.4, max_retries=0)
    started = time.monotonic()
    result = get(server.url("/trickle"), settings)
    elapsed = time.monotonic() - started
    assert result.outcome == "timeout"
    assert result.error == "timed out after 0.4 s reading the body"
    assert 0.35 <= elapsed < 1.0


def test_truncated_body_is_retried_then_an_error(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/truncated"), replace(fast, max_retries=1))
    assert result.outcome == "error" and result.attempts == 2
    assert result.error is not None and "RemoteProtocolError" in result.error


def test_connection_refused_is_dead(fast: FetchSettings) -> None:
    port = unused_port()
    result = get(f"http://127.0.0.1:{port}/", replace(fast, max_retries=1))
    assert result.outcome == "dead"
    assert result.error == f"connection refused by 127.0.0.1:{port} (2 attempts)"


def test_dns_failure_is_dead(fast: FetchSettings) -> None:
    # .invalid never resolves (RFC 6761); the lookup fails fast, with or without a network.
    result = get("http://nonexistent.invalid/page", replace(fast, connect_timeout=3.0))
    assert result.outcome == "dead"
    assert result.error is not None and result.error.startswith("DNS lookup failed for nonexistent.invalid")


# -- sizes and encodings --------------------------------------------------------------------------


def test_body_at_the_limit_is_kept_and_one_byte_more_is_too_large(
    server: Server, fast: FetchSettings
) -> None:
    settings = replace(fast, max_bytes=5000)
    assert get(server.url("/big/5000"), settings).body == b"a" * 5000
    result = get(server.url("/big/5001"), settings)
    assert result.outcome == "too_large" and result.body is None and result.attempts == 1
    assert result.error == "body larger than 5,000 bytes (decompressed); not kept"


def test_oversize_body_without_length_is_cut_while_streaming(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/big-chunked/3000000"), replace(fast, max_bytes=1_000_000))
    assert result.outcome == "too_large"
    assert get(server.url("/big-chunked/300000"), fast).body == b"b" * 300000


def test_gzip_bomb_is_refused_with_bounded_memory(server: Server, fast: FetchSettings) -> None:
    # 200 MiB of zeros in ~200 KB of gzip. Inflating a single 64 KB network chunk at once would
    # allocate ~64 MB; the fetcher must inflate in bounded steps and stop past max_bytes.
    settings = replace(fast, max_bytes=2 * 1024 * 1024, read_timeout=5.0, total_timeout=10.0)
    gzip_bomb(200)  # built (once) before measuring, not while the client waits
    tracemalloc.start()
    try:
        result = get(server.url("/gzip-bomb/200"), settings)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.outcome == "too_large"
    assert peak < 12 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"


def test_gzip_body_within_the_limit_is_inflated(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/gzip-bomb/3"), replace(fast, max_bytes=4 * 1024 * 1024))
    assert result.outcome == "ok" and result.body == bytes(3 * 1024 * 1024)


@pytest.mark.parametrize("path", ["/gzip-page", "/deflate-page", "/raw-deflate-page"])
def test_compressed_pages_are_decoded(server: Server, fast: FetchSettings, path: str) -> None:
    result = get(server.url(path), fast)
    assert result.outcome == "ok"
    assert result.body is not None and b"Hello from loopback." in result.body


def test_an_encoding_we_did_not_ask_for_is_an_error(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/brotli"), fast)
    assert result.outcome == "error" and result.error == "unsupported Content-Encoding 'br'"


def test_windows_1251_declared_in_header_keeps_bytes_and_type(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/cp1251-header"), fast)
    assert result.content_type == "text/html; charset=windows-1251"
    assert result.body == f"<html><body><p>{CP1251_TEXT}</p></body></html>".encode("cp1251")


def test_windows_1251_declared_only_in_meta_keeps_bytes_and_type(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/cp1251-meta"), fast)
    assert result.content_type == "text/html"
    assert result.body is not None
    assert CP1251_TEXT.encode("cp1251") in result.body
    assert b'<meta charset="windows-1251">' in result.body


def test_pdf_bytes_arrive_intact(server: Server, fast: FetchSettings) -> None:
    pypdf = pytest.importorskip("pypdf")
    result = get(server.url("/pdf"), fast)
    assert result.content_type == "application/pdf"
    assert result.body == make_pdf(PDF_PAGES)
    reader = pypdf.PdfReader(io.BytesIO(result.body))
    assert len(reader.pages) == 2
    assert "shielding officials" in reader.pages[1].extract_text()


# -- conditional requests -------------------------------------------------------------------------


def test_etag_revalidation_gives_not_modified(server: Server, fast: FetchSettings) -> None:
    first = get(server.url("/etag"), fast)
    assert first.outcome == "ok" and first.headers["etag"] == ETAG
    again = get(server.url("/etag"), fast, etag=first.headers["etag"])
    assert again.outcome == "not_modified" and again.status == 304 and again.ok
    assert again.body is None and again.error is None
    assert server.last("/etag").headers["if-none-match"] == ETAG


def test_last_modified_revalidation_gives_not_modified(server: Server, fast: FetchSettings) -> None:
    again = get(server.url("/last-modified"), fast, last_modified=LAST_MODIFIED)
    assert again.outcome == "not_modified"
    assert server.last("/last-modified").headers["if-modified-since"] == LAST_MODIFIED


def test_unasked_304_is_an_error_not_a_confirmation(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/status/304"), fast)
    assert result.outcome == "error" and not result.ok
    assert result.error == "304 Not Modified to a request that was not conditional"


def test_stale_etag_gets_the_new_body(server: Server, fast: FetchSettings) -> None:
    result = get(server.url("/etag"), fast, etag='"old"')
    assert result.outcome == "ok" and result.body == b"versioned body v1\n"


# -- refusing what must not be fetched ------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.com/file", "javascript:alert(1)", "data:text/html,hi", "", "//x"],
)
def test_non_http_urls_are_refused_without_a_request(fast: FetchSettings, url: str) -> None:
    result = get(url, fast)
    assert result.outcome == "refused"
    assert result.attempts == 0 and result.status is None
    assert result.error is not None and result.error.startswith("refused:")


def test_block_private_refuses_loopback_before_sending(server: Server, fast: FetchSettings) -> None:
    before = server.hits("/ok")
    result = get(server.url("/ok"), replace(fast, block_private=True))
    assert result.outcome == "refused"
    assert result.error == "refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address (block_private)"
    assert result.attempts == 1
    assert server.hits("/ok") == before


def test_block_private_checks_names_after_dns_resolution(server: Server, fast: FetchSettings) -> None:
    # "localhost" is not an IP literal: only resolving it shows it is loopback.
    before = server.hits("/text")
    result = get(f"http://localhost:{server.port}/text", replace(fast, block_private=True))
    assert result.outcome == "refused"
    assert result.error is not None and "localhost resolves to" in result.error and "loopback" in result.error
    assert server.hits("/text") == before


def test_block_private_checks_every_redirect_hop(
    server: Server, other_server: Server, fast: FetchSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every test server is on loopback, so pretend 127.0.0.2 is a public host: the first hop is
    # allowed, the redirect to 127.0.0.1 must be refused before anything reaches it.
    real = fetch.forbidden_reason
    monkeypatch.setattr(fetch, "forbidden_reason", lambda a: None if a == "127.0.0.2" else real(a))
    target = server.url("/echo")
    before = server.hits("/echo")
    result = get(
        other_server.url(f"/redirect?to={quote(target, safe='')}"), replace(fast, block_private=True)
    )
    assert result.outcome == "refused"
    assert result.redirects[0].url.startswith(other_server.base)
    assert result.error is not None and "127.0.0.1, a loopback address" in result.error
    assert server.hits("/echo") == before
    # The same fetch without the guard goes through: the refusal above is the guard's doing.
    assert get(other_server.url(f"/redirect?to={quote(target, safe='')}"), fast).outcome == "ok"


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "not a globally routable"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("::1", "loopback"),
        ("fe80::1%eth0", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("2002:7f00:1::", "loopback"),
    ],
)
def test_forbidden_addresses(address: str, why: str) -> None:
    reason = forbidden_reason(address)
    assert reason is not None and why in reason


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert forbidden_reason(address) is None


def test_block_private_does_not_take_a_foreign_transport() -> None:
    import httpx

    with pytest.raises(ValueError, match="block_private"):
        Fetcher(FetchSettings(block_private=True), transport=httpx.AsyncHTTPTransport())


@pytest.mark.fuzz
@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=200))
def test_check_url_never_raises_and_only_passes_http(text: str) -> None:
    parsed, why = check_url(text)
    assert (parsed is None) != (why is None)
    if parsed is not None:
        assert parsed.scheme in ("http", "https") and parsed.host


@pytest.mark.fuzz
@settings(max_examples=examples(200), deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["gzip", "deflate", "gzip, deflate", "x-gzip", "identity"]))
def test_decoder_on_garbage_gives_bytes_or_a_clear_error(data: bytes, coding: str) -> None:
    decoder = fetch._BodyDecoder(coding)
    try:
        out = b"".join([*decoder.feed(data[:700]), *decoder.feed(data[700:]), *decoder.flush()])
    except fetch._BadEncoding as err:
        assert "corrupt" in str(err)
    else:
        assert isinstance(out, bytes)


@pytest.mark.fuzz
@settings(max_examples=examples(200), deadline=None)
@given(st.text(max_size=100))
def test_header_and_address_parsers_never_raise(text: str) -> None:
    seconds = parse_retry_after(text)
    assert seconds is None or seconds >= 0
    assert forbidden_reason(text) is None or isinstance(forbidden_reason(text), str)
    assert wayback_timestamp(text) is None or wayback_timestamp(text) is not None
    assert isinstance(wayback_raw_url(text), str)
    assert is_tweet_url(text) in (True, False)


# -- concurrency ----------------------------------------------------------------------------------


def test_per_host_limit_is_honoured_and_used(server: Server, fast: FetchSettings) -> None:
    settings = replace(fast, host_concurrency=3, max_concurrency=32, total_timeout=5.0, read_timeout=2.0)
    urls = [server.url(f"/slow/60?n={i}") for i in range(12)]

    async def go() -> list[FetchResult]:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch_many(urls)

    server.reset_in_flight()
    results = run(go())
    assert all(r.outcome == "ok" for r in results)
    assert server.max_in_flight == 3


def test_global_limit_caps_all_hosts_together(
    server: Server, other_server: Server, fast: FetchSettings
) -> None:
    settings = replace(fast, host_concurrency=4, max_concurrency=2, total_timeout=5.0, read_timeout=2.0)
    urls = [s.url(f"/slow/60?g={i}") for i in range(6) for s in (server, other_server)]

    async def go() -> list[FetchResult]:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch_many(urls)

    server.reset_in_flight()
    other_server.reset_in_flight()
    started = time.monotonic()
    assert all(r.outcome == "ok" for r in run(go()))
    elapsed = time.monotonic() - started
    assert server.max_in_flight <= 2 and other_server.max_in_flight <= 2
    # 12 requests of 60 ms two at a time take >= 0.36 s; the host limits alone would allow 8 at once.
    assert elapsed >= 0.34


def test_fetch_many_fetches_each_distinct_url_once(
    server: Server, fast: FetchSettings, request: pytest.FixtureRequest
) -> None:
    url = server.url(f"/flaky/200/0{token(request)}")
    seen: list[str] = []

    async def go() -> list[FetchResult]:
        async with Fetcher(fast) as fetcher:
            return await fetcher.fetch_many(
                [url, server.url("/text"), url, url], on_result=lambda r: seen.append(r.url)
            )

    results = run(go())
    assert [r.url for r in results] == [url, server.url("/text"), url, url]
    assert results[0] is results[2] is results[3]
    assert server.hits(urlsplit(url).path + "?" + urlsplit(url).query) == 1
    assert sorted(seen) == sorted([url, server.url("/text")])


def test_fetch_many_can_be_cancelled_cleanly(server: Server, fast: FetchSettings) -> None:
    settings = replace(fast, read_timeout=5.0, total_timeout=5.0)

    async def go() -> None:
        async with Fetcher(settings) as fetcher:
            batch = asyncio.ensure_future(
                fetcher.fetch_many([server.url(f"/slow/2000?c={i}") for i in range(6)])
            )
            await asyncio.sleep(0.2)
            batch.cancel()
            with pytest.raises(asyncio.CancelledError):
                await batch

    started = time.monotonic()
    run(go())  # warnings are errors: a leaked task or socket would fail the test
    assert time.monotonic() - started < 1.5


def test_retry_waits_do_not_hold_a_host_slot(
    server: Server, fast: FetchSettings, request: pytest.FixtureRequest
) -> None:
    # One slot per host; a 503 that waits 0.3 s before its retry must let the other URL through.
    settings = replace(fast, host_concurrency=1, max_retry_after=0.3)
    flaky = server.url(f"/flaky/503/1{token(request)}&retry_after=1")
    quick = server.url("/text")

    async def go() -> tuple[float, float]:
        async with Fetcher(settings) as fetcher:
            started = time.monotonic()
            first = asyncio.ensure_future(fetcher.fetch(flaky))
            await asyncio.sleep(0.05)
            await fetcher.fetch(quick)
            quick_done = time.monotonic() - started
            await first
            return quick_done, time.monotonic() - started

    quick_done, all_done = run(go())
    assert quick_done < 0.25 <= all_done


def test_connections_are_kept_alive_between_fetches(server: Server, fast: FetchSettings) -> None:
    async def go() -> None:
        async with Fetcher(fast) as fetcher:
            for i in range(3):
                assert (await fetcher.fetch(server.url(f"/text?keep={i}"))).ok

    run(go())
    ports = {server.last(f"/text?keep={i}").client_port for i in range(3)}
    assert len(ports) == 1


def test_every_pool_is_released_whatever_the_outcome(server: Server, fast: FetchSettings) -> None:
    # Bodies cut short (too large, timed out, refused encodings) must still hand their pool back.
    paths = ["/ok", "/big/5001", "/stall-body", "/brotli", "/status/404", "/chain/1", "/gzip-bomb/3"]
    settings = replace(fast, max_bytes=5000, read_timeout=0.2, max_retries=0)

    async def go() -> list[int]:
        async with Fetcher(settings) as fetcher:
            await fetcher.fetch_many(server.url(p) for p in paths)
            transport = fetcher._client._transport if fetcher._client else None
            assert isinstance(transport, fetch._ShardedTransport)
            return [shard.active for shard in transport._shards.values()]

    assert run(go()) == [0]


def test_idle_pools_beyond_the_bound_are_closed(server: Server, other_server: Server) -> None:
    import httpx

    made: list[str] = []

    def make(url: httpx.URL) -> httpx.AsyncBaseTransport:
        made.append(url.host)
        return httpx.AsyncHTTPTransport()

    async def go() -> None:
        transport = fetch._ShardedTransport(make, max_shards=1)
        async with httpx.AsyncClient(transport=transport) as client:
            for url in (
                server.url("/text?pool=1"),
                other_server.url("/text?pool=2"),
                server.url("/text?pool=3"),
            ):
                assert (await client.get(url)).status_code == 200
            assert len(transport._shards) == 1

    run(go())
    assert made == ["127.0.0.1", "127.0.0.2", "127.0.0.1"]  # the first pool was closed, then made anew
    assert server.last("/text?pool=1").client_port != server.last("/text?pool=3").client_port


# -- Wayback, oEmbed, helpers ---------------------------------------------------------------------


def test_wayback_snapshot_is_the_location_of_the_redirect(server: Server, fast: FetchSettings) -> None:
    async def go() -> str | None:
        async with Fetcher(fast) as fetcher:
            return await fetcher.wayback_snapshot("http://gone.example/page")

    snapshot = run(go())
    assert snapshot == server.url(f"/web/{WAYBACK_TIMESTAMP}/http://gone.example/page")
    assert server.last("/web/http://gone.example/page").path == "/web/http://gone.example/page"
    assert wayback_raw_url(snapshot) == server.url(f"/web/{WAYBACK_TIMESTAMP}id_/http://gone.example/page")
    assert wayback_timestamp(snapshot) == "2019-01-17T09:30:00Z"


def test_wayback_without_snapshot_gives_none(fast: FetchSettings) -> None:
    async def go() -> str | None:
        async with Fetcher(fast) as fetcher:
            return await fetcher.wayback_snapshot("http://no-snapshot.example/")

    assert run(go()) is None


def test_wayback_location_on_another_host_is_not_believed(
    server: Server, other_server: Server, fast: FetchSettings
) -> None:
    # A "wayback" that redirects elsewhere: /redirect sends a 302 to the other host.
    settings = replace(
        fast, wayback_url=server.url("/redirect?to=" + quote(other_server.url("/web/1/x"), safe=""))
    )

    async def go() -> str | None:
        async with Fetcher(settings) as fetcher:
            return await fetcher.wayback_snapshot("")

    assert run(go()) is None


def test_oembed_request_and_json(server: Server, fast: FetchSettings) -> None:
    tweet = "https://twitter.com/test/status/1086236519386681344"

    async def go() -> FetchResult:
        async with Fetcher(fast) as fetcher:
            return await fetcher.fetch_oembed(tweet)

    result = run(go())
    assert result.outcome == "ok" and result.content_type == "application/json; charset=utf-8"
    assert result.body is not None
    assert json.loads(result.body)["html"].startswith('<blockquote class="twitter-tweet">')
    sent = parse_qs(urlsplit(server.last("/oembed").path).query)
    assert sent == {"url": [tweet], "omit_script": ["1"]}


def test_is_tweet_url() -> None:
    assert is_tweet_url("https://twitter.com/Jeremy_Hunt/status/1086236519386681344")
    assert is_tweet_url("https://x.com/someone/status/12345?s=20")
    assert not is_tweet_url("https://twitter.com/Jeremy_Hunt")
    assert not is_tweet_url("https://example.com/someone/status/12345")
    assert not is_tweet_url("not a url at all")


def test_parse_retry_after() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    now = 1_700_000_000.0
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 42))
    assert parse_retry_after(date, now=now) == pytest.approx(42.0)
    assert parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now=now) == 0.0


def test_fetch_sync(server: Server) -> None:
    result = fetch_sync(server.url("/text"), replace(FetchSettings(), total_timeout=5.0))
    assert result.outcome == "ok" and result.body == b"plain text body\n"


def test_fetch_outside_the_context_manager_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match="async with"):
        run(Fetcher().fetch("http://127.0.0.1/"))
