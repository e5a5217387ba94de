"""The review app: loads the check (unless handed one), then shows the review screen."""

from __future__ import annotations

import gc
from pathlib import Path

from textual import on, work
from textual.app import App
from textual.message import Message

from factcheck.pipeline import CheckResult
from factcheck.tui.checking import Checker, Refetcher, refetch_source, run_check
from factcheck.tui.loading import LoadingScreen
from factcheck.tui.model import CheckRequest, Clock, ReviewSession, review_path_for, utc_now
from factcheck.tui.review_screen import ReviewScreen


class ReviewApp(App[None]):
    """Step through the claims of one article, confirming or overriding the machine's verdicts."""

    CSS_PATH = "app.tcss"
    TITLE = "factcheck review"
    # Below 110 columns the detail stacks under the list; from 140 the article passage and the
    # evidence stand side by side. Typed as textual declares it (not ClassVar), hence the noqa.
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [  # noqa: RUF012
        (0, "-narrow"),
        (110, "-wide"),
        (140, "-very-wide"),
    ]

    class ArchiveLoaded(Message, bubble=False):
        """The offline check (archived copies only) is ready."""

        def __init__(self, result: CheckResult) -> None:
            super().__init__()
            self.result = result

    class LoadFailed(Message, bubble=False):
        """The article or the registry could not be read."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self,
        request: CheckRequest,
        *,
        result: CheckResult | None = None,
        review_file: Path | None = None,
        checker: Checker = run_check,
        refetcher: Refetcher = refetch_source,
        clock: Clock = utc_now,
        freeze_gc: bool = False,
    ) -> None:
        """``result``: an archived check already made (the app then paints at once); ``checker``,
        ``refetcher`` and ``clock`` are the core calls and the review time, injectable for tests.

        ``freeze_gc``: once the review screen is up, take everything loaded so far (the check, textual,
        the widgets; it all lives as long as the app) out of the garbage collector's view, so a full
        collection cannot stall a key press by ~50 ms. For a process that runs one app: frozen
        objects are never collected, so a test session running many apps leaves it off.
        """
        super().__init__()
        self.request = request
        self.initial_result = result
        self._review_file = review_file
        self._checker = checker
        self._refetcher = refetcher
        self._clock = clock
        self._freeze_gc = freeze_gc

    def on_mount(self) -> None:
        # Pushed rather than made the default screen: textual applies the breakpoint classes
        # (narrow, wide) to a screen when it is resized, which a pushed screen is at once.
        if self.initial_result is not None:
            self.push_screen(self._review_screen(self.initial_result))
        else:
            self.push_screen(LoadingScreen())
            self._load_archive()

    def _review_screen(self, result: CheckResult) -> ReviewScreen:
        session = ReviewSession.open(review_path_for(result, self._review_file), clock=self._clock)
        if self._freeze_gc:
            self.call_after_refresh(gc.freeze)
        return ReviewScreen(result, session, self.request, checker=self._checker, refetcher=self._refetcher)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_archive(self) -> None:
        try:
            result = self._checker(self.request, True, None)
        except Exception as err:  # a bad article or registry is shown, not raised through the terminal
            self.post_message(self.LoadFailed(str(err) or type(err).__name__))
            return
        self.post_message(self.ArchiveLoaded(result))

    @on(ArchiveLoaded)
    def _show_review(self, event: ArchiveLoaded) -> None:
        self.switch_screen(self._review_screen(event.result))

    @on(LoadFailed)
    def _show_load_error(self, event: LoadFailed) -> None:
        if isinstance(self.screen, LoadingScreen):
            self.screen.show_error(event.error)
        self.notify(event.error, title="Could not check the article", severity="error", markup=False)
