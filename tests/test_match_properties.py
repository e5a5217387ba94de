"""Property tests of factcheck.match (hypothesis).

- normalisation changes typography only, never a letter or a word;
- any quote cut from a document at word boundaries is verbatim, and its evidence is that passage;
- changing a number in such a quote, or flipping a negation, is never verbatim or minor;
- match_quote and find_support never raise and stay fast on arbitrary strings.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from factcheck.match import ALTERED, NOT_FOUND, VERBATIM, find_support, match_quote, normalize
from tests.fuzzing import bounded_time, examples

# Typographic separators the normaliser must see through (quote marks, dashes, odd spaces, breaks).
SEPARATORS = [
    " ",
    "  ",
    "\u00a0",
    "\u2009",
    "\u202f",
    "\n",
    "\r\n",
    "\t",
    ", ",
    ". ",
    "; ",
    " — ",
    "–",
    " - ",
    " “",
    "” ",
    "’ ",
    " «",
    "» ",
    " „",
    "… ",
    ": ",
    "\u200b ",
]
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèàüöçñøåłžÉÜÆßαβγδλμπωЖжЯяђ"
NUMBER_WORDS = ["two", "three", "five", "seven", "eleven", "twenty", "forty", "ninety"]
NEGATIONS = ["not", "never", "no", "nobody", "nothing", "without", "don't", "can't", "won't"]

words = st.text(alphabet=LETTERS, min_size=3, max_size=9)
# Real-looking documents: random words (a large vocabulary, so passages rarely repeat), some numbers,
# some negation words, joined by typographic separators.
tokens = st.one_of(
    words,
    words,
    words,
    words,
    st.integers(min_value=0, max_value=99999).map(str),
    st.sampled_from(NUMBER_WORDS),
    st.sampled_from(NEGATIONS),
)


@st.composite
def documents(draw: st.DrawFn, min_words: int = 8, max_words: int = 60) -> tuple[str, list[tuple[int, int]]]:
    """A document and the (start, end) span of each of its words."""
    n = draw(st.integers(min_value=min_words, max_value=max_words))
    parts: list[str] = [draw(st.sampled_from(["", "“", "\n", "  "]))]
    spans: list[tuple[int, int]] = []
    pos = len(parts[0])
    for k in range(n):
        word = draw(tokens)
        spans.append((pos, pos + len(word)))
        parts.append(word)
        pos += len(word)
        sep = draw(st.sampled_from(SEPARATORS)) if k < n - 1 else draw(st.sampled_from(["", ".", "”", "…"]))
        parts.append(sep)
        pos += len(sep)
    return "".join(parts), spans


def _fold(c: str) -> str:
    low = c.lower()
    return {"ς": "σ", "i̇": "i"}.get(low, low)


# --------------------------------------------------------------------------------------------------
# normalisation


@pytest.mark.fuzz
@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=300))
def test_normalize_never_changes_a_letter(text: str) -> None:
    norm, offsets = normalize(text)
    assert len(offsets) == len(norm)
    assert all(0 <= o < len(text) for o in offsets)
    assert offsets == sorted(offsets)
    # every letter survives, in order, only lower-cased
    assert [c for c in norm if c.isalpha()] == [
        ch for c in text if c.isalpha() for ch in _fold(c) if ch.isalpha()
    ]
    # every normalised letter points back at the letter it came from
    for c, o in zip(norm, offsets, strict=True):
        if c.isalpha():
            assert _fold(text[o]) == c or c in _fold(text[o])


@pytest.mark.fuzz
@settings(max_examples=examples(100), deadline=None)
@given(documents())
def test_normalize_keeps_every_word(doc: tuple[str, list[tuple[int, int]]]) -> None:
    text, spans = doc
    norm, offsets = normalize(text)
    expected = ["".join(_fold(c) for c in text[s:e]) for s, e in spans]
    found = [m.group() for m in re.finditer(r"[^\W_]+(?:'[^\W_]+)*", norm)]
    assert found == expected
    # each normalised word maps back onto exactly the original word
    for m, (s, e) in zip(re.finditer(r"[^\W_]+(?:'[^\W_]+)*", norm), spans, strict=True):
        assert offsets[m.start()] == s
        assert offsets[m.end() - 1] + 1 == e


# --------------------------------------------------------------------------------------------------
# quotes cut from a document


@st.composite
def cut_quotes(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]], int, int]:
    text, spans = draw(documents())
    i = draw(st.integers(min_value=0, max_value=len(spans) - 1))
    j = draw(st.integers(min_value=i, max_value=min(len(spans) - 1, i + 40)))
    return text, spans, i, j


def _occurrences(needle: str, haystack: str) -> int:
    count, pos = 0, haystack.find(needle)
    while pos >= 0:
        before = haystack[pos - 1] if pos else " "
        after = haystack[pos + len(needle)] if pos + len(needle) < len(haystack) else " "
        if not before.isalnum() and not after.isalnum():
            count += 1
        pos = haystack.find(needle, pos + 1)
    return count


@pytest.mark.fuzz
@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut_quotes())
def test_cut_quote_is_verbatim_and_located(case: tuple[str, list[tuple[int, int]], int, int]) -> None:
    text, spans, i, j = case
    start, end = spans[i][0], spans[j][1]
    quote = text[start:end]
    result = match_quote(quote, text)
    assert result.verdict == VERBATIM, result.reason
    assert result.start is not None and result.end is not None
    # the evidence is the passage (or an identical one elsewhere), sliced from the original text
    assert normalize(text[result.start : result.end])[0] == normalize(quote)[0]
    norm_doc, norm_quote = normalize(text)[0], normalize(quote)[0]
    if _occurrences(norm_quote, norm_doc) == 1:
        assert (result.start, result.end) == (start, end)


@pytest.mark.fuzz
@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut_quotes())
def test_cut_quote_retyped_is_verbatim(case: tuple[str, list[tuple[int, int]], int, int]) -> None:
    # the article retypes the quote with plain typography: still verbatim
    text, spans, i, j = case
    quote = text[spans[i][0] : spans[j][1]]
    plain = quote.translate(
        str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "’": "'", "—": "-", "–": "-"})
    )
    plain = re.sub(r"[\s\u200b]+", " ", plain).replace("…", "...")
    assert match_quote(plain, text).verdict == VERBATIM


def _word_list(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:'[^\W_]+)*", normalize(text)[0])


def _passage_exists(quote: str, text: str) -> bool:
    """The quote's words, punctuation aside, are a run of the document's words somewhere."""
    q, d = _word_list(quote), _word_list(text)
    return any(d[k : k + len(q)] == q for k in range(len(d) - len(q) + 1))


def _is_number(token: str) -> bool:
    return token.isdigit() or token.lower() in NUMBER_WORDS


@pytest.mark.fuzz
@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(cut_quotes(), st.data())
def test_changed_number_is_never_faithful(
    case: tuple[str, list[tuple[int, int]], int, int], data: st.DataObject
) -> None:
    text, spans, i, j = case
    numbers = [k for k in range(i, j + 1) if _is_number(text[spans[k][0] : spans[k][1]])]
    assume(numbers)
    k = data.draw(st.sampled_from(numbers))
    old = text[spans[k][0] : spans[k][1]]
    old_value = int(old) if old.isdigit() else None
    choices = [w for w in NUMBER_WORDS if w != old.lower()] + [str(v) for v in (1, 14, 40, 123, 2019)]
    new = data.draw(
        st.sampled_from(choices).filter(lambda w: w != old and (old_value is None or w != str(old_value)))
    )
    values = {
        "two": 2,
        "three": 3,
        "five": 5,
        "seven": 7,
        "eleven": 11,
        "twenty": 20,
        "forty": 40,
        "ninety": 90,
    }
    new_num = int(new) if new.isdigit() else values[new]
    tokens_in_doc = [text[a:b] for a, b in spans]
    in_document = {int(t) if t.isdigit() else values[t.lower()] for t in tokens_in_doc if _is_number(t)}
    assume(new_num not in in_document)  # else the changed quote may be a real passage elsewhere
    quote = text[spans[i][0] : spans[k][0]] + new + text[spans[k][1] : spans[j][1]]
    # A quote that carries an ellipsis claims an elision, which may genuinely hold when words repeat.
    assume("…" not in quote and "..." not in quote)
    assume(not _passage_exists(quote, text))
    result = match_quote(quote, text)
    assert result.verdict in (ALTERED, NOT_FOUND), result.reason


@pytest.mark.fuzz
@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(cut_quotes(), st.data())
def test_flipped_negation_is_never_faithful(
    case: tuple[str, list[tuple[int, int]], int, int], data: st.DataObject
) -> None:
    text, spans, i, j = case
    assume(j - i >= 2)
    interior = [k for k in range(i + 1, j) if text[spans[k][0] : spans[k][1]].lower() in NEGATIONS]
    if interior and data.draw(st.booleans()):
        k = data.draw(st.sampled_from(interior))  # drop a negation from inside the quote
        quote = text[spans[i][0] : spans[k][0]] + text[spans[k][1] : spans[j][1]]
    else:
        k = data.draw(st.integers(min_value=i + 1, max_value=j))  # add one between two words
        word = data.draw(st.sampled_from(["not", "never", "no"]))
        quote = text[spans[i][0] : spans[k][0]] + word + " " + text[spans[k][0] : spans[j][1]]
    # A quote that carries an ellipsis claims an elision, which may genuinely hold when words repeat.
    assume("…" not in quote and "..." not in quote)
    assume(not _passage_exists(quote, text))
    result = match_quote(quote, text)
    assert result.verdict in (ALTERED, NOT_FOUND), result.reason


# --------------------------------------------------------------------------------------------------
# robustness

MARKUP = st.text(alphabet=st.sampled_from(list("ab c[]…....'\"“”—-\n 0123456789,;")), max_size=200)


@pytest.mark.fuzz
@settings(max_examples=examples(300), deadline=None)
@given(st.one_of(st.text(max_size=200), MARKUP), st.one_of(st.text(max_size=2000), MARKUP))
def test_never_raises_and_is_fast(quote: str, text: str) -> None:
    with bounded_time("match_quote and find_support", limit=1.0):
        result = match_quote(quote, text)
        support = find_support(quote, text, figures=["40"])
    assert result.verdict in (VERBATIM, "minor", ALTERED, NOT_FOUND)
    assert 0.0 <= result.score <= 100.0
    if result.start is not None:
        assert result.end is not None and 0 <= result.start <= result.end <= len(text)
    assert 0.0 <= support.score <= 100.0


@pytest.mark.fuzz
@settings(max_examples=examples(20), deadline=None)
@given(
    st.integers(min_value=0, max_value=2**32), st.text(alphabet=LETTERS + " .,[]…", min_size=20, max_size=400)
)
def test_bounded_time_on_larger_documents(seed: int, quote: str) -> None:
    # a ~100 KB document of random words: large documents are generated, not drawn word by word
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 9))) for _ in range(3000)]
    text = " ".join(rng.choice(vocabulary) + rng.choice(["", "", "", ",", "."]) for _ in range(15000))
    with bounded_time("match_quote on a 100 KB document", limit=3.0):
        match_quote(quote, text)
        match_quote(" ".join(text.split(" ")[5000:5030]), text)
