"""Speakers: find reporting verbs outside quotes, the noun phrase that is their subject, and who a
pronoun or role noun ("she", "the group's head") refers to.

A light rule-based chunker, not a parser: it walks from the verb to the nearest clause boundary and keeps
names, titles and affiliations ("Natalia Prilutskaya, Russia Researcher at Amnesty International",
"Deputy Spokesperson Robert Palladino"), inverted order ("…,” said X), ``according to X``, passives with
an agent ("was condemned by X", "described by one trader as") and participles that inherit the
sentence's subject ("…, adding: “…”").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from factcheck.lexicon import (
    AMBIGUOUS_NOUNS,
    ANAPHORIC_NOUNS,
    BETWEEN_SUBJECT_AND_VERB,
    CHARACTERIZATION_SET,
    CONNECTORS,
    DETERMINERS,
    DOCUMENT_NOUNS,
    GROUP_NOUNS,
    INVERTIBLE,
    MONTHS,
    NP_LINKS_AFTER_DETERMINER,
    NUMBER_WORD_SET,
    ORG_WORDS,
    PARTICIPLE_SET,
    PERSON_ROLES,
    PRONOUNS,
    STOP_WORDS,
    THAT_VERBS_FOR_REPORTED,
    VERB_RE,
)
from factcheck.quotes import MASK

REPORTED, CHARACTERIZATION = "reported", "characterization"
_RELATIVE = {"who", "which", "whose", "whom", "where", "when", "while"}
_LEADING_PREPOSITIONS = {
    "in",
    "on",
    "at",
    "after",
    "before",
    "during",
    "since",
    "from",
    "for",
    "with",
    "without",
    "by",
    "under",
    "over",
    "last",
    "earlier",
    "later",
    "as",
    "according",
    "despite",
    "following",
    "amid",
    "until",
    "when",
}
_BE = {"is", "was", "were", "are", "be", "been", "being", "get", "got"}

# --------------------------------------------------------------------------------------------
# Tokens and noun phrases


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "#"

    @property
    def capitalized(self) -> bool:
        return self.text[0].isupper() or (self.text[0].isdigit() and any(c.isupper() for c in self.text))


_TITLE_ABBREVIATIONS = (
    "Sen|Rep|Gov|Gen|Dr|Mr|Mrs|Ms|Prof|Lt|Col|Capt|Sgt|St|Rev|Hon|Amb|Adm|Maj|Cpl|Pvt|Supt|Insp"
)
_TOKEN_RE = re.compile(
    rf"(?:{_TITLE_ABBREVIATIONS})\.(?=\s+[A-Z])|(?:[A-Za-z]\.){{2,}}|[^\W_](?:[\w’'.&-]*[^\W_])?[’']?|"
    + MASK
    + r"+|[^\s\w]"
)


def _tokens(masked: str, lo: int, hi: int) -> list[_Token]:
    return [_Token(m.group(), lo + m.start(), lo + m.end()) for m in _TOKEN_RE.finditer(masked[lo:hi])]


def _base(word: str) -> str:
    return re.sub(r"[’']s?$", "", word.lower())


def is_role(word: str) -> bool:
    """A noun that names a speaker by role, group or document ("spokeswoman", "ministry", "report")."""
    base = _base(word)
    nouns = PERSON_ROLES | GROUP_NOUNS | DOCUMENT_NOUNS
    return (
        base in nouns
        or (base.endswith("s") and base[:-1] in nouns)
        or (base.endswith("ies") and base[:-3] + "y" in nouns)
    )


def _plain_word(token: _Token) -> bool:
    """A lowercase word that can sit inside a noun phrase (not a function word)."""
    return (
        token.is_word
        and not token.capitalized
        and not token.text[0].isdigit()
        and token.lower not in STOP_WORDS | CONNECTORS | DETERMINERS | _RELATIVE
    )


def _np_word_ok(token: _Token) -> bool:
    if not token.is_word:
        return False
    if token.capitalized:
        return token.lower != "i"
    return _plain_word(token)


def _np_backward(tokens: list[_Token]) -> list[_Token]:
    """The noun phrase that ends at the last token, walking left (the subject of a following verb)."""
    np: list[_Token] = []
    i = len(tokens) - 1
    while i >= 0 and len(np) < 16:
        token = tokens[i]
        low = token.lower
        if _np_word_ok(token):
            np.insert(0, token)
        elif token.text[0].isdigit() and np and re.fullmatch(r"(?:19|20)\d\d", token.text):
            np.insert(0, token)  # "A December 2018 report"
        elif low in NUMBER_WORD_SET and np:
            np.insert(0, token)  # "two officials"
            break
        elif (
            low in CONNECTORS
            and np
            and i > 0
            and (_np_word_ok(tokens[i - 1]) or tokens[i - 1].lower in DETERMINERS)
        ):
            np.insert(0, token)
        elif low in DETERMINERS - {"that"} and np:
            np.insert(0, token)
            # Continue through "a spokesman for the ministry" / "a report by the OSCE".
            if i > 1 and tokens[i - 1].lower in NP_LINKS_AFTER_DETERMINER and _np_word_ok(tokens[i - 2]):
                np.insert(0, tokens[i - 1])
                i -= 2
                continue
            break
        else:
            break
        i -= 1
    while np and (np[0].lower in CONNECTORS):
        np.pop(0)
    return np


def _role_run(tokens: list[_Token], i: int, *, any_noun: bool = False) -> int | None:
    """End index of a run of plain lowercase words from ``i`` that ends in a role noun ("hospital staff").

    With ``any_noun`` (an agent after "by"), the run may end in any plain word.
    """
    last_role = None
    j = i
    while j < len(tokens) and j - i < 5 and (_plain_word(tokens[j]) or tokens[j].text == "-"):
        if is_role(tokens[j].text) or any_noun:
            last_role = j
        j += 1
    return last_role


def _np_forward(
    tokens: list[_Token], *, allow_appositive: bool = True, agent: bool = False, claim_follows: bool = False
) -> list[_Token]:
    """A speaker's noun phrase at the start of ``tokens`` (after an inverted verb, "by" or "according to").

    With ``claim_follows`` ("according to X, <claim>") a title must be closed by a comma: what runs
    to the end of the sentence is the claim.
    """
    np: list[_Token] = []
    i = 0
    if i < len(tokens) and (tokens[i].lower in DETERMINERS - {"that"} or tokens[i].lower in NUMBER_WORD_SET):
        np.append(tokens[i])
        i += 1
    while i < len(tokens) and len(np) < 16:
        token = tokens[i]
        low = token.lower
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if token.is_word and token.capitalized:
            np.append(token)
        elif _plain_word(token) and (end := _role_run(tokens, i, any_noun=agent and not np[1:])) is not None:
            np.extend(tokens[i : end + 1])
            i = end + 1
            # "a spokesperson for the ministry", "a researcher at Amnesty": the role's organisation.
            link = tokens[i : i + 3]
            if link and link[0].lower in NP_LINKS_AFTER_DETERMINER - {"by", "from", "with"}:
                k = 2 if len(link) > 1 and link[1].lower in {"the", "a", "an"} else 1
                org = _np_forward(tokens[i + k :], allow_appositive=False)
                if org and (any(t.capitalized for t in org) or is_role(org[-1].text)):
                    np.extend(tokens[i : i + k])
                    np.extend(org)
                    break
            continue
        elif (
            low in CONNECTORS
            and np
            and nxt is not None
            and not _TIME_NAME_RE.fullmatch(nxt.text)  # "said Osei on Friday", "in January"
            and (
                (nxt.is_word and nxt.capitalized)
                or (nxt.lower in DETERMINERS and i + 2 < len(tokens) and tokens[i + 2].capitalized)
            )
        ) or (low in DETERMINERS and np and np[-1].lower in CONNECTORS):
            np.append(token)
        elif token.text == "," and allow_appositive and np and _is_title_segment(tokens[i + 1 :]):
            title = _segment_until_comma(tokens[i + 1 :])
            after = tokens[i + 1 + len(title)] if i + 1 + len(title) < len(tokens) else None
            # A title is closed by punctuation: ", the charity spent $4m" is the claim, not a title.
            closers = {",", ")", "—", "–"} if claim_follows else {",", ".", ";", ":", ")", "—", "–"}
            if (after is None and not claim_follows) or (after is not None and after.text in closers):
                np.append(token)
                np.extend(title)
            break
        else:
            break
        i += 1
    while np and (np[-1].lower in CONNECTORS | DETERMINERS or np[-1].text == ","):
        np.pop()
    return np


def _segment_until_comma(tokens: list[_Token]) -> list[_Token]:
    out = []
    for token in tokens:
        if not token.is_word and token.text not in "&-’'":
            break
        out.append(token)
    return out


def _is_title_segment(tokens: list[_Token]) -> bool:
    """True for an appositive like "head of the Russian LGBT Network" or "Russia Researcher at Amnesty"."""
    segment = _segment_until_comma(tokens)
    if not segment or len(segment) > 12 or segment[0].lower in _RELATIVE:
        return False
    first = segment[0].lower
    if first[0].isdigit() or first in NUMBER_WORD_SET or first in {"hundreds", "thousands", "dozens"}:
        return False  # ", 40 people died": a count opens a clause, never a title
    if any(t.lower in _BE | {"has", "have", "had", "will", "would", "could", "said"} for t in segment):
        return False  # ", 40 people were detained": a clause, not a title
    if any(is_role(t.text) for t in segment):
        return True
    return any(t.lower in {"of", "at", "for"} for t in segment) and any(t.capitalized for t in segment)


def _join(tokens: Sequence[_Token], text: str) -> str:
    if not tokens:
        return ""
    return " ".join(text[tokens[0].start : tokens[-1].end].split())


def _valid_speaker(np: Sequence[_Token]) -> bool:
    """A noun phrase that can be a speaker: a name, a pronoun, or a role, group or document noun."""
    if not np:
        return False
    if len(np) == 1 and np[0].lower in PRONOUNS:
        return np[0].lower not in {"i", "we", "you"}
    content = [t for t in np if t.is_word and t.lower not in DETERMINERS | CONNECTORS]
    if not content:
        return False
    if any(t.capitalized for t in content if t is not np[0] or len(content) == 1):
        return True
    return any(is_role(t.text) for t in content)


# --------------------------------------------------------------------------------------------
# Attribution


@dataclass(frozen=True)
class Attribution:
    """A reporting verb (or "according to") with its speaker, as found in one sentence."""

    speaker: str  # as written; "" for a participle that inherits the sentence's subject
    verb: str
    verb_start: int
    verb_end: int
    speaker_start: int
    speaker_end: int
    kind: str  # reported | characterization
    that_end: int | None = None  # where the reported clause starts, after "that"
    according: bool = False
    participle: bool = False
    document: str | None = None  # "according to its report": names a document, not who spoke

    @property
    def start(self) -> int:
        return min(self.verb_start, self.speaker_start)


def _strip_between(tokens: list[_Token]) -> list[_Token]:
    out = list(tokens)
    while out and out[-1].lower in BETWEEN_SUBJECT_AND_VERB:
        if out[-1].lower == "this" and len(out) > 1 and out[-2].lower not in BETWEEN_SUBJECT_AND_VERB:
            break
        out.pop()
    while out and re.fullmatch(r"\w+ly", out[-1].lower) and len(out) > 1:
        out.pop()  # adverbs: "strongly condemned"
    return out


_TIME_NAME_RE = re.compile(
    rf"(?:{MONTHS}|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\.?", re.IGNORECASE
)
# A date between subject and verb: "The ministry on January 17 said", "X, on 3 March 2019, said".
_TRAILING_DATE_RE = re.compile(
    rf"(?:,\s*)?\b(?:on|in|late|early|earlier|since)\s+(?:(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\.?|(?:{MONTHS})\.?)(?:,?\s+\d{{4}})?\s*,?\s*$",
    re.IGNORECASE,
)


def _subject_before(masked: str, lo: int, verb_start: int) -> list[_Token]:
    """The subject before a verb, with an appositive title when there is one (``X, title, said``)."""
    date = _TRAILING_DATE_RE.search(masked, lo, verb_start)
    tokens = _strip_between(_tokens(masked, lo, date.start() if date else verb_start))
    if not tokens:
        return []
    last = tokens[-1]
    if last.lower in PRONOUNS:
        return [last]
    if last.text == ",":
        # "Name, Title at Org, said" or "Title, Name, said": an appositive between commas.
        inner_end = len(tokens) - 1
        inner_start = inner_end
        while (
            inner_start > 0
            and tokens[inner_start - 1].text != ","
            and tokens[inner_start - 1].text[0] != MASK
        ):
            inner_start -= 1
        inner = tokens[inner_start:inner_end]
        if inner_start == 0 or tokens[inner_start - 1].text != ",":
            return []
        head = _np_backward(tokens[: inner_start - 1])
        if not head or not _valid_speaker(head) or not inner:
            return []
        if inner[0].lower in _RELATIVE or (inner[0].lower.endswith("ing") and not inner[0].capitalized):
            # "Priya Shah, who runs a bakery, said", "X, speaking on Tuesday, said": not a title
            return head
        if len(inner) <= 12 and all(t.is_word or t.text in "&-" for t in inner):
            return [*head, *inner]
        return []
    np = _np_backward(tokens)
    return np if _valid_speaker(np) else []


def _subject_after(masked: str, verb_end: int, hi: int) -> list[_Token]:
    tokens = _tokens(masked, verb_end, hi)
    if tokens and tokens[0].lower in PRONOUNS:
        return [tokens[0]]
    np = _np_forward(tokens)
    return np if _valid_speaker(np) else []


def _is_passive(tokens_before: list[_Token]) -> bool:
    stripped = [t for t in tokens_before[-3:] if not re.fullmatch(r"\w+ly", t.lower)]
    return bool(stripped) and stripped[-1].lower in _BE


def _closes_appositive(tokens: list[_Token]) -> bool:
    """True after "Name, a campaign group," — an appositive that only a verb can follow."""
    if len(tokens) < 4 or tokens[-1].text != ",":
        return False
    commas = [i for i, t in enumerate(tokens[:-1]) if t.text == ","]
    if not commas:
        return False
    inner = tokens[commas[-1] + 1 : -1]
    head = _np_backward(tokens[: commas[-1]])
    return (
        bool(inner and head)
        and inner[0].lower in {"a", "an", "the"}
        and all(t.is_word for t in inner)
        and any(t.capitalized for t in head)
    )


def _document_of(np: Sequence[_Token]) -> str | None:
    """The document noun of "its inspection report" / "an interview with Evening Radio", if it names one."""
    words = [t.lower for t in np if t.is_word]
    for index, word in enumerate(words):
        if _base(word) in DOCUMENT_NOUNS and not any(w in {"by", "from", "of"} for w in words[index + 1 :]):
            return _base(word)
    return None


def find_attributions(masked: str, text: str, lo: int, hi: int) -> list[Attribution]:
    """Reporting verbs with their speakers in ``masked[lo:hi]`` (one sentence), in text order."""
    found: list[Attribution] = []
    segment = masked[lo:hi]
    for match in re.finditer(r"\baccording to\b", segment, re.IGNORECASE):
        start = lo + match.end()
        tokens = _tokens(masked, start, hi)
        # "according to the latest Amnesty report", "separate ONS figures": the name, past its adjectives.
        first_name = next((k for k, t in enumerate(tokens[:4]) if t.is_word and t.capitalized), None)
        if first_name and all(
            t.lower in DETERMINERS or (_plain_word(t) and not is_role(t.text)) for t in tokens[:first_name]
        ):
            tokens = tokens[first_name:]
        np = _np_forward(tokens, allow_appositive=True, claim_follows=True)
        if np and _valid_speaker(np):
            found.append(
                Attribution(
                    speaker=_join(np, text),
                    verb="according to",
                    verb_start=lo + match.start(),
                    verb_end=lo + match.end(),
                    speaker_start=np[0].start,
                    speaker_end=np[-1].end,
                    kind=REPORTED,
                    according=True,
                    document=_document_of(np),
                )
            )
    verbs = [m for m in VERB_RE.finditer(segment) if m.group("verb") == m.group("verb").lower()]
    for index, match in enumerate(verbs):
        verb = match.group("verb")
        v_start, v_end = lo + match.start("verb"), lo + match.end()
        after = masked[v_end:hi]
        follows = after.lstrip()[:1]
        before_tokens = _tokens(masked, lo, v_start)
        if verb.split()[0] in AMBIGUOUS_NOUNS and not (
            follows in (":", ",", MASK)
            or re.match(r"\s+(?:that|on|for|to|in|the|a|an|its|his|her|their|by)\b", after)
            or (before_tokens and before_tokens[-1].lower in PRONOUNS | {"also", "has", "have", "had"})
            or (before_tokens and before_tokens[-1].capitalized and before_tokens[-1].is_word)
            or (before_tokens and before_tokens[-1].text == "," and follows in ("", "."))
            or _closes_appositive(before_tokens)
        ):
            continue
        if before_tokens and before_tokens[-1].lower in DETERMINERS - {"that"}:
            continue  # "the said document", "a report"
        participle = verb in PARTICIPLE_SET
        # "that" opens the reported clause only when no other reporting verb comes first.
        next_verb = lo + verbs[index + 1].start() if index + 1 < len(verbs) else hi
        that = re.match(r"[^" + MASK + r".;:]{0,60}?\bthat\b", masked[v_end:next_verb])
        that_end = v_end + that.end() if that else None
        kind = CHARACTERIZATION if verb in CHARACTERIZATION_SET else REPORTED
        if (
            verb in THAT_VERBS_FOR_REPORTED
            and that_end is not None
            and not masked[v_end:that_end].strip(" ")[:-4]
        ):
            kind = REPORTED
        by = re.match(r"\s+by\s+", after)
        if _is_passive(before_tokens) or (by and verb.endswith(("ed", "ld", "nd", "wn"))):
            # "was condemned by X", "described by one trader as": the agent after "by" speaks.
            if not by:
                continue
            np = _np_forward(_tokens(masked, v_end + by.end(), hi), agent=True)
            if not _valid_speaker(np) and not (np and np[-1].is_word):
                continue
            found.append(
                Attribution(_join(np, text), verb, v_start, v_end, np[0].start, np[-1].end, kind, that_end)
            )
            continue
        np = [] if participle else _subject_before(masked, lo, v_start)
        if not np and verb in INVERTIBLE and not participle:
            prev = _tokens(masked, lo, v_start)
            # Inverted "…,” said X" needs the verb right after the quote or a comma.
            if not prev or prev[-1].text[0] == MASK or prev[-1].text == ",":
                np = _subject_after(masked, v_end, hi)
        if not np and not participle:
            continue
        found.append(
            Attribution(
                speaker=_join(np, text) if np else "",
                verb=verb,
                verb_start=v_start,
                verb_end=v_end,
                speaker_start=np[0].start if np else v_start,
                speaker_end=np[-1].end if np else v_start,
                kind=kind,
                that_end=that_end,
                participle=participle,
            )
        )
    found.sort(key=lambda a: a.verb_start)
    return found


def dash_credit(masked: str, text: str, start: int, hi: int) -> str | None:
    """The name in a credit line after a quote: "“…” – Peter Osei, head of the charity"."""
    dash = re.match(r"[ \t]*(?:—|–|-{1,2}|―)[ \t]*", masked[start:hi])
    if dash is None:
        return None
    tokens = _tokens(masked, start + dash.end(), hi)
    np = _np_forward(tokens)
    rest = tokens[len(np) :]
    if not np or not _valid_speaker(np) or not any(t.capitalized for t in np):
        return None
    if any(t.is_word for t in rest):
        return None  # "“…” - and then the minister left": a sentence goes on, not a credit
    return tidy_speaker(_join(np, text))


def leading_subject(masked: str, text: str, lo: int, hi: int) -> str | None:
    """The named subject a sentence opens with ("Mayor Tom Baker celebrated ...", "Berger was blunt:").

    Only names (two or more capitalised words, or a title and a name) count, so that an ordinary
    capitalised first word ("Traders were ...") is not taken for a person.
    """
    tokens = _tokens(masked, lo, hi)
    while tokens and tokens[0].lower in {"but", "and", "meanwhile", "however", "still", "yet", "so"}:
        tokens = tokens[1:]
        if tokens and tokens[0].text == ",":
            tokens = tokens[1:]
    if tokens and tokens[0].lower in _LEADING_PREPOSITIONS:
        return None  # "In Washington, X said": a place or time, not the subject
    np = _np_forward(tokens)
    rest = tokens[len(np) :]
    caps = [t for t in np if t.is_word and t.capitalized and t.lower not in DETERMINERS]
    if len(caps) < 2 or not rest:
        return None
    following = rest[0]
    if following.text == "," or (following.is_word and not following.capitalized):
        return tidy_speaker(_join(np, text))
    return None


# --------------------------------------------------------------------------------------------
# Speakers


_LEADING_THE_RE = re.compile(r"^(?:[Tt]he\s+)(?=[A-Z])")


def tidy_speaker(name: str) -> str:
    """A speaker as named, without a leading "the" before a proper name ("the OSCE" → "OSCE") or an
    age ("Baker, 54")."""
    return _LEADING_THE_RE.sub("", re.sub(r",\s*\d{1,3}$", "", name.strip(" ,")))


_DOC_BY_RE = re.compile(
    r"^(?:(?:a|an|the|its|their|his|her)\s+)?(?:[\w-]+\s+){0,3}?(?P<doc>"
    + "|".join(sorted(DOCUMENT_NOUNS, key=len, reverse=True))
    + r")\s+(?:by|from|of|issued by|published by)\s+(?P<who>.+)$",
    re.IGNORECASE,
)
_ORG_DOC_RE = re.compile(
    r"^(?:(?:[Aa]n?|[Tt]he)\s+)?(?P<who>(?!(?:An?|The)\s)(?:[A-Z][\w’'.&-]*\s+){1,6}?)(?:(?:new|annual|latest|recent|draft|final|"
    r"internal|leaked|\d{4})\s+)*(?P<doc>"
    + "|".join(sorted(DOCUMENT_NOUNS, key=len, reverse=True))
    + r")(?:\s+(?:published|released|issued|seen|obtained|dated|out)\b.*)?$",
)


def split_document(speaker: str) -> tuple[str, str | None]:
    """Who stands behind a cited document: "A December 2018 report by the OSCE" → ("OSCE", "report")."""
    match = _DOC_BY_RE.match(speaker)
    if match:
        return tidy_speaker(match.group("who")), match.group("doc").lower()
    match = _ORG_DOC_RE.match(speaker)
    if match and not re.fullmatch(
        r"(?:[A-Z][a-z]+\s+)?(?:January|February|March|April|May|June|July|August|"
        r"September|October|November|December)\s*",
        match.group("who"),
    ):
        return tidy_speaker(match.group("who").strip()), match.group("doc").lower()
    return speaker, None


def is_person(name: str) -> bool:
    """A person rather than an organisation: "Deputy Spokesperson Robert Palladino" yes, "OSCE" no."""
    head = name.split(",")[0].strip()
    # "Human Rights Watch's Tanya Lokshina", "Kadyrov's spokesman": the possessor is an affiliation.
    head = re.split(r"[’']s\s+", head)[-1]
    words = re.findall(r"[\w’'-]+", head)
    if not words:
        return False
    bases = [_base(w) for w in words]
    org_like = ORG_WORDS | (GROUP_NOUNS - PERSON_ROLES)
    if len(words) == 1 and words[0].isupper() and len(words[0]) > 1:
        return False  # an acronym: "OSCE"
    # A title or role ending in a personal name: "State Department Deputy Spokesperson Robert Palladino".
    if any(b in PERSON_ROLES for b in bases) and bases[-1] not in org_like:
        return True
    tail = words[-2:]
    if len(tail) == 2 and all(w[:1].isupper() for w in tail) and not {_base(w) for w in tail} & org_like:
        return not set(bases) & org_like or any(b in PERSON_ROLES for b in bases)
    if set(bases) & org_like:
        return False
    return any(w[:1].isupper() for w in words)


def _name_words(name: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Z][\w’'-]+", name)}


class SpeakerMemory:
    """The speakers named so far, for pronouns, role nouns and quote-only paragraphs."""

    def __init__(self) -> None:
        self.named: list[tuple[str, int, bool]] = []  # (speaker, paragraph, is_person), oldest first
        self.last_quote: tuple[str | None, int, tuple[str, ...]] | None = None  # speaker, paragraph, hints

    def canonical(self, speaker: str) -> str:
        """The fullest earlier naming of the same speaker ("Lindqvist" → "Marta Lindqvist, head of ...")."""
        words = _name_words(speaker.split(",")[0])
        if not words:
            return speaker
        for earlier, _paragraph, _person in reversed(self.named):
            if words < _name_words(earlier.split(",")[0]) or words == _name_words(earlier.split(",")[0]):
                return earlier if len(earlier) >= len(speaker) else speaker
        return speaker

    def remember(self, speaker: str, paragraph: int) -> None:
        speaker = self.canonical(speaker)
        self.named.append((speaker, paragraph, is_person(speaker)))

    def resolve(self, mention: str) -> str | None:
        """Who a pronoun or definite description refers to, or None when it names someone new."""
        low = mention.lower()
        if not self.named:
            return None
        if low in PRONOUNS:
            want_person = True if low in {"he", "she"} else False if low == "it" else None
            for speaker, _para, person in reversed(self.named):
                if want_person is None or person == want_person:
                    return speaker
            return None
        words = [_base(w) for w in re.findall(r"[\w’'-]+", low)[1:]]
        if not words:
            return None
        head = words[-1]
        wanted: bool | None = True if head in PERSON_ROLES else False if head in GROUP_NOUNS else None
        # A description that repeats a word of an earlier speaker refers back to them ("the monitor"),
        # unless the word is generic ("group"), which any organisation may be called. A possessor
        # ("the network's director") is not the speaker the description names.
        for speaker, _para, person in reversed(self.named) if head not in ANAPHORIC_NOUNS else ():
            if wanted is not None and person != wanted:
                continue
            speaker_words = set(re.findall(r"[\w-]+(?![’'\w])", speaker.lower()))
            if head in speaker_words or (head.endswith("s") and head[:-1] in speaker_words):
                return speaker
        # Generic nouns ("the group", "the group's head", "the report") refer to the last organisation,
        # and a person's role in it ("the group's head") to the last person.
        if set(words) & ANAPHORIC_NOUNS:
            want_person = head in PERSON_ROLES
            named = [s for s in reversed(self.named) if not s[0].lower().startswith(("a ", "an "))]
            for speaker, _para, person in named or reversed(self.named):
                if person == want_person:
                    return speaker
        return None


_POSSESSOR_RE = re.compile(r"\b[Tt]he\s+(?P<noun>[a-z]+)[’']s\b")


def affiliation_of(speaker: str, memory: SpeakerMemory) -> str | None:
    """The organisation a title points back to: "the network's director" → the last network named."""
    match = _POSSESSOR_RE.search(speaker)
    if match is None or match.group("noun") not in GROUP_NOUNS:
        return None
    return memory.resolve(f"the {match.group('noun')}")


def needs_resolution(speaker: str) -> bool:
    """A pronoun, or a definite description with no name in it ("the group's head", "the ministry")."""
    low = speaker.lower()
    if low in PRONOUNS:
        return True
    return low.startswith(("the ", "this ", "that ")) and not any(
        w[:1].isupper() for w in speaker.split()[1:]
    )
