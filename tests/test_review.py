"""The review file: decisions survive restarts, writes are atomic, a corrupt file is never overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.review import CONFIRMED, NOTED, OVERRIDDEN, ReviewFile, default_review_path, review_json


def clock() -> str:
    return "2026-01-02T03:04:05+00:00"


def test_decisions_persist_across_reloads(tmp_path: Path) -> None:
    path = tmp_path / "a.review.json"
    store = ReviewFile.load(path, clock=clock)
    store.confirm("q-1", "verbatim", quote="We are deeply disturbed")
    store.override("q-2", "altered", "minor")
    store.set_note("q-2", "The source says 'threat', not 'threaten'.", "minor")
    store.set_note("s-3", "Check the number with the network.", "paraphrase")
    again = ReviewFile.load(path)
    assert again.get("q-1") is not None and again.get("q-1").action == CONFIRMED  # type: ignore[union-attr]
    q2 = again.get("q-2")
    assert q2 is not None
    assert (q2.verdict, q2.machine_verdict, q2.action) == ("altered", "minor", OVERRIDDEN)
    assert q2.note.startswith("The source says")
    s3 = again.get("s-3")
    assert s3 is not None and s3.verdict is None and s3.action == NOTED and not s3.decided
    assert review_json(q2) == {
        "verdict": "altered",
        "machine_verdict": "minor",
        "note": q2.note,
        "action": "overridden",
        "reviewed_at": "2026-01-02T03:04:05+00:00",
    }


def test_confirm_keeps_an_existing_note(tmp_path: Path) -> None:
    store = ReviewFile.load(tmp_path / "r.json", clock=clock)
    store.set_note("q-1", "checked by phone", "verbatim")
    store.confirm("q-1", "verbatim")
    assert ReviewFile.load(tmp_path / "r.json").get("q-1").note == "checked by phone"  # type: ignore[union-attr]


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    store = ReviewFile.load(tmp_path / "r.json")
    for i in range(20):
        store.confirm(f"q-{i}", "verbatim")
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b'["a list"]',
        b'{"reviews": {"q": 3}}',
        b'{"reviews": {"q": {"verdict": "great"}}}',
    ],
)
def test_corrupt_file_is_named_and_never_overwritten(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "a.review.json"
    path.write_bytes(content)
    with pytest.raises(FactcheckError, match=r"a\.review\.json"):
        ReviewFile.load(path)
    # Even a store created by hand refuses to replace what it could not read.
    store = ReviewFile(path)
    with pytest.raises(FactcheckError, match="will not overwrite"):
        store.confirm("q-1", "verbatim")
    assert path.read_bytes() == content


def test_orphaned_decisions_are_kept(tmp_path: Path) -> None:
    store = ReviewFile.load(tmp_path / "r.json")
    store.confirm("q-old", "verbatim", quote="words that were edited away")
    assert [r.claim_id for r in store.orphans({"q-new"})] == ["q-old"]
    assert "q-old" in ReviewFile.load(tmp_path / "r.json").reviews


def test_unknown_verdict_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FactcheckError, match="unknown verdict"):
        ReviewFile.load(tmp_path / "r.json").override("q", "sort of", "verbatim")


def test_default_location(tmp_path: Path) -> None:
    assert (
        default_review_path(str(tmp_path / "story.txt"), None, bundled=False)
        == tmp_path / "story.review.json"
    )
    bundled = default_review_path("/somewhere/site-packages/x/article.txt", None, bundled=True)
    assert bundled.name == "article.review.json" and "factcheck" in str(bundled)
    assert default_review_path(None, "https://example.org/a?b", bundled=False).name.startswith(
        "https-example-org"
    )


def test_saved_files_keep_the_users_permissions(tmp_path: Path) -> None:
    import os
    import stat

    from factcheck.atomic import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.md", "x")
        assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o644
        (tmp_path / "kept.md").write_text("x")
        (tmp_path / "kept.md").chmod(0o640)
        write_atomic(tmp_path / "kept.md", "y")
        assert stat.S_IMODE((tmp_path / "kept.md").stat().st_mode) == 0o640
    finally:
        os.umask(old)
