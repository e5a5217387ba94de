"""A person's decisions on the machine's verdicts, kept in a review file beside the article.

The file (``<article>.review.json``, or ``--review-file``) maps claim ids to the reviewer's verdict,
note and time, with the machine's verdict kept beside each. It is written atomically after every
change (temporary file, fsync, rename), so a crash or kill leaves the old file or the new one, never
a torn one. A file that cannot be parsed is reported with its path and never overwritten: the store
refuses to save until the person has moved or fixed it. Decisions on claims that no longer exist in
the article (it was edited) are kept, not dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from factcheck.atomic import write_atomic
from factcheck.errors import FactcheckError

SCHEMA = 1
CONFIRMED, OVERRIDDEN, NOTED = "confirmed", "overridden", "noted"
_VERDICTS = {
    "verbatim",
    "minor",
    "altered",
    "paraphrase",
    "not_found",
    "misattributed",
    "unavailable",
    "unsourced",
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Review:
    """One claim's review: the person's verdict (None for a note alone) beside the machine's."""

    claim_id: str
    verdict: str | None
    machine_verdict: str | None
    note: str = ""
    action: str = CONFIRMED  # confirmed | overridden | noted
    reviewed_at: str = ""
    quote: str = ""  # the claim's words when reviewed, so an orphaned decision can still be read

    @property
    def decided(self) -> bool:
        return self.verdict is not None


class ReviewFile:
    """The review decisions of one article, saved after every change."""

    def __init__(
        self,
        path: Path,
        reviews: Mapping[str, Review] | None = None,
        *,
        article: Mapping[str, Any] | None = None,
        clock: Callable[[], str] = _now,
    ) -> None:
        self.path = path
        self.reviews: dict[str, Review] = dict(reviews or {})
        self.article = dict(article or {})
        self.clock = clock

    @classmethod
    def load(cls, path: Path, *, clock: Callable[[], str] = _now) -> ReviewFile:
        """Read ``path``; a missing file is an empty review. A corrupt one raises :class:`FactcheckError`."""
        if not path.exists():
            return cls(path, clock=clock)
        try:
            raw = path.read_bytes()
        except OSError as err:
            raise FactcheckError(f"{path}: cannot read the review file: {err.strerror or err}") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise FactcheckError(
                f"{path}: the review file is corrupt ({err}); left as it is: move it aside to start anew"
            ) from None
        return cls(path, _parse_reviews(path, data), article=data.get("article") or {}, clock=clock)

    # -- decisions

    def get(self, claim_id: str) -> Review | None:
        return self.reviews.get(claim_id)

    def confirm(self, claim_id: str, machine_verdict: str, *, quote: str = "") -> Review:
        """The person agrees with the machine."""
        note = self.reviews[claim_id].note if claim_id in self.reviews else ""
        return self._put(
            Review(claim_id, machine_verdict, machine_verdict, note, CONFIRMED, self.clock(), quote)
        )

    def override(
        self, claim_id: str, verdict: str, machine_verdict: str | None, *, quote: str = ""
    ) -> Review:
        """The person replaces the machine's verdict with their own."""
        if verdict not in _VERDICTS:
            raise FactcheckError(f"unknown verdict {verdict!r}")
        action = CONFIRMED if verdict == machine_verdict else OVERRIDDEN
        note = self.reviews[claim_id].note if claim_id in self.reviews else ""
        return self._put(Review(claim_id, verdict, machine_verdict, note, action, self.clock(), quote))

    def set_note(self, claim_id: str, note: str, machine_verdict: str | None, *, quote: str = "") -> Review:
        """Attach a note; an undecided claim stays undecided."""
        old = self.reviews.get(claim_id)
        if old is not None:
            review = replace(old, note=note, reviewed_at=self.clock())
        else:
            review = Review(claim_id, None, machine_verdict, note, NOTED, self.clock(), quote)
        return self._put(review)

    def clear(self, claim_id: str) -> None:
        """Forget a decision (the person takes it back)."""
        if self.reviews.pop(claim_id, None) is not None:
            self.save()

    def _put(self, review: Review) -> Review:
        self.reviews[review.claim_id] = review
        self.save()
        return review

    # -- the file

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "article": self.article,
            "reviews": {
                cid: {k: v for k, v in asdict(r).items() if k != "claim_id"}
                for cid, r in sorted(self.reviews.items())
            },
        }

    def save(self) -> None:
        """Write the file atomically; refuses to replace a file it could not read."""
        if self.path.exists():
            try:
                _parse_reviews(self.path, json.loads(self.path.read_bytes().decode("utf-8")))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError, FactcheckError):
                raise FactcheckError(
                    f"{self.path}: will not overwrite a file that is not a readable review file; move it"
                ) from None
        try:
            write_atomic(self.path, json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n")
        except OSError as err:
            raise FactcheckError(f"{self.path}: cannot save the review: {err.strerror or err}") from None

    def orphans(self, claim_ids: set[str]) -> list[Review]:
        """Decisions about claims that are no longer in the article (kept, never dropped)."""
        return [r for cid, r in self.reviews.items() if cid not in claim_ids]


def _parse_reviews(path: Path, data: object) -> dict[str, Review]:
    if not isinstance(data, dict) or not isinstance(data.get("reviews", {}), dict):
        raise FactcheckError(
            f"{path}: not a factcheck review file (no 'reviews' object); it was left untouched"
        )
    reviews: dict[str, Review] = {}
    for claim_id, entry in data.get("reviews", {}).items():
        if not isinstance(entry, dict):
            raise FactcheckError(
                f"{path}: review of claim {claim_id!r} is not an object; the file was left untouched"
            )
        verdict = entry.get("verdict")
        if verdict is not None and verdict not in _VERDICTS:
            raise FactcheckError(f"{path}: review of claim {claim_id!r} has unknown verdict {verdict!r}")
        reviews[str(claim_id)] = Review(
            claim_id=str(claim_id),
            verdict=verdict,
            machine_verdict=entry.get("machine_verdict"),
            note=str(entry.get("note") or ""),
            action=str(entry.get("action") or (CONFIRMED if verdict else NOTED)),
            reviewed_at=str(entry.get("reviewed_at") or ""),
            quote=str(entry.get("quote") or ""),
        )
    return reviews


def default_review_path(article_path: str | None, article_url: str | None, *, bundled: bool) -> Path:
    """``<article>.review.json`` beside the article; the user data folder for the bundled case and URLs."""
    if article_path and not bundled:
        path = Path(article_path)
        return (
            path.with_name(path.name + ".review.json")
            if path.suffix == ""
            else path.with_suffix(".review.json")
        )
    from platformdirs import user_data_dir

    name = (
        Path(article_path).stem
        if article_path
        else re.sub(r"[^A-Za-z0-9]+", "-", article_url or "stdin").strip("-")
    )
    return Path(user_data_dir("factcheck")) / "reviews" / f"{name[:100] or 'article'}.review.json"


def review_json(review: Review | None) -> dict[str, Any] | None:
    """A review as the check JSON's ``review`` field."""
    if review is None:
        return None
    return {
        "verdict": review.verdict,
        "machine_verdict": review.machine_verdict,
        "note": review.note,
        "action": review.action,
        "reviewed_at": review.reviewed_at,
    }
