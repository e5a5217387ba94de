"""The status bar: the checking progress and where decisions are saved."""

from factcheck.tui.status.status_bar import StatusBar

__all__ = ["StatusBar"]
