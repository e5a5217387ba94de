"""The command palette's review commands (ctrl+p): export, refetch, filter, open the source."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from factcheck.tui.review_screen import ReviewScreen

Command = tuple[str, str, Callable[[], None]]


class ReviewCommands(Provider):
    """Commands on the review screen and its current claim."""

    def _commands(self) -> list[Command]:
        from factcheck.tui.review_screen import ReviewScreen  # at run time: the screen imports this module

        screen = self.screen
        if not isinstance(screen, ReviewScreen):
            return []
        return _review_commands(screen)

    async def discover(self) -> Hits:
        for name, help_text, run in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, text=name, help=help_text)


def _review_commands(screen: ReviewScreen) -> list[Command]:
    source = screen.current_source_id() or "this claim's source"
    return [
        (
            "Export the Markdown report",
            f"Write {screen.default_report_path()} with the review decisions",
            screen.export_report,
        ),
        ("Export the Markdown report to…", "Choose where to write the report", screen.export_report_as),
        (
            "Refetch this source",
            f"Fetch {source} live again and judge every claim anew",
            screen.refetch_current_source,
        ),
        (
            "Show only unreviewed claims",
            "Filter the list to claims nobody has decided",
            screen.show_only_unreviewed,
        ),
        ("Show all claims", "Clear the filter", screen.show_all_claims),
        ("Open the source URL", f"Open {source} in the web browser", screen.open_source_url),
        ("Show the review file's path", str(screen.session.path), screen.show_review_file),
    ]
