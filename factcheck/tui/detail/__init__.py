"""The detail panel: the current claim in its article context beside the evidence, and its sources."""

from factcheck.tui.detail.detail_panel import DetailPanel

__all__ = ["DetailPanel"]
