"""The detail panel's parts as content: the claim, its article context, the evidence and the diff."""

from __future__ import annotations

from textual.content import Content

from factcheck.article import Article
from factcheck.claims import Claim
from factcheck.match import DiffOp
from factcheck.review import OVERRIDDEN, Review
from factcheck.tui.claims.claim_row import claim_words
from factcheck.tui.fields import Field
from factcheck.tui.verdict_style import verdict_content

CLAIM_STYLE = "underline"
QUOTE_STYLE = "bold reverse"
DROPPED_STYLE = "strike $error"
ADDED_STYLE = "bold underline $warning"
ELIDED_STYLE = "italic $text-muted"
#: Shown under a diff, so the marks need no help screen to be read.
DIFF_LEGEND = Content.assemble(
    ("[-struck-]", DROPPED_STYLE),
    (" source words the article dropped or changed · ", "$text-muted"),
    ("{+underlined+}", ADDED_STYLE),
    (" the article's own words · ", "$text-muted"),
    ("[…]", ELIDED_STYLE),
    (" marked ellipsis", "$text-muted"),
)
_ELIDED_WIDTH = 60


def claim_heading(number: int, total: int, claim: Claim) -> Content:
    return Content.assemble(
        (f"Claim {number} of {total}", "bold"), (f" · {claim.kind} · {claim.id}", "$text-muted")
    )


def claim_fields(claim: Claim, machine_verdict: str, review: Review | None) -> list[Field]:
    """Who said what, the machine's verdict and the person's decision (and note)."""
    speaker = claim.speaker or "nobody named"
    if claim.speaker_mention and claim.speaker_mention != claim.speaker:
        speaker += f" (as “{claim.speaker_mention}”)"
    fields: list[Field] = [
        ("Speaker", speaker),
        ("Says", claim_words(claim)),
        ("Machine", verdict_content(machine_verdict)),
        ("Review", review_summary(machine_verdict, review)),
    ]
    if review is not None and review.note:
        fields.append(("Note", Content.assemble(("✎ ", "$accent"), review.note)))
    return fields


def review_summary(machine_verdict: str, review: Review | None) -> Content:
    if review is None or review.verdict is None:
        return Content.styled("[ ] not reviewed — c confirms, o overrides", "$text-muted")
    action = "overridden" if review.action == OVERRIDDEN else "confirmed"
    parts: list[Content | str | tuple[str, str]] = [
        ("[✓] ", "bold $success"),
        verdict_content(review.verdict),
        f" ({action}",
        f", {review.reviewed_at})" if review.reviewed_at else ")",
    ]
    if review.machine_verdict and review.machine_verdict != machine_verdict:
        # The check was re-run since the decision: say what the decision was made against.
        parts.append((f" — decided when the machine said {review.machine_verdict}", "$warning"))
    return Content.assemble(*parts)


def article_context(article: Article, claim: Claim) -> Content:
    """The paragraph(s) holding the claim: the claim underlined, its quoted words highlighted."""
    first = article.paragraph_index(claim.start)
    last = article.paragraph_index(max(claim.start, claim.end - 1))
    if first is None or last is None:
        start, end = claim.start, claim.end
    else:
        start, end = article.paragraphs[first].start, article.paragraphs[last].end
    context = Content(article.text[start:end]).stylize(CLAIM_STYLE, claim.start - start, claim.end - start)
    for quote_start, quote_end in claim.quote_spans:
        context = context.stylize(QUOTE_STYLE, quote_start - start, quote_end - start)
    return context


def diff_content(diff: tuple[DiffOp, ...]) -> Content:
    """The quote against its evidence, word by word; each kind of difference has its own marks."""
    parts: list[Content | str | tuple[str, str]] = []
    for op in diff:
        if parts:
            parts.append(" ")
        if op.op == "equal":
            parts.append(op.source or op.quote)
        elif op.op == "changed":
            parts += [(f"[-{op.source}-]", DROPPED_STYLE), (f"{{+{op.quote}+}}", ADDED_STYLE)]
        elif op.op == "dropped":
            parts.append((f"[-{op.source}-]", DROPPED_STYLE))
        elif op.op == "added":
            parts.append((f"{{+{op.quote}+}}", ADDED_STYLE))
        elif op.op == "elided":
            elided = " ".join(op.source.split())
            if len(elided) > _ELIDED_WIDTH:
                elided = elided[: _ELIDED_WIDTH - 1] + "…"
            parts.append((f"[… {elided}]" if elided else "[…]", ELIDED_STYLE))
        elif op.op == "bracket":
            parts.append((op.quote, "bold"))
            if op.source:
                parts.append((f" (for “{op.source}”)", ELIDED_STYLE))
        else:
            parts.append(op.quote or op.source)
    return Content.assemble(*parts)


def no_evidence_text(verdict: str) -> str:
    """Why there is no evidence passage, in the verdict's terms (a dead link is not a missing quote)."""
    if verdict == "unsourced":
        return "No passage: the article names no source for this claim."
    if verdict == "unavailable":
        return "No passage: the source could not be read, so nothing can be said about the words."
    return "Nothing close to the claim was found in the source."


def has_differences(diff: tuple[DiffOp, ...]) -> bool:
    return any(op.op != "equal" for op in diff)
