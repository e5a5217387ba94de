"""A loopback HTTP/1.1 server for benchmarks: N "hosts" (127.0.0.1 .. 127.0.0.N) adding latency.

Run as ``python -m benchmarks.latency_server --hosts 20 --latency 0.05 --links 1000``; it prints one
JSON line ``{"hosts": ["http://127.0.0.1:PORT", ...]}`` when it is listening, then serves until its
stdin closes (so it never outlives the benchmark that started it). Routes, on every host:

- ``/page/<i>``: a small HTML page, after ``--latency`` seconds (GET or HEAD, keep-alive);
- ``/links.html`` (first host): the ``--links`` URLs spread over all hosts, for a link checker;
- ``/big/<n>``: ``n`` bytes starting with ``%PDF-`` served as application/pdf (after the latency);
- ``/_stats``: JSON counts of the ``/page/`` requests served (per method) and of connections
  opened; ``/_reset`` zeroes them.

It runs in its own process so that the server's work never competes with the client being measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_PAGE = b"<!doctype html><html><head><title>page</title></head><body><p>benchmark page</p></body></html>"


class LatencyServer:
    """One asyncio server per host address, sharing counters."""

    def __init__(self, hosts: int, latency: float, links: int) -> None:
        self.addresses = [f"127.0.0.{i}" for i in range(1, hosts + 1)]
        self.latency = latency
        self.links = links
        self.bases: list[str] = []
        self.counts: Counter[str] = Counter()
        self.connections = 0

    def link_urls(self) -> list[str]:
        return [f"{self.bases[i % len(self.bases)]}/page/{i}" for i in range(self.links)]

    async def start(self) -> list[asyncio.Server]:
        servers = []
        for address in self.addresses:
            server = await asyncio.start_server(self._serve, address, 0, backlog=512)
            port = server.sockets[0].getsockname()[1]
            self.bases.append(f"http://{address}:{port}")
            servers.append(server)
        return servers

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        counted = False
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                method, target, version = request_line.split(" ", 2)
                headers = {}
                for line in header_lines:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                keep_alive = headers.get("connection", "").lower() != "close" and version == "HTTP/1.1"
                if not counted and target.startswith("/page/"):
                    counted = True  # connections that carried benchmark pages, not the control requests
                    self.connections += 1
                status, content_type, body = await self._respond(method, target)
                extra = "" if keep_alive else "Connection: close\r\n"
                head_bytes = (
                    f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
                    f"Content-Length: {len(body)}\r\n{extra}\r\n"
                ).encode("latin-1")
                writer.write(head_bytes if method == "HEAD" else head_bytes + body)
                await writer.drain()
                if not keep_alive:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, asyncio.LimitOverrunError):
            pass  # a client that leaves mid-request or sends garbage: nothing to report
        finally:
            writer.close()

    async def _respond(self, method: str, target: str) -> tuple[str, str, bytes]:
        path = target.split("?", 1)[0]
        if path.startswith("/page/"):
            self.counts[method] += 1
            await asyncio.sleep(self.latency)
            return "200 OK", "text/html; charset=utf-8", _PAGE
        if path == "/links.html":
            items = "\n".join(
                f'<li><a href="{url}">link {i}</a></li>' for i, url in enumerate(self.link_urls())
            )
            page = (
                "<!doctype html><html><head><title>links</title></head><body><ul>\n"
                f"{items}\n</ul></body></html>"
            )
            return "200 OK", "text/html; charset=utf-8", page.encode()
        if path.startswith("/big/"):
            size = int(path.rsplit("/", 1)[1])
            await asyncio.sleep(self.latency)
            return "200 OK", "application/pdf", (b"%PDF-1.4\n" + bytes(max(size - 9, 0)))[:size]
        if path == "/_stats":
            stats = {"requests": dict(self.counts), "connections": self.connections}
            return "200 OK", "application/json", json.dumps(stats).encode()
        if path == "/_reset":
            self.counts.clear()
            self.connections = 0
            return "200 OK", "application/json", b"{}"
        return "404 Not Found", "text/plain", b"not found\n"


async def _main(args: argparse.Namespace) -> None:
    app = LatencyServer(args.hosts, args.latency, args.links)
    servers = await app.start()
    print(json.dumps({"hosts": app.bases}), flush=True)
    loop = asyncio.get_running_loop()
    # Serve until the parent closes our stdin (or dies).
    await loop.run_in_executor(None, sys.stdin.read)
    for server in servers:
        server.close()
        await server.wait_closed()


@contextmanager
def running(*, hosts: int, latency: float, links: int) -> Iterator[list[str]]:
    """Run this server in its own process for a benchmark; yields the base URL of each loopback host."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.latency_server",
            f"--hosts={hosts}",
            f"--latency={latency}",
            f"--links={links}",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        assert server.stdout is not None
        yield list(json.loads(server.stdout.readline())["hosts"])
    finally:
        if server.stdin is not None:
            server.stdin.close()  # the server exits when its stdin closes
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        if server.stdout is not None:
            server.stdout.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--links", type=int, default=1000)
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
