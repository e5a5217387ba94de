"""The review app's state, without textual: what to check, which claims to show, the review file.

Widgets render this state; they never change it. Only :class:`ReviewSession` writes decisions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from factcheck.claims import Claim
from factcheck.errors import FactcheckError
from factcheck.fetch import FetchSettings
from factcheck.pipeline import CheckResult
from factcheck.review import Review, ReviewFile, default_review_path
from factcheck.verdicts import VERDICTS

Clock = Callable[[], str]
_T = TypeVar("_T")


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class CheckRequest:
    """What ``factcheck review`` was asked to check."""

    article: str | None = None
    sources_dir: Path | None = None
    archive_dir: Path | None = None
    offline: bool = True
    settings: FetchSettings | None = None


# --------------------------------------------------------------------------------------------
# Filtering


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims the list shows: by review state, by machine verdict, or both."""

    reviewed: bool | None = None  # True: reviewed only; False: unreviewed only; None: either
    verdict: str | None = None  # one of VERDICTS, or None for any

    def __post_init__(self) -> None:
        if self.verdict is not None and self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")

    @property
    def active(self) -> bool:
        return self.reviewed is not None or self.verdict is not None

    def accepts(self, machine_verdict: str, review: Review | None) -> bool:
        if self.verdict is not None and machine_verdict != self.verdict:
            return False
        return self.reviewed is None or is_reviewed(review) == self.reviewed

    def describe(self) -> str:
        parts = []
        if self.reviewed is not None:
            parts.append("reviewed" if self.reviewed else "unreviewed")
        if self.verdict is not None:
            parts.append(self.verdict.replace("_", " "))
        return ", ".join(parts) or "all claims"


ALL_CLAIMS = ClaimFilter()


def is_reviewed(review: Review | None) -> bool:
    """A claim counts as reviewed once a person decided a verdict (a note alone does not count)."""
    return review is not None and review.decided


def visible_claims(
    result: CheckResult, reviews: Mapping[str, Review], claim_filter: ClaimFilter
) -> list[Claim]:
    return [
        claim
        for claim in result.claims
        if claim_filter.accepts(result.verdicts[claim.id].verdict, reviews.get(claim.id))
    ]


def reviewed_count(result: CheckResult, reviews: Mapping[str, Review]) -> int:
    return sum(1 for claim in result.claims if is_reviewed(reviews.get(claim.id)))


# --------------------------------------------------------------------------------------------
# Live-check progress


@dataclass(frozen=True)
class CheckProgress:
    """Where the checking stands, for the status bar."""

    phase: str = "loading"  # loading | archive | live | done | failed
    done: int = 0
    total: int = 0
    detail: str = ""  # the source just read, or the error
    finished_at: str = ""

    @property
    def running(self) -> bool:
        return self.phase in {"loading", "live"}


# --------------------------------------------------------------------------------------------
# The review file


class ReadOnlyError(FactcheckError):
    """A decision was attempted while the review file is read-only."""


@dataclass
class ReviewSession:
    """The review file of one article; read-only when it exists but could not be read."""

    review_file: ReviewFile
    load_error: str | None = None

    @classmethod
    def open(cls, path: Path, *, clock: Clock = utc_now) -> ReviewSession:
        """Load ``path``; a corrupt file leaves the session read-only and the file untouched."""
        try:
            return cls(ReviewFile.load(path, clock=clock))
        except FactcheckError as err:
            return cls(ReviewFile(path, clock=clock), load_error=str(err))

    @property
    def path(self) -> Path:
        return self.review_file.path

    @property
    def read_only(self) -> bool:
        return self.load_error is not None

    def reviews(self) -> dict[str, Review]:
        """A copy of the decisions, so that a change is a new value for the widgets."""
        return dict(self.review_file.reviews)

    def confirm(self, claim: Claim, machine_verdict: str) -> Review:
        return self._change(lambda f: f.confirm(claim.id, machine_verdict, quote=_words(claim)))

    def override(self, claim: Claim, verdict: str, machine_verdict: str) -> Review:
        return self._change(lambda f: f.override(claim.id, verdict, machine_verdict, quote=_words(claim)))

    def set_note(self, claim: Claim, note: str, machine_verdict: str) -> Review | None:
        """Attach a note; an empty note on an undecided claim removes its entry altogether."""
        existing = self.review_file.get(claim.id)
        if not note and (existing is None or existing.verdict is None):
            if existing is not None:
                self.clear(claim)
            return None
        return self._change(lambda f: f.set_note(claim.id, note, machine_verdict, quote=_words(claim)))

    def clear(self, claim: Claim) -> None:
        self._change(lambda f: f.clear(claim.id))

    def describe_article(self, result: CheckResult) -> None:
        """Record which article the decisions belong to (written with the next decision)."""
        if not self.review_file.article:
            article = result.article
            self.review_file.article = {"title": article.title, "path": article.path, "url": article.url}

    def _change(self, change: Callable[[ReviewFile], _T]) -> _T:
        if self.load_error is not None:
            raise ReadOnlyError(f"read-only: {self.load_error}")
        before = dict(self.review_file.reviews)
        try:
            return change(self.review_file)
        except FactcheckError:
            # ReviewFile changes its memory before it writes: undo, so the screen shows what is on disk.
            self.review_file.reviews = before
            raise


def _words(claim: Claim) -> str:
    return claim.quote or claim.statement or claim.text


def review_path_for(result: CheckResult, review_file: Path | None) -> Path:
    """``--review-file``, else the core's default place for this article."""
    if review_file is not None:
        return review_file
    return default_review_path(result.article.path, result.article.url, bundled=result.bundled)


def report_path_for(result: CheckResult, review_path: Path) -> Path:
    """``<article>.report.md`` beside the article; beside the review file for the bundled case or a URL."""
    article_path = result.article.path
    if article_path and not result.bundled:
        return Path(article_path).with_suffix(".report.md")
    name = review_path.name.removesuffix(".review.json").removesuffix(".json")
    return review_path.with_name(f"{name}.report.md")
