"""The verdict picker behind `o`: the eight verdicts with their meanings."""

from __future__ import annotations

from textual.content import Content

from factcheck.tui.picker.option_picker import OptionPicker
from factcheck.tui.verdict_style import VERDICT_MEANINGS, verdict_content, verdict_text
from factcheck.verdicts import VERDICTS


def _choice(verdict: str) -> Content:
    label = verdict_content(verdict)
    return Content.assemble(
        label.pad_right(20 - label.cell_length), (VERDICT_MEANINGS[verdict], "$text-muted")
    )


class VerdictPicker(OptionPicker[str]):
    """Override the machine: dismisses with the verdict chosen, or None."""

    def __init__(self, machine_verdict: str, current: str | None = None) -> None:
        super().__init__(
            f"Override the verdict · the machine says {verdict_text(machine_verdict)}",
            [(verdict, _choice(verdict)) for verdict in VERDICTS],
            initial=VERDICTS.index(current or machine_verdict),
        )
