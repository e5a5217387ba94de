"""``factcheck verify``, the CI command: re-check cited links live, and whether their quotes are still there.

A link checker only sees whether a URL answers; ``verify`` also reads the page and asks whether the
words an article quotes from it are still on it. One run takes several articles (files, or folders of
``.txt``/``.md``/``.html`` articles, not recursive: use a shell glob for nested folders) and fetches each
distinct URL once, with one shared :class:`~factcheck.fetch.Fetcher` (per-host limits, retries, timeouts).

Link health, per cited source (the live fetch only; an archived copy is never evidence of health):

==============  ======================================================================================
``ok``          the URL answered 2xx (or a status given to ``--accept``)
``redirected``  it answered after redirects: the final URL is reported, with a suggestion to update
                the registry (or the article's link)
``dead``        404/410, a DNS failure or a refused connection; a Wayback Machine snapshot is suggested
                when one exists
``blocked``     403/429/401/451 and bot walls: reported, a failure only with ``--strict``
``timeout``     no answer within ``--timeout`` (after the retries)
``error``       anything else: 5xx after retries, redirect loops, a body over the size cap, refused
                addresses (``--block-private``)
``no_url``      the registry knows no URL: not a link failure; its claims are judged on the archived
                copy, or are ``unavailable`` when there is none (reported, never a failure)
``excluded``    the URL matches an ``--exclude`` pattern: not fetched, not a failure
==============  ======================================================================================

Drift: the archive (``--archive``, default ``archive/`` in the sources folder) is the baseline. A claim
whose words are not found on the live page (``altered``, ``not_found``, ``misattributed``, or the page
can no longer be read) while they *were* found (``verbatim``/``minor`` for a quote, ``paraphrase`` for
reported speech and statistics) in an archived copy of the same source is a failure: "quote removed from
the live page since <date of that copy>". Verdicts come from :func:`factcheck.verdicts.judge` only,
once on the live reads and once with the archived copies swapped in. Baselines are the whole copies of a
source (strength ``original``, ``complete`` or ``partial``; a ``secondary`` copy rebuilt from news
reproductions may carry the article's own errors, so it is not one), newest first; a claim is compared
with the newest copy that holds its words, so a later capture of the changed page does not hide drift.
A claim never found in any copy is only reported: nothing says it was ever on the page.

verify never writes to the archive: a CI checkout is usually thrown away, and a verification must not
change its own evidence. ``factcheck check`` is the command that archives live captures.

Exit codes as lychee: 0 nothing failed; 2 at least one link or claim failed; 1 bad input or
configuration (raised as :class:`~factcheck.errors.FactcheckError`).

The cache (``--cache FILE``) keeps, per URL, the last successful result (health, status, final URL,
time, sha256 and size of the body) and, per claim, the verdict judged against those bodies. Within
``--max-cache-age`` a URL whose claims are all cached is not requested at all. Failures are never
cached: a link that failed, or that a failing claim rests on, is fetched again next time. The file is
written atomically; an unreadable or corrupt cache is reported as a warning, ignored and replaced
(it is only a cache).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import socket
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from factcheck import __version__
from factcheck.archive import Acquired, Archive, Capture, kind_for
from factcheck.atomic import write_atomic
from factcheck.claims import QUOTE, STATISTIC, Claim
from factcheck.errors import FactcheckError
from factcheck.fetch import Fetcher, FetchResult, FetchSettings, Hop, is_tweet_url
from factcheck.pipeline import CheckResult, Extraction, default_archive_dir, extract
from factcheck.sources import Source
from factcheck.verdicts import (
    PARAPHRASE,
    UNSOURCED,
    VERDICT_LABELS,
    VERDICTS,
    ReadSource,
    Verdict,
    judge,
    read_source,
)

FORMATS = ("text", "json", "markdown", "junit")
HEALTHS = ("ok", "redirected", "dead", "blocked", "timeout", "error", "no_url", "excluded")
HEALTH_LABELS = {
    "ok": ("ok", "✔"),
    "redirected": ("redirected", "↪"),
    "dead": ("dead", "✘"),
    "blocked": ("blocked", "⊘"),
    "timeout": ("timed out", "⧗"),
    "error": ("error", "✘"),
    "no_url": ("no URL", "–"),
    "excluded": ("excluded", "·"),
}
OUTCOMES = ("pass", "fail", "skip")
OUTCOME_LABELS = {"pass": ("passed", "✔"), "fail": ("failed", "✘"), "skip": ("skipped", "·")}
DEFAULT_MAX_CACHE_AGE = 24 * 3600.0
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
CACHE_SCHEMA = 1
#: Whole archived copies: absence from them means something, presence proves the page held the words.
BASELINE_STRENGTHS = frozenset({"original", "complete", "partial"})
#: Distinct archived bodies tried per source when looking for the copy that last held a claim's words.
MAX_BASELINES = 5
_FOUND_QUOTE = frozenset({"verbatim", "minor"})
_FOUND_SUPPORT = frozenset({PARAPHRASE})
_HEALTHY = frozenset({"ok", "redirected"})
_PERMANENT = frozenset({301, 308})
_URL_SPEC = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]*)")
_DURATION_UNITS = {
    "": 1,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
}
# Characters XML 1.0 cannot carry at all, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ProgressCallback = Callable[[int, int, str], None]
WarnCallback = Callable[[str], None]


# --------------------------------------------------------------------------------------------
# Options and their parsers (the CLI turns ValueError into a usage error)


@dataclass(frozen=True)
class VerifyOptions:
    """Everything ``verify`` takes besides the articles and the registry."""

    settings: FetchSettings = field(default_factory=FetchSettings)
    archive_dir: Path | None = None  # default: archive/ in the sources folder
    cache_path: Path | None = None
    max_cache_age: float = DEFAULT_MAX_CACHE_AGE
    exclude: tuple[re.Pattern[str], ...] = ()
    strict: bool = False  # blocked links fail too
    fail_on: frozenset[str] = frozenset()  # live verdicts that fail a claim (as ``check --fail-on``)


def parse_accept(value: str) -> frozenset[int]:
    """``--accept "200..=204, 429"`` → status codes counted as ok, in lychee's range syntax.

    Items are ``CODE``, ``START..END`` (END excluded), ``START..=END``, ``..END`` and ``..=END`` (from 100).
    2xx are always ok; 3xx are dropped, since redirects are always followed.
    """
    codes: set[int] = set()
    for raw in value.split(","):
        item = raw.strip()
        if not item:
            continue
        found = re.fullmatch(r"(\d{3})?\s*\.\.(=?)\s*(\d{3})|(\d{3})", item)
        if found is None:
            raise ValueError(f"{item!r} is not a status code or a range such as 200..=204")
        if found[4]:
            start = end = int(found[4])
        else:
            start = int(found[1]) if found[1] else 100
            end = int(found[3]) - (0 if found[2] else 1)
        if not (100 <= start <= 599 and 100 <= end <= 599) or start > end:
            raise ValueError(f"{item!r} is not a range of HTTP status codes (100 to 599)")
        codes.update(code for code in range(start, end + 1) if not 300 <= code < 400)
    return frozenset(codes)


def parse_duration(value: str) -> float:
    """``--max-cache-age``: ``3600``, ``90s``, ``15m``, ``12h``, ``1d``, ``2w`` or ``1d 12h`` → seconds."""
    text = value.strip().lower()
    pos, total = 0, 0.0
    for part in _DURATION_PART.finditer(text):
        if text[pos : part.start()].strip(" ,"):
            break
        unit = _DURATION_UNITS.get(part[2])
        if unit is None:
            raise ValueError(f"unknown unit {part[2]!r} in {value!r}; use s, m, h, d or w")
        total += float(part[1]) * unit
        pos = part.end()
    if not text or pos == 0 or text[pos:].strip(" ,"):
        raise ValueError(f"{value!r} is not a duration such as 3600, 30m, 12h or 1d")
    return total


def compile_excludes(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """``--exclude`` regular expressions, searched anywhere in a source's URL."""
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as err:
            raise ValueError(f"{pattern!r} is not a regular expression: {err}") from None
    return tuple(compiled)


def expand_articles(specs: Sequence[str]) -> list[str | None]:
    """Article arguments → article specs: a folder gives its articles (sorted); none → the bundled case."""
    if not specs:
        return [None]
    found: list[str | None] = []
    seen: set[str] = set()
    for spec in specs:
        if spec == "-" or _URL_SPEC.match(spec):
            items = [spec]
        else:
            path = Path(spec)
            if path.is_dir():
                items = [
                    str(p)
                    for p in sorted(path.iterdir())
                    if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith(".")
                ]
                if not items:
                    raise FactcheckError(
                        f"{path}: no articles in this folder (.txt, .md or .html; folders are not searched "
                        "recursively)"
                    )
            else:
                items = [spec]  # a missing file is reported when it is loaded
        for item in items:
            key = item if item == "-" or _URL_SPEC.match(item) else str(Path(item).resolve())
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found


# --------------------------------------------------------------------------------------------
# The result of a run


@dataclass
class LinkCheck:
    """One distinct URL (a tweet is read through oEmbed), fetched once for every source citing it."""

    key: str
    url: str
    tweet: bool
    source_ids: list[str]
    health: str = "ok"
    status: int | None = None
    final_url: str | None = None
    redirects: list[Hop] = field(default_factory=list)
    fetched_at: str | None = None
    message: str = ""
    wayback: str | None = None
    cached: bool = False
    fetched: bool = False
    elapsed: float = 0.0
    sha256: str | None = None
    size: int | None = None
    readable_body: bool = True  # False when an --accept'ed non-2xx answer stands in for the document


@dataclass
class SourceCheck:
    """A cited source: its link's health, whether that fails the run, and the copy its claims were read in."""

    source: Source
    link: LinkCheck | None
    health: str
    outcome: str  # pass | fail | skip
    message: str
    suggestion: str | None
    read: ReadSource
    articles: list[str] = field(default_factory=list)
    excluded_by: str | None = None


@dataclass(frozen=True)
class Drift:
    """A claim found in an archived copy but not on the live page."""

    baseline_verdict: str
    capture: Capture
    live_verdict: str


@dataclass
class ClaimCheck:
    """One claim: its live verdict and whether it passes, fails or could not be checked."""

    claim: Claim
    verdict: Verdict
    outcome: str
    message: str
    failure: str | None = None  # removed | altered | unreadable | fail_on, when the outcome is "fail"
    drift: Drift | None = None
    cached: bool = False


@dataclass(frozen=True)
class Failure:
    """One reason the run exits 2: a link (``claim`` is None) or a claim."""

    claim: str | None
    source: str
    reason: str
    kind: str  # dead | timeout | error | blocked | removed | altered | unreadable | fail_on
    url: str | None
    articles: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "source": self.source,
            "reason": self.reason,
            "type": self.kind,
            "url": self.url,
            "articles": list(self.articles),
        }


@dataclass
class ArticleCheck:
    """One article: the check-shaped result (live verdicts) and the verify outcome of each claim."""

    label: str
    result: CheckResult
    claims: list[ClaimCheck]

    @property
    def counts(self) -> dict[str, int]:
        return {o: sum(1 for c in self.claims if c.outcome == o) for o in OUTCOMES}


@dataclass
class VerifyReport:
    """Everything one ``verify`` run found."""

    articles: list[ArticleCheck]
    sources: dict[str, SourceCheck]
    links: list[LinkCheck]
    failures: list[Failure]
    checked_at: str
    elapsed: float
    strict: bool
    archive: Path
    cache_path: Path | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 nothing failed, 2 a link or a claim failed (1 is raised as FactcheckError before this)."""
        return 2 if self.failures else 0

    @property
    def requests(self) -> int:
        """URLs fetched live in this run (cached ones are not)."""
        return sum(1 for link in self.links if link.fetched)

    def health_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(HEALTHS, 0)
        for check in self.sources.values():
            counts[check.health] += 1
        return {k: v for k, v in counts.items() if v}

    def claim_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for article in self.articles:
            for outcome, n in article.counts.items():
                counts[outcome] += n
        return counts


# --------------------------------------------------------------------------------------------
# The cache


def _now() -> datetime:
    return datetime.now(UTC)


def _parse_time(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _claim_key(claim: Claim) -> str:
    """What a cached verdict is valid for: the claim's words, kind and sources."""
    parts = [
        claim.kind,
        claim.text,
        claim.quote,
        claim.statement,
        claim.figure,
        claim.source,
        *claim.candidates,
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def _valid_link_entry(entry: object) -> bool:
    if not isinstance(entry, dict):
        return False
    checks = (
        isinstance(entry.get("url"), str),
        entry.get("health") in _HEALTHY,
        entry.get("status") is None or isinstance(entry.get("status"), int),
        entry.get("final_url") is None or isinstance(entry.get("final_url"), str),
        _parse_time(entry.get("fetched_at")) is not None,
        entry.get("sha256") is None or isinstance(entry.get("sha256"), str),
        isinstance(entry.get("redirects", []), list)
        and all(
            isinstance(h, dict) and isinstance(h.get("url"), str) and isinstance(h.get("status"), int)
            for h in entry.get("redirects", [])
        ),
    )
    return all(checks)


def _valid_claim_entry(entry: object) -> bool:
    if not isinstance(entry, dict):
        return False
    deps = entry.get("deps")
    evidence = entry.get("evidence")
    return (
        entry.get("verdict") in VERDICTS
        and isinstance(entry.get("reason"), str)
        and (entry.get("score") is None or isinstance(entry.get("score"), int | float))
        and isinstance(entry.get("diff", []), list)
        and isinstance(deps, dict)
        and all(isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in deps.items())
        and (
            evidence is None
            or (
                isinstance(evidence, dict)
                and isinstance(evidence.get("text"), str)
                and isinstance(evidence.get("start"), int)
                and isinstance(evidence.get("end"), int)
                and isinstance(evidence.get("source"), str)
            )
        )
    )


class VerifyCache:
    """The ``--cache`` file: last successful link results and the claim verdicts judged on them."""

    def __init__(self, path: Path, max_age: float, warn: WarnCallback) -> None:
        self.path = path
        self.max_age = max_age
        self.warn = warn
        self.links: dict[str, dict[str, Any]] = {}
        self.claims: dict[str, dict[str, Any]] = {}
        self._load()

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as err:
            self.warn(f"{self.path}: cannot read the cache ({err.strerror or err}); verifying without it")
            return
        try:
            doc = json.loads(raw.decode("utf-8"))
            if not isinstance(doc, dict) or doc.get("schema") != CACHE_SCHEMA:
                raise ValueError(f"not a factcheck verify cache of schema {CACHE_SCHEMA}")
            links, claims = doc.get("links"), doc.get("claims")
            if not isinstance(links, dict) or not isinstance(claims, dict):
                raise ValueError("'links' and 'claims' must be objects")
            for key, entry in links.items():
                if not _valid_link_entry(entry):
                    raise ValueError(f"bad entry for {str(key)[:80]!r}")
            for key, entry in claims.items():
                if not _valid_claim_entry(entry):
                    raise ValueError(f"bad claim entry {str(key)[:40]!r}")
        except (UnicodeDecodeError, ValueError) as err:  # json.JSONDecodeError is a ValueError
            self.warn(f"{self.path}: corrupt cache ignored ({err}); it will be replaced")
            return
        self.links, self.claims = links, claims

    def fresh(self, key: str, now: datetime) -> dict[str, Any] | None:
        """The cached success for a link key, if younger than ``max_age``."""
        entry = self.links.get(key)
        if entry is None:
            return None
        when = _parse_time(entry.get("fetched_at"))
        if when is None:
            return None
        age = (now - when).total_seconds()
        # A time in the future (clock skew, an edited file) is not trusted.
        return entry if -300 <= age <= self.max_age else None

    def save(
        self, links: Mapping[str, dict[str, Any]], claims: Mapping[str, dict[str, Any]], now: datetime
    ) -> None:
        """Write the cache atomically; an error is a warning (the run's verdict stands without a cache)."""
        kept_links = {k: v for k, v in self.links.items() if self.fresh(k, now) is not None}
        kept_links.update(links)
        kept_claims = {**self.claims, **claims}
        # A claim entry only lives as long as every body it was judged on.
        kept_claims = {
            k: v
            for k, v in kept_claims.items()
            if all(
                dep in kept_links and kept_links[dep].get("sha256") == sha for dep, sha in v["deps"].items()
            )
        }
        doc = {
            "schema": CACHE_SCHEMA,
            "written_by": f"factcheck {__version__}",
            "written_at": now.isoformat(timespec="seconds"),
            "links": dict(sorted(kept_links.items())),
            "claims": dict(sorted(kept_claims.items())),
        }
        try:
            write_atomic(self.path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        except OSError as err:
            self.warn(f"{err.filename or self.path}: cannot write the cache ({err.strerror or err})")


def _verdict_from_cache(entry: Mapping[str, Any]) -> Verdict:
    return Verdict.from_json(entry)


def _verdict_to_cache(verdict: Verdict, deps: Mapping[str, str | None]) -> dict[str, Any]:
    return {**verdict.to_json(), "deps": dict(deps)}


def _link_to_cache(link: LinkCheck) -> dict[str, Any]:
    return {
        "url": link.url,
        "tweet": link.tweet,
        "health": link.health,
        "status": link.status,
        "final_url": link.final_url,
        "redirects": [{"url": h.url, "status": h.status} for h in link.redirects],
        "fetched_at": link.fetched_at,
        "sha256": link.sha256,
        "size": link.size,
        "readable_body": link.readable_body,
        "message": link.message,
    }


def _link_from_cache(link: LinkCheck, entry: Mapping[str, Any]) -> None:
    link.health = entry["health"]
    link.status = entry.get("status")
    link.final_url = entry.get("final_url")
    link.redirects = [Hop(h["url"], h["status"]) for h in entry.get("redirects", [])]
    link.fetched_at = entry["fetched_at"]
    link.sha256 = entry.get("sha256")
    link.size = entry.get("size") if isinstance(entry.get("size"), int) else None
    link.readable_body = entry.get("readable_body") is not False
    link.cached = True
    said = entry.get("message") if isinstance(entry.get("message"), str) else ""
    link.message = (
        f"{said}; cached result of {link.fetched_at}" if said else f"cached result of {link.fetched_at}"
    )


# --------------------------------------------------------------------------------------------
# Fetching and link health


def _link_key(url: str, tweet: bool) -> str:
    return f"{'oembed' if tweet else 'page'} {url}"


def _health(result: FetchResult, link: LinkCheck) -> str:
    if result.ok:
        moved = not link.tweet and result.redirects and (result.final_url or link.url) != link.url
        return "redirected" if moved else "ok"
    if result.outcome in ("dead", "blocked", "timeout"):
        return result.outcome
    return "error"


def _apply_fetch(link: LinkCheck, result: FetchResult) -> None:
    link.fetched = True
    link.health = _health(result, link)
    link.status = result.status
    link.final_url = link.url if link.tweet else result.final_url
    link.redirects = [] if link.tweet else list(result.redirects)
    link.fetched_at = result.fetched_at
    link.elapsed = result.elapsed
    status_ok = result.status is not None and 200 <= result.status < 300
    link.readable_body = result.body is not None and status_ok
    if result.body is not None:
        link.sha256 = hashlib.sha256(result.body).hexdigest()
        link.size = len(result.body)
    if link.health == "redirected":
        first = result.redirects[0].status if result.redirects else result.status
        link.message = f"redirected ({first}) to {link.final_url}"
    elif link.health == "ok":
        link.message = "" if status_ok else f"answered {result.status}, accepted by --accept"
    elif link.tweet and link.health == "dead":
        link.message = f"the tweet is deleted, private or unknown (oEmbed: {result.error or result.outcome})"
    else:
        link.message = result.error or result.outcome


def _captured(source: Source, link: LinkCheck, result: FetchResult) -> Capture:
    """An in-memory capture of a live fetch, so the core reads it as it reads archived copies.

    It is never stored: verify leaves the archive untouched.
    """
    assert result.body is not None
    kind = "tweet" if link.tweet else kind_for(result.content_type, result.body, source.kind)
    return Capture(
        source_id=source.id,
        url=source.url,
        final_url=result.final_url,
        status=result.status,
        redirects=tuple(result.redirects),
        headers=dict(result.headers),
        content_type=result.content_type,
        kind=kind,
        fetched_at=result.fetched_at,
        sha256=link.sha256 or hashlib.sha256(result.body).hexdigest(),
        size=len(result.body),
        provenance="live",
        strength="original",
    )


def _live_reads(sources: Sequence[Source], link: LinkCheck, result: FetchResult) -> dict[str, ReadSource]:
    """Read the fetched body once for every source citing this URL; the body itself is not kept."""
    reads: dict[str, ReadSource] = {}
    first: ReadSource | None = None
    for source in sources:
        if not result.ok or result.body is None or not link.readable_body:
            why = link.message or result.error or result.outcome
            if result.ok and not link.readable_body:
                why = f"the live URL {why}; that answer is not the document"
            acquired = Acquired(source.id, "unavailable", None, None, result, f"live fetch: {why}", None)
            reads[source.id] = ReadSource(source, acquired, error=f"live fetch: {why}")
            continue
        capture = _captured(source, link, result)
        acquired = Acquired(source.id, "live", capture, result.body, result, None, "live")
        if first is None:
            first = read_source(source, acquired)
            read = first
        else:
            read = ReadSource(source, acquired, document=first.document, error=first.error)
        # Keep the text, drop the bytes: a run over many sources must not hold every body.
        read.acquired = replace(acquired, body=None)
        reads[source.id] = read
    return reads


def _cached_read(source: Source, link: LinkCheck) -> ReadSource:
    """A source whose URL was not fetched (a fresh cache entry): its link facts, no text."""
    capture = None
    if link.sha256:
        capture = Capture(
            source_id=source.id,
            url=source.url,
            final_url=link.final_url,
            status=link.status,
            redirects=tuple(link.redirects),
            headers={},
            content_type=None,
            kind=None,
            fetched_at=link.fetched_at or "",
            sha256=link.sha256,
            size=link.size or 0,
            provenance="live",
            strength="original",
        )
    acquired = Acquired(source.id, "live", capture, None, None, None, "live")
    return ReadSource(source, acquired)


async def _fetch_links(
    links: Sequence[LinkCheck],
    sources: Mapping[str, Source],
    settings: FetchSettings,
    progress: ProgressCallback | None,
) -> dict[str, ReadSource]:
    """Fetch every link once (one client, the fetcher's limits), reading each body as it arrives.

    Reading in the fetch task overlaps parsing with the other requests' network waits.
    """
    reads: dict[str, ReadSource] = {}
    done = 0

    async def one(fetcher: Fetcher, link: LinkCheck) -> None:
        nonlocal done
        result = await (fetcher.fetch_oembed(link.url) if link.tweet else fetcher.fetch(link.url))
        _apply_fetch(link, result)
        if link.health == "dead":
            link.wayback = await fetcher.wayback_snapshot(link.url)
        reads.update(_live_reads([sources[s] for s in link.source_ids], link, result))
        done += 1
        if progress is not None:
            progress(done, len(links), link.url)

    if links:
        async with Fetcher(settings) as fetcher:
            await asyncio.gather(*(one(fetcher, link) for link in links))
    elif progress is not None:
        progress(0, 0, "nothing to fetch")  # lets a progress display close
    return reads


def _where(source: Source) -> str:
    return str(source.path) if source.path is not None else "the article's link"


def _source_verdict(
    source: Source, link: LinkCheck | None, health: str, strict: bool, archived: Capture | None
) -> tuple[str, str, str | None]:
    """(outcome, message, suggestion) for a source's link health."""
    if link is None:
        if archived is not None:
            copy = f"claims judged on the archived copy of {archived.date} ({archived.provenance})"
        else:
            copy = "no archived copy either: its claims are unavailable"
        if health == "excluded":
            return "skip", f"excluded by --exclude; {copy}", None
        return "skip", f"no URL known; {copy}", f"add a url to {_where(source)}" if source.path else None
    message = link.message
    if health == "redirected":
        first = link.redirects[0].status if link.redirects else None
        how = "moved permanently" if first in _PERMANENT else f"temporary redirect ({first})"
        return "pass", message, f"{how}: update the url in {_where(source)} to {link.final_url}"
    if health == "ok":
        return "pass", message, None
    if health == "blocked":
        if strict:
            return "fail", message, "check it in a browser; the site refuses automated requests"
        return (
            "skip",
            f"{message} (not a failure without --strict)",
            "check it in a browser; the site refuses automated requests",
        )
    suggestion = None
    if health == "dead":
        suggestion = (
            f"a Wayback Machine snapshot exists: {link.wayback}"
            if link.wayback
            else "no Wayback Machine snapshot was found"
        )
    return "fail", message, suggestion


# --------------------------------------------------------------------------------------------
# Claims: live verdicts, drift against the archive, outcomes


def _found(claim: Claim, verdict: str) -> bool:
    return verdict in (_FOUND_QUOTE if claim.kind == QUOTE and claim.quote else _FOUND_SUPPORT)


def _candidate_ids(claim: Claim) -> list[str]:
    ids = [claim.source] if claim.source else []
    return list(dict.fromkeys([*ids, *claim.candidates]))


class _Baselines:
    """Archived whole copies per source, newest first, read lazily (most runs never need them)."""

    def __init__(self, archive: Archive, sources: Mapping[str, Source]) -> None:
        self.archive = archive
        self.sources = sources
        self._captures: dict[str, list[Capture]] = {}
        self._reads: dict[tuple[str, str], ReadSource] = {}

    def captures(self, source_id: str) -> list[Capture]:
        if source_id not in self._captures:
            distinct: dict[str, Capture] = {}
            for capture in reversed(self.archive.captures(source_id)):
                if capture.strength in BASELINE_STRENGTHS and capture.sha256 not in distinct:
                    distinct[capture.sha256] = capture
            self._captures[source_id] = list(distinct.values())[:MAX_BASELINES]
        return self._captures[source_id]

    def read(self, capture: Capture) -> ReadSource:
        key = (capture.source_id, capture.sha256)
        if key not in self._reads:
            body = self.archive.read(capture)
            acquired = Acquired(capture.source_id, "archived", capture, body, None, None, capture.provenance)
            read = read_source(self.sources[capture.source_id], acquired)
            read.acquired = replace(acquired, body=None)
            self._reads[key] = read
        return self._reads[key]


def _drift(
    claim: Claim,
    live: Verdict,
    reads: Mapping[str, ReadSource],
    baselines: _Baselines,
    checked_live: set[str],
) -> Drift | None:
    """The archived copy that held the claim's words when the live page no longer does, if any."""
    if _found(claim, live.verdict) or claim.source is None:
        return None
    ids = [sid for sid in _candidate_ids(claim) if sid in checked_live and sid in baselines.sources]
    if claim.source not in ids:
        return None
    newest = {sid: copies[0] for sid in ids if (copies := baselines.captures(sid))}
    if not newest:
        return None
    primaries: list[Capture | None] = [*baselines.captures(claim.source)] or [None]
    for primary in primaries:
        swapped = dict(reads)
        for sid, capture in newest.items():
            swapped[sid] = baselines.read(capture)
        if primary is not None:
            swapped[claim.source] = baselines.read(primary)
        past = judge(claim, swapped)
        rests_on = swapped.get(past.source or "")
        if (
            _found(claim, past.verdict)
            and rests_on is not None
            and rests_on is not reads.get(past.source or "")
            and rests_on.acquired.capture is not None
        ):
            return Drift(past.verdict, rests_on.acquired.capture, live.verdict)
    return None


_COPY_WORDS = {
    "live": "archived capture",
    "wayback": "archived Wayback Machine snapshot",
    "reproduction": "archived reproduction",
    "partial": "archived partial copy",
}


def _drift_reason(claim: Claim, drift: Drift, live: Verdict, read: ReadSource | None) -> tuple[str, str]:
    """(failure type, one line) for a drift: "quote removed from the live page since 2024-05-01 (...)"."""
    when = drift.capture.date
    copy = f"the {_COPY_WORDS.get(drift.capture.provenance, 'archived copy')} of {when}"
    quote = claim.kind == QUOTE and bool(claim.quote)
    if read is not None and not read.readable:
        what = "quote" if quote else "claim"
        return "unreadable", (
            f"the live page can no longer be read ({read.why_unreadable()}); the {what} was found "
            f"{drift.baseline_verdict} in {copy}"
        )
    if quote and live.verdict == "altered":
        return (
            "altered",
            f"quote altered on the live page since {when} (found {drift.baseline_verdict} in {copy})",
        )
    if quote:
        return (
            "removed",
            f"quote removed from the live page since {when} (found {drift.baseline_verdict} in {copy})",
        )
    if claim.kind == STATISTIC and live.verdict == "altered":
        return "altered", f"figure changed on the live page since {when} (supported in {copy})"
    return "removed", f"supporting passage removed from the live page since {when} (found in {copy})"


# --------------------------------------------------------------------------------------------
# The run


def _label(extraction: Extraction) -> str:
    article = extraction.article
    return article.path or article.url or "stdin"


def verify(
    article_specs: Sequence[str],
    sources_dir: Path | None,
    options: VerifyOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    warn: WarnCallback | None = None,
) -> VerifyReport:
    """Verify the cited links and claims of articles (files, folders, ``-``, URLs; none: the bundled case).

    Raises :class:`FactcheckError` for bad input (a missing --sources folder, an unreadable article,
    a corrupt archive); link and claim failures are in the report, never raised.
    """
    return _Run(options or VerifyOptions(), warn).run(article_specs, sources_dir, progress)


class _Run:
    """One verify run, in steps: plan the links, consult the cache, fetch, read the rest, judge, save."""

    def __init__(self, options: VerifyOptions, warn: WarnCallback | None) -> None:
        self.options = options
        self.warn = warn
        self.warnings: list[str] = []
        self.now = _now()
        self.sources: dict[str, Source] = {}
        self.citing: dict[str, list[str]] = {}
        self.links: dict[str, LinkCheck] = {}
        self.link_of: dict[str, LinkCheck] = {}
        self.excluded_by: dict[str, str] = {}
        self.reads: dict[str, ReadSource] = {}
        self.checks: dict[str, SourceCheck] = {}
        self.failures: list[Failure] = []
        self.cache: VerifyCache | None = None

    def note(self, message: str) -> None:
        self.warnings.append(message)
        if self.warn is not None:
            self.warn(message)

    def run(
        self, article_specs: Sequence[str], sources_dir: Path | None, progress: ProgressCallback | None
    ) -> VerifyReport:
        started = time.monotonic()
        extractions = [extract(spec, sources_dir) for spec in expand_articles(article_specs)]
        opts = self.options
        root = (
            opts.archive_dir if opts.archive_dir is not None else default_archive_dir(extractions[0].registry)
        )
        archive = Archive(root)
        self._plan(extractions)
        served, to_fetch = self._consult_cache(extractions)
        self.reads = asyncio.run(_fetch_links(to_fetch, self.sources, opts.settings, progress))
        self._check_sources(archive)
        articles, claim_entries, failing_links = self._judge(
            extractions, served, _Baselines(archive, self.sources)
        )
        if self.cache is not None:
            self._save_cache(claim_entries, failing_links)
        return VerifyReport(
            articles=articles,
            sources=self.checks,
            links=list(self.links.values()),
            failures=self.failures,
            checked_at=self.now.isoformat(timespec="seconds"),
            elapsed=time.monotonic() - started,
            strict=opts.strict,
            archive=root,
            cache_path=opts.cache_path,
            warnings=self.warnings,
        )

    def _keys(self, claim: Claim) -> tuple[list[str], bool]:
        """The link keys a claim's verdict depends on, and whether every candidate source has one."""
        ids = _candidate_ids(claim)
        keys = [self.link_of[sid].key for sid in ids if sid in self.link_of]
        return keys, len(keys) == len(ids)

    def _plan(self, extractions: Sequence[Extraction]) -> None:
        """Every cited source once, the articles citing it, and one link per distinct URL."""
        for extraction in extractions:
            for source in extraction.sources:
                self.sources.setdefault(source.id, source)
                articles = self.citing.setdefault(source.id, [])
                if _label(extraction) not in articles:
                    articles.append(_label(extraction))
        for sid, source in self.sources.items():
            url = source.url.strip().split("#", 1)[0]  # the fragment is never sent
            if not url:
                continue
            hit = next((p.pattern for p in self.options.exclude if p.search(url)), None)
            if hit is not None:
                self.excluded_by[sid] = hit
                continue
            tweet = source.kind == "tweet" or is_tweet_url(url)
            key = _link_key(url, tweet)
            link = self.links.setdefault(key, LinkCheck(key=key, url=url, tweet=tweet, source_ids=[]))
            link.source_ids.append(sid)
            self.link_of[sid] = link

    def _consult_cache(
        self, extractions: Sequence[Extraction]
    ) -> tuple[dict[tuple[int, str], Verdict], list[LinkCheck]]:
        """Cached verdicts per (article index, claim id), and the links that need a request.

        A fresh cached link is not requested when every claim resting on it has a cached verdict judged
        on the same bodies; one claim without it means fetching all the links that claim rests on.
        """
        opts = self.options
        if opts.cache_path is not None:
            self.cache = VerifyCache(opts.cache_path, opts.max_cache_age, self.note)
        cache = self.cache
        fresh: dict[str, dict[str, Any]] = {}
        if cache is not None:
            fresh = {key: e for key in self.links if (e := cache.fresh(key, self.now)) is not None}
        served: dict[tuple[int, str], Verdict] = {}
        must_fetch = {key for key in self.links if key not in fresh}
        for index, extraction in enumerate(extractions):
            for claim in extraction.claims:
                keys, cacheable = self._keys(claim)
                if not keys:
                    continue  # judged on archived copies only: nothing to fetch
                entry = cache.claims.get(_claim_key(claim)) if cache is not None else None
                if (
                    entry is not None
                    and cacheable
                    and all(k in fresh for k in keys)
                    and entry["deps"] == {k: fresh[k].get("sha256") for k in keys}
                ):
                    served[(index, claim.id)] = _verdict_from_cache(entry)
                else:
                    must_fetch.update(keys)
        for key, entry in fresh.items():
            if key not in must_fetch:
                _link_from_cache(self.links[key], entry)
        return served, [link for key, link in self.links.items() if key in must_fetch]

    def _check_sources(self, archive: Archive) -> None:
        """Link health per source; reads for cached links (no text) and for sources with no live URL."""
        for sid, source in self.sources.items():
            link = self.link_of.get(sid)
            archived: Capture | None = None
            if link is not None:
                health = link.health
                if sid not in self.reads:
                    self.reads[sid] = _cached_read(source, link)
            else:
                health = "excluded" if sid in self.excluded_by else "no_url"
                archived = archive.latest(sid)
                self.reads[sid] = _archived_read(archive, source, archived, health)
            outcome, message, suggestion = _source_verdict(
                source, link, health, self.options.strict, archived
            )
            check = SourceCheck(
                source=source,
                link=link,
                health=health,
                outcome=outcome,
                message=message,
                suggestion=suggestion,
                read=self.reads[sid],
                articles=self.citing[sid],
                excluded_by=self.excluded_by.get(sid),
            )
            self.checks[sid] = check
            if outcome == "fail":
                reason = message + (f"; {suggestion}" if suggestion else "")
                url = link.url if link else None
                self.failures.append(Failure(None, sid, reason, health, url, tuple(check.articles)))

    def _judge(
        self,
        extractions: Sequence[Extraction],
        served: Mapping[tuple[int, str], Verdict],
        baselines: _Baselines,
    ) -> tuple[list[ArticleCheck], dict[str, dict[str, Any]], set[str]]:
        """Live verdicts (or cached ones), drift and outcomes; claim cache entries; links failures rest on."""
        # Sources whose live page was read (or is vouched for by the cache): drift is judged only on these.
        checked_live = {
            sid
            for sid, check in self.checks.items()
            if check.health in _HEALTHY and check.link is not None and check.link.readable_body
        }
        articles: list[ArticleCheck] = []
        entries: dict[str, dict[str, Any]] = {}
        failing_links: set[str] = set()
        for index, extraction in enumerate(extractions):
            label = _label(extraction)
            claim_checks: list[ClaimCheck] = []
            for claim in extraction.claims:
                cached = served.get((index, claim.id))
                verdict = cached if cached is not None else judge(claim, self.reads)
                outcome = _claim_outcome(
                    claim,
                    verdict,
                    cached=cached is not None,
                    checks=self.checks,
                    reads=self.reads,
                    baselines=baselines,
                    checked_live=checked_live,
                    options=self.options,
                )
                claim_checks.append(outcome)
                keys, cacheable = self._keys(claim)
                if outcome.outcome == "fail":
                    failing_links.update(keys)
                    # The source whose live page lost the words (another document of the speaker, maybe).
                    sid = outcome.drift.capture.source_id if outcome.drift else claim.source or ""
                    url = self.sources[sid].url or None if sid in self.sources else None
                    kind = outcome.failure or "fail_on"
                    self.failures.append(Failure(claim.id, sid, outcome.message, kind, url, (label,)))
                elif keys and cacheable and all(self.links[k].health in _HEALTHY for k in keys):
                    deps = {k: self.links[k].sha256 for k in keys}
                    entries[_claim_key(claim)] = _verdict_to_cache(verdict, deps)
            result = CheckResult(
                article=extraction.article,
                claims=extraction.claims,
                sources=extraction.sources,
                registry=extraction.registry,
                bundled=extraction.bundled,
                read={s.id: self.reads[s.id] for s in extraction.sources},
                verdicts={c.claim.id: c.verdict for c in claim_checks},
                checked_at=self.now.isoformat(timespec="seconds"),
                offline=False,
            )
            articles.append(ArticleCheck(label, result, claim_checks))
        return articles, entries, failing_links

    def _save_cache(self, claim_entries: Mapping[str, dict[str, Any]], failing_links: set[str]) -> None:
        """Failures are never cached: neither a failing link nor one that a failing claim rests on."""
        assert self.cache is not None
        healthy = {
            key: _link_to_cache(link)
            for key, link in self.links.items()
            if link.health in _HEALTHY and key not in failing_links and link.fetched_at
        }
        for key in self.links:
            if key not in healthy:
                self.cache.links.pop(key, None)
        self.cache.save(healthy, claim_entries, self.now)


def _archived_read(archive: Archive, source: Source, capture: Capture | None, health: str) -> ReadSource:
    """A source not checked live (no URL, or excluded): its newest archived copy, or why there is none."""
    if capture is None:
        why = "excluded by --exclude" if health == "excluded" else "no URL known"
        acquired = Acquired(source.id, "unavailable", None, None, None, f"{why} and no archived copy", None)
        return ReadSource(source, acquired)
    acquired = Acquired(source.id, "archived", capture, archive.read(capture), None, None, capture.provenance)
    read = read_source(source, acquired)
    read.acquired = replace(acquired, body=None)
    return read


def _claim_outcome(
    claim: Claim,
    verdict: Verdict,
    *,
    cached: bool,
    checks: Mapping[str, SourceCheck],
    reads: Mapping[str, ReadSource],
    baselines: _Baselines,
    checked_live: set[str],
    options: VerifyOptions,
) -> ClaimCheck:
    """Pass, fail (drift, or ``--fail-on``) or skip (nothing live to check) for one claim."""
    if claim.source is None:
        if UNSOURCED in options.fail_on:
            return ClaimCheck(
                claim, verdict, "fail", "verdict unsourced (--fail-on)", "fail_on", cached=cached
            )
        return ClaimCheck(claim, verdict, "skip", "the article names no source for this claim", cached=cached)
    drift = _drift(claim, verdict, reads, baselines, checked_live)
    if drift is not None:
        kind, reason = _drift_reason(claim, drift, verdict, None if cached else reads.get(claim.source))
        return ClaimCheck(claim, verdict, "fail", reason, kind, drift, cached)
    if verdict.verdict in options.fail_on:
        reason = f"verdict {verdict.verdict} (--fail-on): {verdict.reason}"
        return ClaimCheck(claim, verdict, "fail", reason, "fail_on", cached=cached)
    if _found(claim, verdict.verdict) and verdict.source in checked_live:
        return ClaimCheck(claim, verdict, "pass", verdict.reason, cached=cached)
    primary = checks[claim.source]
    link = primary.link
    if primary.health not in _HEALTHY or link is None:
        what = {
            "no_url": "the source has no URL: nothing live to re-check",
            "excluded": "the source's URL is excluded by --exclude",
        }.get(primary.health, f"the source could not be read live ({primary.health})")
        return ClaimCheck(claim, verdict, "skip", f"{what}; verdict: {verdict.verdict}", cached=cached)
    if not link.readable_body:
        return ClaimCheck(
            claim, verdict, "skip", f"not re-checked: the live URL {link.message}", cached=cached
        )
    if not cached and not reads[claim.source].readable:
        why = reads[claim.source].why_unreadable()
        return ClaimCheck(claim, verdict, "skip", f"the live page could not be read: {why}", cached=cached)
    if not _found(claim, verdict.verdict):
        # Reported, not failed: no archived copy shows that the words were ever on the page.
        reason = f"{verdict.reason}; not a failure: no archived copy holds these words"
        return ClaimCheck(claim, verdict, "pass", reason, cached=cached)
    return ClaimCheck(claim, verdict, "pass", verdict.reason, cached=cached)


# --------------------------------------------------------------------------------------------
# Outputs


def _short(text: str | None, width: int) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _claim_words(claim: Claim, width: int = 80) -> str:
    if claim.quote:
        return f"“{_short(claim.quote, width)}”"
    return _short(claim.statement or claim.text, width)


def _source_json_extra(check: SourceCheck) -> dict[str, Any]:
    link = check.link
    return {
        "health": check.health,
        "outcome": check.outcome,
        "message": check.message or None,
        "suggestion": check.suggestion,
        "wayback": link.wayback if link else None,
        "cached": bool(link and link.cached),
        "checked_url": link.url if link else None,
        "link_final_url": link.final_url if link else None,
        "link_status": link.status if link else None,
        "link_fetched_at": link.fetched_at if link else None,
        "excluded_by": check.excluded_by,
        "articles": list(check.articles),
    }


def _claim_json_extra(check: ClaimCheck) -> dict[str, Any]:
    drift = check.drift
    return {
        "outcome": check.outcome,
        "message": check.message,
        "cached": check.cached,
        "drift": (
            {
                "baseline_verdict": drift.baseline_verdict,
                "live_verdict": drift.live_verdict,
                "capture_fetched_at": drift.capture.fetched_at,
                "capture_provenance": drift.capture.provenance,
                "capture_sha256": drift.capture.sha256,
            }
            if drift
            else None
        ),
    }


def _summary_json(report: VerifyReport) -> dict[str, Any]:
    return {
        "exit_code": report.exit_code,
        "failures": len(report.failures),
        "articles": len(report.articles),
        "links": report.health_counts(),
        "claims": report.claim_counts(),
        "requests": report.requests,
        "strict": report.strict,
        "archive": str(report.archive),
        "cache": str(report.cache_path) if report.cache_path else None,
        "elapsed": round(report.elapsed, 3),
        "warnings": list(report.warnings),
    }


def _source_json(check: SourceCheck) -> dict[str, Any]:
    """A source as ``check`` lists it (report.source_json), plus its link health."""
    from factcheck.report import source_json

    data = source_json(check.source, check.read)
    data.update(_source_json_extra(check))
    if check.link is not None:
        data["redirects"] = [{"url": h.url, "status": h.status} for h in check.link.redirects]
    return data


def _article_json(article: ArticleCheck, report: VerifyReport) -> dict[str, Any]:
    from factcheck.report import result_json

    doc = result_json(article.result)
    doc["sources"] = [_source_json(report.sources[source.id]) for source in article.result.sources]
    by_id = {c.claim.id: c for c in article.claims}
    for claim in doc["claims"]:
        claim.update(_claim_json_extra(by_id[claim["id"]]))
    cited = {s.id for s in article.result.sources}
    doc["failures"] = [
        f.to_json()
        for f in report.failures
        if (f.claim is None and f.source in cited) or (f.claim is not None and article.label in f.articles)
    ]
    return doc


def to_json(report: VerifyReport) -> str:
    """One article: the check document plus ``failures`` and ``verify``. Several: ``articles`` (one check
    document each, with its own ``failures``), every cited ``sources`` once, all ``failures`` and ``verify``.
    """
    if len(report.articles) == 1:
        doc = _article_json(report.articles[0], report)
    else:
        doc = {
            "schema": 1,
            "checked_at": report.checked_at,
            "articles": [_article_json(a, report) for a in report.articles],
            "sources": [_source_json(check) for check in report.sources.values()],
            "failures": [f.to_json() for f in report.failures],
        }
    doc["verify"] = _summary_json(report)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _health_word(health: str) -> str:
    words, symbol = HEALTH_LABELS[health]
    return f"{symbol} {words}"


def _counts_text(counts: Mapping[str, int], labels: Mapping[str, tuple[str, str]]) -> str:
    return ", ".join(f"{n} {labels[k][0]}" for k, n in counts.items() if n)


def _headline(report: VerifyReport) -> str:
    if not report.failures:
        return "✔ no failures"
    links = sum(1 for f in report.failures if f.claim is None)
    claims = len(report.failures) - links
    parts = [f"{links} link{'s' if links != 1 else ''}"] if links else []
    if claims:
        parts.append(f"{claims} claim{'s' if claims != 1 else ''}")
    return f"✘ {len(report.failures)} failure{'s' if len(report.failures) != 1 else ''}: {', '.join(parts)}"


def to_text(report: VerifyReport) -> str:
    """A plain listing for a CI log: every link, then the failing and skipped claims per article."""
    n_articles = len(report.articles)
    claims = report.claim_counts()
    lines = [
        f"factcheck verify · {n_articles} article{'s' if n_articles != 1 else ''} · "
        f"{len(report.sources)} sources · {len(report.links)} URLs ({report.requests} fetched, "
        f"{sum(1 for link in report.links if link.cached)} cached) · {sum(claims.values())} claims · "
        f"{report.checked_at}",
        "",
        "Links",
    ]
    width = max((len(sid) for sid in report.sources), default=10)
    for sid, check in report.sources.items():
        where = check.link.url if check.link else (check.source.url or "")
        detail = "; ".join(x for x in (check.message, check.suggestion) if x)
        lines.append(
            f"  {_health_word(check.health):<13} {sid:<{width}}  {where}"
            + (f"  — {detail}" if detail else "")
        )
    if not report.sources:
        lines.append("  (no cited sources)")
    lines += ["", "Claims"]
    for article in report.articles:
        lines.append(f"  {article.label}: {_counts_text(article.counts, OUTCOME_LABELS) or 'no claims'}")
        for item in article.claims:
            if item.outcome == "pass":
                continue
            symbol = OUTCOME_LABELS[item.outcome][1]
            speaker = item.claim.speaker or "nobody named"
            lines.append(
                f"    {symbol} {item.claim.id}  {speaker}: {_claim_words(item.claim, 60)}  — {item.message}"
            )
    lines += ["", _headline(report)]
    for failure in report.failures:
        what = f"claim {failure.claim} ({failure.source})" if failure.claim else f"link {failure.source}"
        lines.append(f"  ✘ {what}: {failure.reason}")
    for warning in report.warnings:
        lines.append(f"  warning: {warning}")
    return "\n".join(lines) + "\n"


def _cell(text: str | None) -> str:
    """Text for a Markdown table cell: one line, pipes and markup escaped."""
    if not text:
        return "—"
    return "".join("\\" + c if c in "\\`*_[]<>|#" else c for c in " ".join(text.split()))


def _md_link(text: str, url: str | None) -> str:
    if not url:
        return _cell(text)
    return f"[{_cell(text)}](<{url.replace('>', '%3E')}>)"


def to_markdown(report: VerifyReport) -> str:
    """A summary for a GitHub job summary or a pull request: failures first, then links, then claims."""
    claims = report.claim_counts()
    lines = [f"## factcheck verify: {_headline(report)}", ""]
    health = " · ".join(
        f"{HEALTH_LABELS[h][1]} {n} {HEALTH_LABELS[h][0]}" for h, n in report.health_counts().items()
    )
    lines.append(
        f"{len(report.articles)} article(s) · {len(report.sources)} source(s): {health or 'none'} · "
        f"{sum(claims.values())} claim(s): {_counts_text(claims, OUTCOME_LABELS) or 'none'} · "
        f"checked {report.checked_at}"
    )
    lines.append("")
    if report.failures:
        lines += ["### Failures", "", "| | source | claim | article | reason |", "|---|---|---|---|---|"]
        for f in report.failures:
            kind = _health_word(f.kind) if f.kind in HEALTH_LABELS else f"✘ {f.kind}"
            lines.append(
                f"| {kind} | {_md_link(f.source, f.url)} | {_cell(f.claim)} | "
                f"{_cell(', '.join(f.articles))} | {_cell(f.reason)} |"
            )
        lines.append("")
    lines += ["### Links", "", "| health | source | notes |", "|---|---|---|"]
    quiet: list[str] = []
    for sid, check in report.sources.items():
        url = check.link.url if check.link else (check.source.url or None)
        notes = "; ".join(x for x in (check.message, check.suggestion) if x)
        row = f"| {_health_word(check.health)} | {_md_link(sid, url)} | {_cell(notes)} |"
        if check.health == "ok" and not check.message:
            quiet.append(row)
        else:
            lines.append(row)
    if quiet:
        lines += ["", f"<details><summary>{len(quiet)} link(s) ok</summary>", ""]
        lines += ["| health | source | notes |", "|---|---|---|", *quiet, "", "</details>"]
    lines.append("")
    lines.append("### Claims")
    lines.append("")
    for article in report.articles:
        counts = _counts_text(article.counts, OUTCOME_LABELS) or "no claims"
        lines += [f"<details><summary>{_cell(article.label)}: {counts}</summary>", ""]
        if article.claims:
            lines += ["| | claim | speaker | verdict | note |", "|---|---|---|---|---|"]
            for item in article.claims:
                words, symbol = VERDICT_LABELS[item.verdict.verdict]
                lines.append(
                    f"| {OUTCOME_LABELS[item.outcome][1]} {item.outcome} | `{item.claim.id}` "
                    f"{_cell(_claim_words(item.claim, 80))} | {_cell(item.claim.speaker)} | "
                    f"{symbol} {words} | {_cell(item.message)} |"
                )
        lines += ["", "</details>", ""]
    for warning in report.warnings:
        lines.append(f"> warning: {_cell(warning)}")
    return "\n".join(lines).rstrip() + "\n"


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def _suite(name: str, timestamp: str) -> ET.Element:
    return ET.Element("testsuite", {"name": _xml_text(name), "timestamp": timestamp})


def _case(suite: ET.Element, classname: str, name: str, seconds: float, file: str | None) -> ET.Element:
    attrs = {"classname": _xml_text(classname), "name": _xml_text(name), "time": f"{seconds:.3f}"}
    if file:
        attrs["file"] = _xml_text(file)
    return ET.SubElement(suite, "testcase", attrs)


def _finish_suite(suite: ET.Element) -> tuple[int, int, int, float]:
    cases = suite.findall("testcase")
    failures = sum(1 for c in cases if c.find("failure") is not None)
    skipped = sum(1 for c in cases if c.find("skipped") is not None)
    seconds = sum(float(c.get("time", "0")) for c in cases)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    suite.set("time", f"{seconds:.3f}")
    return len(cases), failures, skipped, seconds


def to_junit(report: VerifyReport) -> str:
    """JUnit XML: a ``links`` suite (one testcase per source) and one suite per article (one per claim).

    Failures carry a one-line ``message`` and the details as text; blocked links (without --strict),
    sources with no URL and claims that cannot be checked live are ``skipped`` with a message. GitLab
    shows ``classname`` as the suite and ``name`` as the test; ``file`` points at the registry entry or
    the article for annotations.
    """
    stamp = report.checked_at
    root = ET.Element("testsuites", {"name": "factcheck verify", "timestamp": stamp})
    links = _suite("links", stamp)
    links.set("hostname", socket.gethostname())
    for sid, check in report.sources.items():
        url = check.link.url if check.link else (check.source.url or "no URL")
        case = _case(
            links,
            "links",
            f"{sid} {url}",
            check.link.elapsed if check.link else 0.0,
            str(check.source.path) if check.source.path else None,
        )
        detail = "\n".join(
            x
            for x in (
                f"source: {sid}" + (f" ({check.source.title})" if check.source.title else ""),
                f"url: {url}",
                f"final url: {check.link.final_url}" if check.link and check.link.final_url else "",
                f"health: {check.health}",
                check.message,
                f"suggestion: {check.suggestion}" if check.suggestion else "",
                f"cited by: {', '.join(check.articles)}",
            )
            if x
        )
        message = "; ".join(x for x in (check.message or check.health, check.suggestion) if x)
        if check.outcome == "fail":
            failure = ET.SubElement(case, "failure", {"message": _xml_text(message), "type": check.health})
            failure.text = _xml_text(detail)
        elif check.outcome == "skip":
            ET.SubElement(case, "skipped", {"message": _xml_text(message)})
        else:
            out = ET.SubElement(case, "system-out")
            out.text = _xml_text(detail)
    suites = [links]
    for article in report.articles:
        suite = _suite(article.label, stamp)
        for item in article.claims:
            claim = item.claim
            name = f"{claim.id} {claim.speaker or 'nobody named'}: {_claim_words(claim, 80)}"
            case = _case(suite, article.label, name, 0.0, article.result.article.path)
            detail = "\n".join(
                x
                for x in (
                    f"claim: {claim.text}",
                    f"source: {claim.source}" if claim.source else "source: none",
                    f"live verdict: {item.verdict.verdict}: {item.verdict.reason}",
                    f"evidence: {_short(item.verdict.evidence.text, 400)}" if item.verdict.evidence else "",
                    f"cached: {item.cached}" if item.cached else "",
                )
                if x
            )
            if item.outcome == "fail":
                kind = item.failure or "fail_on"
                failure = ET.SubElement(case, "failure", {"message": _xml_text(item.message), "type": kind})
                failure.text = _xml_text(detail)
            elif item.outcome == "skip":
                ET.SubElement(case, "skipped", {"message": _xml_text(item.message)})
            else:
                out = ET.SubElement(case, "system-out")
                out.text = _xml_text(detail)
        suites.append(suite)
    totals = [0, 0, 0, 0.0]
    for suite in suites:
        counts = _finish_suite(suite)
        for i, value in enumerate(counts):
            totals[i] += value
        root.append(suite)
    root.set("tests", str(int(totals[0])))
    root.set("failures", str(int(totals[1])))
    root.set("errors", "0")
    root.set("skipped", str(int(totals[2])))
    root.set("time", f"{report.elapsed:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render(report: VerifyReport, fmt: str) -> str:
    """The report in one of :data:`FORMATS`."""
    if fmt == "json":
        return to_json(report)
    if fmt == "markdown":
        return to_markdown(report)
    if fmt == "junit":
        return to_junit(report)
    if fmt == "text":
        return to_text(report)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def append_step_summary(report: VerifyReport, path: Path) -> None:
    """Append the Markdown summary to ``$GITHUB_STEP_SUMMARY`` (an append, as GitHub expects)."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(to_markdown(report) + "\n")


def run_verify_command(
    articles: Sequence[str],
    sources_dir: Path | None,
    *,
    fmt: str = "text",
    output: Path | None = None,
    options: VerifyOptions | None = None,
    progress: ProgressCallback | None = None,
    step_summary: str | None = None,
) -> int:
    """The body of ``factcheck verify``: run, write the chosen format, append the job summary; the exit code.

    ``step_summary`` defaults to ``$GITHUB_STEP_SUMMARY``. Warnings go to stderr as ``warning: ...``.
    """
    from factcheck.report import write_output

    def warn(message: str) -> None:
        sys.stderr.write(f"warning: {' '.join(message.split())}\n")

    report = verify(articles, sources_dir, options, progress=progress, warn=warn)
    write_output(render(report, fmt), output)
    summary = step_summary if step_summary is not None else os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            append_step_summary(report, Path(summary))
        except OSError as err:
            warn(f"{summary}: cannot append the job summary ({err.strerror or err})")
    if report.failures:
        sys.stderr.write(f"factcheck verify: {_headline(report).lstrip('✘ ')}\n")
    return report.exit_code
