"""Stage 8, outputs: the contract's JSON document, the terminal listing and the Markdown report.

JSON (schema 1) is the contract in DESIGN.md; fields beyond it are extensions and may be relied on too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from factcheck.atomic import write_atomic
from factcheck.claims import Claim
from factcheck.pipeline import CheckResult, Extraction
from factcheck.review import Review, ReviewFile, review_json
from factcheck.sources import Source
from factcheck.verdicts import VERDICT_LABELS, VERDICTS, ReadSource, Verdict

SCHEMA = 1
VERDICT_STYLES = {
    "verbatim": "green",
    "minor": "green",
    "altered": "bold red",
    "paraphrase": "cyan",
    "not_found": "bold red",
    "misattributed": "bold magenta",
    "unavailable": "yellow",
    "unsourced": "dim",
}


# --------------------------------------------------------------------------------------------
# JSON


def article_json(result: Extraction) -> dict[str, Any]:
    article = result.article
    return {
        "title": article.title,
        "url": article.url,
        "path": article.path,
        "publisher": article.publisher or None,
        "published": article.published or None,
    }


def source_json(source: Source, read: ReadSource | None = None) -> dict[str, Any]:
    """A source as the contract lists it; fetch fields are null until a check has read it."""
    data: dict[str, Any] = {
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
    if read is not None:
        acquired, capture = read.acquired, read.acquired.capture
        data.update(
            status=acquired.status,
            http_status=acquired.http_status,
            final_url=acquired.final_url,
            fetched_at=acquired.fetched_at,
            provenance=acquired.provenance,
            error=read.error or acquired.error,
            strength=capture.strength if capture else None,
            note=capture.note if capture and capture.note else None,
            sha256=capture.sha256 if capture else None,
            redirects=[{"url": hop.url, "status": hop.status} for hop in capture.redirects]
            if capture
            else [],
            document_kind=read.document.kind if read.document else None,
        )
    return data


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    """A verdict's fields as they sit in a claim of the JSON document."""
    data = verdict.to_json()
    del data["source"]  # the claim's own "source" (the linked one) stays; found_in names any other
    data["score"] = round(verdict.score, 1) if verdict.score is not None else None
    return data


def claim_json(claim: Claim, verdict: Verdict | None = None, review: Review | None = None) -> dict[str, Any]:
    """A claim as the contract lists it (verdict fields null before checking), plus extensions."""
    data: dict[str, Any] = {
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
        "affiliation": claim.affiliation,
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
    if verdict is not None:
        data.update(verdict_json(verdict))
    data["review"] = review_json(review)
    return data


def result_json(result: Extraction, reviews: ReviewFile | None = None) -> dict[str, Any]:
    """The contract's document for an extraction (verdicts null) or a check, with any review decisions."""
    if not isinstance(result, CheckResult):
        return {
            "schema": SCHEMA,
            "article": article_json(result),
            "sources": [source_json(s) for s in result.sources],
            "claims": [claim_json(c) for c in result.claims],
        }
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "article": article_json(result),
        "sources": [source_json(s, result.read.get(s.id)) for s in result.sources],
        "claims": [
            claim_json(c, result.verdicts.get(c.id), reviews.get(c.id) if reviews else None)
            for c in result.claims
        ],
    }
    doc["checked_at"] = result.checked_at
    doc["offline"] = result.offline
    doc["summary"] = verdict_counts(result)
    if reviews is not None:
        doc["review_file"] = str(reviews.path)
        doc["reviewed"] = sum(1 for c in result.claims if (r := reviews.get(c.id)) is not None and r.decided)
        orphans = reviews.orphans({c.id for c in result.claims})
        if orphans:
            doc["orphaned_reviews"] = [{"claim": r.claim_id, **(review_json(r) or {})} for r in orphans]
    return doc


def to_json(result: Extraction, reviews: ReviewFile | None = None) -> str:
    return json.dumps(result_json(result, reviews), ensure_ascii=False, indent=2) + "\n"


def effective_verdict(result: CheckResult, claim: Claim, reviews: ReviewFile | None) -> str:
    """The verdict that counts: a person's decision when there is one, else the machine's."""
    review = reviews.get(claim.id) if reviews else None
    if review is not None and review.verdict is not None:
        return review.verdict
    return result.verdicts[claim.id].verdict


def verdict_counts(result: CheckResult) -> dict[str, int]:
    counts = dict.fromkeys(VERDICTS, 0)
    for verdict in result.verdicts.values():
        counts[verdict.verdict] += 1
    return {k: v for k, v in counts.items() if v}


# --------------------------------------------------------------------------------------------
# Writing


def write_stdout(text: str) -> None:
    """Write to stdout; a closed pipe (``| head``) is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        pass


def write_output(text: str, output: Path | None) -> None:
    """Write to ``output`` atomically, or to stdout when it is None or ``-``."""
    if output is None or str(output) == "-":
        write_stdout(text)
    else:
        write_atomic(output, text)


def _short(text: str | None, width: int) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def verdict_label(verdict: str) -> str:
    """The verdict in words with its symbol: "✔ verbatim"."""
    words, symbol = VERDICT_LABELS[verdict]
    return f"{symbol} {words}"


# --------------------------------------------------------------------------------------------
# Terminal listing


def print_claims_table(result: Extraction) -> None:
    """The claims as a readable terminal listing: a header line per claim, then its words and reason."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    article = result.article
    checked = result if isinstance(result, CheckResult) else None
    console.print(f"[bold]{escape(article.title or article.path or 'article')}[/bold]", crop=False)
    if article.url or article.path:
        console.print(f"[dim]{escape(article.url or article.path or '')}[/dim]", crop=False)
    console.print()
    for number, claim in enumerate(result.claims, 1):
        speaker = escape(claim.speaker) if claim.speaker else "[dim]nobody named[/dim]"
        if claim.speaker_mention:
            speaker += f" [dim]({escape(claim.speaker_mention)})[/dim]"
        cited = (
            f"[cyan]{escape(claim.source)}[/cyan] [dim]({claim.link})[/dim]"
            if claim.source
            else "[yellow]unsourced[/yellow]"
        )
        head = f"[bold]{number:>2}[/bold] [dim]{claim.id}[/dim] {claim.kind:<16}"
        if checked:
            verdict = checked.verdicts[claim.id]
            style = VERDICT_STYLES[verdict.verdict]
            head += f" [{style}]{verdict_label(verdict.verdict):<19}[/{style}]"
        console.print(f"{head} {speaker} → {cited}", crop=False)
        if claim.quote:
            words = escape(f"“{_short(claim.quote, 300)}”")
        elif claim.figure:
            words = f"[bold]{escape(claim.figure)}[/bold]: {escape(claim.statement or '')}"
        else:
            words = escape(claim.statement or claim.text)
        console.print(f"   {words}", crop=False)
        if checked:
            console.print(f"   [dim]{escape(checked.verdicts[claim.id].reason)}[/dim]", crop=False)
    kinds: dict[str, int] = {}
    for claim in result.claims:
        kinds[claim.kind] = kinds.get(claim.kind, 0) + 1
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    if checked:
        verdicts = ", ".join(f"{n} {verdict_label(v)}" for v, n in verdict_counts(checked).items())
        console.print(f"\n{len(result.claims)} claims ({summary}): {verdicts}.", crop=False)
        for source in checked.sources:
            read = checked.read[source.id]
            status = read.acquired.status
            note = read.error or read.acquired.error or read.copy_note or ""
            console.print(
                f"[dim]  {source.id}: {status}{' — ' + escape(note) if note else ''}[/dim]", crop=False
            )
    else:
        unsourced = sum(1 for c in result.claims if not c.source)
        console.print(f"\n{len(result.claims)} claims ({summary}); {unsourced} unsourced.", crop=False)


# --------------------------------------------------------------------------------------------
# Markdown


def _md(text: str) -> str:
    """Escape Markdown metacharacters in running text."""
    return "".join("\\" + c if c in "\\`*_[]<>|#" else c for c in " ".join(text.split()))


def diff_markdown(verdict: Verdict) -> str:
    """The quote against its evidence: ~~source words~~ the article dropped or changed, **its own words**."""
    parts: list[str] = []
    for op in verdict.diff:
        if op.op == "equal":
            parts.append(_md(op.quote or op.source))
        elif op.op == "changed":
            parts.append(f"~~{_md(op.source)}~~ **{_md(op.quote)}**")
        elif op.op == "dropped":
            parts.append(f"~~{_md(op.source)}~~")
        elif op.op == "added":
            parts.append(f"**{_md(op.quote)}**")
        elif op.op == "elided":
            parts.append("[…]")
        elif op.op == "bracket":
            parts.append(f"**{_md(op.quote)}**" + (f" (for ~~{_md(op.source)}~~)" if op.source else ""))
    return " ".join(p for p in parts if p)


def _source_row(source: Source, read: ReadSource) -> str:
    acquired, capture = read.acquired, read.acquired.capture
    name = f"[{_md(source.id)}]({source.url})" if source.url else _md(source.id)
    if source.title:
        name += f"<br>{_md(source.title)}"
    copy = "—"
    if capture is not None:
        copy = capture.provenance
        if capture.provenance not in {"live", "wayback"} and capture.strength != capture.provenance:
            copy += f" ({capture.strength})"
    fetched = (acquired.fetched_at or "")[:10] or "—"
    note = read.error or acquired.error or (capture.note if capture else "") or ""
    status = acquired.status + (f" ({acquired.http_status})" if acquired.http_status else "")
    return f"| {name} | {status} | {_md(copy)} | {fetched} | {_md(note) or '—'} |"


def to_markdown(result: CheckResult, reviews: ReviewFile | None = None) -> str:
    """A verdict report that reads well on GitHub and in a terminal Markdown viewer."""
    article = result.article
    lines = [f"# Fact-check: {_md(article.title or 'article')}", ""]
    where = f"<{article.url}>" if article.url else f"`{article.path}`" if article.path else "stdin"
    mode = " (offline: archived copies only)" if result.offline else ""
    lines += [f"Article: {where}  ", f"Checked: {result.checked_at}{mode}", ""]
    counts = " · ".join(
        f"{VERDICT_LABELS[v][1]} {n} {VERDICT_LABELS[v][0]}" for v, n in verdict_counts(result).items()
    )
    lines += [f"**{len(result.claims)} claims:** {counts}  "]
    if reviews is not None:
        decided = [r for c in result.claims if (r := reviews.get(c.id)) is not None and r.decided]
        overridden = sum(1 for r in decided if r.verdict != r.machine_verdict)
        lines.append(f"**Reviewed:** {len(decided)} of {len(result.claims)} ({overridden} overridden)")
    lines.append("")
    lines += ["## Sources", "", "| source | status | copy | fetched | notes |", "|---|---|---|---|---|"]
    lines += [_source_row(s, result.read[s.id]) for s in result.sources]
    lines += ["", "## Claims", ""]
    for number, claim in enumerate(result.claims, 1):
        verdict = result.verdicts[claim.id]
        speaker = _md(claim.speaker) if claim.speaker else "nobody named"
        lines.append(f"### {number}. {verdict_label(verdict.verdict)} — {speaker}")
        lines.append("")
        if claim.quote:
            lines.append(f"> “{_md(claim.quote)}”")
        else:
            lines.append(f"> {_md(claim.text)}")
        lines.append("")
        details = [f"- **Kind:** {claim.kind}" + (f" ({_md(claim.figure)})" if claim.figure else "")]
        if claim.source:
            details.append(
                f"- **Source:** {_md(verdict.source or claim.source)}"
                + (f" ({claim.link})" if claim.link else "")
            )
        if verdict.evidence is not None:
            page = f", page {verdict.evidence.page}" if verdict.evidence.page else ""
            passage = _md(_short(verdict.evidence.text, 600))
            details.append(f"- **Evidence** ({_md(verdict.evidence.source)}{page}): “{passage}”")
        differs = any(op.op != "equal" for op in verdict.diff)
        if differs and verdict.verdict in {"minor", "altered", "misattributed"}:
            details.append(f"- **Differences:** {diff_markdown(verdict)}")
        details.append(f"- **Reason:** {_md(verdict.reason)}")
        review = reviews.get(claim.id) if reviews else None
        if review is not None:
            details.append(f"- **Review:** {_review_markdown(review)}")
        details.append(f"- **Claim id:** `{claim.id}`")
        lines += [*details, ""]
    lines.append("Differences: ~~struck~~ words are the source's, **bold** words are the article's.")
    return "\n".join(lines) + "\n"


def _review_markdown(review: Review) -> str:
    if review.verdict is None:
        decision = "not decided"
    elif review.verdict == review.machine_verdict:
        decision = f"confirmed {verdict_label(review.verdict)}"
    else:
        machine = verdict_label(review.machine_verdict) if review.machine_verdict in VERDICT_LABELS else "?"
        decision = f"overridden to **{verdict_label(review.verdict)}** (machine: {machine})"
    when = f" on {review.reviewed_at[:10]}" if review.reviewed_at else ""
    note = f" — “{_md(review.note)}”" if review.note else ""
    return f"{decision}{when}{note}"


# --------------------------------------------------------------------------------------------
# ClaimReview (schema.org JSON-LD)

#: reviewRating.ratingValue on a 1 (worst) to 5 (best) scale. ``unavailable`` and ``unsourced`` are
#: not judgements of the claim, so they carry only ``alternateName`` and no numeric value.
CLAIMREVIEW_RATINGS = {
    "verbatim": 5,
    "minor": 4,
    "paraphrase": 3,
    "altered": 2,
    "misattributed": 1,
    "not_found": 1,
}
CLAIMREVIEW_NAMES = {
    "verbatim": "Accurate quote",
    "minor": "Accurate quote with minor differences",
    "paraphrase": "Paraphrase supported by the source",
    "altered": "Altered quote",
    "misattributed": "Misattributed",
    "not_found": "Not found in the cited source",
    "unavailable": "Unverifiable: the cited source could not be read",
    "unsourced": "Unsourced",
}


def _person_or_org(name: str) -> str:
    from factcheck.speakers import is_person

    return "Person" if is_person(name) else "Organization"


def _claim_summary(claim: Claim) -> str:
    """What was claimed, with who it is attributed to: ``X said: “…”`` or the claim's sentence."""
    if claim.quote:
        return f"{claim.speaker} said: “{claim.quote}”" if claim.speaker else f"“{claim.quote}”"
    return " ".join(claim.text.split())


def claimreview(
    result: CheckResult,
    reviews: ReviewFile | None = None,
    *,
    organization: str = "factcheck",
    organization_url: str | None = None,
    review_url: str | None = None,
) -> dict[str, Any]:
    """One schema.org ClaimReview per claim, as JSON-LD; a reviewer's verdict beats the machine's."""
    article = result.article
    published = result.checked_at[:10]
    base = review_url or article.url or (f"file://{article.path}" if article.path else "urn:factcheck:stdin")
    author: dict[str, Any] = {"@type": "Organization", "name": organization}
    if organization_url:
        author["url"] = organization_url
    sources = {s.id: s for s in result.sources}
    graph = []
    for claim in result.claims:
        verdict = effective_verdict(result, claim, reviews)
        machine = result.verdicts[claim.id]
        review = reviews.get(claim.id) if reviews else None
        appearance: dict[str, Any] = {"@type": "NewsArticle", "headline": article.title}
        if article.url:
            appearance["url"] = article.url
        if article.published:
            appearance["datePublished"] = article.published
        item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
        if claim.speaker:
            item["author"] = {"@type": _person_or_org(claim.speaker), "name": claim.speaker}
        source = sources.get(claim.source) if claim.source else None
        if source is not None:
            first: dict[str, Any] = {"@type": "CreativeWork", "name": source.title or source.id}
            if source.url:
                first["url"] = source.url
            if source.published:
                first["datePublished"] = source.published
            item["firstAppearance"] = first
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": CLAIMREVIEW_NAMES[verdict]}
        if verdict in CLAIMREVIEW_RATINGS:
            rating.update(ratingValue=CLAIMREVIEW_RATINGS[verdict], bestRating=5, worstRating=1)
        body = (
            machine.reason
            if review is None or not review.note
            else f"{review.note} (machine: {machine.reason})"
        )
        graph.append(
            {
                "@type": "ClaimReview",
                "url": f"{base}#claim-{claim.id}",
                "claimReviewed": _claim_summary(claim),
                "itemReviewed": item,
                "reviewRating": rating,
                "reviewBody": body,
                "author": author,
                "datePublished": (review.reviewed_at[:10] if review and review.reviewed_at else published),
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}


def to_claimreview(result: CheckResult, reviews: ReviewFile | None = None, **options: Any) -> str:
    return json.dumps(claimreview(result, reviews, **options), ensure_ascii=False, indent=2) + "\n"
