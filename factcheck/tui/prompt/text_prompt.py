"""A modal one-line input: Enter saves, Esc cancels."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class TextPrompt(ModalScreen[str | None]):
    """Asks for a line of text; dismisses with it (possibly empty), or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving")
    ]

    def __init__(self, title: str, value: str = "", *, placeholder: str = "", context: str = "") -> None:
        super().__init__()
        self._title = title
        self._value = value
        self._placeholder = placeholder
        self._context_text = context

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = self._title
            dialog.border_subtitle = "Enter saves · Esc cancels"
            if self._context_text:
                yield Static(self._context_text, classes="prompt-context", markup=False)
            # No blinking cursor: screenshots and snapshots stay the same from one run to the next.
            yield Input(self._value, placeholder=self._placeholder, select_on_focus=False)

    def on_mount(self) -> None:
        prompt = self.query_one(Input)
        prompt.cursor_blink = False
        prompt.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)
