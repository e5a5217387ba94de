"""One line above the footer: how the check stands (with a progress bar while live) and the review file."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import var
from textual.widgets import ProgressBar, Static

from factcheck.tui.model import CheckProgress


def _when(timestamp: str) -> str:
    """``2026-11-25T04:32:00+00:00`` → ``2026-11-25 04:32 UTC`` (the core writes UTC)."""
    if len(timestamp) < 16:
        return timestamp
    return timestamp[:16].replace("T", " ") + (" UTC" if timestamp.endswith(("+00:00", "Z")) else "")


def progress_text(progress: CheckProgress) -> Content:
    if progress.phase == "loading":
        return Content.styled("Reading the archive…", "$text-muted")
    if progress.phase == "archive":
        return Content.assemble(("offline", "bold"), (" · archived copies only", "$text-muted"))
    if progress.phase == "live":
        return Content.assemble(
            ("live check", "bold $accent"),
            f" {progress.done} of {progress.total or '?'} sources",
            (" · archived verdicts meanwhile", "$text-muted"),
        )
    if progress.phase == "failed":
        return Content.assemble(("live check failed", "bold $error"), (f": {progress.detail}", "$text-muted"))
    return Content.assemble(
        ("live", "bold $success"), (f" · checked {_when(progress.finished_at)}", "$text-muted")
    )


class StatusBar(Horizontal):
    """The check's progress on the left, the review file (or why it is read-only) on the right."""

    progress: var[CheckProgress] = var(CheckProgress)

    def __init__(self, review_path: Path, read_only_reason: str | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._review_path = review_path
        self._read_only_reason = read_only_reason

    def compose(self) -> ComposeResult:
        yield Static(id="check-state")
        yield ProgressBar(id="check-progress", show_eta=False, show_percentage=False)
        if self._read_only_reason is None:
            review = Content.assemble(("saved to ", "$text-muted"), self._review_path.name)
        else:
            review = Content.styled(f"READ-ONLY: {self._review_path.name} is not readable", "bold $error")
        state = Static(review, id="review-file-state")
        # The full path can be long: the bar names the file, its tooltip gives the path.
        state.tooltip = str(self._review_path) + (
            f"\n{self._read_only_reason}" if self._read_only_reason else ""
        )
        yield state

    def watch_progress(self, progress: CheckProgress) -> None:
        if not self.is_mounted:
            return
        self.query_one("#check-state", Static).update(progress_text(progress))
        bar = self.query_one("#check-progress", ProgressBar)
        bar.display = progress.running
        if progress.phase == "live" and progress.total:
            bar.update(total=progress.total, progress=progress.done)
        elif progress.phase == "loading":
            bar.update(total=None)

    def on_mount(self) -> None:
        self.watch_progress(self.progress)
