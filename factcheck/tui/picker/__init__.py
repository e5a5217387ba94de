"""Modal pickers: a verdict to override with, a filter for the claims list."""

from factcheck.tui.picker.filter_picker import FilterPicker
from factcheck.tui.picker.verdict_picker import VerdictPicker

__all__ = ["FilterPicker", "VerdictPicker"]
