"""Loopback HTTP servers that misbehave the way the web does, for the fetch and archive tests.

A :class:`Server` is a threaded stdlib ``http.server`` on 127.0.0.x (any address of the loopback
range works on Linux, so a second "host" is simply 127.0.0.2). Its routes, by path:

======================================  =============================================================
``/ok``, ``/text``                      200 HTML / plain text
``/status/<code>``                      that status
``/flaky/<code>/<n>[?retry_after=s]``   ``<code>`` for the first n requests of this exact path+query,
                                        then 200 (use a unique query per test)
``/chain/1``                            301 → ``/chain/2`` 302 → ``/chain/3`` 200
``/loop/a``                             302 → ``/loop/b`` 302 → ``/loop/a``
``/hops/<n>``                           n redirects, then 200
``/redirect?to=URL[&code=302]``         a redirect to any URL (other hosts, file://, ...)
``/no-location``                        302 without a Location header
``/stall-headers``                      reads the request, never answers
``/stall-body``                         headers and 100 of 1000 bytes, then nothing
``/trickle``                            one byte every 50 ms, for ever
``/truncated``                          announces 1000 bytes, sends 10 and closes
``/big/<n>``, ``/big-chunked/<n>``      n bytes, with Content-Length / chunked without one
``/gzip-bomb/<mib>``                    a few KB of gzip inflating to <mib> MiB of zeros
``/gzip-page``, ``/deflate-page``,      a small page compressed each way; ``/brotli`` claims an
``/raw-deflate-page``, ``/brotli``      encoding we do not accept
``/cp1251-header``, ``/cp1251-meta``    a Russian page in windows-1251, declared in the header / in
                                        ``<meta>`` only
``/pdf``                                a two-page PDF (:data:`PDF_PAGES`), ``application/pdf``
``/oembed?url=...``                     Twitter-style oEmbed JSON (404 when the URL has "deleted")
``/etag``, ``/last-modified``           validators; 304 when the request's conditional matches
``/slow/<ms>``                          answers after a delay; records the peak of concurrent requests
``/echo``                               the request headers as JSON
``/web/<url>``                          Wayback: 302 to ``/web/20190117093000/<url>`` (404 when the URL
                                        has "no-snapshot"); ``/web/<ts>id_/<url>`` the raw snapshot
``/pages/<name>``                       a page a test sets, and may change between requests, with
                                        :meth:`Server.set_page` (404 until it is set)
======================================  =============================================================

Every request is recorded (path and headers) so a test can prove what was, or was not, sent.
Stalling routes end when the client goes away or the server closes.
"""

from __future__ import annotations

import gzip
import json
import re
import select
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

CP1251_TEXT = "Правозащитники сообщают о новых задержаниях в Чечне."
PDF_PAGES = ("Report page one: the summary.", "Page two holds the quoted sentence: shielding officials.")
WAYBACK_TIMESTAMP = "20190117093000"
ETAG = '"v1-abc"'
LAST_MODIFIED = "Thu, 17 Jan 2019 10:00:00 GMT"
_HTML = b"<!doctype html><html><head><title>ok</title></head><body><p>Hello from loopback.</p></body></html>"


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]
    client_port: int  # the same port means the same (kept-alive) connection


def make_pdf(pages: tuple[str, ...] | list[str]) -> bytes:
    """A minimal valid PDF with one line of Helvetica text per page (enough for pypdf to extract)."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    objects: list[bytes] = []
    n_pages = len(pages)
    page_ids = [4 + 2 * i for i in range(n_pages)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, text in enumerate(pages):
        content = f"BT /F1 12 Tf 72 720 Td ({escape(text)}) Tj ET".encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {page_ids[i] + 1} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_BOMBS: dict[int, bytes] = {}
_BOMB_LOCK = threading.Lock()


def gzip_bomb(mib: int) -> bytes:
    """``mib`` MiB of zeros, gzip-compressed (about 1 KB per MiB), built once per size."""
    with _BOMB_LOCK:
        if mib not in _BOMBS:
            compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            block = bytes(1024 * 1024)
            parts = [compressor.compress(block) for _ in range(mib)]
            parts.append(compressor.flush())
            _BOMBS[mib] = b"".join(parts)
        return _BOMBS[mib]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _LoopbackHTTPServer
    # Idle keep-alive connections end on their own, so closing the server never waits long.
    timeout = 10

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def version_string(self) -> str:
        return "loopback"

    def do_GET(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.record(Recorded(self.path, headers, int(self.client_address[1])))
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        try:
            page = self.server.pages.get(path) if path.startswith("/pages/") else None
            if page is not None:
                status, body, content_type, extra = page
                return self._send(status, body, content_type, **extra)
            self._route(path, query)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send(
        self, status: int, body: bytes = b"", content_type: str | None = "text/plain", **headers: str
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if status in (204, 304):  # no body, ever: stray bytes would corrupt the next response
            self.end_headers()
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _wait_until_closed(self) -> None:
        """Hold the connection open until the client leaves or the server stops."""
        self.close_connection = True
        sock = self.connection
        while not self.server.stopping.is_set():
            readable, _, _ = select.select([sock], [], [], 0.05)
            if readable:
                try:
                    if not sock.recv(1024):
                        return
                except OSError:
                    return

    def _route(self, path: str, query: dict[str, str]) -> None:
        server = self.server
        if path == "/ok":
            return self._send(200, _HTML, "text/html; charset=utf-8", ETag='"ok-1"')
        if path == "/text":
            return self._send(200, b"plain text body\n", "text/plain; charset=utf-8")
        if m := re.fullmatch(r"/status/(\d{3})", path):
            code = int(m[1])
            extra = {"Retry_After": query["retry_after"]} if "retry_after" in query else {}
            return self._send(code, f"status {code}\n".encode(), **extra)
        if m := re.fullmatch(r"/flaky/(\d{3})/(\d+)", path):
            code, failures = int(m[1]), int(m[2])
            if server.bump(self.path) <= failures:
                extra = {"Retry_After": query["retry_after"]} if "retry_after" in query else {}
                return self._send(code, b"try again later\n", **extra)
            return self._send(200, b"recovered\n")
        if m := re.fullmatch(r"/chain/(\d)", path):
            step = int(m[1])
            if step == 1:
                return self._send(301, Location="/chain/2")
            if step == 2:
                return self._send(302, Location=f"{server.base}/chain/3")
            return self._send(200, b"end of chain\n")
        if path in ("/loop/a", "/loop/b"):
            return self._send(302, Location="/loop/b" if path == "/loop/a" else "/loop/a")
        if m := re.fullmatch(r"/hops/(\d+)", path):
            left = int(m[1])
            if left == 0:
                return self._send(200, b"arrived\n")
            return self._send(302, Location=f"/hops/{left - 1}")
        if path == "/redirect":
            return self._send(int(query.get("code", "302")), Location=query["to"])
        if path == "/no-location":
            return self._send(302)
        if path == "/stall-headers":
            return self._wait_until_closed()
        if path == "/stall-body":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"x" * 100)
            self.wfile.flush()
            return self._wait_until_closed()
        if path == "/trickle":
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(100000):
                if server.stopping.wait(0.05):
                    return None
                self.wfile.write(b"x")
                self.wfile.flush()
            return None
        if path == "/truncated":
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"x" * 10)
            return None
        if m := re.fullmatch(r"/big/(\d+)", path):
            return self._send(200, b"a" * int(m[1]), "application/octet-stream")
        if m := re.fullmatch(r"/big-chunked/(\d+)", path):
            total = int(m[1])
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            sent = 0
            while sent < total:
                size = min(64 * 1024, total - sent)
                self.wfile.write(b"%x\r\n" % size + b"b" * size + b"\r\n")
                sent += size
            self.wfile.write(b"0\r\n\r\n")
            return None
        if m := re.fullmatch(r"/gzip-bomb/(\d+)", path):
            body = gzip_bomb(int(m[1]))
            return self._send(200, body, "text/html", Content_Encoding="gzip")
        if path == "/gzip-page":
            return self._send(200, gzip.compress(_HTML), "text/html; charset=utf-8", Content_Encoding="gzip")
        if path == "/deflate-page":
            return self._send(
                200, zlib.compress(_HTML), "text/html; charset=utf-8", Content_Encoding="deflate"
            )
        if path == "/raw-deflate-page":
            squeezer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            body = squeezer.compress(_HTML) + squeezer.flush()
            return self._send(200, body, "text/html; charset=utf-8", Content_Encoding="deflate")
        if path == "/brotli":
            return self._send(200, b"\x8b\x02\x80not really brotli", "text/html", Content_Encoding="br")
        if path == "/cp1251-header":
            page = f"<html><body><p>{CP1251_TEXT}</p></body></html>".encode("cp1251")
            return self._send(200, page, "text/html; charset=windows-1251")
        if path == "/cp1251-meta":
            page = (
                f'<html><head><meta charset="windows-1251"></head><body><p>{CP1251_TEXT}</p></body></html>'
            ).encode("cp1251")
            return self._send(200, page, "text/html")
        if path == "/pdf":
            return self._send(200, make_pdf(PDF_PAGES), "application/pdf")
        if path == "/oembed":
            tweet = query.get("url", "")
            if not tweet:
                return self._send(400, b"url is required\n")
            if "deleted" in tweet:
                return self._send(404, b"not found\n")
            payload = {
                "url": tweet,
                "author_name": "Test Account",
                "author_url": "https://twitter.com/test",
                "html": (
                    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">A test tweet served by a '
                    "loopback oEmbed endpoint.</p>&mdash; Test Account (@test) "
                    f'<a href="{tweet}">January 1, 2019</a></blockquote>\n'
                ),
                "type": "rich",
                "version": "1.0",
                "provider_name": "Twitter",
            }
            return self._send(200, json.dumps(payload).encode(), "application/json; charset=utf-8")
        if path == "/etag":
            if self.headers.get("If-None-Match") == ETAG:
                return self._send(304, content_type=None, ETag=ETAG)
            return self._send(200, b"versioned body v1\n", ETag=ETAG)
        if path == "/last-modified":
            if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                return self._send(304, content_type=None, Last_Modified=LAST_MODIFIED)
            return self._send(200, b"dated body\n", Last_Modified=LAST_MODIFIED)
        if m := re.fullmatch(r"/slow/(\d+)", path):
            with server.track_in_flight():
                time.sleep(int(m[1]) / 1000)
            return self._send(200, b"slow but fine\n")
        if path == "/echo":
            body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
            return self._send(200, body, "application/json")
        if m := re.fullmatch(rf"/web/{WAYBACK_TIMESTAMP}(id_)?/(.+)", self.path):
            original = m[2]
            toolbar = "" if m[1] else "<div id='wm-toolbar'>WAYBACK TOOLBAR</div>"
            snapshot = f"<html><body>{toolbar}<p>Archived copy of {original}</p></body></html>"
            return self._send(200, snapshot.encode(), "text/html; charset=utf-8")
        if self.path.startswith("/web/"):
            original = self.path[len("/web/") :]
            if "no-snapshot" in original:
                return self._send(404, b"not in the archive\n")
            return self._send(302, Location=f"/web/{WAYBACK_TIMESTAMP}/{original}")
        return self._send(404, b"no such route\n")


class _LoopbackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str) -> None:
        super().__init__((host, 0), _Handler)
        self.stopping = threading.Event()
        self.base = f"http://{host}:{self.server_address[1]}"
        self._lock = threading.Lock()
        self.requests: list[Recorded] = []
        self._counters: dict[str, int] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        # /pages/<name>: (status, body, content type, extra headers), set by the tests
        self.pages: dict[str, tuple[int, bytes, str, dict[str, str]]] = {}

    def record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    def bump(self, key: str) -> int:
        with self._lock:
            self._counters[key] = self._counters.get(key, 0) + 1
            return self._counters[key]

    @contextmanager
    def track_in_flight(self) -> Iterator[None]:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            yield
        finally:
            with self._lock:
                self.in_flight -= 1

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-response is what these tests provoke; not worth a traceback.
        pass


class Server:
    """A running loopback server: ``server.url("/ok")`` gives a full URL on it."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._httpd = _LoopbackHTTPServer(host)
        self.host = host
        self.port = self._httpd.server_address[1]
        self.base = self._httpd.base
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def set_page(
        self,
        path: str,
        body: str | bytes,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        **headers: str,
    ) -> str:
        """Serve ``body`` at ``path`` (under ``/pages/``) from now on; returns its full URL.

        Header names use ``_`` for ``-`` (``Retry_After="1"``), as in the other routes.
        """
        if not path.startswith("/pages/"):
            raise ValueError("set_page paths live under /pages/")
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self._httpd._lock:
            self._httpd.pages[path] = (status, data, content_type, dict(headers))
        return self.url(path)

    def hits(self, path_prefix: str) -> int:
        """How many requests have come in for paths starting with ``path_prefix``."""
        with self._httpd._lock:
            return sum(1 for r in self._httpd.requests if r.path.startswith(path_prefix))

    def last(self, path_prefix: str) -> Recorded:
        with self._httpd._lock:
            found = [r for r in self._httpd.requests if r.path.startswith(path_prefix)]
        assert found, f"no request for {path_prefix}"
        return found[-1]

    @property
    def max_in_flight(self) -> int:
        return self._httpd.max_in_flight

    def reset_in_flight(self) -> None:
        with self._httpd._lock:
            self._httpd.max_in_flight = 0

    def close(self) -> None:
        self._httpd.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@contextmanager
def serve(host: str = "127.0.0.1") -> Iterator[Server]:
    """Run a :class:`Server` for the duration of a ``with`` block."""
    server = Server(host)
    try:
        yield server
    finally:
        server.close()


def unused_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on (bound, then released): connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])
