"""The list of claims; it shows state handed down and reports the highlighted claim up."""

from __future__ import annotations

from collections.abc import Mapping

from textual import on
from textual.message import Message
from textual.reactive import var
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from factcheck.pipeline import CheckResult
from factcheck.review import Review
from factcheck.tui.claims.claim_row import claim_row
from factcheck.tui.model import ALL_CLAIMS, ClaimFilter, visible_claims


class ClaimsList(OptionList):
    """Every claim the filter lets through, with the current one highlighted.

    The list owns the highlight and reports it up; it takes no "current claim" back down, since a
    value echoed back could arrive after further key presses and pull the highlight back.
    """

    BORDER_TITLE = "Claims"

    result: var[CheckResult | None] = var(None, always_update=True)
    reviews: var[Mapping[str, Review]] = var(dict, always_update=True)
    claim_filter: var[ClaimFilter] = var(ALL_CLAIMS)

    class Highlighted(Message):
        """The person moved to another claim (None: the filter shows no claim)."""

        def __init__(self, claim_id: str | None) -> None:
            super().__init__()
            self.claim_id = claim_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._numbers: dict[str, int] = {}  # claim id → its number in the article, whatever the filter
        self._shown: list[str] = []  # claim ids in the list, in order
        self._shown_reviews: Mapping[str, Review] = {}
        self._current: str | None = None

    # -- state handed down

    def watch_result(self) -> None:
        self._rebuild()

    def watch_claim_filter(self) -> None:
        self._rebuild()

    def watch_reviews(self, reviews: Mapping[str, Review]) -> None:
        if self.result is None:
            return
        if self.claim_filter.reviewed is not None:
            # Which claims pass the filter depends on the decisions themselves.
            self._rebuild()
            return
        for claim_id in self._shown:
            if reviews.get(claim_id) != self._shown_reviews.get(claim_id):
                self._refresh_row(claim_id)
        self._shown_reviews = reviews

    def move(self, step: int) -> str | None:
        """Move the highlight ``step`` claims down (up when negative), stopping at either end.

        Returns the claim now highlighted; :class:`Highlighted` follows as for any other move.
        """
        if self.highlighted is None:
            return None
        self.highlighted = max(0, min(self.highlighted + step, self.option_count - 1))
        return self._shown[self.highlighted]

    # -- rendering

    def _row(self, claim_id: str) -> Option:
        result = self.result
        assert result is not None
        claim = result.claims[self._numbers[claim_id] - 1]
        prompt = claim_row(
            self._numbers[claim_id], claim, result.verdicts[claim_id].verdict, self.reviews.get(claim_id)
        )
        return Option(prompt, id=claim_id)

    def _rebuild(self) -> None:
        result = self.result
        if result is None:
            return
        self._numbers = {claim.id: number for number, claim in enumerate(result.claims, 1)}
        self._shown = [c.id for c in visible_claims(result, self.reviews, self.claim_filter)]
        self._shown_reviews = self.reviews
        self.set_options(self._row(claim_id) for claim_id in self._shown)
        total = len(result.claims)
        self.border_subtitle = (
            f"{len(self._shown)} of {total} · {self.claim_filter.describe()}"
            if self.claim_filter.active
            else f"{total} claims"
        )
        if not self._shown:
            self._current = None
            self.post_message(self.Highlighted(None))
        elif self._current in self._shown:
            self.highlighted = self._shown.index(self._current)
        else:
            # The current claim left the list (filtered out, or decided): the next one shown takes its place.
            number = self._numbers.get(self._current or "", 0)
            later = [i for i, c in enumerate(self._shown) if self._numbers[c] > number]
            self.highlighted = later[0] if later else len(self._shown) - 1

    def _refresh_row(self, claim_id: str) -> None:
        self.replace_option_prompt(claim_id, self._row(claim_id).prompt)

    # -- messages up

    @on(OptionList.OptionHighlighted)
    def _report_highlight(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._current = event.option.id
        self.post_message(self.Highlighted(event.option.id))

    @on(OptionList.OptionSelected)
    def _swallow_selection(self, event: OptionList.OptionSelected) -> None:
        # Enter or a click on a row only moves the highlight; decisions have their own keys.
        event.stop()
