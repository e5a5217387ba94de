"""The help screen behind `?`."""

from factcheck.tui.help.help_screen import HelpScreen

__all__ = ["HelpScreen"]
