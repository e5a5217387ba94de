"""Claim extraction and linking on articles in different house styles, each with the claims it must give."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from factcheck.article import article_from_text, load_article
from factcheck.claims import Claim, extract_claims, is_furniture
from factcheck.links import link_claims
from factcheck.sources import Registry, Source, bundled_article_path, bundled_sources_dir, load_registry

ARTICLES = Path(__file__).parent / "articles"
EXPECTED = sorted(ARTICLES.glob("*.expected.toml"))


def _norm(text: str | None) -> str:
    return " ".join((text or "").replace("’", "'").split()).lower()


def _article_file(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.toml")
    (path,) = [p for p in ARTICLES.iterdir() if p.stem == stem and not p.name.endswith(".toml")]
    return path


def _extract(path: Path, registry: Registry) -> tuple[list[Claim], list[Source]]:
    article = load_article(path)
    return link_claims(article, extract_claims(article), registry)


def _find(claims: list[Claim], want: dict[str, Any]) -> Claim | None:
    for claim in claims:
        if claim.kind != want["kind"]:
            continue
        if "quote" in want and not _norm(claim.quote).startswith(_norm(want["quote"])):
            continue
        if "figure" in want and _norm(claim.figure) != _norm(want["figure"]):
            continue
        if "statement" in want and _norm(want["statement"]) not in _norm(claim.statement):
            continue
        return claim
    return None


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.name.removesuffix(".expected.toml"))
def test_article_gives_its_claims(expected: Path) -> None:
    spec = tomllib.loads(expected.read_text(encoding="utf-8"))
    registry = load_registry(
        bundled_sources_dir() if spec.get("registry") == "bundled" else ARTICLES / "registry"
    )
    claims, sources = _extract(_article_file(expected), registry)
    by_id = {s.id: s for s in sources}
    listing = "\n".join(
        f"  {c.kind} {c.speaker!r} -> {c.source} | {c.quote or c.figure or c.statement}" for c in claims
    )
    problems = []
    for want in spec.get("claim", []):
        claim = _find(claims, want)
        label = want.get("quote") or want.get("figure") or want.get("statement")
        if claim is None:
            problems.append(f"missing {want['kind']}: {label!r}")
            continue
        if want["speaker"] == "":
            if claim.speaker is not None:
                problems.append(f"{label!r}: speaker {claim.speaker!r}, want none")
        elif _norm(want["speaker"]) not in _norm(claim.speaker):
            problems.append(f"{label!r}: speaker {claim.speaker!r}, want {want['speaker']!r}")
        if "mention" in want and _norm(claim.speaker_mention) != _norm(want["mention"]):
            problems.append(f"{label!r}: mention {claim.speaker_mention!r}, want {want['mention']!r}")
        if "source" in want and (claim.source or "") != want["source"]:
            problems.append(f"{label!r}: source {claim.source!r}, want {want['source']!r}")
        if "sources" in want and claim.source not in want["sources"]:
            problems.append(f"{label!r}: source {claim.source!r}, want one of {want['sources']}")
        if "candidates" in want and not set(want["candidates"]) <= set(claim.candidates):
            problems.append(f"{label!r}: candidates {claim.candidates}, want {want['candidates']}")
        if "source_url" in want and (claim.source is None or by_id[claim.source].url != want["source_url"]):
            problems.append(f"{label!r}: source {claim.source!r}, want the URL {want['source_url']}")
        if "link" in want and claim.link != want["link"]:
            problems.append(f"{label!r}: linked by {claim.link!r}, want {want['link']!r}")
        if "quote_end" in want and not _norm(claim.quote).endswith(_norm(want["quote_end"])):
            problems.append(f"{label!r}: quote ends {claim.quote[-40:]!r}, want {want['quote_end']!r}")
    for absent in spec.get("absent", []):
        hits = [c for c in claims if _norm(absent["quote"]) in _norm(c.quote)]
        if hits:
            problems.append(f"{absent['quote']!r} must not be a claim")
    if "counts" in spec:
        for kind, count in spec["counts"].items():
            got = sum(1 for c in claims if c.kind == kind)
            if got != count:
                problems.append(f"{got} {kind} claims, want {count}")
    assert not problems, "\n".join(problems) + "\nclaims found:\n" + listing


# --------------------------------------------------------------------------------------------
# The bundled case


@pytest.fixture(scope="module")
def bundled() -> list[Claim]:
    claims, _sources = _extract(bundled_article_path(), load_registry(bundled_sources_dir()))
    return claims


def test_bundled_direct_quotes(bundled: list[Claim]) -> None:
    quotes = {(c.quote or "")[:30]: (c.speaker, c.source) for c in bundled if c.kind == "quote"}
    assert len(quotes) == 6
    state, hunt, amnesty = (
        "state-department-2019-01-17",
        "jeremy-hunt-tweet-2019-01",
        "moscow-times-prilutskaya-2019-01",
    )
    assert quotes["We are deeply disturbed by credi"[:30]] == ("Deputy Spokesperson Robert Palladino", state)
    assert quotes["We call on Russia to live up to"[:30]] == ("Deputy Spokesperson Robert Palladino", state)
    assert quotes["Very disturbing reports out of "[:30]][1] == hunt
    assert quotes["If this is true, it is totally "[:30]][1] == hunt
    assert quotes["Chechnya remains a part of the "[:30]][1] == amnesty
    assert quotes["to make it clear to the Chechen"[:30]] == ("Prilutskaya", amnesty)


def test_bundled_statistics_osce_and_characterisations(bundled: list[Claim]) -> None:
    stats = {c.figure: c.source for c in bundled if c.kind == "statistic"}
    assert stats == {
        "around 40 people": "russian-lgbt-network-2019-01-14",
        "at least two people": "russian-lgbt-network-2019-01-14",
    }
    by_source: dict[str | None, set[str]] = {}
    for claim in bundled:
        by_source.setdefault(claim.source, set()).add(claim.kind)
    assert "characterization" in by_source["osce-moscow-mechanism-2018-12"]
    assert "characterization" in by_source["state-department-2019-01-17"]
    assert "characterization" in by_source["jeremy-hunt-tweet-2019-01"]
    assert {"reported", "characterization", "quote"} <= by_source["moscow-times-prilutskaya-2019-01"]
    reported = [c for c in bundled if c.kind == "reported" and c.source == "moscow-times-prilutskaya-2019-01"]
    assert len(reported) == 2 and all("Prilutskaya" in (c.speaker or "") for c in reported)


def test_bundled_unsourced_claims_are_kept(bundled: list[Claim]) -> None:
    unsourced = [c for c in bundled if c.source is None]
    texts = " ".join(c.text for c in unsourced)
    assert "Lapunov" in texts
    assert "close ally of Russian President Vladimir Putin" in texts


def test_bundled_furniture_gives_nothing(bundled: list[Claim]) -> None:
    for words in ("Advertorial", "Newsletter", "Leave a Reply", "email address", "Send this to a friend"):
        assert not any(words in c.text for c in bundled)


# --------------------------------------------------------------------------------------------
# Properties of extraction


def test_ids_are_stable_when_another_paragraph_changes() -> None:
    text = bundled_article_path().read_text(encoding="utf-8")
    before = {c.text: c.id for c in extract_claims(article_from_text(text))}
    edited = text.replace("Last week, the US State Department", "Last Thursday, the U.S. State Department")
    after = {c.text: c.id for c in extract_claims(article_from_text(edited))}
    unchanged = set(before) & set(after)
    assert len(unchanged) >= len(before) - 1
    assert all(before[t] == after[t] for t in unchanged)
    # The quote in the edited paragraph keeps its id too: its words did not change.
    quote_ids = lambda text: {c.quote: c.id for c in extract_claims(article_from_text(text)) if c.quote}  # noqa: E731
    assert quote_ids(text) == quote_ids(edited)


def test_ids_are_unique_even_for_repeated_words() -> None:
    text = 'T\n\n"We will not stop," said Jane Doe.\n\n"We will not stop," said Jane Doe.\n'
    ids = [c.id for c in extract_claims(article_from_text(text))]
    assert len(ids) == 2 and len(set(ids)) == 2


@pytest.mark.parametrize(
    ("sentence", "quotes", "speaker"),
    [
        ('"A is here," she said, "and B is there."', ["A is here,", "and B is there."], "Jane Doe"),
        ("“Alpha beta gamma delta,” said Jane Doe.", ["Alpha beta gamma delta,"], "Jane Doe"),
        ("Jane Doe said: “Alpha beta gamma delta.”", ["Alpha beta gamma delta."], "Jane Doe"),
        ("« Alpha beta gamma delta », a déclaré Jane Doe. She said so.", ["Alpha beta gamma delta"], None),
        ("„Alpha beta gamma delta“, sagte Jane Doe, said the paper.", ["Alpha beta gamma delta"], None),
        ("‘Alpha beta gamma delta,’ said John Roe.", ["Alpha beta gamma delta,"], "John Roe"),
        ("'Alpha beta gamma delta,' said John Roe.", ["Alpha beta gamma delta,"], "John Roe"),
        ("John Roe called it “deeply disturbing”.", ["deeply disturbing"], "John Roe"),
    ],
)
def test_quote_conventions(sentence: str, quotes: list[str], speaker: str | None) -> None:
    text = f"Title\n\nJane Doe arrived on Monday.\n\n{sentence}\n"
    claims = [c for c in extract_claims(article_from_text(text)) if c.kind == "quote"]
    assert [c.quote for c in claims] == quotes
    if speaker is not None:
        assert all(speaker in (c.speaker or "") for c in claims)


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        # the speaker exactly: no participle phrase, date, age or following clause inside it
        ("John Roe, speaking on Tuesday, said it was “a good day for the town”.", "John Roe"),
        ("The Water Board on January 17 said it was “fully committed”.", "Water Board"),
        (
            "“A good day for the town,” said a spokesperson for the Water Board on Friday.",
            "a spokesperson for the Water Board",
        ),
        ("“A good day for the town,” John Roe, 54, told reporters.", "John Roe"),
        (
            "“We need more nurses in the valley.” – John Roe, head of the Water Board",
            "John Roe, head of the Water Board",
        ),
        ("Roe: “We need more nurses in the valley.”", "John Roe"),
    ],
)
def test_speaker_is_the_name_and_title_only(sentence: str, speaker: str) -> None:
    text = f"Title\n\nJohn Roe arrived on Monday. Jane Doe followed.\n\n{sentence}\n"
    (claim,) = [c for c in extract_claims(article_from_text(text)) if c.kind == "quote"]
    assert claim.speaker == speaker


@pytest.mark.parametrize(
    "text",
    [
        'T\n\n"',
        "T\n\n“Unclosed quote that never ends and has no attribution\n\nNext paragraph.",
        "T\n\n” ” “ “ « » » « „ ‘ ’ ' ' \" \"",
        "T\n\nIt's the victims' families' '90s rock 'n' roll.",
        'T\n\n"A" "B" "C" "D" "E"',
        "T\n\n" + "“" * 500 + "x" + "”" * 500,
    ],
)
def test_stray_marks_never_crash(text: str) -> None:
    for claim in extract_claims(article_from_text(text)):
        assert claim.start <= claim.end


def test_furniture() -> None:
    for line in (
        "Advertorial",
        "Get the Mamba Newsletter",
        "Leave a Reply",
        "Send this to a friend",
        "Your email address will not be published. Required fields are marked *",
        "Share this story",
    ):
        assert is_furniture(line), line
    assert not is_furniture("“We are deeply disturbed,” he said.")


def test_unsourced_claims_are_kept_with_no_source() -> None:
    text = 'T\n\n"Nothing here is checked," said Nobody Inparticular.\n'
    claims, sources = link_claims(
        article_from_text(text), extract_claims(article_from_text(text)), Registry(None, ())
    )
    assert [(c.speaker, c.source) for c in claims] == [("Nobody Inparticular", None)]
    assert sources == []


def test_registry_url_hyperlink_maps_to_the_registry_entry() -> None:
    html = (
        '<html><body><article><h1>T</h1><p>The council said in a <a href="https://www.example.gov/a/">'
        "statement</a> that the bridge is safe and will reopen soon.</p></article></body></html>"
    )
    from factcheck.article import article_from_html

    article = article_from_html(html)
    source = Source(id="council", url="http://example.gov/a", speakers=("Somebody Else",))
    claims, _ = link_claims(article, extract_claims(article), Registry(None, (source,)))
    assert [(c.source, c.link) for c in claims] == [("council", "hyperlink")]
    assert replace(claims[0], id="x").href == "https://www.example.gov/a/"
