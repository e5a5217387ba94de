"""Benchmark (not a test): factcheck's fetcher against LinkChecker on the same 1,000 loopback links.

    python -m benchmarks.bench_fetch [--links 1000] [--hosts 20] [--latency 0.05] [--no-linkchecker]

A server process (:mod:`benchmarks.latency_server`) listens on 127.0.0.1 .. 127.0.0.20 and answers
every page after 50 ms. Both checkers get the same 1,000 URLs, 50 per host:

- factcheck: ``Fetcher(FetchSettings()).fetch_many(urls)`` with the shipped defaults (at most 4
  requests at a time per host, 32 overall), then again with 80 overall (the per-host limit alone);
- LinkChecker (``pip install linkchecker``), as a subprocess on a page listing the links:
  ``linkchecker --check-extern -r 1 --no-robots --no-status --no-warnings -o none URL/links.html``:
  its defaults otherwise (10 threads, at most 10 requests per second per host); ``--no-robots`` so it
  makes the same 1,000 requests as we do (plus the one for the page), not 20 more for robots.txt.

Both runs are checked against the server's own count of requests. It also fetches a 50 MB PDF body
in a fresh process and reports that process's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.latency_server import running
from factcheck.fetch import Fetcher, FetchResult, FetchSettings

ROOT = Path(__file__).resolve().parent.parent


def _get_json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=10) as response:
        data: dict[str, Any] = json.loads(response.read())
        return data


def _served(base: str) -> tuple[int, int]:
    """(page requests served, connections opened) since the last reset."""
    stats = _get_json(f"{base}/_stats")
    return sum(stats["requests"].values()), int(stats["connections"])


def _reset(base: str) -> None:
    _get_json(f"{base}/_reset")


async def _fetch_all(urls: list[str], settings: FetchSettings) -> list[FetchResult]:
    async with Fetcher(settings) as fetcher:
        return await fetcher.fetch_many(urls)


def run_ours(base: str, urls: list[str], settings: FetchSettings) -> tuple[float, int]:
    _reset(base)
    started = time.perf_counter()
    results = asyncio.run(_fetch_all(urls, settings))
    elapsed = time.perf_counter() - started
    failed = [r for r in results if r.outcome != "ok"]
    if failed:
        raise SystemExit(
            f"factcheck: {len(failed)} of {len(urls)} failed, e.g. {failed[0].url}: {failed[0].error}"
        )
    served, connections = _served(base)
    if served != len(urls):
        raise SystemExit(f"factcheck: the server saw {served} page requests, expected {len(urls)}")
    return elapsed, connections


def run_linkchecker(base: str, n_links: int) -> tuple[float, list[str]]:
    exe = shutil.which("linkchecker") or str(Path(sys.executable).parent / "linkchecker")
    if not Path(exe).exists():
        raise SystemExit("LinkChecker is not installed: pip install linkchecker (or pass --no-linkchecker)")
    command = [
        exe,
        "--check-extern",
        "-r",
        "1",
        "--no-robots",
        "--no-status",
        "--no-warnings",
        "-o",
        "none",
        f"{base}/links.html",
    ]
    _reset(base)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"LinkChecker exited {done.returncode}: {done.stderr[-500:]}")
    served, _ = _served(base)
    if served != n_links:
        raise SystemExit(f"LinkChecker: the server saw {served} page requests, expected {n_links}")
    return elapsed, command


def memory_child(url: str) -> None:
    """In a fresh process: fetch ``url`` and print the body size and this process's peak RSS."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results = asyncio.run(_fetch_all([url], FetchSettings()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    body = results[0].body or b""
    print(
        json.dumps({"size": len(body), "outcome": results[0].outcome, "before_kib": before, "peak_kib": peak})
    )


def run_memory(base: str, size: int) -> dict[str, int]:
    code = f"from benchmarks.bench_fetch import memory_child; memory_child({f'{base}/big/{size}'!r})"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env={**os.environ}
    )
    data: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description="factcheck's fetcher vs LinkChecker on loopback links")
    parser.add_argument("--links", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--no-linkchecker", action="store_true", help="skip the LinkChecker run")
    parser.add_argument(
        "--pdf-bytes", type=int, default=50_000_000, help="size of the body for the memory run"
    )
    args = parser.parse_args()

    with running(hosts=args.hosts, latency=args.latency, links=args.links) as hosts:
        base = hosts[0]
        urls = [f"{hosts[i % len(hosts)]}/page/{i}" for i in range(args.links)]
        defaults = FetchSettings()
        floor = (args.links / len(hosts) / defaults.host_concurrency) * args.latency
        print(f"{args.links} URLs on {len(hosts)} loopback hosts, {args.latency * 1000:.0f} ms per response")
        print(f"politeness floor at {defaults.host_concurrency} per host: {floor:.2f} s")

        ours, connections = run_ours(base, urls, defaults)
        label = f"{defaults.host_concurrency}/host, {defaults.max_concurrency} overall (defaults)"
        print(f"factcheck   {label:<34} {ours:6.2f} s  ({connections} connections)")
        wide = replace(defaults, max_concurrency=len(hosts) * defaults.host_concurrency)
        ours_wide, connections = run_ours(base, urls, wide)
        label = f"{wide.host_concurrency}/host, {wide.max_concurrency} overall"
        print(f"factcheck   {label:<34} {ours_wide:6.2f} s  ({connections} connections)")

        if not args.no_linkchecker:
            theirs, command = run_linkchecker(base, args.links)
            shown = " ".join(Path(command[0]).name if i == 0 else part for i, part in enumerate(command))
            print(f"LinkChecker {'its defaults, see below':<34} {theirs:6.2f} s")
            print(f"  ran: {shown}")
            print(f"ratio LinkChecker / factcheck (defaults): {theirs / ours:.1f}x")

        memory = run_memory(base, args.pdf_bytes)
        print(
            f"fetching a {memory['size'] / 1e6:.0f} MB application/pdf body ({memory['outcome']}): "
            f"peak RSS of a fresh process {memory['peak_kib'] / 1024:.0f} MiB "
            f"(after imports {memory['before_kib'] / 1024:.0f} MiB)"
        )


if __name__ == "__main__":
    main()
