"""Stage 3, links: connect each claim to the original it cites.

In order of strength:

1. a hyperlink in the article on or next to the claim (same sentence), or an embedded tweet by the
   speaker just after it — a URL in the registry maps to that entry, any other becomes an ad-hoc source;
2. a registry source whose ``speakers`` names the speaker or their organisation, tolerant of surname-only
   mentions ("Palladino"), acronyms ("OSCE"), honorifics and misspellings ("Kochetskov");
3. among several documents of one speaker, all are kept as ``candidates`` for the matching stage, the
   first chosen by what the sentence says of the document ("tweeted", "in a statement", a publication).

A claim with no source stays in the list with ``source=None``: it is ``unsourced``, not dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from factcheck.article import Article, Link
from factcheck.claims import Claim
from factcheck.sources import Registry, Source, kind_for_url, source_id_for_url

# Registry matching scores (0–100); a source is a candidate at MIN_SCORE or more.
EXACT, ACRONYM, SURNAME, FUZZY, PARTIAL, PUBLISHER = 100, 95, 90, 85, 75, 70
MIN_SCORE = 70
FUZZY_WORD_RATIO = 85  # rapidfuzz ratio for one name word to stand for another ("Kochetskov" ~ "Kochetkov")

_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "the"}
_ORG_HINT_WORDS = {
    "department",
    "ministry",
    "office",
    "network",
    "international",
    "organization",
    "organisation",
    "state",
    "group",
    "committee",
    "council",
    "agency",
    "commission",
    "union",
    "association",
    "times",
    "mechanism",
    "government",
    "europe",
    "watch",
    "foundation",
    "institute",
    "news",
    "twitter",
}
_GENERIC_ORG_WORDS = {
    "network",
    "group",
    "organisation",
    "organization",
    "association",
    "foundation",
    "union",
}
_GROUP_WORDS = _GENERIC_ORG_WORDS | {"rights", "ngo", "charity", "campaigners", "activists"}
_NOT_SOURCE_PATH_RE = re.compile(
    r"/(?:tag|tags|category|categories|author|authors|topic|topics|section)/", re.I
)
_SHARE_HOSTS_RE = re.compile(
    r"(?:facebook\.com/sharer|twitter\.com/intent|x\.com/intent|linkedin\.com/share|wa\.me|"
    r"api\.whatsapp\.com|pinterest\.com/pin|reddit\.com/submit|t\.me/share)",
    re.I,
)
_SOURCE_ANCHOR_RE = re.compile(
    r"\b(?:said|says|statement|report|tweet(?:ed)?|wrote|op-ed|article|study|interview|letter|"
    r"according|told|press release|survey|post(?:ed)?|published)\b",
    re.I,
)


def name_words(name: str) -> list[str]:
    """A name as comparable words: case, accents, punctuation, possessives and honorifics dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", plain)  # U.S. → US, U.K. → UK
    plain = re.sub(r"\b([a-z])\.", r"\1", plain)
    plain = re.sub(r"[’']s\b", "", plain)
    words = re.findall(r"[a-z0-9]+", plain)
    return [w for w in words if w not in _HONORIFICS]


def acronym(name: str) -> str | None:
    """The initials of a multi-word name's capitalised words ("Organization for ... in Europe" → "osce")."""
    words = re.findall(r"[A-Z][\w’'-]*", name)
    if len(words) < 2:
        return None
    letters = "".join(
        w[0] for w in re.findall(r"[A-Z][\w’'-]*", " ".join(words).replace("-", " ")) if w[0].isupper()
    )
    return letters.lower() if len(letters) >= 2 else None


def _contains(haystack: Sequence[str], needle: Sequence[str], *, fuzzy: bool) -> bool:
    n = len(needle)
    for i in range(len(haystack) - n + 1):
        window = haystack[i : i + n]
        if all(
            a == b or (fuzzy and len(b) >= 5 and len(a) >= 5 and fuzz.ratio(a, b) >= FUZZY_WORD_RATIO)
            for a, b in zip(window, needle, strict=True)
        ):
            return True
    return False


def _is_person_alias(alias_words: Sequence[str]) -> bool:
    return 2 <= len(alias_words) <= 4 and not set(alias_words) & _ORG_HINT_WORDS


def speaker_score(speaker: str, alias: str) -> int:
    """How surely ``speaker`` (as an article names them) is the registry alias ``alias`` (0–100)."""
    spoken = name_words(speaker)
    wanted = name_words(alias)
    if not spoken or not wanted:
        return 0
    if _contains(spoken, wanted, fuzzy=False):
        return EXACT
    alias_initials = acronym(alias)
    if alias_initials and alias_initials in spoken:
        return ACRONYM
    spoken_initials = acronym(speaker)
    if len(wanted) == 1 and spoken_initials == wanted[0]:
        return ACRONYM
    if _contains(spoken, wanted, fuzzy=True):
        return FUZZY
    distinctive = [
        w for w in wanted if w not in _GENERIC_ORG_WORDS and w not in {"of", "for", "the", "and", "in"}
    ]
    if (
        len(wanted) >= 3
        and len(distinctive) >= 2
        and set(spoken) & _GROUP_WORDS
        and _contains(spoken, distinctive, fuzzy=False)
    ):
        return PARTIAL  # "a leading Russian LGBT rights group" for "Russian LGBT Network"
    if _is_person_alias(wanted):
        surname = wanted[-1]
        if len(surname) >= 4 and any(
            w == surname or (len(w) >= 6 and fuzz.ratio(w, surname) >= FUZZY_WORD_RATIO) for w in spoken
        ):
            # "Palladino", "Mr Kochetskov": the surname alone, but not a different first name.
            other_firsts = set(spoken) & set(wanted[:-1])
            clashing = [w for w in spoken if w.istitle() and w not in wanted]
            return SURNAME if other_firsts or not clashing else SURNAME - 5
    return 0


@dataclass(frozen=True)
class _Scored:
    source: Source
    score: int


def registry_candidates(
    speaker: str | None, hints: Sequence[str], registry: Registry, affiliation: str | None = None
) -> list[_Scored]:
    """Registry sources that speak for ``speaker`` (or the organisation their title points to), best first."""
    scored: list[_Scored] = []
    for source in registry:
        best = 0
        if speaker:
            best = max((speaker_score(speaker, alias) for alias in source.speakers), default=0)
            if source.publisher and best < PUBLISHER and speaker_score(speaker, source.publisher) >= FUZZY:
                best = PUBLISHER
        if affiliation is not None and best < MIN_SCORE:
            best = max((speaker_score(affiliation, alias) for alias in source.speakers), default=0) - 5
        if (
            best < MIN_SCORE
            and source.publisher
            and any(speaker_score(hint, source.publisher) >= FUZZY for hint in hints if hint[:1].isupper())
        ):
            best = max(best, PUBLISHER if speaker else 0)
        if best >= MIN_SCORE:
            scored.append(_Scored(source, best + _hint_bonus(source, hints)))
    scored.sort(key=lambda s: (-s.score, s.source.id))
    return scored


def _hint_bonus(source: Source, hints: Sequence[str]) -> int:
    """Prefer the document the sentence describes: a tweet for "tweeted", a statement, a publication."""
    bonus = 0
    lowered = {h.lower() for h in hints}
    if "tweet" in lowered:
        bonus += 3 if source.kind == "tweet" else -3
    elif source.kind == "tweet" and lowered & {"statement", "report", "article", "interview"}:
        bonus -= 3
    if "report" in lowered and source.kind == "pdf":
        bonus += 1
    for hint in hints:
        if hint[:1].isupper() and source.publisher and speaker_score(hint, source.publisher) >= FUZZY:
            bonus += 4
    return bonus


def normalize_url(url: str) -> str:
    """A URL compared loosely: scheme, "www.", trailing slash and fragment ignored."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def _usable_link(link: Link, article: Article) -> bool:
    if _SHARE_HOSTS_RE.search(link.href) or _NOT_SOURCE_PATH_RE.search(urlsplit(link.href).path):
        return False
    return not (article.url and normalize_url(link.href) == normalize_url(article.url))


def _link_for(claim: Claim, article: Article) -> Link | None:
    """The hyperlink on or next to a claim: inside its sentence, preferring anchors that name the source."""
    inside = [
        ln
        for ln in article.links
        if ln.start < claim.end and ln.end > claim.start and _usable_link(ln, article)
    ]
    if not inside:
        return None

    def rank(link: Link) -> tuple[int, int]:
        on_quote = any(a <= link.start < b for a, b in claim.quote_spans)
        names_source = bool(_SOURCE_ANCHOR_RE.search(link.text))
        names_speaker = bool(claim.speaker and speaker_score(link.text, claim.speaker) >= FUZZY) or bool(
            claim.speaker
            and claim.speaker_mention is None
            and link.text.strip()
            and link.text.strip() in claim.speaker
        )
        strength = 3 if names_source else 2 if on_quote else 2 if names_speaker else 0
        return (-strength, link.start)

    best = min(inside, key=rank)
    return best


def _tweet_for(claim: Claim, article: Article) -> str | None:
    """An embedded tweet that is the claim's original: its text holds the quote, or the speaker tweeted."""
    if not article.tweets:
        return None
    for tweet in article.tweets:
        if tweet.url and claim.quote and fuzz.partial_ratio(claim.quote.lower(), tweet.text.lower()) >= 90:
            return tweet.url
    if claim.verb in {"tweeted", "tweets", "posted", "wrote"} or "tweet" in claim.hints:
        after = [t for t in article.tweets if t.url and t.start >= claim.start and t.start - claim.end < 1500]
        for tweet in after:
            if (
                not claim.speaker
                or not tweet.author
                or speaker_score(tweet.author, claim.speaker) >= FUZZY
                or any(
                    speaker_score(claim.speaker, part) >= FUZZY
                    for part in re.split(r"[()@]", tweet.author)
                    if part.strip()
                )
            ):
                return tweet.url
    return None


def link_claims(
    article: Article, claims: Sequence[Claim], registry: Registry
) -> tuple[list[Claim], list[Source]]:
    """Set each claim's ``source`` and ``candidates``; return the claims and every source they cite.

    Sources come back in first-cited order: registry entries as they are, plus an ad-hoc source for each
    cited URL that is not in the registry.
    """
    by_url = {normalize_url(s.url): s for s in registry if s.url}
    used: dict[str, Source] = {}
    linked: list[Claim] = []

    def adhoc(url: str, title: str, speaker: str | None) -> Source:
        known = by_url.get(normalize_url(url))
        if known is not None:
            return known
        return Source(
            id=source_id_for_url(url),
            url=url,
            speakers=(speaker,) if speaker else (),
            title=title,
            kind=kind_for_url(url),
            extra={"cited_by": "hyperlink"},
        )

    for claim in claims:
        registry_hits = registry_candidates(claim.speaker, claim.hints, registry, claim.affiliation)
        candidates = [hit.source for hit in registry_hits]
        primary: Source | None = None
        how: str | None = None
        href: str | None = None
        tweet_url = _tweet_for(claim, article)
        link = _link_for(claim, article)
        if tweet_url:
            primary, how, href = (
                adhoc(tweet_url, f"Tweet by {claim.speaker or 'unknown'}", claim.speaker),
                "tweet",
                tweet_url,
            )
        elif link is not None:
            primary, how, href = adhoc(link.href, link.text, claim.speaker), "hyperlink", link.href
        elif candidates:
            primary, how = candidates[0], "registry"
        if primary is not None:
            candidates = [primary, *[c for c in candidates if c.id != primary.id]]
        for source in candidates:
            used.setdefault(source.id, source)
        linked.append(
            replace(
                claim,
                source=primary.id if primary else None,
                candidates=tuple(c.id for c in candidates),
                link=how,
                href=href,
            )
        )
    return linked, list(used.values())
