"""One claim as a two-line row of the claims list."""

from __future__ import annotations

from textual.content import Content

from factcheck.claims import Claim
from factcheck.review import Review
from factcheck.tui.verdict_style import NOTE_MARK, review_mark, verdicts_content


def claim_words(claim: Claim) -> str:
    """What the article attributes: the quote in quote marks, else the reported words."""
    if claim.quote:
        return f"“{' '.join(claim.quote.split())}”"
    if claim.figure:
        return f"{claim.figure}: {' '.join((claim.statement or '').split())}"
    return " ".join((claim.statement or claim.text).split())


def claim_row(number: int, claim: Claim, machine_verdict: str, review: Review | None) -> Content:
    """``[✓] 11 ✔ verbatim · Speaker`` over the claim's words (the list cuts long lines with …)."""
    speaker = claim.speaker or "nobody named"
    first = Content.assemble(
        review_mark(review),
        (f" {number:>2} ", "bold"),
        verdicts_content(machine_verdict, review),
        (f" {NOTE_MARK}", "$accent") if review is not None and review.note else "",
        (" · ", "$text-muted"),
        (speaker, "italic" if claim.speaker else "italic $text-muted"),
    )
    second = Content.assemble("     ", (claim_words(claim), "$text-muted"))
    return Content("\n").join([first, second])
