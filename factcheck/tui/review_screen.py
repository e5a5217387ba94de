"""The review screen: owns the review state, hands it down to the widgets, acts on keys and messages."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import get_current_worker

from factcheck.atomic import write_atomic
from factcheck.claims import Claim
from factcheck.errors import FactcheckError
from factcheck.pipeline import CheckResult
from factcheck.report import to_markdown
from factcheck.review import Review
from factcheck.tui.checking import Checker, Refetcher, changed_verdicts, run_abandonable
from factcheck.tui.claims import ClaimsList
from factcheck.tui.claims.claim_row import claim_words
from factcheck.tui.commands import ReviewCommands
from factcheck.tui.detail import DetailPanel
from factcheck.tui.header import ReviewHeader
from factcheck.tui.help import HelpScreen
from factcheck.tui.model import (
    ALL_CLAIMS,
    CheckProgress,
    CheckRequest,
    ClaimFilter,
    ReviewSession,
    report_path_for,
)
from factcheck.tui.picker import FilterPicker, VerdictPicker
from factcheck.tui.prompt import TextPrompt
from factcheck.tui.status import StatusBar


def _set_in_init() -> CheckResult:
    raise RuntimeError("ReviewScreen.result is set by the constructor")


def _describe(err: BaseException) -> str:
    return str(err) or type(err).__name__


_MOVE = Binding.Group("Move")


class ReviewScreen(Screen[None]):
    """Claims on the left (on top when narrow), the current claim's detail beside them."""

    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ReviewCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Next", key_display="j", group=_MOVE, tooltip="Next claim (↓ or j)"),
        Binding(
            "up,k", "move(-1)", "Previous", key_display="k", group=_MOVE, tooltip="Previous claim (↑ or k)"
        ),
        Binding("c", "confirm", "Confirm", tooltip="Agree with the machine's verdict (saved at once)"),
        Binding("o", "override", "Override", tooltip="Pick another verdict (saved at once)"),
        Binding("n", "note", "Note", tooltip="Write a note on this claim (saved at once)"),
        Binding("u", "undo", "Undo", show=False, tooltip="Take back the decision on this claim"),
        Binding(
            "slash", "filter", "Filter", key_display="/", tooltip="All, unreviewed, reviewed or one verdict"
        ),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="Keys, verdicts and marks"),
        Binding("q", "quit", "Quit", tooltip="Quit; every decision is already saved"),
        Binding("pagedown,space", "scroll_detail(1)", "Scroll detail", show=False),
        Binding("pageup,b", "scroll_detail(-1)", "Scroll detail back", show=False),
    ]

    result: var[CheckResult] = var(_set_in_init, always_update=True)
    reviews: var[Mapping[str, Review]] = var(dict, always_update=True)
    current: var[str | None] = var(None)
    claim_filter: var[ClaimFilter] = var(ALL_CLAIMS)
    progress: var[CheckProgress] = var(CheckProgress)

    # -- messages from the workers

    class LiveCheckProgress(Message, bubble=False):
        """One more source was fetched by the live check."""

        def __init__(self, done: int, total: int, source_id: str) -> None:
            super().__init__()
            self.done, self.total, self.source_id = done, total, source_id

    class LiveCheckFinished(Message, bubble=False):
        """The live check produced a new result."""

        def __init__(self, result: CheckResult) -> None:
            super().__init__()
            self.result = result

    class LiveCheckFailed(Message, bubble=False):
        """The live check raised; the archived verdicts stay on screen."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    class SourceRefetched(Message, bubble=False):
        """One source was fetched again and every claim judged anew (or it failed: ``error``)."""

        def __init__(self, source_id: str, result: CheckResult | None, error: str | None = None) -> None:
            super().__init__()
            self.source_id, self.result, self.error = source_id, result, error

    def __init__(
        self,
        result: CheckResult,
        session: ReviewSession,
        request: CheckRequest,
        *,
        checker: Checker,
        refetcher: Refetcher,
    ) -> None:
        super().__init__()
        self.session = session
        self.request = request
        self._checker = checker
        self._refetcher = refetcher
        self.set_reactive(ReviewScreen.result, result)
        self.set_reactive(ReviewScreen.reviews, session.reviews())
        self.set_reactive(ReviewScreen.current, result.claims[0].id if result.claims else None)
        self.set_reactive(
            ReviewScreen.progress,
            CheckProgress("archive" if result.offline else "done", finished_at=result.checked_at),
        )

    def compose(self) -> ComposeResult:
        yield ReviewHeader(id="header").data_bind(ReviewScreen.result, ReviewScreen.reviews)
        with Horizontal(id="main"):
            yield ClaimsList(id="claims").data_bind(
                ReviewScreen.result, ReviewScreen.reviews, ReviewScreen.claim_filter
            )
            yield DetailPanel(id="detail").data_bind(
                ReviewScreen.result, ReviewScreen.reviews, ReviewScreen.current
            )
        yield StatusBar(self.session.path, self.session.load_error, id="status").data_bind(
            ReviewScreen.progress
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ClaimsList).focus()
        self.session.describe_article(self.result)
        if self.session.load_error is not None:
            self.notify(
                f"{self.session.load_error}\nDecisions cannot be saved in this session (read-only).",
                title="Review file not readable",
                severity="error",
                timeout=30,
                markup=False,
            )
        orphans = self.session.review_file.orphans({c.id for c in self.result.claims})
        if orphans:
            self.notify(
                f"{len(orphans)} decision(s) concern claims no longer in the article; "
                "they are kept in the review file.",
                severity="warning",
                markup=False,
            )
        if not self.request.offline:
            self.start_live_check()

    # -- the current claim

    def current_claim(self) -> Claim | None:
        return next((c for c in self.result.claims if c.id == self.current), None)

    @on(ClaimsList.Highlighted)
    def _follow_highlight(self, event: ClaimsList.Highlighted) -> None:
        self.current = event.claim_id

    def action_move(self, step: int) -> None:
        claim_id = self.query_one(ClaimsList).move(step)
        if claim_id is not None:
            # Set at once rather than when the list's Highlighted message arrives: the detail then
            # changes in the same frame as the highlight, a frame (~16-40 ms) sooner.
            self.current = claim_id

    def action_scroll_detail(self, pages: int) -> None:
        detail = self.query_one(DetailPanel)
        if pages > 0:
            detail.scroll_page_down(animate=False)
        else:
            detail.scroll_page_up(animate=False)

    # -- decisions

    def _claim_to_decide(self) -> Claim | None:
        """The current claim, when a decision on it can be saved (else say why not)."""
        claim = self.current_claim()
        if claim is None:
            self.notify("No claim is selected.", severity="warning")
            return None
        if self.session.read_only:
            self.notify(
                f"Read-only: {self.session.path} could not be read, so decisions are not saved. "
                "Move the file aside and reopen to review.",
                title="Not saved",
                severity="error",
                markup=False,
            )
            return None
        return claim

    def _decide(self, claim: Claim, decide: Callable[[Claim, str], object]) -> None:
        """Apply a decision, save it, and show what is saved (a refused save changes nothing)."""
        try:
            decide(claim, self.result.verdicts[claim.id].verdict)
        except FactcheckError as err:
            self.notify(str(err), title="Not saved", severity="error", timeout=15, markup=False)
        self.reviews = self.session.reviews()

    def action_confirm(self) -> None:
        if claim := self._claim_to_decide():
            self._decide(claim, self.session.confirm)

    def action_undo(self) -> None:
        if claim := self._claim_to_decide():
            self._decide(claim, lambda claim, _machine: self.session.clear(claim))

    def action_override(self) -> None:
        claim = self._claim_to_decide()
        if claim is None:
            return
        machine = self.result.verdicts[claim.id].verdict
        review = self.reviews.get(claim.id)

        def chosen(verdict: str | None) -> None:
            if verdict is not None:
                self._decide(claim, lambda claim, machine: self.session.override(claim, verdict, machine))

        self.app.push_screen(VerdictPicker(machine, review.verdict if review else None), chosen)

    def action_note(self) -> None:
        claim = self._claim_to_decide()
        if claim is None:
            return
        review = self.reviews.get(claim.id)
        number = self.result.claims.index(claim) + 1

        def written(note: str | None) -> None:
            if note is not None:
                self._decide(
                    claim, lambda claim, machine: self.session.set_note(claim, note.strip(), machine)
                )

        self.app.push_screen(
            TextPrompt(
                f"Note on claim {number}",
                review.note if review else "",
                placeholder="Your note (empty removes it)",
                context=claim_words(claim),
            ),
            written,
        )

    # -- filtering, help, quitting

    def action_filter(self) -> None:
        def chosen(claim_filter: ClaimFilter | None) -> None:
            if claim_filter is not None:
                self.claim_filter = claim_filter

        self.app.push_screen(FilterPicker(self.result, self.reviews, self.claim_filter), chosen)

    def show_only_unreviewed(self) -> None:
        self.claim_filter = ClaimFilter(reviewed=False)

    def show_all_claims(self) -> None:
        self.claim_filter = ALL_CLAIMS

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_quit(self) -> None:
        self.app.exit()

    def show_review_file(self) -> None:
        state = (
            f"read-only: {self.session.load_error}" if self.session.load_error else "decisions are saved here"
        )
        self.notify(f"{self.session.path}\n{state}", title="Review file", markup=False)

    # -- the report

    def default_report_path(self) -> Path:
        return report_path_for(self.result, self.session.path)

    def export_report(self, path: Path | None = None) -> None:
        """Write the Markdown report with the decisions (atomically; never to stdout, the app's screen)."""
        target = path or self.default_report_path()
        reviews = None if self.session.read_only else self.session.review_file
        try:
            write_atomic(target, to_markdown(self.result, reviews))
        except OSError as err:
            self.notify(
                f"{target}: {_describe(err)}", title="Report not written", severity="error", markup=False
            )
            return
        unread = " (without decisions: the review file could not be read)" if reviews is None else ""
        self.notify(f"Report written to {target}{unread}", title="Exported", markup=False)

    def export_report_as(self) -> None:
        def chosen(path: str | None) -> None:
            if path:
                self.export_report(Path(path).expanduser())

        self.app.push_screen(
            TextPrompt("Write the Markdown report to", str(self.default_report_path())), chosen
        )

    # -- sources

    def current_source_id(self) -> str | None:
        claim = self.current_claim()
        if claim is None:
            return None
        return self.result.verdicts[claim.id].source or claim.source

    def open_source_url(self) -> None:
        source_id = self.current_source_id()
        source = next((s for s in self.result.sources if s.id == source_id), None)
        if source is None:
            self.notify("This claim names no source.", severity="warning")
            return
        read = self.result.read.get(source.id)
        url = source.url or (read.acquired.final_url if read is not None else None)
        if not url:
            self.notify(f"No URL is known for {source.id}.", severity="warning", markup=False)
            return
        self._open_in_browser(url)

    @work(thread=True, group="browser", exit_on_error=False)
    def _open_in_browser(self, url: str) -> None:
        # webbrowser may start a process and wait for it: kept off the event loop.
        if not webbrowser.open(url):
            self.notify(f"No browser could open {url}", severity="error", markup=False)  # thread-safe

    def refetch_current_source(self) -> None:
        source_id = self.current_source_id()
        if source_id is None:
            self.notify("This claim names no source to refetch.", severity="warning")
        elif self.request.offline:
            self.notify("Offline: run `factcheck review` without --offline to refetch.", severity="warning")
        elif self.progress.phase == "live":
            self.notify("The live check is running; it refetches every source.", severity="warning")
        else:
            self.notify(f"Refetching {source_id}…", markup=False)
            self._refetch(source_id)

    @work(thread=True, exclusive=True, group="refetch", exit_on_error=False)
    def _refetch(self, source_id: str) -> None:
        worker = get_current_worker()
        result, request = self.result, self.request
        try:
            refetched = run_abandonable(
                lambda: self._refetcher(result, source_id, request), lambda: worker.is_cancelled
            )
        except Exception as err:  # network and parsers: any failure is reported, never a crash
            self.post_message(self.SourceRefetched(source_id, None, _describe(err)))
            return
        if refetched is not None and not worker.is_cancelled:
            self.post_message(self.SourceRefetched(source_id, refetched))

    @on(SourceRefetched)
    def _show_refetched(self, event: SourceRefetched) -> None:
        if event.result is None:
            self.notify(
                f"{event.source_id}: {event.error}", title="Refetch failed", severity="error", markup=False
            )
            return
        changed = changed_verdicts(self.result, event.result)
        self.result = event.result
        status = event.result.read[event.source_id].acquired.status
        self.notify(f"{event.source_id}: {status}; {len(changed)} verdict(s) changed", markup=False)

    # -- the live check

    def start_live_check(self) -> None:
        self.progress = CheckProgress("live")
        self._live_check()

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def _live_check(self) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int, source_id: str) -> None:
            if not worker.is_cancelled:
                self.post_message(self.LiveCheckProgress(done, total, source_id))

        request = self.request
        try:
            result = run_abandonable(
                lambda: self._checker(request, False, progress), lambda: worker.is_cancelled
            )
        except Exception as err:  # network and parsers: any failure is reported, never a crash
            if not worker.is_cancelled:
                self.post_message(self.LiveCheckFailed(_describe(err)))
            return
        if result is not None and not worker.is_cancelled:
            self.post_message(self.LiveCheckFinished(result))

    @on(LiveCheckProgress)
    def _show_live_progress(self, event: LiveCheckProgress) -> None:
        self.progress = CheckProgress("live", event.done, event.total, event.source_id)

    @on(LiveCheckFinished)
    def _show_live_result(self, event: LiveCheckFinished) -> None:
        changed = changed_verdicts(self.result, event.result)
        self.result = event.result
        self.progress = CheckProgress("done", finished_at=event.result.checked_at)
        if changed:
            self.notify(f"Live check finished: {len(changed)} verdict(s) changed.", markup=False)

    @on(LiveCheckFailed)
    def _show_live_failure(self, event: LiveCheckFailed) -> None:
        self.progress = CheckProgress("failed", detail=event.error)
        self.notify(
            f"{event.error}\nThe verdicts shown rest on the archived copies.",
            title="Live check failed",
            severity="error",
            timeout=15,
            markup=False,
        )
