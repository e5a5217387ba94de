"""The screen shown while the archived check is read (when the app was not handed a result)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, LoadingIndicator, Static


class LoadingScreen(Screen[None]):
    """A spinner, or the reason the article could not be checked."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static("Reading the article and the archived sources…", id="loading-message", markup=False)
            yield LoadingIndicator()
        yield Footer()

    def show_error(self, error: str) -> None:
        self.query_one(LoadingIndicator).display = False
        message = self.query_one("#loading-message", Static)
        message.add_class("error")
        message.update(f"Could not check the article:\n{error}\n\nPress q to quit.")
