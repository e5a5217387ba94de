"""The verdict rules, one by one, on small sources built in an archive (no network)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from factcheck.archive import Archive, acquire
from factcheck.claims import Claim
from factcheck.sources import Source
from factcheck.verdicts import ReadSource, judge, read_source

STATEMENT = (
    "We are deeply disturbed by credible reports of renewed attacks. At least 40 people have been "
    "detained since December. We call on the authorities to launch an immediate investigation."
)


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(tmp_path / "archive")


def source(
    archive: Archive,
    source_id: str,
    body: bytes | None,
    *,
    strength: str = "original",
    provenance: str = "live",
    speaker: str = "Jane Doe",
) -> ReadSource:
    src = Source(id=source_id, url="", speakers=(speaker,), kind="text")
    if body is not None:
        archive.add_copy(
            source_id,
            body,
            provenance=provenance,
            strength=strength,
            note="test copy",
            seen_at=(),
            kind="text",
            url=None,
            fetched_at="2024-01-02T00:00:00Z",
        )
    acquired = asyncio.run(acquire(src, None, archive, offline=True))
    return read_source(src, acquired)


def quote(words: str, *, source: str | None = "a", candidates: tuple[str, ...] = ("a",)) -> Claim:
    return Claim(
        id="q-1",
        kind="quote",
        text=f'"{words}," she said.',
        start=0,
        end=1,
        quote=words,
        speaker="Jane Doe",
        source=source,
        candidates=candidates,
    )


def reported(kind: str, statement: str, *, figure: str | None = None, verb: str = "said") -> Claim:
    return Claim(
        id="r-1",
        kind=kind,
        text=statement,
        start=0,
        end=1,
        statement=statement,
        figure=figure,
        speaker="Jane Doe",
        verb=verb,
        source="a",
        candidates=("a",),
    )


def test_unsourced(archive: Archive) -> None:
    verdict = judge(quote("anything at all", source=None, candidates=()), {})
    assert verdict.verdict == "unsourced"


def test_verbatim_from_an_archived_live_capture_says_so(archive: Archive) -> None:
    read = source(archive, "a", STATEMENT.encode())
    verdict = judge(quote("deeply disturbed by credible reports"), {"a": read})
    assert verdict.verdict == "verbatim"
    assert verdict.reason == "found verbatim in the archived copy of 2024-01-02"
    assert verdict.evidence is not None and verdict.evidence.text == "deeply disturbed by credible reports"


def test_altered_needs_a_complete_copy(archive: Archive, tmp_path: Path) -> None:
    changed = quote("At least 400 people have been detained since December")
    complete = source(archive, "a", STATEMENT.encode(), provenance="reproduction", strength="complete")
    assert judge(changed, {"a": complete}).verdict == "altered"
    partial = source(
        Archive(tmp_path / "other"), "a", STATEMENT.encode(), provenance="partial", strength="partial"
    )
    verdict = judge(changed, {"a": partial})
    assert verdict.verdict == "unavailable"
    assert "closest passage in the partial copy" in verdict.reason and "400" in verdict.reason
    assert verdict.evidence is not None and "40 people" in verdict.evidence.text  # the near miss is kept


def test_not_found_needs_a_complete_copy(archive: Archive, tmp_path: Path) -> None:
    invented = quote("Nobody was ever detained and the reports are lies")
    assert judge(invented, {"a": source(archive, "a", STATEMENT.encode())}).verdict == "not_found"
    partial = source(
        Archive(tmp_path / "p"), "a", STATEMENT.encode(), provenance="partial", strength="partial"
    )
    verdict = judge(invented, {"a": partial})
    assert verdict.verdict == "unavailable" and "full original could not be read" in verdict.reason


def test_unreadable_source_is_unavailable_never_not_found(archive: Archive) -> None:
    missing = source(archive, "a", None)
    verdict = judge(quote("deeply disturbed"), {"a": missing})
    assert verdict.verdict == "unavailable" and "no archived copy" in verdict.reason
    junk = source(archive, "b", b"\x00\x01\x02" * 200)
    verdict = judge(quote("deeply disturbed", source="b", candidates=("b",)), {"b": junk})
    assert verdict.verdict == "unavailable" and "unreadable" in verdict.reason


def test_another_document_of_the_speaker_is_used(archive: Archive) -> None:
    sources = {"a": source(archive, "a", None), "b": source(archive, "b", STATEMENT.encode())}
    verdict = judge(quote("launch an immediate investigation", candidates=("a", "b")), sources)
    assert verdict.verdict == "verbatim" and verdict.source == "b"
    assert "another document of the same speaker" in verdict.reason


def test_misattributed_names_where_the_words_are(archive: Archive) -> None:
    sources = {
        "a": source(archive, "a", b"We will rebuild the bridge next year."),
        "b": source(archive, "b", STATEMENT.encode(), speaker="John Roe"),
    }
    verdict = judge(quote("launch an immediate investigation"), sources)
    assert verdict.verdict == "misattributed" and verdict.found_in == "b"
    assert verdict.evidence is not None and verdict.evidence.source == "b"


def test_statistics_need_agreeing_figures(archive: Archive) -> None:
    sources = {"a": source(archive, "a", STATEMENT.encode())}
    agree = judge(
        reported("statistic", "at least 40 people have been detained", figure="at least 40 people"), sources
    )
    assert agree.verdict == "paraphrase" and "numbers agree" in agree.reason
    differ = judge(
        reported("statistic", "at least 14 people have been detained", figure="at least 14 people"), sources
    )
    assert differ.verdict == "altered"


def test_reported_speech_needs_support(archive: Archive) -> None:
    sources = {"a": source(archive, "a", STATEMENT.encode())}
    supported = judge(
        reported("reported", "the authorities should launch an immediate investigation"), sources
    )
    assert supported.verdict == "paraphrase" and supported.evidence is not None
    unsupported = judge(reported("reported", "the bridge will reopen in spring with new lanes"), sources)
    assert unsupported.verdict == "not_found"


def test_reported_speech_with_a_flipped_negation_is_altered(archive: Archive, tmp_path: Path) -> None:
    sources = {"a": source(archive, "a", STATEMENT.encode())}
    flipped = judge(reported("reported", "the authorities should not launch an investigation"), sources)
    assert flipped.verdict == "altered"
    assert "negated in the article, not in the source: launch, investigation" in flipped.reason
    # In a partial copy the right passage may be the part we lack: unavailable, never altered.
    partial = {"a": source(Archive(tmp_path / "p"), "a", STATEMENT.encode(), strength="partial")}
    near = judge(reported("reported", "the authorities should not launch an investigation"), partial)
    assert near.verdict == "unavailable" and "negation differs" in near.reason


def test_characterisation_borne_out_by_the_stance(archive: Archive) -> None:
    sources = {"a": source(archive, "a", STATEMENT.encode())}
    verdict = judge(
        reported("characterization", "expressed its concern about the crackdown", verb="expressed"), sources
    )
    assert verdict.verdict == "paraphrase" and "disturbed" in verdict.reason
    praise = judge(
        reported("characterization", "praised the police for their restraint", verb="praised"), sources
    )
    assert praise.verdict == "not_found"


def test_a_linked_source_missing_from_the_run_is_unavailable() -> None:
    verdict = judge(quote("anything"), {})
    assert verdict.verdict == "unavailable"
