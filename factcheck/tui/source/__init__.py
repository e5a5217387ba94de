"""The source panel: where the evidence comes from and how much it can be trusted."""

from factcheck.tui.source.source_panel import SourcePanel

__all__ = ["SourcePanel"]
