"""A one-line text prompt: the note editor, the report path."""

from factcheck.tui.prompt.text_prompt import TextPrompt

__all__ = ["TextPrompt"]
