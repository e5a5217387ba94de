"""Stage 7, verdicts: turn the matcher's alignments into one verdict per claim, with a readable reason.

The eight verdicts (DESIGN.md):

==============  ================================================================================
verbatim        the quoted words are in the source, differing at most in typography
minor           found with small differences that do not change meaning (ellipsis, brackets, a dropped
                article, a spelling variant, another inflection)
altered         a close passage exists but words, a number or a negation differ
paraphrase      reported speech, a characterisation or a statistic with a supporting passage
not_found       the source was read and nothing close to the quote or claim is in it
misattributed   not in the linked source, but found in another known source
unavailable     the source could not be read (no URL, dead link with no archive, unsupported content),
                or only part of it could be read and the words are not in that part
unsourced       the article names no source for the claim
==============  ================================================================================

Rules, in order:

1. No source → ``unsourced``.
2. Quotes are matched against every readable candidate document of the speaker (the linked source
   first); the best match wins (verbatim > minor > altered, then score).
3. A quote found nowhere among the candidates is searched in every other source read in the run; a
   hit there is ``misattributed`` and names the source.
4. Absence only counts as ``not_found``, and a near miss as ``altered``, when the whole linked source was
   read. Absent from (or differing in) a partial or secondary copy, or with the linked source unreadable,
   the verdict is ``unavailable``, with the closest passage kept as evidence: a dead link or a fragment
   is never evidence that words were made up or changed.
5. Reported speech, characterisations and statistics get the best supporting passage
   (:func:`factcheck.match.find_support`): at or above :data:`SUPPORT_THRESHOLD` it is ``paraphrase``
   (a person must judge it). A supporting passage whose numbers disagree (statistics), or that negates
   a word the statement does not ("did not threaten" against "threatened"), or the reverse, is ``altered``.
6. Every reason says which copy the evidence rests on when it is not the live original: an archived
   capture, a Wayback snapshot, a reproduction or a partial copy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from factcheck.archive import Acquired
from factcheck.claims import CHARACTERIZATION, QUOTE, STATISTIC, Claim
from factcheck.documents import Document
from factcheck.lexicon import STANCE_CUES, STOP_WORDS
from factcheck.match import (
    ALTERED,
    MINOR,
    NOT_FOUND,
    SUPPORT_MIN_SCORE,
    VERBATIM,
    DiffOp,
    DocumentIndex,
    QuoteMatch,
    SupportMatch,
    find_support,
    match_quote,
)
from factcheck.sources import Source

PARAPHRASE, MISATTRIBUTED, UNAVAILABLE, UNSOURCED = "paraphrase", "misattributed", "unavailable", "unsourced"
VERDICTS = (VERBATIM, MINOR, ALTERED, PARAPHRASE, NOT_FOUND, MISATTRIBUTED, UNAVAILABLE, UNSOURCED)
#: Support score (0–100) at which a passage supports a reported claim.
SUPPORT_THRESHOLD = SUPPORT_MIN_SCORE
#: For statistics, whose figure must agree in the passage, a lower share of the other words suffices.
STATISTIC_SUPPORT_THRESHOLD = 30.0
#: A document this short (a statement, a tweet) is one stance as a whole.
SHORT_DOCUMENT_WORDS = 400

#: A word and a symbol for each verdict, so it is never shown by colour alone.
VERDICT_LABELS = {
    VERBATIM: ("verbatim", "✔"),
    MINOR: ("minor differences", "≈"),
    ALTERED: ("altered", "✘"),
    PARAPHRASE: ("paraphrase", "~"),
    NOT_FOUND: ("not found", "?"),
    MISATTRIBUTED: ("misattributed", "⇄"),
    UNAVAILABLE: ("unavailable", "∅"),
    UNSOURCED: ("unsourced", "—"),
}
_RANK = {VERBATIM: 0, MINOR: 1, ALTERED: 2, NOT_FOUND: 3}


@dataclass(frozen=True)
class Evidence:
    """The passage of the original a verdict rests on."""

    source: str
    text: str
    start: int
    end: int
    page: int | None = None
    paragraph: int | None = None


@dataclass(frozen=True)
class Verdict:
    """The machine's verdict on one claim."""

    verdict: str
    reason: str
    score: float | None = None
    evidence: Evidence | None = None
    diff: tuple[DiffOp, ...] = ()
    source: str | None = None  # the source the verdict rests on (may be another candidate)
    found_in: str | None = None  # for misattributed: where the words were found

    def to_json(self) -> dict[str, Any]:
        """The verdict as plain data (the JSON outputs and the verify cache use this)."""
        evidence = self.evidence
        return {
            "verdict": self.verdict,
            "score": self.score,
            "evidence": (
                {
                    "text": evidence.text,
                    "start": evidence.start,
                    "end": evidence.end,
                    "page": evidence.page,
                    "paragraph": evidence.paragraph,
                    "source": evidence.source,
                }
                if evidence
                else None
            ),
            "reason": self.reason,
            "diff": [{"op": d.op, "quote": d.quote, "source": d.source, "kind": d.kind} for d in self.diff],
            "source": self.source,
            "found_in": self.found_in,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Verdict:
        """The inverse of :meth:`to_json`; optional fields of the wrong type are dropped."""

        def optional(value: object, kind: type) -> Any:
            return value if isinstance(value, kind) else None

        evidence = data.get("evidence")
        return cls(
            verdict=data["verdict"],
            reason=data["reason"],
            score=optional(data.get("score"), float) or optional(data.get("score"), int),
            evidence=(
                Evidence(
                    source=evidence["source"],
                    text=evidence["text"],
                    start=evidence["start"],
                    end=evidence["end"],
                    page=optional(evidence.get("page"), int),
                    paragraph=optional(evidence.get("paragraph"), int),
                )
                if isinstance(evidence, Mapping)
                else None
            ),
            diff=tuple(
                DiffOp(*(str(d.get(key, "")) for key in ("op", "quote", "source", "kind")))
                for d in data.get("diff", [])
                if isinstance(d, Mapping)
            ),
            source=optional(data.get("source"), str),
            found_in=optional(data.get("found_in"), str),
        )


@dataclass
class ReadSource:
    """A source after fetching and reading: its text (and index) or why it could not be read."""

    source: Source
    acquired: Acquired
    document: Document | None = None
    error: str | None = None
    _index: DocumentIndex | None = None

    @property
    def readable(self) -> bool:
        return self.document is not None and bool(self.document.text.strip())

    @property
    def index(self) -> DocumentIndex:
        """The matcher's index over the text, built once and shared by every claim."""
        assert self.document is not None
        if self._index is None:
            self._index = DocumentIndex(self.document.text)
        return self._index

    @property
    def strength(self) -> str:
        """How much of the original the copy holds; "none" when there is no copy at all."""
        capture = self.acquired.capture
        return capture.strength if capture is not None else "none"

    @property
    def complete(self) -> bool:
        """Whether the copy holds the whole original, so that absence from it means something."""
        return self.strength in {"original", "complete"}

    @property
    def copy_note(self) -> str:
        """Which copy the evidence comes from, for the reason line ("" for the live original)."""
        acquired, capture = self.acquired, self.acquired.capture
        if capture is None or acquired.status == "unavailable":
            return ""
        if capture.provenance == "live":
            return "" if acquired.status == "live" else f"in the archived copy of {capture.date}"
        if capture.provenance == "wayback":
            return f"in the Wayback Machine snapshot of {capture.date}"
        if capture.strength == "complete":
            return "in a reproduction (complete; the original page was not found)"
        if capture.strength == "secondary":
            return "in a secondary copy rebuilt from news reproductions"
        return "in a partial copy of the original"

    def why_unreadable(self) -> str:
        return self.error or self.acquired.error or "could not be read"


def _with_note(reason: str, read: ReadSource) -> str:
    note = read.copy_note
    if not note:
        return reason
    return f"{reason} {note}" if reason.startswith("found") else f"{reason}; evidence {note}"


def _evidence(read: ReadSource, start: int | None, end: int | None) -> Evidence | None:
    if start is None or end is None or read.document is None:
        return None
    document = read.document
    return Evidence(
        source=read.source.id,
        text=document.text[start:end],
        start=start,
        end=end,
        page=document.page_at(start),
        paragraph=document.paragraph_at(start),
    )


def _label(read: ReadSource) -> str:
    return read.source.id


def judge(claim: Claim, sources: Mapping[str, ReadSource]) -> Verdict:
    """The verdict on ``claim`` given every source read in this run (keyed by source id)."""
    if claim.source is None:
        return Verdict(UNSOURCED, "the article names no source for this claim")
    candidates = [sources[c] for c in claim.candidates if c in sources]
    primary = sources.get(claim.source)
    if primary is None:
        return Verdict(UNAVAILABLE, f"source {claim.source} was not read", source=claim.source)
    if claim.kind == QUOTE and claim.quote:
        return _judge_quote(claim, claim.quote, primary, candidates, sources)
    return _judge_support(claim, primary, candidates)


def _better(a: QuoteMatch, b: QuoteMatch | None) -> bool:
    return b is None or (_RANK[a.verdict], -a.score) < (_RANK[b.verdict], -b.score)


def _judge_quote(
    claim: Claim,
    quote: str,
    primary: ReadSource,
    candidates: list[ReadSource],
    sources: Mapping[str, ReadSource],
) -> Verdict:
    best: tuple[QuoteMatch, ReadSource] | None = None
    for read in candidates:
        if not read.readable:
            continue
        found = match_quote(quote, read.index)
        if best is None or _better(found, best[0]):
            best = (found, read)
    if best is not None and best[0].verdict != NOT_FOUND:
        found, read = best
        reason = found.reason
        if read is not primary:
            reason = f"{reason} in {_label(read)}, another document of the same speaker"
        if found.verdict == ALTERED and not read.complete:
            return _near_miss(
                found.reason, read, found.score, _evidence(read, found.start, found.end), found.diff
            )
        return Verdict(
            found.verdict,
            _with_note(reason, read),
            found.score,
            _evidence(read, found.start, found.end),
            found.diff,
            source=read.source.id,
        )
    # Not among the speaker's documents: is it in another source read in this run?
    candidate_ids = {c.source.id for c in candidates}
    elsewhere: tuple[QuoteMatch, ReadSource] | None = None
    for read in sources.values():
        if read.source.id in candidate_ids or not read.readable:
            continue
        found = match_quote(quote, read.index)
        if found.verdict in {VERBATIM, MINOR} and (elsewhere is None or _better(found, elsewhere[0])):
            elsewhere = (found, read)
    if elsewhere is not None:
        found, read = elsewhere
        return Verdict(
            MISATTRIBUTED,
            _with_note(f"not in {primary.source.id}, but found ({found.verdict}) in {read.source.id}", read),
            found.score,
            _evidence(read, found.start, found.end),
            found.diff,
            source=primary.source.id,
            found_in=read.source.id,
        )
    return _absent(primary, candidates, best[0].score if best else None, "quote")


def _absent(primary: ReadSource, candidates: list[ReadSource], score: float | None, what: str) -> Verdict:
    """Nothing close was found: ``not_found`` only when the whole linked source was read."""
    if not primary.readable:
        reason = f"source unavailable: {primary.why_unreadable()}"
        others = [c.source.id for c in candidates if c is not primary and c.readable]
        if others:
            reason += f"; not in {', '.join(others)} either"
        return Verdict(UNAVAILABLE, reason, source=primary.source.id)
    if not primary.complete:
        return Verdict(
            UNAVAILABLE,
            f"not in the {primary.strength} copy of {primary.source.id}; the full original could not be read",
            score,
            source=primary.source.id,
        )
    return Verdict(
        NOT_FOUND,
        _with_note(f"nothing close to the {what} in {primary.source.id}", primary),
        score,
        source=primary.source.id,
    )


def _supported(claim: Claim, support: SupportMatch) -> bool:
    if support.start is None:
        return False
    if claim.kind == STATISTIC:
        # The figure is the claim: a passage with the same figure needs less of the surrounding words.
        return support.numbers_agree is not None and support.score >= STATISTIC_SUPPORT_THRESHOLD
    return support.score >= SUPPORT_THRESHOLD


def _stance_passage(claim: Claim, read: ReadSource) -> tuple[int, int, str] | None:
    """For a characterisation ("expressed its concern"), a sentence that bears its verb out ("disturbed")."""
    verb = (claim.verb or "").lower()
    statement = (claim.statement or "").lower()
    cues = frozenset().union(
        *(c for stem, c in STANCE_CUES.items() if stem in verb or f"{stem}" in statement[:40])
    )
    if not cues or read.document is None:
        return None
    text = read.document.text
    # A short statement or tweet is the speaker's stance as a whole; in a longer document the sentence
    # must also share a topic word with the claim.
    short = len(text.split()) <= SHORT_DOCUMENT_WORDS
    topic = {w for w in re.findall(r"[a-z]{4,}", statement) if w not in STOP_WORDS} - cues
    for sentence in re.finditer(r"[^.!?\n]+[.!?]?", text):
        sentence_words = set(re.findall(r"[a-z]+", sentence.group().lower()))
        found = [w for w in re.findall(r"[a-z]+", sentence.group().lower()) if w in cues]
        if found and (short or sentence_words & topic):
            start = sentence.start() + len(sentence.group()) - len(sentence.group().lstrip())
            return start, sentence.end(), found[0]
    return None


def _near_miss(
    reason: str, read: ReadSource, score: float | None, evidence: Evidence | None, diff: tuple[DiffOp, ...]
) -> Verdict:
    """A close but different passage in an incomplete copy: the words may be in the part we lack."""
    return Verdict(
        UNAVAILABLE,
        f"the closest passage in the {read.strength} copy of {read.source.id} differs ({reason}); "
        "the full original could not be read",
        score,
        evidence,
        diff,
        source=read.source.id,
    )


def _judge_support(claim: Claim, primary: ReadSource, candidates: list[ReadSource]) -> Verdict:
    statement = claim.statement or claim.text
    figures = [claim.figure] if claim.kind == STATISTIC and claim.figure else []
    best = None
    for read in candidates:
        if not read.readable:
            continue
        support = find_support(statement, read.index, figures=figures)
        if best is None or (_supported(claim, support), support.score) > (
            _supported(claim, best[0]),
            best[0].score,
        ):
            best = (support, read)
    if best is not None and _supported(claim, best[0]):
        support, read = best
        evidence = _evidence(read, support.start, support.end)
        reason = support.reason
        if read is not primary:
            reason = f"{reason} in {_label(read)}, another document of the same speaker"
        if support.numbers_agree is False or support.negation_differs:
            if not read.complete:
                return _near_miss(support.reason, read, support.score, evidence, ())
            return Verdict(ALTERED, _with_note(reason, read), support.score, evidence, source=read.source.id)
        return Verdict(PARAPHRASE, _with_note(reason, read), support.score, evidence, source=read.source.id)
    if claim.kind == CHARACTERIZATION:
        for read in candidates:
            stance = _stance_passage(claim, read) if read.readable else None
            if stance is not None:
                start, end, cue = stance
                said = " ".join((claim.statement or claim.verb or "").split()[:4])
                reason = f"the source's “{cue}” bears out “{said}…”; a person must judge the characterisation"
                score = best[0].score if best else None
                return Verdict(
                    PARAPHRASE,
                    _with_note(reason, read),
                    score,
                    _evidence(read, start, end),
                    source=read.source.id,
                )
    what = "statistic" if claim.kind == STATISTIC else "claim"
    return _absent(primary, candidates, best[0].score if best else None, what)


def read_source(source: Source, acquired: Acquired) -> ReadSource:
    """Turn acquired bytes into a document; an unreadable body becomes a reason, never an exception."""
    from factcheck.documents import read_document
    from factcheck.errors import FactcheckError

    if acquired.body is None:
        return ReadSource(source, acquired, error=acquired.error or "no copy could be fetched")
    capture = acquired.capture
    try:
        document = read_document(
            acquired.body,
            capture.content_type if capture else None,
            kind=(capture.kind if capture else None) or source.kind,
            url=(capture.final_url or capture.url) if capture else source.url or None,
        )
    except FactcheckError as err:
        return ReadSource(source, acquired, error=f"unreadable: {err}")
    return ReadSource(source, acquired, document=document)
