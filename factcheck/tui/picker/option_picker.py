"""A modal list of choices: Enter or a click chooses, Esc cancels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

ChoiceT = TypeVar("ChoiceT")


class OptionPicker(ModalScreen[ChoiceT | None], Generic[ChoiceT]):
    """Shows ``choices`` (value, label) and dismisses with the value chosen, or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without choosing"),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]

    def __init__(
        self,
        title: str,
        choices: Sequence[tuple[ChoiceT, Content | str]],
        *,
        initial: int = 0,
        hint: str = "Enter chooses · Esc cancels",
    ) -> None:
        super().__init__()
        self._title = title
        self._choices = list(choices)
        self._initial = initial
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = self._title
            dialog.border_subtitle = self._hint
            yield OptionList(
                *(Option(label, id=str(index)) for index, (_, label) in enumerate(self._choices)),
                classes="choices",
            )

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = self._initial
        choices.focus()

    def action_move(self, step: int) -> None:
        choices = self.query_one(OptionList)
        if step > 0:
            choices.action_cursor_down()
        else:
            choices.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _choose(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        assert event.option.id is not None
        self.dismiss(self._choices[int(event.option.id)][0])
