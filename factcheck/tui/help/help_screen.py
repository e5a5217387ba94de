"""Keys, verdicts, review marks and diff marks on one page."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from factcheck.tui.detail.render import ADDED_STYLE, DROPPED_STYLE, ELIDED_STYLE, QUOTE_STYLE
from factcheck.tui.fields import Field, FieldList
from factcheck.tui.verdict_style import (
    NOTE_MARK,
    OVERRIDE_ARROW,
    REVIEWED_MARK,
    UNREVIEWED_MARK,
    VERDICT_MEANINGS,
    verdict_content,
)
from factcheck.verdicts import VERDICTS

KEYS = [
    ("↑ ↓  j k", "move between claims (a click works too)"),
    ("c", "confirm the machine's verdict"),
    ("o", "override it: pick a verdict, Enter chooses, Esc cancels"),
    ("n", "edit the note: Enter saves, Esc cancels, an empty note removes it"),
    ("u", "undo the decision on this claim"),
    ("/", "filter: all, unreviewed, reviewed, or one verdict"),
    ("space  b", "scroll the detail down, up (also PgDn, PgUp)"),
    ("ctrl+p", "commands: export the report, refetch the source, open its URL …"),
    ("?", "this help"),
    ("q", "quit (every decision is already saved)"),
]
_COLUMN = 23


def help_sections() -> list[tuple[str, list[Field]]]:
    """(heading, rows) for the help screen: a sample or key, and what it means."""
    return [
        ("Keys", [(Content.styled(key, "bold $accent"), what) for key, what in KEYS]),
        (
            "Verdicts (the machine's, and yours)",
            [(verdict_content(v), VERDICT_MEANINGS[v]) for v in VERDICTS],
        ),
        (
            "Review marks",
            [
                (Content.styled(REVIEWED_MARK, "bold $success"), "decided (confirmed or overridden)"),
                (Content.styled(UNREVIEWED_MARK, "$text-muted"), "not reviewed yet (a note is no decision)"),
                (Content.styled(OVERRIDE_ARROW, "bold"), "the machine's verdict (struck) ⇒ the reviewer's"),
                (Content.styled(NOTE_MARK, "$accent"), "has a note"),
            ],
        ),
        (
            "Article and evidence",
            [
                (Content.styled("quoted words", QUOTE_STYLE), "the words the article puts in quote marks"),
                (Content.styled("the claim", "underline"), "the sentence the claim was taken from"),
                (Content.styled("[-struck-]", DROPPED_STYLE), "source words the article dropped or changed"),
                (Content.styled("{+underlined+}", ADDED_STYLE), "the article's own words"),
                (Content.styled("[… words]", ELIDED_STYLE), "source words covered by a marked ellipsis"),
            ],
        ),
    ]


class HelpScreen(ModalScreen[None]):
    """Dismissed with Esc, ? or q."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help") as dialog:
            dialog.border_title = "Help"
            dialog.border_subtitle = "Esc closes"
            for heading, rows in help_sections():
                yield Static(Content.styled(heading, "bold underline"), classes="help-heading")
                yield FieldList(rows, label_width=_COLUMN)
            yield Static(
                Content.styled(
                    "Decisions are saved to the review file after every change.", "italic $text-muted"
                ),
                classes="help-heading",
            )

    def action_close(self) -> None:
        self.dismiss(None)
