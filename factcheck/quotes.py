"""Quotation marks and sentences: pair quote marks in every typographic convention, split sentences.

Handles straight and curly double quotes, « », „ “, » «, single quotes used as quote marks (telling them
from apostrophes), quotes that run over several paragraphs where each paragraph reopens the quote, and
stray or unbalanced marks (never an error: an unpaired mark is left alone). Sentences never break inside
a quotation, so ``"A. B," she said.`` is one sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from factcheck.lexicon import ABBREVIATIONS, INVERTIBLE
from factcheck.text import Paragraph

# Paragraph kinds that never hold claims: the headline, sub-headings, and embedded originals.
NO_CLAIM_KINDS = {"title", "heading", "tweet", "pre"}
MASK = "\x1e"  # stands in for quoted text while looking for verbs and speakers outside quotes

DOUBLE_MARKS = '"“”„‟«»〝〞＂'
SINGLE_MARKS = "'‘’‚‛‹›"
_OPEN_CONTEXT = "([{<—–-/:;"
_CLOSE_CONTEXT = ".,;:!?)]}>…—–-/"
_SPACES = " \t\n\u00a0\u202f\u2009\u2002\u2003\u2007\u200a"

# --------------------------------------------------------------------------------------------
# Quote spans


@dataclass
class QuoteSpan:
    """A quotation: its marks' span and the quoted words' span in each paragraph it covers."""

    start: int  # the opening mark
    end: int  # just after the closing mark (or the paragraph's end when never closed)
    parts: list[tuple[int, int]] = field(default_factory=list)
    closed: bool = True
    block: bool = False  # a block quote without marks

    @property
    def first_paragraph_part(self) -> tuple[int, int]:
        return self.parts[0]


def _char(text: str, index: int, lo: int, hi: int) -> str:
    return text[index] if lo <= index < hi else ""


def _is_space(char: str) -> bool:
    return char == "" or char in _SPACES or char.isspace()


def _can_open(text: str, i: int, lo: int, hi: int) -> bool:
    left, right = _char(text, i - 1, lo, hi), _char(text, i + 1, lo, hi)
    if text[i] == "«" or text[i] == "„":
        return right != ""
    if _is_space(right):
        return False
    return _is_space(left) or left in _OPEN_CONTEXT or left in DOUBLE_MARKS or left in SINGLE_MARKS


def _can_close(text: str, i: int, lo: int, hi: int) -> bool:
    left, right = _char(text, i - 1, lo, hi), _char(text, i + 1, lo, hi)
    if text[i] == "»":
        return left != ""
    if _is_space(left):
        return False
    return (
        _is_space(right)
        or right in _CLOSE_CONTEXT
        or right in DOUBLE_MARKS
        or right in SINGLE_MARKS
        or not right.isalnum()
    )


def _double_quotes(
    text: str, lo: int, hi: int, reopened: int | None
) -> tuple[list[tuple[int, int]], int | None]:
    """Pair double quote marks in ``text[lo:hi]``: closed (open, close) pairs and a final unclosed opener."""
    pairs: list[tuple[int, int]] = []
    open_at = reopened
    for i in range(lo, hi):
        mark = text[i]
        if mark not in DOUBLE_MARKS or i == reopened:
            continue
        if open_at is None:
            # Swedish/Finnish ”…” and German »…« open with what elsewhere closes.
            if _can_open(text, i, lo, hi):
                open_at = i
            continue
        opener = text[open_at]
        closes = _can_close(text, i, lo, hi)
        opens = _can_open(text, i, lo, hi)
        if mark == "„" or (mark == "«" and opener != "»"):
            open_at = i  # only ever an opener: the earlier mark was stray
        elif mark == "“" and opener != "„" and opens and not closes:
            open_at = i
        elif mark == '"' and opens and not closes:
            open_at = i  # ' "A "B' — the first straight quote was stray
        elif closes or (mark in "”»" and not opens):
            pairs.append((open_at, i))
            open_at = None
        elif opens:
            open_at = i
    return pairs, open_at


_ELISIONS = re.compile(r"(?:em|til|tis|twas|n|cause|bout|round|cos|kay|\d0s|\d\ds)\b", re.IGNORECASE)


def _single_quotes(text: str, lo: int, hi: int, blocked: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pair single quote marks used as quotation marks outside double-quoted spans.

    Apostrophes make this ambiguous ("it’s", "the victims’ families"), so a pair needs a clear opener
    and prefers a closer next to punctuation; an unpaired mark is left as an apostrophe.
    """

    def inside_blocked(i: int) -> bool:
        return any(a <= i <= b for a, b in blocked)

    openers: list[int] = []
    closers: list[tuple[int, int]] = []  # (index, priority: 1 strong, 2 weak)
    for i in range(lo, hi):
        mark = text[i]
        if mark not in SINGLE_MARKS or inside_blocked(i):
            continue
        left, right = _char(text, i - 1, lo, hi), _char(text, i + 1, lo, hi)
        if left.isalnum() and right.isalnum():
            continue  # an apostrophe inside a word
        if (
            mark in "‘'‚‛‹"
            and right.isalnum()
            and (_is_space(left) or left in _OPEN_CONTEXT or left in DOUBLE_MARKS)
        ):
            if _ELISIONS.match(text, i + 1):
                continue
            openers.append(i)
            continue
        if mark in "’'›" and not _is_space(left):
            strong = left in ",.!?;:…—" or right in ",.;:!?)…—" or right == ""
            if _is_space(right) or right in _CLOSE_CONTEXT or strong:
                closers.append((i, 1 if strong else 2))
    pairs: list[tuple[int, int]] = []
    position = lo
    for opener in openers:
        if opener < position:
            continue
        next_opener = next((o for o in openers if o > opener), hi)
        candidates = [(c, p) for c, p in closers if c > opener + 1]
        clear = [c for c, p in candidates if p == 1 and c < next_opener]
        weak = [c for c, p in candidates if p == 2]
        close = clear[0] if clear else (weak[0] if weak else None)
        if close is None:
            continue
        pairs.append((opener, close))
        position = close + 1
    return pairs


def _first_mark(text: str, paragraph: Paragraph) -> int | None:
    i = paragraph.start
    while i < paragraph.end and text[i] in _SPACES:
        i += 1
    return i if i < paragraph.end else None


_INVERTIBLE_RE = "|".join(sorted(INVERTIBLE, key=len, reverse=True))
_ATTRIBUTION_INSIDE_RE = re.compile(
    rf"[,!?](?=\s+(?:(?:{_INVERTIBLE_RE})\s+[A-Z]|(?:[A-Z][\w’'-]+\s+){{1,3}}(?:{_INVERTIBLE_RE})\b))"
)


def find_quotes(text: str, paragraphs: Sequence[Paragraph]) -> list[QuoteSpan]:
    """All quotations in document order, joining a quote continued over paragraphs that reopen it."""
    quotes: list[QuoteSpan] = []
    pending: QuoteSpan | None = None  # a quote still open at the end of the previous paragraph

    def settle(span: QuoteSpan | None) -> None:
        # A quote never closed and not continued: keep it to the end of its paragraph when it is
        # long enough to be speech rather than a stray mark, or up to its own attribution when the
        # closing mark was forgotten before one (`"We expect rain, said Jane Doe.`).
        if span is None:
            return
        words = sum(len(text[a:b].split()) for a, b in span.parts)
        if words < 3:
            return
        span.closed = False
        last_start, last_end = span.parts[-1]
        cut = _ATTRIBUTION_INSIDE_RE.search(text, last_start, last_end)
        if cut is not None:
            span.parts[-1] = (last_start, cut.start() + 1)
            span.end = cut.start() + 1
        quotes.append(span)

    for paragraph in paragraphs:
        lo, hi = paragraph.start, paragraph.end
        if paragraph.kind in NO_CLAIM_KINDS:
            settle(pending)
            pending = None
            continue
        reopened = None
        first = _first_mark(text, paragraph)
        if pending is not None and first is not None and text[first] in DOUBLE_MARKS:
            reopened = first
        else:
            settle(pending)
            pending = None
        pairs, open_at = _double_quotes(text, lo, hi, reopened)
        for open_idx, close_idx in pairs:
            if pending is not None and open_idx == reopened:
                pending.parts.append((open_idx + 1, close_idx))
                pending.end = close_idx + 1
                quotes.append(pending)
                pending = None
            else:
                quotes.append(QuoteSpan(open_idx, close_idx + 1, [(open_idx + 1, close_idx)]))
        if open_at is not None:
            if pending is not None and open_at == reopened:
                pending.parts.append((open_at + 1, hi))
                pending.end = hi
            else:
                settle(pending)
                pending = QuoteSpan(open_at, hi, [(open_at + 1, hi)])
        elif pending is not None and reopened is not None and not any(o == reopened for o, _ in pairs):
            settle(pending)
            pending = None
        doubles = [(q.start, q.end) for q in quotes if q.start < hi and q.end > lo]
        if pending is not None:
            doubles.append((pending.start, hi))
        for open_idx, close_idx in _single_quotes(text, lo, hi, doubles):
            quotes.append(QuoteSpan(open_idx, close_idx + 1, [(open_idx + 1, close_idx)]))
        if paragraph.kind == "blockquote" and not any(lo <= q.start < hi for q in quotes) and pending is None:
            quotes.append(QuoteSpan(lo, hi, [(lo, hi)], block=True))
    settle(pending)
    quotes.sort(key=lambda q: q.start)
    return quotes


# --------------------------------------------------------------------------------------------
# Sentences


def split_sentences(
    text: str, lo: int, hi: int, protected: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Sentence spans in ``text[lo:hi]``, never breaking inside a quotation."""
    boundaries = [lo]
    for match in re.finditer(
        r"[.!?…]+[\"”’»)\]']*(?P<gap>\s+)(?=[\"“‘«(\[']?[^\W\d_a-z]|[\"“‘«]|\d)", text[lo:hi]
    ):
        gap = lo + match.start("gap")
        if any(a < gap < b for a, b in protected):
            continue
        before = text[lo : lo + match.start()]
        word = re.search(r"([\w.]+)$", before)
        if text[lo + match.start()] == "." and word:
            token = word.group(1).lower().rstrip(".")
            if (
                token in ABBREVIATIONS
                or re.fullmatch(r"[a-z]", token)
                or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token)
            ):
                continue
        boundaries.append(lo + match.end("gap"))
    boundaries.append(hi)
    spans = []
    for a, b in itertools.pairwise(boundaries):
        segment = text[a:b]
        stripped = segment.rstrip()
        if stripped.strip():
            spans.append((a, a + len(stripped)))
    return spans


def mask_quotes(text: str, quotes: Sequence[QuoteSpan]) -> str:
    chars = list(text)
    for quote in quotes:
        if quote.block:
            continue
        for i in range(quote.start, min(quote.end, len(chars))):
            if chars[i] not in "\n":
                chars[i] = MASK
    return "".join(chars)
