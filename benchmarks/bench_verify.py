"""Benchmark (not a test): ``factcheck verify`` against LinkChecker on the same 1,000 cited loopback links.

    python -m benchmarks.bench_verify [--links 1000] [--hosts 20] [--latency 0.05] [--articles 50]
                                      [--no-linkchecker]

A server process (:mod:`benchmarks.latency_server`) listens on 127.0.0.1 .. 127.0.0.20 and answers
every page after 50 ms. The benchmark writes ``--articles`` HTML articles into a temporary folder, each
quoting the page it links to ("“Benchmark page,” said <a href=URL>Speaker N</a>."), 1,000 links in
all, 50 per host, and an empty source registry: every claim cites its hyperlink.

- factcheck: ``verify(articles, registry, VerifyOptions(settings=FetchSettings()))``, the whole command
  minus printing: reading and extracting the articles, fetching every link (the shipped defaults: at
  most 4 requests at a time per host, 32 overall), reading each page and judging each quote; then with
  80 overall (``--max-concurrency 80``: the per-host limit alone binds); then again with a ``--cache``
  file filled by a first run (no request at all);
- LinkChecker, as in :mod:`benchmarks.bench_fetch`, on a page listing the same 1,000 links: it only
  asks whether each URL answers.

Both live runs are checked against the server's own count of requests (1,000 each).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.bench_fetch import _reset, _served, run_linkchecker
from benchmarks.latency_server import running
from factcheck.fetch import FetchSettings
from factcheck.verify import VerifyOptions, VerifyReport, verify


def write_articles(folder: Path, urls: list[str], n_articles: int) -> list[Path]:
    """``n_articles`` HTML articles quoting and linking the URLs, spread evenly."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in range(n_articles):
        mine = urls[a::n_articles]
        paragraphs = "\n".join(
            f'<p>“Benchmark page,” said <a href="{url}">Speaker Number{a}x{i}</a> in a statement.</p>'
            for i, url in enumerate(mine)
        )
        path = folder / f"article-{a:03d}.html"
        path.write_text(
            "<!doctype html><html><head><title>Article</title></head><body><article>"
            f"<h1>Article {a}</h1>\n{paragraphs}\n</article></body></html>",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def run_verify(
    base: str, articles: list[Path], registry: Path, options: VerifyOptions, expect_requests: int
) -> tuple[float, VerifyReport]:
    _reset(base)
    started = time.perf_counter()
    report = verify([str(p) for p in articles], registry, options)
    elapsed = time.perf_counter() - started
    served, _ = _served(base)
    if served != expect_requests:
        raise SystemExit(
            f"factcheck verify: the server saw {served} page requests, expected {expect_requests}"
        )
    links = sum(1 for check in report.sources.values() if check.health == "ok")
    if report.exit_code != 0 or links != len(report.sources):
        raise SystemExit(f"factcheck verify: exit {report.exit_code}, {report.failures[:3]}")
    return elapsed, report


def main() -> None:
    parser = argparse.ArgumentParser(description="factcheck verify vs LinkChecker on loopback links")
    parser.add_argument("--links", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--articles", type=int, default=50, help="articles the links are spread over")
    parser.add_argument("--no-linkchecker", action="store_true", help="skip the LinkChecker run")
    args = parser.parse_args()

    with running(hosts=args.hosts, latency=args.latency, links=args.links) as hosts:
        base = hosts[0]
        urls = [f"{hosts[i % len(hosts)]}/page/{i}" for i in range(args.links)]
        defaults = FetchSettings()
        floor = (args.links / len(hosts) / defaults.host_concurrency) * args.latency
        print(
            f"{args.links} cited links in {args.articles} articles, on {len(hosts)} loopback hosts, "
            f"{args.latency * 1000:.0f} ms per response"
        )
        print(f"politeness floor at {defaults.host_concurrency} requests per host: {floor:.2f} s")
        with tempfile.TemporaryDirectory(prefix="fc-bench-verify-") as tmp:
            folder = Path(tmp)
            articles = write_articles(folder / "articles", urls, args.articles)
            registry = folder / "sources"
            registry.mkdir()
            options = VerifyOptions(settings=defaults)

            ours, report = run_verify(base, articles, registry, options, args.links)
            claims = report.claim_counts()
            label = f"{defaults.host_concurrency}/host, {defaults.max_concurrency} overall (defaults)"
            print(
                f"factcheck verify {label:<34} {ours:6.2f} s  "
                f"({len(report.sources)} links ok, {claims['pass']} quotes still there)"
            )

            wide = replace(defaults, max_concurrency=len(hosts) * defaults.host_concurrency)
            ours_wide, _ = run_verify(base, articles, registry, VerifyOptions(settings=wide), args.links)
            label = f"{wide.host_concurrency}/host, {wide.max_concurrency} overall"
            print(f"factcheck verify {label:<34} {ours_wide:6.2f} s")

            cache = folder / "verify-cache.json"
            run_verify(
                base, articles, registry, VerifyOptions(settings=defaults, cache_path=cache), args.links
            )
            cached, _ = run_verify(
                base, articles, registry, VerifyOptions(settings=defaults, cache_path=cache), 0
            )
            print(f"factcheck verify {'again, with --cache (0 requests)':<34} {cached:6.2f} s")

        if not args.no_linkchecker:
            theirs, command = run_linkchecker(base, args.links)
            shown = " ".join(Path(command[0]).name if i == 0 else part for i, part in enumerate(command))
            print(f"LinkChecker      {'its defaults, see below':<34} {theirs:6.2f} s")
            print(f"  ran: {shown}")
            print(f"ratio LinkChecker / factcheck verify (defaults): {theirs / ours:.1f}x")
            print(f"ratio LinkChecker / factcheck verify (80 overall): {theirs / ours_wide:.1f}x")


if __name__ == "__main__":
    main()
