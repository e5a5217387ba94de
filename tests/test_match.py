"""factcheck.match: the labelled corpus, and unit tests of normalisation, numbers, diff and support."""

from __future__ import annotations

import random
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from factcheck.match import (
    ALTERED,
    MINOR,
    NOT_FOUND,
    VERBATIM,
    DiffOp,
    DocumentIndex,
    QuoteMatch,
    extract_numbers,
    find_support,
    match_quote,
    normalize,
)

CORPUS_PATH = Path(__file__).with_name("match_corpus.toml")
CORPUS: dict[str, Any] = tomllib.loads(CORPUS_PATH.read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = CORPUS["case"]
SOURCES: dict[str, str] = CORPUS["sources"]
REPO = Path(__file__).resolve().parent.parent

# Filler for the long-document cases: plain sentences on unrelated topics, deterministic.
_SUBJECTS = [
    "The harvest committee",
    "A regional weather office",
    "The museum's new director",
    "Several local bakers",
    "The cycling federation",
    "A group of volunteers",
    "The orchestra",
    "Market traders",
    "The library board",
    "A visiting delegation",
]
_VERBS = [
    "discussed",
    "postponed",
    "announced",
    "reviewed",
    "celebrated",
    "questioned",
    "funded",
    "described",
    "inspected",
    "welcomed",
]
_OBJECTS = [
    "the autumn timetable",
    "a proposal for longer opening hours",
    "the repairs to the old mill",
    "plans for a spring festival",
    "the price of apples at the Saturday market",
    "a survey of hedgerow birds",
    "the new rules on parking near the square",
    "an exhibition of maps from the last century",
    "the results of the village quiz",
    "a scheme to plant trees along the canal",
]
_TAILS = [
    "on Monday",
    "after a long debate",
    "without much fuss",
    "for the third year running",
    "in front of a small crowd",
    "despite the rain",
    "at the town hall",
    "before lunch",
]


def filler(n_chars: int, seed: int) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < n_chars:
        paragraph = " ".join(
            f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TAILS)}."
            for _ in range(rng.randint(3, 7))
        )
        out.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(out)


def source_text(case: dict[str, Any]) -> str:
    text = SOURCES[case["source"]]
    embed = case.get("embed")
    if embed == "middle":
        return filler(150_000, 1) + "\n\n" + text + "\n\n" + filler(150_000, 2)
    if embed == "start":
        return text + "\n\n" + filler(300_000, 3)
    if embed == "end":
        return filler(300_000, 4) + "\n\n" + text
    assert embed is None, embed
    return text


def _words(text: str) -> set[str]:
    import re

    return set(re.findall(r"\w+", normalize(text)[0]))


# --------------------------------------------------------------------------------------------------
# The corpus


def test_corpus_size_and_coverage() -> None:
    assert len(CASES) >= 60
    assert len({c["id"] for c in CASES}) == len(CASES), "case ids must be unique"
    verdicts = {c["verdict"] for c in CASES}
    assert verdicts == {VERBATIM, MINOR, ALTERED, NOT_FOUND}
    tags = {t for c in CASES for t in c["tags"]}
    wanted = {
        "typography",
        "ellipsis",
        "brackets",
        "dropped-article",
        "inflection",
        "spelling",
        "changed-word",
        "changed-number",
        "number-word",
        "negation",
        "reworded",
        "spliced",
        "fabricated",
        "truncated",
        "long-document",
        "near-duplicate",
        "at-start",
        "at-end",
        "seed",
    }
    assert wanted <= tags, wanted - tags
    for c in CASES:
        assert c["source"] in SOURCES, c["id"]


def test_corpus_seed_sources_match_the_bundled_originals() -> None:
    # The corpus carries copies so that it is self-contained; they must not drift from the originals.
    originals = REPO / "sources" / "originals"
    pairs = {
        "seed-state-department": "state-department-2019-01-17.txt",
        "seed-lgbt-network": "russian-lgbt-network-2019-01-14.excerpts.txt",
        "seed-osce": "osce-moscow-mechanism-2018-12.partial.txt",
    }
    for key, name in pairs.items():
        assert SOURCES[key] == (originals / name).read_text(encoding="utf-8"), name


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_corpus_case(case: dict[str, Any]) -> None:
    text = source_text(case)
    result = match_quote(case["quote"], text)
    assert result.verdict == case["verdict"], f"{result.verdict}: {result.reason}"
    assert result.reason and "\n" not in result.reason
    assert 0.0 <= result.score <= 100.0
    if "reason" in case:
        assert case["reason"] in result.reason
    if result.verdict == NOT_FOUND:
        assert result.start is None and result.end is None
        return
    assert result.start is not None and result.end is not None
    assert 0 <= result.start < result.end <= len(text)
    evidence = text[result.start : result.end]
    if "evidence" in case:
        assert evidence == case["evidence"]
    # a sensible passage: no loose whitespace at its edges, and it holds most of the quote's words
    assert evidence == evidence.strip()
    quote_words = _words(case["quote"])
    shared = quote_words & _words(evidence)
    assert len(shared) >= len(quote_words) / 2, (evidence, quote_words - shared)
    if result.verdict == VERBATIM:
        assert result.score == 100.0
        assert all(op.op == "equal" for op in result.diff)
    else:
        assert any(op.op != "equal" for op in result.diff)
    for seg_start, seg_end in result.segments:
        assert 0 <= seg_start < seg_end <= len(text)


def test_corpus_long_documents_are_long() -> None:
    text = source_text(next(c for c in CASES if c.get("embed") == "middle"))
    assert len(text) > 290_000


# --------------------------------------------------------------------------------------------------
# normalize


def test_normalize_typography() -> None:
    text = "“Don’t” — it’s\u00a0a\u2009test… «bien» ‚x‛ re\u00adgional\u200b  end\n\nnext"
    norm, offsets = normalize(text)
    assert norm == "'don't' - it's a test... 'bien' 'x' regional end next"
    assert len(offsets) == len(norm)
    # every normalised character maps back to an original character at or after the previous one
    assert offsets == sorted(offsets)
    assert all(0 <= o < len(text) for o in offsets)
    # the ellipsis expands to three characters that all point at the one original character
    k = norm.index("...")
    assert text[offsets[k]] == "…" and offsets[k] == offsets[k + 1] == offsets[k + 2]


def test_normalize_keeps_letters_and_accents() -> None:
    text = "Café NAÏVE Ærø Łódź İstanbul ΟΔΟΣ straße"
    norm, _ = normalize(text)
    assert norm == "café naïve ærø łódź istanbul οδοσ straße"


def test_normalize_spaced_ellipsis_and_dots() -> None:
    assert normalize("wait . . . now")[0] == "wait ... now"
    assert normalize("Mr. Smith... U.S.")[0] == "mr. smith... u.s."


def test_normalize_empty() -> None:
    assert normalize("") == ("", [])


def test_normalize_offsets_slice_original() -> None:
    text = "The  “quick”\n\nbrown fox"
    norm, offsets = normalize(text)
    start = norm.index("quick")
    assert text[offsets[start] : offsets[start + 4] + 1] == "quick"


# --------------------------------------------------------------------------------------------------
# extract_numbers


@pytest.mark.parametrize(
    ("text", "value", "relation", "qualifier"),
    [
        ("around 40 people", 40.0, "~", "around"),
        ("at least two people died", 2.0, ">=", "at least"),
        ("more than 1,000 fled", 1000.0, ">", "more than"),
        ("forty-two boats", 42.0, "=", ""),
        ("two hundred and fifty homes", 250.0, "=", ""),
        ("£1.5 million", 1_500_000.0, "=", ""),
        ("nearly 3.5 per cent", 3.5, "~", "nearly"),
        ("up to 4,000 operations", 4000.0, "<=", "up to"),
        ("a hundred days", 100.0, "=", ""),
        ("hundreds of people", 100.0, ">=", ""),
        ("Eighteen months", 18.0, "=", ""),
    ],
)
def test_extract_numbers(text: str, value: float, relation: str, qualifier: str) -> None:
    figures = extract_numbers(text)
    assert figures, text
    f = figures[0]
    assert (f.value, f.relation, f.qualifier) == (value, relation, qualifier)
    assert text[f.start : f.end] == f.text


def test_extract_numbers_several_and_offsets() -> None:
    text = "Some 40 homes, two schools and 1,200 people; “twenty” more."
    figures = extract_numbers(text)
    assert [f.value for f in figures] == [40.0, 2.0, 1200.0, 20.0]
    assert [f.text for f in figures] == ["Some 40", "two", "1,200", "twenty"]


def test_extract_numbers_none() -> None:
    assert extract_numbers("No numbers here, only words.") == []
    # separate numbers do not run together across punctuation
    assert [f.value for f in extract_numbers("two, three")] == [2.0, 3.0]


# --------------------------------------------------------------------------------------------------
# match_quote: units


SD = SOURCES["seed-state-department"]


def _non_equal(result: QuoteMatch) -> list[DiffOp]:
    return [op for op in result.diff if op.op != "equal"]


def test_verbatim_offsets_slice_the_original() -> None:
    text = "Intro.\n\n“We  were told… that it was fine,” she said."
    result = match_quote('"We were told... that it was fine,"', text)
    assert result.verdict == VERBATIM
    assert result.start is not None and result.end is not None
    assert text[result.start : result.end] == "We  were told… that it was fine"
    assert result.diff == (
        DiffOp("equal", "We were told... that it was fine", text[result.start : result.end]),
    )


def test_diff_changed_word() -> None:
    result = match_quote("We are deeply concerned by credible reports", SD)
    assert result.verdict == ALTERED
    assert _non_equal(result) == [DiffOp("changed", "concerned", "disturbed", "word")]
    assert [op.op for op in result.diff] == ["equal", "changed", "equal"]
    assert result.diff[0].quote == "We are deeply"
    assert result.diff[2].source == "by credible reports"


def test_diff_dropped_and_added() -> None:
    text = "The council will not stop until every family is safe."
    dropped = match_quote("The council will stop until every family is safe", text)
    assert dropped.verdict == ALTERED
    assert _non_equal(dropped) == [DiffOp("dropped", "", "not", "negation")]
    added = match_quote("The council will not stop until every single family is safe", text)
    assert added.verdict == ALTERED
    assert _non_equal(added) == [DiffOp("added", "single", "", "word")]


def test_diff_minor_kinds() -> None:
    text = "The organisation makes every effort to help the families of the victims."
    result = match_quote("The organization make every effort to help families of the victims", text)
    assert result.verdict == MINOR
    kinds = {op.kind for op in _non_equal(result)}
    assert kinds == {"spelling", "inflection", "article"}
    assert 80 < result.score < 100


def test_disturbed_is_never_disrupted() -> None:
    result = match_quote("We are deeply disrupted by credible reports", SD)
    assert result.verdict == ALTERED
    assert _non_equal(result)[0].kind == "word"


def _wrap(words: str) -> str:
    """Put a pair of words in the middle of a sentence, so that the word classification is tested."""
    return f"Officials told reporters on Tuesday morning that {words} before the meeting ended"


@pytest.mark.parametrize(
    ("quote", "source"),
    [
        ("the universe of options", "the university of options"),
        ("an executive order was signed", "an execution order was signed"),
        ("the experience of the clinics", "the experiment of the clinics"),
        ("the report says", "the reporter says"),
        ("the griping of staff", "the gripping of staff"),
        ("a discrete review", "a discreet review"),
        ("they were willing to talk", "they were unwilling to talk"),
        ("the meditation of the council", "the mediation of the council"),
    ],
)
def test_different_words_are_not_minor(quote: str, source: str) -> None:
    result = match_quote(_wrap(quote), _wrap(source))
    assert result.verdict == ALTERED, result.reason


@pytest.mark.parametrize(
    ("quote", "source", "kind"),
    [
        ("they threaten the victims", "they threat the victims", "inflection"),
        ("they threatened the victims", "they threat the victims", "inflection"),
        ("police detain people", "police detained people", "inflection"),
        ("the committees decided", "the committee decided", "inflection"),
        ("she is making every effort", "she is makes every effort", "inflection"),
        ("it was given to them", "it was give to them", "inflection"),
        ("the labor party", "the labour party", "spelling"),
        ("in the center of town", "in the centre of town", "spelling"),
        ("they traveled far", "they travelled far", "spelling"),
        ("we analyzed it", "we analysed it", "spelling"),
        ("a dialog began", "a dialogue began", "spelling"),
        ("their embarassment grew", "their embarrassment grew", "spelling"),
        ("we do not know", "we don't know", "contraction"),
        ("we cannot know", "we can't know", "contraction"),
        ("two boats sank", "2 boats sank", "numeral"),
        ("a report said", "the report said", "article"),
    ],
)
def test_minor_pairs(quote: str, source: str, kind: str) -> None:
    result = match_quote(_wrap(quote), _wrap(source))
    assert result.verdict == MINOR, result.reason
    assert {op.kind for op in _non_equal(result)} == {kind}


def test_numbers_and_negations_override_similarity() -> None:
    text = " ".join(["The committee met on Tuesday and agreed the plan."] * 3) + " It approved 40 new homes."
    assert match_quote("It approved 14 new homes.", text).verdict == ALTERED
    assert match_quote("It approved forty new homes.", text).verdict == MINOR
    assert match_quote("It approved forty-one new homes.", text).verdict == ALTERED
    assert match_quote("It never approved 40 new homes.", text).verdict == ALTERED


def test_brackets() -> None:
    text = "There is no doubt. The Chechen authorities must act, he said."
    assert match_quote("[t]here is no doubt", text).verdict == MINOR
    inserted = match_quote("The [Chechen] authorities must act", "The authorities must act")
    assert inserted.verdict == MINOR
    assert _non_equal(inserted) == [DiffOp("bracket", "[Chechen]", "", "bracket")]
    replaced = match_quote("[Kadyrov's] authorities must act", text)
    assert replaced.verdict == MINOR
    assert _non_equal(replaced)[0].op == "bracket"
    # a bracketed word that stands in for a negation is not editorial
    assert match_quote("There is [some] doubt", text).verdict == ALTERED


def test_ellipsis_segments_and_offsets() -> None:
    text = "First part of the statement. Some words in between. Final part of the statement."
    result = match_quote("First part of the statement ... Final part of the statement", text)
    assert result.verdict == MINOR
    assert len(result.segments) == 2
    (s1, e1), (s2, e2) = result.segments
    assert text[s1:e1] == "First part of the statement"
    assert text[s2:e2] == "Final part of the statement"
    assert result.start == s1 and result.end == e2
    elided = [op for op in result.diff if op.op == "elided"]
    assert elided == [DiffOp("elided", "...", "Some words in between", "ellipsis")]


def test_ellipsis_segments_far_apart() -> None:
    text = (
        "Opening words of the speech. "
        + ("Filler sentence about nothing in particular. " * 80)
        + "Closing words."
    )
    assert len(text) > 3000
    result = match_quote("Opening words of the speech ... Closing words", text)
    assert result.verdict == ALTERED
    assert "far apart" in result.reason


def test_not_found_has_no_evidence() -> None:
    result = match_quote("Completely unrelated sentence about football", SD)
    assert result == QuoteMatch(NOT_FOUND, result.score, None, None, (), result.reason)
    assert result.reason.startswith("nothing close")


@pytest.mark.parametrize("quote", ["", "   ", "“”", "...", "!!!", "[", "]", "[...]"])
def test_degenerate_quotes(quote: str) -> None:
    assert match_quote(quote, SD).verdict == NOT_FOUND


def test_degenerate_documents() -> None:
    assert match_quote("anything at all", "").verdict == NOT_FOUND
    assert match_quote("anything at all", "   \n ").verdict == NOT_FOUND
    assert match_quote("a", "a").verdict == VERBATIM


def test_exact_match_respects_word_boundaries() -> None:
    result = match_quote("he said", "Then the chairman said no. Later he said yes.")
    assert result.verdict == VERBATIM
    assert result.start == len("Then the chairman said no. Later ")


def test_index_is_reusable_and_same_as_text() -> None:
    index = DocumentIndex(SD)
    assert len(index) > 100
    for quote in ("We call on Russia", "We are deeply concerned by credible reports", "nothing like this"):
        assert match_quote(quote, index) == match_quote(quote, SD)


def test_index_long_document_many_quotes_fast() -> None:
    text = filler(1_000_000, 7)
    start = time.perf_counter()
    index = DocumentIndex(text)
    rng = random.Random(3)
    words = text.split(" ")
    quotes = []
    for _ in range(200):
        i = rng.randrange(len(words) - 20)
        quotes.append(" ".join(words[i : i + rng.randint(6, 16)]).strip(" ."))
    results = [match_quote(q, index) for q in quotes]
    elapsed = time.perf_counter() - start
    assert all(r.verdict == VERBATIM for r in results)
    assert elapsed < 5.0  # generous: the benchmark measures properly; this guards against blow-ups


def test_match_module_is_cheap_to_import() -> None:
    code = (
        "import sys, factcheck.match\n"
        "heavy = ('textual', 'httpx', 'bs4', 'rapidfuzz', 'snowballstemmer')\n"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# --------------------------------------------------------------------------------------------------
# find_support

LGBT = SOURCES["seed-lgbt-network"]


def test_find_support_statistics_agree() -> None:
    support = find_support(
        "around 40 people have been arrested since December and at least two people have died under torture",
        LGBT,
        figures=["around 40", "at least two"],
    )
    assert support.numbers_agree is True
    assert support.start is not None and support.end is not None
    passage = LGBT[support.start : support.end]
    assert "around 40 people were detained" in passage and "At least two people died" in passage
    assert "numbers agree: around 40, at least two" in support.reason
    assert support.score >= 50


def test_find_support_numbers_differ() -> None:
    support = find_support("around 14 people were detained", LGBT, figures=["around 14"])
    assert support.numbers_agree is False
    assert "numbers differ" in support.reason
    qualifier = find_support("at least 40 people were detained", LGBT, figures=["at least 40"])
    assert qualifier.numbers_agree is False
    assert "at least 40 vs around 40" in qualifier.reason


def test_find_support_characterisation() -> None:
    support = find_support(
        "the Russian authorities are unwilling to stop the persecution of LGBT people in Chechnya", LGBT
    )
    assert support.numbers_agree is None
    assert support.start is not None and support.end is not None
    assert LGBT[support.start : support.end].startswith("The Russian authorities are unwilling")
    assert support.score >= 80
    assert support.reason.startswith("supporting passage shares")


NEGATED_HERE = "negated in the article, not in the source: "


@pytest.mark.parametrize(
    ("statement", "differs"),
    [
        ("the police do not threaten the victims", NEGATED_HERE + "victims"),
        ("the police never take away documents", NEGATED_HERE + "take, away, documents"),
        ("the victims are not detained in Argun", NEGATED_HERE + "detained, argun"),
        # "not only … but also" negates nothing; the same polarity on both sides is no difference.
        ("the authorities are unwilling to stop the persecution", None),
        ("the local police makes every effort to prevent victims from leaving the region", None),
    ],
)
def test_find_support_compares_negation_word_by_word(statement: str, differs: str | None) -> None:
    support = find_support(statement, LGBT)
    assert support.negation_differs == differs
    if differs:
        assert "negation differs" in support.reason


def test_find_support_negation_in_the_source_only() -> None:
    text = "The ministry said it would not close the clinics. Schools reopen on Monday."
    support = find_support("the ministry would close the clinics", text)
    assert support.negation_differs == "negated in the source, not in the article: close, clinics"


def test_find_support_nothing() -> None:
    support = find_support("the football season starts next week", LGBT)
    assert support.score < 50
    empty = find_support("it was the", LGBT, figures=["40"])
    assert empty.start is None and empty.numbers_agree is False


def test_find_support_in_long_document() -> None:
    text = filler(200_000, 11) + "\n\n" + SD + "\n\n" + filler(200_000, 12)
    support = find_support(
        "Civil society groups say at least 40 people were illegally detained", text, figures=["at least 40"]
    )
    assert support.numbers_agree is True
    assert support.start is not None and support.end is not None
    assert "at least 40 individuals have been illegally detained" in text[support.start : support.end]
