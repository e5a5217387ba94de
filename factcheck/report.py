"""Stage 8, outputs: the JSON document of the contract and the terminal table.

JSON (schema 1) is the contract in DESIGN.md; fields beyond it are extensions and may be relied on too.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from factcheck.claims import Claim
from factcheck.pipeline import Extraction
from factcheck.sources import Source

SCHEMA = 1


def article_json(extraction: Extraction) -> dict[str, Any]:
    article = extraction.article
    return {
        "title": article.title,
        "url": article.url,
        "path": article.path,
        "publisher": article.publisher or None,
        "published": article.published or None,
    }


def source_json(source: Source) -> dict[str, Any]:
    """A source as the contract lists it; fetch fields stay null until a check reads it."""
    return {
        "id": source.id,
        "title": source.title or None,
        "publisher": source.publisher or None,
        "url": source.url or None,
        "kind": source.kind,
        "speakers": list(source.speakers),
        "status": None,
        "http_status": None,
        "final_url": None,
        "fetched_at": None,
        "provenance": None,
        "error": None,
    }


def claim_json(claim: Claim) -> dict[str, Any]:
    """A claim as the contract lists it (verdict fields null before checking), plus extensions."""
    return {
        "id": claim.id,
        "kind": claim.kind,
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "quote": claim.quote,
        "speaker": claim.speaker,
        "source": claim.source,
        "verdict": None,
        "score": None,
        "evidence": None,
        "reason": None,
        "review": None,
        # extensions
        "speaker_mention": claim.speaker_mention,
        "attribution": claim.attribution,
        "verb": claim.verb,
        "statement": claim.statement,
        "figure": claim.figure,
        "quote_spans": [list(span) for span in claim.quote_spans],
        "paragraph": claim.paragraph,
        "candidates": list(claim.candidates),
        "link": claim.link,
        "href": claim.href,
    }


def extraction_json(extraction: Extraction) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "article": article_json(extraction),
        "sources": [source_json(s) for s in extraction.sources],
        "claims": [claim_json(c) for c in extraction.claims],
    }


def to_json(extraction: Extraction) -> str:
    """The contract's JSON document for ``factcheck extract``."""
    return json.dumps(extraction_json(extraction), ensure_ascii=False, indent=2) + "\n"


def write_stdout(text: str) -> None:
    """Write to stdout; a closed pipe (``| head``) is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        pass


def _short(text: str | None, width: int) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def print_claims_table(extraction: Extraction) -> None:
    """The claims as a readable terminal listing: a header line per claim, then its words."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    article = extraction.article
    console.print(f"[bold]{escape(article.title or article.path or 'article')}[/bold]", crop=False)
    if article.url or article.path:
        console.print(f"[dim]{escape(article.url or article.path or '')}[/dim]", crop=False)
    console.print()
    for number, claim in enumerate(extraction.claims, 1):
        speaker = escape(claim.speaker) if claim.speaker else "[dim]nobody named[/dim]"
        if claim.speaker_mention:
            speaker += f" [dim]({escape(claim.speaker_mention)})[/dim]"
        source = (
            f"[cyan]{escape(claim.source)}[/cyan] [dim]({claim.link})[/dim]"
            if claim.source
            else "[yellow]unsourced[/yellow]"
        )
        console.print(
            f"[bold]{number:>2}[/bold] [dim]{claim.id}[/dim] {claim.kind:<16} {speaker} → {source}",
            crop=False,
        )
        if claim.quote:
            words = f"“{claim.quote}”"
        elif claim.figure:
            words = f"[bold]{escape(claim.figure)}[/bold]: {escape(claim.statement or '')}"
        else:
            words = escape(claim.statement or claim.text)
        console.print(f"   {escape(_short(words, 300)) if claim.quote else words}", crop=False)
    counts: dict[str, int] = {}
    for claim in extraction.claims:
        counts[claim.kind] = counts.get(claim.kind, 0) + 1
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    unsourced = sum(1 for c in extraction.claims if not c.source)
    console.print(f"\n{len(extraction.claims)} claims ({summary}); {unsourced} unsourced.", crop=False)
