"""The filter picker behind `/`: all claims, by review state, or by machine verdict."""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content

from factcheck.pipeline import CheckResult
from factcheck.review import Review
from factcheck.tui.model import ALL_CLAIMS, ClaimFilter, visible_claims
from factcheck.tui.picker.option_picker import OptionPicker
from factcheck.tui.verdict_style import verdict_content
from factcheck.verdicts import VERDICTS


def filter_choices(result: CheckResult, reviews: Mapping[str, Review]) -> list[tuple[ClaimFilter, Content]]:
    """Every filter worth offering, each with how many claims it would show."""

    def count(claim_filter: ClaimFilter) -> int:
        return len(visible_claims(result, reviews, claim_filter))

    choices = [
        (ALL_CLAIMS, Content(f"All claims ({count(ALL_CLAIMS)})")),
        (ClaimFilter(reviewed=False), Content(f"[ ] Unreviewed ({count(ClaimFilter(reviewed=False))})")),
        (ClaimFilter(reviewed=True), Content(f"[✓] Reviewed ({count(ClaimFilter(reviewed=True))})")),
    ]
    for verdict in VERDICTS:
        by_verdict = ClaimFilter(verdict=verdict)
        if count(by_verdict):
            choices.append(
                (
                    by_verdict,
                    Content.assemble("Verdict: ", verdict_content(verdict), f" ({count(by_verdict)})"),
                )
            )
    return choices


class FilterPicker(OptionPicker[ClaimFilter]):
    """Choose which claims the list shows; dismisses with the filter, or None."""

    def __init__(self, result: CheckResult, reviews: Mapping[str, Review], current: ClaimFilter) -> None:
        choices = filter_choices(result, reviews)
        initial = next((i for i, (f, _) in enumerate(choices) if f == current), 0)
        super().__init__("Show claims", choices, initial=initial)
