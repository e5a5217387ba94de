"""Label–value rows whose long values wrap under themselves, not under the label.

One widget draws all its rows (wrapping each value to the width left beside the labels), so a panel of
ten rows costs one widget, not twenty: moving to the next claim stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

Field = tuple[Content | str, Content | str]

LABEL_WIDTH = 12
LABEL_STYLE = "bold $text-muted"


class FieldList(Widget):
    """Rows of ``label  value``; a value too long for one line continues under itself."""

    DEFAULT_CSS = """
    FieldList {
        height: auto;
    }
    """

    def __init__(
        self,
        fields: Sequence[Field] = (),
        *,
        label_width: int = LABEL_WIDTH,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._label_width = label_width
        self._fields: list[Field] = list(fields)
        self._wrapped: tuple[int, list[Content]] | None = None  # (width, lines) of the last layout

    @property
    def fields(self) -> list[Field]:
        return list(self._fields)

    def show(self, fields: Sequence[Field]) -> None:
        self._fields = list(fields)
        self._wrapped = None
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Content]:
        if self._wrapped is not None and self._wrapped[0] == width:
            return self._wrapped[1]
        label_width = self._label_width
        value_width = max(width - label_width, 8)
        indent = Content(" " * label_width)
        lines: list[Content] = []
        for label, value in self._fields:
            head = label if isinstance(label, Content) else Content.styled(label, LABEL_STYLE)
            head = head.pad_right(max(1, label_width - head.cell_length))
            content = value if isinstance(value, Content) else Content(value)
            for number, line in enumerate(content.wrap(value_width) or [Content("")]):
                lines.append(Content.assemble(head if number == 0 else indent, line))
        self._wrapped = (width, lines)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_size.width))
