"""The article title on the left (cut with … when narrow), "9 of 16 reviewed" always in full on the right."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import var
from textual.widgets import Static

from factcheck.pipeline import CheckResult
from factcheck.review import Review
from factcheck.tui.model import reviewed_count


class ReviewHeader(Horizontal):
    """Docked at the top of the review screen."""

    result: var[CheckResult | None] = var(None, always_update=True)
    reviews: var[Mapping[str, Review]] = var(dict, always_update=True)

    def compose(self) -> ComposeResult:
        yield Static("factcheck review", id="article-title", markup=False)
        yield Static("", id="review-progress", markup=False)

    def watch_result(self) -> None:
        self._show()

    def watch_reviews(self) -> None:
        self._show()

    def _show(self) -> None:
        if not self.is_mounted or self.result is None:
            return
        article = self.result.article
        self.query_one("#article-title", Static).update(article.title or article.path or "article")
        done, total = reviewed_count(self.result, self.reviews), len(self.result.claims)
        self.query_one("#review-progress", Static).update(f"{done} of {total} reviewed")
