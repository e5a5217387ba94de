"""How verdicts and review marks look: always a word and a symbol, colour only as a second cue."""

from __future__ import annotations

from textual.content import Content

from factcheck.review import Review
from factcheck.verdicts import VERDICT_LABELS

VERDICT_STYLES = {
    "verbatim": "$success",
    "minor": "$success",
    "altered": "bold $error",
    "paraphrase": "$primary",
    "not_found": "bold $error",
    "misattributed": "bold $secondary",
    "unavailable": "$warning",
    "unsourced": "$text-muted",
}

#: What each verdict means, in short (DESIGN.md has the full wording), for the picker and the help.
VERDICT_MEANINGS = {
    "verbatim": "in the source; at most typography differs",
    "minor": "small differences that do not change the meaning",
    "altered": "words, a number or a negation changed",
    "paraphrase": "reported speech with a supporting passage",
    "not_found": "source read; nothing close to the claim in it",
    "misattributed": "not in the linked source, but in another one",
    "unavailable": "the source could not be read",
    "unsourced": "the article names no source",
}

REVIEWED_MARK = "[✓]"
UNREVIEWED_MARK = "[ ]"
NOTE_MARK = "✎"
OVERRIDE_ARROW = "⇒"


def verdict_text(verdict: str) -> str:
    """ "✔ verbatim": the symbol and the words."""
    words, symbol = VERDICT_LABELS[verdict]
    return f"{symbol} {words}"


def verdict_content(verdict: str) -> Content:
    return Content.styled(verdict_text(verdict), VERDICT_STYLES[verdict])


def review_mark(review: Review | None) -> Content:
    """``[✓]`` once a person decided, ``[ ]`` before."""
    if review is not None and review.decided:
        return Content.styled(REVIEWED_MARK, "bold $success")
    return Content.styled(UNREVIEWED_MARK, "$text-muted")


def verdicts_content(machine_verdict: str, review: Review | None) -> Content:
    """The machine's verdict, and the reviewer's beside it when they overrode it."""
    machine = verdict_content(machine_verdict)
    if review is None or review.verdict is None or review.verdict == machine_verdict:
        return machine
    return Content.assemble(machine.stylize("strike"), f" {OVERRIDE_ARROW} ", verdict_content(review.verdict))
