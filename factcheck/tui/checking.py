"""The core calls the review app makes off the event loop (in thread workers).

Both callables are injected into the app, so tests can stand in for the network.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from factcheck.pipeline import CheckResult, ProgressCallback, check, refetch
from factcheck.tui.model import CheckRequest

_T = TypeVar("_T")

#: Runs a check: the request, whether to stay offline, a progress callback (done, total, source id).
Checker = Callable[[CheckRequest, bool, ProgressCallback | None], CheckResult]
#: Fetches one source again and judges every claim anew: the result so far, the source id, the request.
Refetcher = Callable[[CheckResult, str, CheckRequest], CheckResult]


def run_check(request: CheckRequest, offline: bool, progress: ProgressCallback | None) -> CheckResult:
    """:func:`factcheck.pipeline.check` with the request's inputs."""
    return check(
        request.article,
        request.sources_dir,
        request.archive_dir,
        offline=offline,
        settings=request.settings,
        progress=progress,
    )


def refetch_source(result: CheckResult, source_id: str, request: CheckRequest) -> CheckResult:
    """Fetch ``source_id`` live again and judge every claim again (:func:`factcheck.pipeline.refetch`)."""
    return refetch(result, source_id, request.archive_dir, settings=request.settings)


def run_abandonable(work: Callable[[], _T], cancelled: Callable[[], bool], poll: float = 0.1) -> _T | None:
    """Run ``work`` in a daemon thread and wait for it; give up (None) once ``cancelled()`` says so.

    A check cannot be interrupted: a worker thread that waited for it would keep the app from quitting
    until the last fetch timed out. A daemon thread ends with the process instead; the archive writes
    each capture atomically, so abandoning one half-way leaves no torn file.
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["result"] = work()
        except BaseException as err:  # handed to the waiting thread, which reports it
            outcome["error"] = err

    thread = threading.Thread(target=target, name="factcheck-check", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(poll)
        if cancelled():
            return None
    if "error" in outcome:
        raise outcome["error"]
    result: _T = outcome["result"]
    return result


def changed_verdicts(before: CheckResult, after: CheckResult) -> list[str]:
    """Ids of the claims whose machine verdict differs between two checks of the same article."""
    return [
        claim_id
        for claim_id, verdict in after.verdicts.items()
        if claim_id in before.verdicts and before.verdicts[claim_id].verdict != verdict.verdict
    ]
