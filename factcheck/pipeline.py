"""The pipeline, in stage order. This is the one place that lists the stages and wires them together:

1. article    load the article (:mod:`factcheck.article`)
2. claims     find attributed claims and their speakers (:mod:`factcheck.claims`)
3. links      connect claims to cited originals (:mod:`factcheck.links`, registry in :mod:`factcheck.sources`)
4. fetch      fetch originals live, archive every capture, fall back to the archive (:mod:`factcheck.fetch`,
              :mod:`factcheck.archive`)
5. documents  bytes to text with page and paragraph offsets (:mod:`factcheck.documents`)
6. match      locate quoted words in the original (:mod:`factcheck.match`)
7. verdicts   turn alignments into verdicts with reasons (:mod:`factcheck.verdicts`)
8. outputs    table, JSON, Markdown, ClaimReview, JUnit (:mod:`factcheck.report`), the review app
              (:mod:`factcheck.tui`) and the CI command (:mod:`factcheck.verify`)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.archive import Acquired, Archive, acquire
from factcheck.article import Article, load_article
from factcheck.claims import Claim, extract_claims
from factcheck.errors import FactcheckError
from factcheck.links import link_claims
from factcheck.sources import Registry, Source, bundled_article_path, bundled_sources_dir, load_registry
from factcheck.verdicts import ReadSource, Verdict, judge, read_source

if TYPE_CHECKING:
    from factcheck.fetch import FetchSettings


@dataclass
class Extraction:
    """Stages 1–3: the article, its claims linked to sources, and the sources they cite."""

    article: Article
    claims: list[Claim]
    sources: list[Source]
    registry: Registry
    bundled: bool = False  # the article is the bundled case (its review file goes to the user data folder)


def load_inputs(article_spec: str | Path | None, sources_dir: Path | None) -> tuple[Article, Registry]:
    """The article (default: the bundled case's) and the source registry (default: the bundled one)."""
    registry = load_registry(sources_dir if sources_dir is not None else bundled_sources_dir())
    article = load_article(article_spec if article_spec is not None else bundled_article_path())
    return article, registry


def extract(article_spec: str | Path | None, sources_dir: Path | None) -> Extraction:
    """Run stages 1–3."""
    article, registry = load_inputs(article_spec, sources_dir)
    claims, sources = link_claims(article, extract_claims(article), registry)
    return Extraction(article, claims, sources, registry, bundled=article_spec is None)


@dataclass
class CheckResult(Extraction):
    """Stages 1–7: an extraction plus every source as read and one verdict per claim."""

    read: dict[str, ReadSource] = field(default_factory=dict)
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    checked_at: str = ""
    offline: bool = False


ProgressCallback = Callable[[int, int, str], None]


def default_archive_dir(registry: Registry) -> Path:
    """``archive/`` inside the sources folder."""
    folder = registry.folder if registry.folder is not None else bundled_sources_dir()
    return folder / "archive"


async def acquire_sources(
    sources: Sequence[Source],
    archive: Archive,
    *,
    offline: bool,
    settings: FetchSettings | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, Acquired]:
    """Stage 4 for every source at once, with one shared HTTP client (offline: the archive only)."""
    done = 0

    async def one(source: Source, fetcher: Fetcher | None) -> Acquired:
        nonlocal done
        acquired = await acquire(source, fetcher, archive, offline=offline)
        done += 1
        if progress is not None:
            progress(done, len(sources), source.id)
        return acquired

    if offline:
        results = [await one(source, None) for source in sources]
    else:
        from factcheck.fetch import Fetcher, FetchSettings  # the HTTP client loads only to fetch

        async with Fetcher(settings or FetchSettings()) as fetcher:
            results = list(await asyncio.gather(*(one(source, fetcher) for source in sources)))
    return {result.source_id: result for result in results}


def check(
    article_spec: str | Path | None,
    sources_dir: Path | None,
    archive_dir: Path | None = None,
    *,
    offline: bool = False,
    settings: FetchSettings | None = None,
    progress: ProgressCallback | None = None,
) -> CheckResult:
    """Run stages 1–7: extract, fetch (or read the archive), read, match and judge every claim."""
    extraction = extract(article_spec, sources_dir)
    archive = Archive(archive_dir if archive_dir is not None else default_archive_dir(extraction.registry))
    # Every registry source is read, not only the linked ones, so that a quote missing from its own
    # source can be found in another known source (misattributed).
    sources = list(extraction.sources) + [
        s for s in extraction.registry if s.id not in {x.id for x in extraction.sources}
    ]
    acquired = asyncio.run(
        acquire_sources(sources, archive, offline=offline, settings=settings, progress=progress)
    )
    read = {source.id: read_source(source, acquired[source.id]) for source in sources}
    verdicts = {claim.id: judge(claim, read) for claim in extraction.claims}
    return CheckResult(
        article=extraction.article,
        claims=extraction.claims,
        sources=sources,
        registry=extraction.registry,
        bundled=extraction.bundled,
        read=read,
        verdicts=verdicts,
        checked_at=datetime.now(UTC).isoformat(timespec="seconds"),
        offline=offline,
    )


def refetch(
    result: CheckResult,
    source_id: str,
    archive_dir: Path | None = None,
    *,
    settings: FetchSettings | None = None,
) -> CheckResult:
    """Fetch one source live again (archiving what comes back) and judge every claim again.

    Every claim is judged again, not only those citing the source: a quote missing from its own source
    may now be found in this one (misattributed).
    """
    source = next((s for s in result.sources if s.id == source_id), None)
    if source is None:
        raise FactcheckError(f"source {source_id} is not part of this check")
    archive = Archive(archive_dir if archive_dir is not None else default_archive_dir(result.registry))
    acquired = asyncio.run(acquire_sources([source], archive, offline=False, settings=settings))
    read = {**result.read, source_id: read_source(source, acquired[source_id])}
    verdicts = {claim.id: judge(claim, read) for claim in result.claims}
    return replace(
        result,
        read=read,
        verdicts=verdicts,
        checked_at=datetime.now(UTC).isoformat(timespec="seconds"),
        offline=False,
    )
