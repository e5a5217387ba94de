"""Stage 2, claims: find every attributed statement in an article and who it is attributed to.

What becomes a claim (one per contiguous quoted span; a split quote gives one claim per part):

* ``quote`` — words in quote marks: straight and curly double quotes, « », „ “, single quotes used as
  quote marks, a quote over several paragraphs where each paragraph reopens it, block quotes.
  Short fragments (under four words) count only when someone is said to have said them.
* ``reported`` — ``X said (that) ...``, ``X noted ...``, ``according to X, ...``, and hedged claims that
  name nobody (``is known to be``, ``reportedly``), which stay unsourced.
* ``characterization`` — ``a report by X accused ...``, ``X condemned ...``, ``X expressed its concern``.
* ``statistic`` — counts with their qualifiers ("around 40 people", "at least two"), one claim per figure.

The speaker is the subject of the reporting verb, before or after the quote, in the same sentence, the
sentence or paragraph before (``X said:``), or carried from the last named speaker for pronouns
("she pointed out"), role nouns ("the group's head") and quote-only paragraphs. Titles and
affiliations are kept ("Natalia Prilutskaya, Russia Researcher at Amnesty International").

Claim ids hash the claim's own words, so editing one paragraph leaves every other claim's id alone.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from factcheck.article import Article
from factcheck.lexicon import (
    COUNT_NOUNS,
    DATE_AFTER_RE,
    DATE_NEAR_RE,
    DETERMINERS,
    FIGURE_RE,
    FURNITURE_RE,
    HEDGE_RE,
    NAMING_BEFORE_QUOTE_RE,
    NUMBER_WORDS,
    PRONOUNS,
    QUALIFIERS,
    STOP_WORDS,
    TIME_UNITS,
    words,
)
from factcheck.quotes import (
    DOUBLE_MARKS,
    MASK,
    NO_CLAIM_KINDS,
    QuoteSpan,
    find_quotes,
    mask_quotes,
    split_sentences,
)
from factcheck.speakers import (
    Attribution,
    SpeakerMemory,
    affiliation_of,
    dash_credit,
    find_attributions,
    leading_subject,
    needs_resolution,
    split_document,
    tidy_speaker,
)

QUOTE, REPORTED, STATISTIC, CHARACTERIZATION = "quote", "reported", "statistic", "characterization"
KINDS = (QUOTE, REPORTED, STATISTIC, CHARACTERIZATION)

# --------------------------------------------------------------------------------------------
# The claim


@dataclass(frozen=True)
class Claim:
    """One attributed statement. Offsets are into ``Article.text``."""

    id: str
    kind: str
    text: str
    start: int
    end: int
    quote: str | None = None
    speaker: str | None = None
    speaker_mention: str | None = None  # as written when it differs from ``speaker`` ("she")
    affiliation: str | None = None  # the organisation a title points back to ("the network's head")
    attribution: str = "none"  # explicit | pronoun | carried | none
    verb: str | None = None
    statement: str | None = None  # the reported words for non-quote claims
    figure: str | None = None  # for statistics: "around 40 people"
    quote_spans: tuple[tuple[int, int], ...] = ()  # the quoted words' spans in the article
    paragraph: int = 0
    hints: tuple[str, ...] = ()  # words that describe the source: "statement", "tweet", a publication
    source: str | None = None
    candidates: tuple[str, ...] = ()
    link: str | None = None  # how the source was found: hyperlink | tweet | registry
    href: str | None = None


# --------------------------------------------------------------------------------------------
# Figures


@dataclass(frozen=True)
class Figure:
    """A count in the text with its qualifier and what is counted: "around 40 people"."""

    text: str
    start: int
    end: int
    qualified: bool  # has a qualifier ("around", "at least") or is a percentage
    counted: bool  # counts people, deaths, arrests, money ... (a noun of COUNT_NOUNS)


_NOUN_STOP = STOP_WORDS | DETERMINERS | words("last next per each since ago in on at to from by and or for")


def _counted_noun(text: str, position: int, hi: int) -> tuple[list[str], int]:
    """The words a number counts ("new measles cases"), up to three, and where they end."""
    words: list[str] = []
    ends: list[int] = []
    pattern = re.compile(r"\s+(?:of\s+)?([a-z][\w-]*)")
    while len(words) < 3:
        match = pattern.match(text, position, hi)
        if not match or match.group(1) in _NOUN_STOP:
            break
        words.append(match.group(1))
        ends.append(match.end())
        position = match.end()
    if not words:
        return [], position
    # End at the last plural or counted noun: "600 residents overnight" → "600 residents".
    keep = max((i for i, w in enumerate(words) if w in COUNT_NOUNS or w.endswith("s")), default=0)
    return words[: keep + 1], ends[keep]


_BARE_SUBJECT_RE = re.compile(r"\s+(?:had|have|has|were|are|was|is|remain|remained|died|fled)\b")


def find_figures(text: str, lo: int, hi: int) -> list[Figure]:
    """Counts in ``text[lo:hi]``; dates, years, ages, ordinals and durations are not counts."""
    figures = []
    for match in FIGURE_RE.finditer(text, lo, hi):
        num = match.group("num")
        qualified = bool(match.group("qual") or match.group("unit") or match.group("cur"))
        number_end = max(match.end("num"), match.end("unit"), match.end("scale"))
        if (
            re.fullmatch(r"(?:1[5-9]|20)\d\d", num)
            or DATE_NEAR_RE.search(text[max(lo, match.start() - 12) : match.start()])
            or DATE_AFTER_RE.match(text[number_end : number_end + 12])
            or re.match(r"\s*(?:a\.m|p\.m|am\b|pm\b|o.clock)", text[number_end : number_end + 8], re.I)
        ):
            continue  # a year, a date or a time of day
        if re.match(
            r"-(?:year|month|day|week)|st\b|nd\b|rd\b|th\b", text[match.end("num") : match.end("num") + 9]
        ):
            continue  # ages and ordinals
        noun, noun_end = _counted_noun(text, number_end, hi)
        if noun and re.fullmatch(rf"(?:{TIME_UNITS})", noun[0]):
            continue  # a duration: "12 days", "two years"
        if num.lower() in {"one", "half"} and not qualified and (not noun or noun[0] == "of"):
            continue  # "one of the only victims", "one" as a pronoun
        if re.match(
            r"\s+of\s+(?:the|them|those|these|us|his|her|its|their)\b", text[number_end : number_end + 12]
        ):
            continue  # "two of them": a part, not a count
        if not (qualified or noun or _BARE_SUBJECT_RE.match(text, number_end, hi)):
            continue  # a bare number counts only as a subject: "and two had died"
        end = noun_end if noun else number_end
        counted = any(w in COUNT_NOUNS for w in noun)
        figures.append(Figure(text[match.start() : end], match.start(), end, qualified, counted))
    return figures


_CLAUSE_CUT_RE = re.compile(
    r";|,\s+(?:and|but|while|whereas)\s+|(?:,|\s+and)\s+(?=(?!during|nothing|something|anything|everything|morning|evening|meeting|building)[a-z]+ing\b)|\s+(?:and|while)\s+(?=(?:"
    + QUALIFIERS
    + r"|\d|"
    + NUMBER_WORDS
    + r")\b)",
    re.IGNORECASE,
)


def _clause_around(text: str, lo: int, hi: int, position: int) -> tuple[int, int]:
    """The clause of ``text[lo:hi]`` holding ``position``: cut at ';', ', and', ' and ' before a number."""
    start, end = lo, hi
    for match in _CLAUSE_CUT_RE.finditer(text, lo, hi):
        if match.end() <= position:
            start = match.end()
        elif match.start() > position:
            end = match.start()
            break
    return start, end


# --------------------------------------------------------------------------------------------
# Assembly


_POSSESSIVE_OWNER = {"its": "it", "their": "they", "his": "he", "her": "she"}
_RELATIVE_RE = re.compile(r"\b(?:which|who|whom|whose|where)\b", re.IGNORECASE)


def _claim_id(kind: str, words: str, extra: str = "") -> str:
    norm = " ".join(re.sub(r"[\"“”„‟«»‘’‚‛‹›']", "", words).lower().split())
    digest = hashlib.sha1(f"{kind}\x1f{norm}\x1f{extra}".encode()).hexdigest()[:8]
    return f"{kind[0]}-{digest}"


def is_furniture(paragraph_text: str, kind: str = "p") -> bool:
    """Page furniture that holds no claims: labels, newsletter prompts, comment forms, share buttons."""
    stripped = paragraph_text.strip()
    if FURNITURE_RE.match(stripped):
        return True
    if kind != "p":
        return False  # list items and block quotes may be short and still carry facts
    has_quote = any(c in DOUBLE_MARKS for c in stripped)
    return len(stripped.split()) <= 6 and not re.search(r"[.!?…:]$", stripped) and not has_quote


def _quote_text(text: str, span: QuoteSpan) -> str:
    return " ".join(" ".join(text[a:b].split()) for a, b in span.parts).strip()


def _squash(text: str) -> str:
    return " ".join(text.split()).strip(" ,.;:")


_NAME = r"(?:[Tt]he )?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*"
_HINT_RE = re.compile(
    r"\b(?:in an? (?P<doc>article|op-ed|opinion piece|column|statement|report|tweet|post|interview|letter|"
    r"press release|speech|blog post|video)"
    r"|(?P<tweet>tweeted|on twitter|on x|in a tweet|posted on)\b"
    rf"|(?:published|wrote|writing|writes|write) (?:in|for|on) (?P<pub>{_NAME})"
    rf"|(?:told|tells|telling) (?P<outlet>{_NAME}))",
)


def _hints(sentence: str) -> tuple[str, ...]:
    """What the sentence says of the cited document: its kind and any publication or outlet named."""
    hints: list[str] = []
    for match in _HINT_RE.finditer(sentence):
        if match.group("doc"):
            hints.append(match.group("doc").lower())
        elif match.group("tweet"):
            hints.append("tweet")
        else:
            name = re.sub(r"^[Tt]he ", "", match.group("pub") or match.group("outlet") or "")
            if name:
                hints.append(name)
    for doc in ("report", "statement", "tweet", "interview"):
        if re.search(rf"\b{doc}\b", sentence, re.IGNORECASE) and doc not in hints:
            hints.append(doc)
    return tuple(dict.fromkeys(hints))


@dataclass
class _Sentence:
    start: int
    end: int
    paragraph: int


class _Extractor:
    """Walks an article's sentences in order, keeping track of who has spoken."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.text = article.text
        self.quotes = find_quotes(self.text, article.paragraphs)
        self.masked = mask_quotes(self.text, self.quotes)
        self.memory = SpeakerMemory()
        self.claims: list[Claim] = []
        self.sentences = list(self._sentences())
        self.attributions = {
            id(s): find_attributions(self.masked, self.text, s.start, s.end) for s in self.sentences
        }

    def _sentences(self) -> Iterator[_Sentence]:
        protected = [(a, b) for q in self.quotes for a, b in q.parts]
        for index, paragraph in enumerate(self.article.paragraphs):
            if paragraph.kind in NO_CLAIM_KINDS:
                continue
            if is_furniture(self.text[paragraph.start : paragraph.end], paragraph.kind):
                continue
            for start, end in split_sentences(self.text, paragraph.start, paragraph.end, protected):
                yield _Sentence(start, end, index)

    def _sentence_of(self, offset: int) -> _Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    def _resolve(self, attribution: Attribution, sentence: _Sentence) -> tuple[str | None, str | None, str]:
        """(speaker, mention as written, how): resolve pronouns and role nouns; participles inherit."""
        if attribution.participle or not attribution.speaker:
            # "…, adding: “…”" takes the subject of the sentence's finite verb, else the last speaker.
            for other in self.attributions[id(sentence)]:
                if other.verb_start < attribution.verb_start and other.speaker and not other.participle:
                    return self._resolve(other, sentence)
            last = self.memory.resolve("he")
            return (last, None, "carried") if last else (None, None, "none")
        speaker, _doc = split_document(tidy_speaker(attribution.speaker))
        owner = _POSSESSIVE_OWNER.get(speaker.split()[0].lower()) if attribution.document else None
        if owner is not None:
            # "according to its annual report": the document of whoever "it" is
            resolved = self.memory.resolve(owner)
            return (
                (resolved, attribution.speaker, "pronoun")
                if resolved
                else (None, attribution.speaker, "none")
            )
        if needs_resolution(speaker):
            resolved = self.memory.resolve(speaker)
            if resolved:
                return resolved, attribution.speaker, "pronoun"
            if speaker.lower() in PRONOUNS:
                return None, attribution.speaker, "none"  # "she" with nobody named before
        return speaker, None, "explicit"

    def _remember(self, attribution: Attribution, sentence: _Sentence) -> None:
        speaker, _mention, how = self._resolve(attribution, sentence)
        # A document counts when it names who stands behind it ("separate Press Freedom Monitor
        # figures"); "the report" alone names nobody to refer back to.
        if (
            speaker
            and how in ("explicit", "pronoun")
            and not (attribution.document and needs_resolution(speaker))
        ):
            self.memory.remember(speaker, sentence.paragraph)

    def run(self) -> list[Claim]:
        quote_by_sentence: dict[int, list[QuoteSpan]] = {}
        for quote in self.quotes:
            sentence = self._sentence_of(quote.start) or self._sentence_of(quote.parts[0][0])
            if sentence is not None:
                quote_by_sentence.setdefault(id(sentence), []).append(quote)
        for sentence in self.sentences:
            quotes = quote_by_sentence.get(id(sentence), [])
            quote_claims = [claim for quote in quotes if (claim := self._quote_claim(quote, sentence))]
            self.claims.extend(quote_claims)
            if not quote_claims:
                self._sentence_claims(sentence)
            attributions = self.attributions[id(sentence)]
            # The main clause's speaker is remembered last: "It" in the next sentence means them,
            # not whoever they were reporting.
            relayed = [
                inner for outer, inner in itertools.pairwise(attributions) if self._relays(outer, inner)
            ]
            for attribution in [*relayed, *(a for a in attributions if a not in relayed)]:
                self._remember(attribution, sentence)
            # A sentence's named subject ("Mayor Tom Baker celebrated ...") is who "he" means next,
            # unless the sentence already named its speaker.
            if not any(a.speaker and not a.participle for a in attributions):
                subject = leading_subject(self.masked, self.text, sentence.start, sentence.end)
                if subject and not needs_resolution(subject):
                    self.memory.remember(subject, sentence.paragraph)
        return _dedupe_ids(self.claims)

    # -- quotes

    def _quote_attribution(self, quote: QuoteSpan, sentence: _Sentence) -> Attribution | None:
        # A document ("according to its report") says where, not who: it is a hint, not a speaker.
        attributions = [a for a in self.attributions[id(sentence)] if not a.document]
        # After the quote in the same sentence: "…,” said X." / "…,” X said." / "…,” according to X."
        after = [a for a in attributions if a.start >= quote.end]
        if after:
            first = min(after, key=lambda a: a.start)
            between = self.masked[quote.end : first.start]
            if MASK not in between and len(between.split()) <= 12:
                return first
        before = [a for a in attributions if a.verb_end <= quote.start]
        if not before:
            return None
        chosen = before[-1]
        # "The department said civil society groups reported “…”": the article relays the outer
        # speaker's account, so the outer speaker is where the words are to be found.
        for outer in reversed(before[:-1]):
            if not self._relays(outer, chosen):
                break
            chosen = outer
        return chosen

    def _relays(self, outer: Attribution, inner: Attribution) -> bool:
        """True when ``inner`` is the clause ``outer`` reports: "X said [that] Y reported ..."."""
        if outer.participle or not outer.speaker or outer.according or not inner.speaker:
            return False
        return outer.verb_end <= inner.speaker_start and bool(
            re.fullmatch(r"\s*(?:that\s*)?", self.masked[outer.verb_end : inner.speaker_start])
        )

    def _quote_claim(self, quote: QuoteSpan, sentence: _Sentence) -> Claim | None:
        words = _quote_text(self.text, quote)
        if not words.strip(" .,;:!?-—–"):
            return None
        prefix = self.masked[max(sentence.start, quote.start - 40) : quote.start]
        if NAMING_BEFORE_QUOTE_RE.search(prefix.rstrip(" ,:")):
            return None  # a name or title in quotes, not speech
        attribution = self._quote_attribution(quote, sentence)
        speaker: str | None = None
        mention: str | None = None
        how = "none"
        verb = None
        end_sentence = self._sentence_of(max(quote.end - 1, quote.start)) or sentence
        start = min(sentence.start, quote.start)
        end = max(end_sentence.end, quote.end)
        hints = _hints(self.text[start:end])
        before_quote = self.masked[sentence.start : quote.start].rstrip()
        if attribution is not None:
            speaker, mention, how = self._resolve(attribution, sentence)
            verb = attribution.verb
        elif credit := dash_credit(self.masked, self.text, quote.end, self._paragraph_end(sentence)):
            speaker, how = credit, "explicit"  # "“…” – Peter Osei"
        elif before_quote.endswith(":") and (
            subject := leading_subject(self.masked, self.text, sentence.start, quote.start)
            or self._known_name(before_quote[:-1])
        ):
            speaker, how = subject, "explicit"  # "Berger was more blunt: “…”", "Osei: “…”"
        elif len(words.split()) < 4:
            return None  # scare quotes and titles: a short fragment needs someone to have said it
        else:
            speaker, how, carried_hints = self._carried_speaker(sentence)
            hints = tuple(dict.fromkeys((*hints, *carried_hints)))
        if speaker is not None:
            self.memory.last_quote = (speaker, sentence.paragraph, hints)
        return Claim(
            id=_claim_id(QUOTE, words),
            kind=QUOTE,
            text=self.text[start:end],
            start=start,
            end=end,
            quote=words,
            speaker=speaker,
            speaker_mention=mention,
            affiliation=affiliation_of(speaker, self.memory) if speaker else None,
            attribution=how,
            verb=verb,
            quote_spans=tuple(quote.parts),
            paragraph=sentence.paragraph,
            hints=hints,
        )

    def _paragraph_end(self, sentence: _Sentence) -> int:
        return self.article.paragraphs[sentence.paragraph].end

    def _known_name(self, text: str) -> str | None:
        """A lone surname already named in full earlier ("Osei" after "Peter Osei"), else None."""
        name = text.strip()
        if not re.fullmatch(r"(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?[A-Z][\w’'-]+", name):
            return None
        canonical = self.memory.canonical(name)
        return canonical if canonical != name else None

    def _carried_speaker(self, sentence: _Sentence) -> tuple[str | None, str, tuple[str, ...]]:
        """The speaker of an unattributed quote: "X said:" just before it, else the recent quote speaker."""
        previous = [s for s in self.sentences if s.end <= sentence.start]
        if previous:
            prev = previous[-1]
            introduces = self.text[prev.start : prev.end].rstrip().endswith(":")
            if introduces and sentence.paragraph - prev.paragraph <= 1:
                for attribution in reversed(self.attributions[id(prev)]):
                    speaker, _mention, _how = self._resolve(attribution, prev)
                    if speaker:
                        return speaker, "carried", _hints(self.text[prev.start : prev.end])
        if self.memory.last_quote is not None:
            speaker, para, hints = self.memory.last_quote
            if speaker and sentence.paragraph - para <= 2:
                return speaker, "carried", hints
        if self.memory.named:
            speaker, para, _person = self.memory.named[-1]
            if sentence.paragraph - para <= 1:
                return speaker, "carried", ()
        return None, "none", ()

    # -- sentences without quotes

    def _sentence_claims(self, sentence: _Sentence) -> None:
        text = self.text
        lo, hi = sentence.start, sentence.end
        if text[lo:hi].rstrip().endswith(":"):
            return  # "She wrote:" introduces the quote that follows; that quote is the claim
        attributions = self.attributions[id(sentence)]
        chosen = next((a for a in attributions if a.speaker and not a.participle), None)
        kind = ""
        speaker: str | None = None
        mention: str | None = None
        verb: str | None = None
        how = "none"
        statement_start, statement_end = lo, hi
        if chosen is not None:
            speaker, mention, how = self._resolve(chosen, sentence)
            kind, verb = chosen.kind, chosen.verb
            before = text[lo : chosen.start].rstrip()
            after = self.masked[chosen.verb_end : hi]
            # "<claim>, the council said in a statement." — not "In a statement, the monitor said that ...".
            trailing = chosen.that_end is None and (
                len(after.split()) <= 8
                or re.match(r"\s*(?:in|on|at|during|after|before|to|late|earlier)\b", after)
            )
            if before.endswith(",") and len(before.split()) >= 3 and not chosen.according and trailing:
                statement_end = lo + len(before)
            elif chosen.according:
                statement_start = chosen.speaker_end  # "According to X, <claim>."
            elif chosen.that_end is not None:
                statement_start = chosen.that_end
            else:
                statement_start = chosen.verb_start
        elif HEDGE_RE.search(self.masked[lo:hi]):
            kind = REPORTED  # "is known to be", "reportedly": a claim that names nobody
        statement = _squash(text[statement_start:statement_end])
        if chosen is not None and chosen.according and chosen.start > lo:
            statement = _squash(text[lo : chosen.start] + text[chosen.speaker_end : hi])
        sentence_text = text[lo:hi]
        hints = _hints(sentence_text)
        statistics = []
        for figure in find_figures(text, lo, hi):
            if chosen is not None and chosen.speaker_start <= figure.start < chosen.speaker_end:
                continue  # a number in the speaker's name or title
            c_start, c_end = _clause_around(text, statement_start, statement_end, figure.start)
            if not c_start <= figure.start < c_end:
                c_start, c_end = _clause_around(text, lo, hi, figure.start)
            clause = _squash(text[c_start:c_end])
            if chosen is not None and chosen.according and c_start <= chosen.start < c_end:
                clause = _squash(text[c_start : chosen.start] + text[chosen.speaker_end : c_end])
            # A figure is the claim when it leads its clause ("around 40 people have been arrested");
            # one deep in a relative clause is background to another claim.
            lead = text[c_start : figure.start]
            central = len(lead.split()) <= 12 and not _RELATIVE_RE.search(lead)
            if (kind and central) or (not kind and (figure.qualified or figure.counted)):
                statistics.append((figure, clause))

        def claim(kind: str, statement: str, figure: str | None = None) -> Claim:
            return Claim(
                id=_claim_id(kind, sentence_text, figure or ""),
                kind=kind,
                text=sentence_text,
                start=lo,
                end=hi,
                speaker=speaker,
                speaker_mention=mention,
                affiliation=affiliation_of(speaker, self.memory) if speaker else None,
                attribution=how,
                verb=verb,
                statement=statement,
                figure=figure,
                paragraph=sentence.paragraph,
                hints=hints,
            )

        self.claims.extend(claim(STATISTIC, clause, figure.text) for figure, clause in statistics)
        if kind and not statistics:
            self.claims.append(claim(kind, statement))


def _dedupe_ids(claims: list[Claim]) -> list[Claim]:
    seen: dict[str, int] = {}
    out = []
    for claim in claims:
        count = seen.get(claim.id, 0) + 1
        seen[claim.id] = count
        out.append(claim if count == 1 else replace(claim, id=f"{claim.id}-{count}"))
    return out


def extract_claims(article: Article) -> list[Claim]:
    """Every attributed claim in ``article``, in text order, with its speaker (no sources yet)."""
    claims = _Extractor(article).run()
    claims.sort(key=lambda c: (c.start, c.quote_spans[0][0] if c.quote_spans else c.start))
    return claims
