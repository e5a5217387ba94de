"""The Textual review app, the only part of factcheck that imports textual.

``factcheck review`` calls :func:`run_review`; textual is imported only when it runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factcheck.fetch import FetchSettings

__all__ = ["run_review"]


def run_review(
    article: str | None,
    sources_dir: Path | None,
    archive_dir: Path | None,
    *,
    offline: bool,
    review_file: Path | None,
    settings: FetchSettings | None,
) -> None:
    """Check the article from the archive, open the review app on it, and (unless offline) check live.

    A bad article or registry raises :class:`factcheck.errors.FactcheckError` before the app starts,
    so the command line can report it in one line.
    """
    from factcheck.tui.app import ReviewApp
    from factcheck.tui.checking import run_check
    from factcheck.tui.model import CheckRequest

    request = CheckRequest(article, sources_dir, archive_dir, offline=offline, settings=settings)
    # The archived check is fast (well under a second for the bundled case) and paints the first screen.
    result = run_check(request, True, None)
    ReviewApp(request, result=result, review_file=review_file, freeze_gc=True).run()
