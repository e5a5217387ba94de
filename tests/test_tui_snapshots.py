"""Snapshots of the review app (pytest-textual-snapshot): update with ``pytest --snapshot-update``.

Deterministic by construction: the bundled case offline with a fixed check time, a fixed review clock,
a fixed terminal size, no live check (so no progress bar), no blinking cursor, notifications off.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.test_tui import make_app

SnapCompare = Callable[..., bool]


@pytest.fixture
def review_path(tmp_path: Path) -> Path:
    # Only the file name is on screen, so the changing tmp_path does not change the snapshot.
    return tmp_path / "mambaonline.review.json"


async def _decide(pilot: Pilot[Any]) -> None:
    """Confirm claim 1, override claim 2 (unsourced), note claim 11, and stay on claim 11."""
    await pilot.press("c", "j", "o", "end", "enter")
    await pilot.press(*["j"] * 9, "n", *"state.gov page gone; reproduction matches", "enter")


def test_review_screen_wide(snap_compare: SnapCompare, review_path: Path) -> None:
    assert snap_compare(make_app(review_path), terminal_size=(150, 45), run_before=_decide)


def test_review_screen_narrow(snap_compare: SnapCompare, review_path: Path) -> None:
    assert snap_compare(make_app(review_path), terminal_size=(80, 24), press=["j"] * 10)


def test_verdict_picker(snap_compare: SnapCompare, review_path: Path) -> None:
    assert snap_compare(make_app(review_path), terminal_size=(100, 30), press=["j"] * 10 + ["o", "down"])


def test_help_screen(snap_compare: SnapCompare, review_path: Path) -> None:
    assert snap_compare(make_app(review_path), terminal_size=(110, 45), press=["question_mark"])


def test_read_only_after_a_corrupt_review_file(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A relative path, so the error notification names the same file on every run.
    monkeypatch.chdir(tmp_path)
    review_path = Path("mambaonline.review.json")
    review_path.write_text("{ not json", encoding="utf-8")
    assert snap_compare(make_app(review_path), terminal_size=(110, 30))
