"""Fuzz targets for the parsers that read what newsrooms and the web hand us.

Property for every target: no exception other than :class:`FactcheckError`, and bounded time per
input. The other parsers' targets live beside their own tests (fetch headers and decompression in
test_fetch.py, archive metadata in test_archive.py, HTML in test_htmltext.py, HTML/PDF/oEmbed bodies in
test_documents.py, ``match_quote`` in test_match_properties.py); all obey ``FACTCHECK_FUZZ_EXAMPLES``.
"""

from __future__ import annotations

import contextlib
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.article import article_from_bytes, article_from_html, article_from_markdown, article_from_text
from factcheck.claims import extract_claims
from factcheck.errors import FactcheckError
from factcheck.links import link_claims
from factcheck.sources import bundled_sources_dir, load_registry, source_from_mapping
from tests.fuzzing import bounded_time, examples

pytestmark = pytest.mark.fuzz

QUOTE_MARKS = list("\"'“”„‟«»‹›‘’‚‛「」『』")
# Words and punctuation of news copy, quote marks of every convention, control characters, other
# scripts and right-to-left text, so that generated articles look enough like articles to reach deep code.
NEWS_WORDS = [
    "said",
    "says",
    "told",
    "according to",
    "she",
    "he",
    "they",
    "the group's head",
    "Jane Doe",
    "Deputy Spokesperson Robert Palladino",
    "Amnesty International",
    "OSCE",
    "a report by",
    "accused",
    "around 40 people",
    "at least two",
    "reportedly",
    "is known to be",
    "Mr",
    "U.S.",
    "Dr.",
    "—",
    "–",
    ",",
    ".",
    ":",
    ";",
    "?",
    "!",
    "…",
    "...",
    "\n",
    "\n\n",
    " ",
    "(",
    ")",
    "[",
    "]",
    "#LGBT",
    "&",
    "Кадыров",
    "заявил",
    "قال",
    "אמר",
    "\u202e",
    "\u200f",
    "\u00a0",
    "\u200b",
    "\x00",
    "\x07",
    "\r",
    "2019",
    "1,000",
    "40%",
    "per cent",
    "two-thirds",
    "-year-old",
]
article_text = st.lists(
    st.one_of(st.sampled_from(NEWS_WORDS), st.sampled_from(QUOTE_MARKS), st.text(max_size=8)), max_size=200
).map(" ".join)
huge_paragraph = st.integers(min_value=1, max_value=4).map(
    lambda n: "T\n\n" + ("“" + "word " * 3000 + "” said Jane Doe. " + "‘x’ " * 500) * n
)
REGISTRY = load_registry(bundled_sources_dir())


def _only_clear_errors(load: object, *args: object) -> None:
    try:
        load(*args)  # type: ignore[operator]
    except FactcheckError as err:
        assert str(err).strip() and "\n" not in str(err).strip()


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(article_text, huge_paragraph, st.text(max_size=3000)))
def test_claim_extraction_and_linking_never_fail(text: str) -> None:
    with bounded_time("claim extraction"):
        try:
            article = article_from_text("Title\n\n" + text)
        except FactcheckError:
            return
        claims = extract_claims(article)
        linked, _sources = link_claims(article, claims, REGISTRY)
    ids = [c.id for c in linked]
    assert len(ids) == len(set(ids))
    for claim in linked:
        assert 0 <= claim.start <= claim.end <= len(article.text)
        assert article.text[claim.start : claim.end] == claim.text
        for start, end in claim.quote_spans:
            assert 0 <= start <= end <= len(article.text)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000), st.sampled_from([None, "text", "markdown", "html"]))
def test_article_loading_from_any_bytes(body: bytes, kind: str | None) -> None:
    with bounded_time("article loading"):
        _only_clear_errors(lambda: extract_claims(article_from_bytes(body, where="fuzz", kind=kind)))


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_text)
def test_markdown_and_html_articles(text: str) -> None:
    with bounded_time("markdown/html article"):
        for load in (article_from_markdown, article_from_html):
            with contextlib.suppress(FactcheckError):
                extract_claims(load(text))  # type: ignore[operator]
        html = "<html><body><article>" + "".join(f"<p>{line}</p>" for line in text.split("\n")) + "</article>"
        extract_claims(article_from_html(html))


TOML_PIECES = [
    "speakers",
    "url",
    "kind",
    "title",
    "published",
    " = ",
    "=",
    '"',
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\n",
    '"https://example.org/a"',
    '"ftp://x"',
    '""',
    "[]",
    '["A"]',
    "2019-01-17",
    "true",
    "1.5",
    "#",
    "\\",
    '"""',
    "'''",
    "[[x]]",
    "[x]",
    "\x00",
    "é",
    "\ufeff",
]


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.one_of(st.sampled_from(TOML_PIECES), st.text(max_size=6)), max_size=60).map("".join))
def test_registry_loader_on_random_toml(text: str) -> None:
    with bounded_time("registry loader"):
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            data = None
        if data is not None:
            _only_clear_errors(source_from_mapping, "fuzz-source", data, Path("fuzz.toml"))


@pytest.fixture(scope="module")
def registry_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("registry")


@settings(
    max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.binary(max_size=600))
def test_registry_files_with_any_bytes(registry_folder: Path, body: bytes) -> None:
    # One folder, rewritten each time: a new temporary folder per example grows slower with every one.
    (registry_folder / "entry.toml").write_bytes(body)
    with bounded_time("registry file"):
        _only_clear_errors(load_registry, registry_folder)
