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

from dataclasses import dataclass
from pathlib import Path

from factcheck.article import Article, load_article
from factcheck.claims import Claim, extract_claims
from factcheck.links import link_claims
from factcheck.sources import Registry, Source, bundled_article_path, bundled_sources_dir, load_registry


@dataclass
class Extraction:
    """Stages 1–3: the article, its claims linked to sources, and the sources they cite."""

    article: Article
    claims: list[Claim]
    sources: list[Source]
    registry: Registry


def load_inputs(article_spec: str | Path | None, sources_dir: Path | None) -> tuple[Article, Registry]:
    """The article (default: the bundled case's) and the source registry (default: the bundled one)."""
    registry = load_registry(sources_dir if sources_dir is not None else bundled_sources_dir())
    article = load_article(article_spec if article_spec is not None else bundled_article_path())
    return article, registry


def extract(article_spec: str | Path | None, sources_dir: Path | None) -> Extraction:
    """Run stages 1–3."""
    article, registry = load_inputs(article_spec, sources_dir)
    claims, sources = link_claims(article, extract_claims(article), registry)
    return Extraction(article=article, claims=claims, sources=sources, registry=registry)
