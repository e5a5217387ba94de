"""The review app, driven with Pilot on the bundled case (offline, archived copies only).

Most tests hand the app an already computed check (it is the same for every test) and a review file
in tmp_path; one test goes through the app's own loading path. Times are fixed by an injected clock.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, ProgressBar, Static

from factcheck.errors import FactcheckError
from factcheck.match import DiffOp
from factcheck.pipeline import CheckResult, ProgressCallback, check
from factcheck.review import Review
from factcheck.sources import Source
from factcheck.tui import run_review
from factcheck.tui.app import ReviewApp
from factcheck.tui.checking import run_abandonable
from factcheck.tui.claims import ClaimsList
from factcheck.tui.detail import DetailPanel
from factcheck.tui.detail.render import article_context, diff_content
from factcheck.tui.fields import FieldList
from factcheck.tui.help import HelpScreen
from factcheck.tui.loading import LoadingScreen
from factcheck.tui.model import ALL_CLAIMS, CheckRequest, ClaimFilter, report_path_for
from factcheck.tui.picker import FilterPicker, VerdictPicker
from factcheck.tui.prompt import TextPrompt
from factcheck.tui.review_screen import ReviewScreen
from factcheck.verdicts import VERDICTS, Evidence, Verdict

pytestmark = pytest.mark.anyio

CHECKED_AT = "2019-01-22T09:00:00+00:00"
REVIEWED_AT = "2019-01-22T10:00:00+00:00"
SIZE = (150, 45)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# -- the bundled case, checked once ---------------------------------------------------------------

_BUNDLED: list[CheckResult] = []


def bundled_result() -> CheckResult:
    """The bundled case checked offline, with a fixed check time (computed once per session)."""
    if not _BUNDLED:
        _BUNDLED.append(replace(check(None, None, offline=True), checked_at=CHECKED_AT))
    return _BUNDLED[0]


@pytest.fixture(autouse=True, scope="session")
def _checked_before_any_event_loop() -> None:
    # check() runs its own event loop, so it cannot be called first inside an async test.
    bundled_result()


def fixed_clock() -> str:
    return REVIEWED_AT


def no_live_check(request: CheckRequest, offline: bool, progress: ProgressCallback | None) -> CheckResult:
    raise AssertionError("an offline review must not run a live check")


def no_refetch(result: CheckResult, source_id: str, request: CheckRequest) -> CheckResult:
    raise AssertionError("an offline review must not refetch")


def make_app(
    review_path: Path,
    *,
    result: CheckResult | None = None,
    offline: bool = True,
    checker: Callable[[CheckRequest, bool, ProgressCallback | None], CheckResult] = no_live_check,
    refetcher: Callable[[CheckResult, str, CheckRequest], CheckResult] = no_refetch,
) -> ReviewApp:
    return ReviewApp(
        CheckRequest(offline=offline),
        result=result or bundled_result(),
        review_file=review_path,
        checker=checker,
        refetcher=refetcher,
        clock=fixed_clock,
    )


@pytest.fixture
def review_path(tmp_path: Path) -> Path:
    return tmp_path / "article.review.json"


class Recorder:
    """Collects the messages the app processes (``run_test(message_hook=...)``)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def __call__(self, message: Message) -> None:
        self.messages.append(message)

    def of(self, kind: type[Message]) -> list[Any]:
        return [m for m in self.messages if isinstance(m, kind)]

    def notifications(self, severity: str | None = None) -> list[str]:
        return [
            f"{n.notification.title}: {n.notification.message}"
            for n in self.of(Notify)
            if severity is None or n.notification.severity == severity
        ]


# -- reading the screen ---------------------------------------------------------------------------


def screen(pilot: Pilot[Any]) -> ReviewScreen:
    current = pilot.app.screen
    assert isinstance(current, ReviewScreen), current
    return current


def rows(pilot: Pilot[Any]) -> list[str]:
    """The claims list as plain text, one string per claim."""
    claims = pilot.app.screen.query_one(ClaimsList)
    return [str(getattr(option.prompt, "plain", option.prompt)) for option in claims.options]


def text_of(pilot: Pilot[Any], selector: str) -> str:
    widget = pilot.app.screen.query_one(selector)
    if isinstance(widget, Static):
        return text_of_static(widget)
    if isinstance(widget, FieldList):
        return "\n".join(f"{label} {getattr(value, 'plain', value)}" for label, value in widget.fields)
    return "\n".join(text_of_static(s) for s in widget.query(Static) if s.display)


def text_of_static(widget: Static) -> str:
    return str(getattr(widget.content, "plain", widget.content))


async def go_to(pilot: Pilot[Any], number: int) -> None:
    """Highlight claim ``number`` as a click would (key navigation has its own tests)."""
    pilot.app.screen.query_one(ClaimsList).highlighted = number - 1
    await pilot.pause()
    assert screen(pilot).current == claim_id(number)


def saved(review_path: Path) -> dict[str, Any]:
    reviews: dict[str, Any] = json.loads(review_path.read_text(encoding="utf-8"))["reviews"]
    return reviews


def claim_id(number: int) -> str:
    return bundled_result().claims[number - 1].id


# -- first screen and navigation ------------------------------------------------------------------


async def test_first_screen_lists_every_claim_with_its_verdict_in_words(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        listed = rows(pilot)
        result = bundled_result()
        assert len(listed) == len(result.claims) == 16
        for row, claim in zip(listed, result.claims, strict=True):
            verdict = result.verdicts[claim.id].verdict
            words = {"not_found": "not found", "minor": "minor differences"}.get(verdict, verdict)
            assert words in row  # in words, not colour alone
            assert row.startswith("[ ]")  # not reviewed yet
        assert text_of(pilot, "#review-progress") == "0 of 16 reviewed"
        assert text_of(pilot, "#article-title") == result.article.title
        assert text_of(pilot, "#claim-heading").startswith("Claim 1 of 16")
        assert screen(pilot).current == claim_id(1)


async def test_j_k_and_the_arrow_keys_move_between_claims(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "down")
        assert screen(pilot).current == claim_id(4)
        assert text_of(pilot, "#claim-heading").startswith("Claim 4 of 16")
        await pilot.press("k", "up")
        assert screen(pilot).current == claim_id(2)
        await pilot.press("k", "k")  # stops at the first claim
        assert screen(pilot).current == claim_id(1)


async def test_fast_key_presses_are_not_lost(review_path: Path) -> None:
    # Regression: the current claim used to be echoed back down and pulled the highlight back.
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await pilot.press(*["j"] * 10)
        await pilot.pause()
        assert screen(pilot).current == claim_id(11)
        assert pilot.app.screen.query_one(ClaimsList).highlighted == 10


async def test_a_click_on_a_claim_selects_it(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        # Border on line 0, then two lines per claim: line 5 is the second line of claim 3.
        await pilot.click(ClaimsList, offset=(10, 5))
        assert screen(pilot).current == claim_id(3)


async def test_detail_shows_context_evidence_reason_and_source(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await go_to(pilot, 11)  # claim 11: a verbatim quote from the State Department
        detail = pilot.app.screen.query_one(DetailPanel)
        claim = bundled_result().claims[10]
        context = text_of(pilot, "#article-context")
        assert claim.quote is not None and " ".join(claim.quote.split()) in " ".join(context.split())
        assert "We are deeply disturbed" in text_of(pilot, "#evidence-passage")
        assert "found verbatim" in text_of(pilot, "#reason")
        source = text_of(pilot, "#linked-source")
        assert "Attacks on LGBTI Community in Chechnya" in source
        assert "archived" in source and "reproduction" in source and "complete" in source
        assert "2026-11-25T00:00:00Z" in source
        assert "Page" in source and "Evidence at" in source
        assert detail.query_one("#linked-source").border_title == "Source: state-department-2019-01-17"
        assert not detail.query_one("#diff").display  # verbatim: nothing to mark


async def test_unsourced_claim_has_no_source_panel(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await go_to(pilot, 7)  # claim 7: unsourced
        assert "unsourced" in text_of(pilot, "#claim-fields")
        assert not pilot.app.screen.query_one("#linked-source").display
        assert "names no source" in text_of(pilot, "#reason")


# -- decisions ------------------------------------------------------------------------------------


async def test_confirm_saves_the_machine_verdict_at_once(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await pilot.press("j", "c")
        review = saved(review_path)[claim_id(2)]
        assert review["verdict"] == review["machine_verdict"] == "paraphrase"
        assert review["action"] == "confirmed"
        assert review["reviewed_at"] == REVIEWED_AT
        assert rows(pilot)[1].startswith("[✓]")
        assert text_of(pilot, "#review-progress") == "1 of 16 reviewed"
        assert "confirmed" in text_of(pilot, "#claim-fields")


async def test_override_picks_a_verdict_and_keeps_the_machine_one(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await go_to(pilot, 11)
        await pilot.press("o")  # claim 11: verbatim
        picker = pilot.app.screen
        assert isinstance(picker, VerdictPicker)
        choices = picker.query_one(OptionList)
        assert choices.option_count == len(VERDICTS) == 8
        assert choices.highlighted == VERDICTS.index("verbatim")  # starts on the machine's verdict
        await pilot.press("down", "down", "enter")  # verbatim → minor → altered
        assert isinstance(pilot.app.screen, ReviewScreen)
        review = saved(review_path)[claim_id(11)]
        assert (review["verdict"], review["machine_verdict"], review["action"]) == (
            "altered",
            "verbatim",
            "overridden",
        )
        row = rows(pilot)[10]
        assert "✔ verbatim ⇒ ✘ altered" in row  # the reviewer's verdict beside the machine's
        assert "overridden" in text_of(pilot, "#claim-fields")


async def test_escape_closes_the_picker_without_a_decision(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await pilot.press("o", "down", "escape")
        assert isinstance(pilot.app.screen, ReviewScreen)
        assert not review_path.exists()
        assert rows(pilot)[0].startswith("[ ]")


async def test_a_click_in_the_picker_chooses(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await pilot.press("o")
        picker = pilot.app.screen
        assert isinstance(picker, VerdictPicker)
        await pilot.click(picker.query_one(OptionList), offset=(5, VERDICTS.index("not_found")))
        assert saved(review_path)[claim_id(1)]["verdict"] == "not_found"


async def test_note_is_saved_with_enter_and_dropped_with_escape(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await pilot.press("n")
        prompt = pilot.app.screen
        assert isinstance(prompt, TextPrompt)
        assert not prompt.query_one(Input).cursor_blink
        await pilot.press(*"no URL: ask Amnesty", "enter")
        review = saved(review_path)[claim_id(1)]
        assert review["note"] == "no URL: ask Amnesty"
        assert review["verdict"] is None  # a note alone is not a decision
        assert text_of(pilot, "#review-progress") == "0 of 16 reviewed"
        assert "✎" in rows(pilot)[0]
        assert "no URL: ask Amnesty" in text_of(pilot, "#claim-fields")

        await pilot.press("n", "x", "escape")
        assert saved(review_path)[claim_id(1)]["note"] == "no URL: ask Amnesty"

        await pilot.press("c")  # confirming keeps the note
        assert saved(review_path)[claim_id(1)] | {"verdict": None} == review | {
            "verdict": None,
            "action": "confirmed",
        }


async def test_an_empty_note_removes_a_note_only_entry(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await pilot.press("n", *"later", "enter")
        assert saved(review_path)[claim_id(1)]["note"] == "later"
        await pilot.press("n", *["backspace"] * 5, "enter")
        assert claim_id(1) not in saved(review_path)
        assert "✎" not in rows(pilot)[0]


async def test_undo_takes_a_decision_back(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert claim_id(1) in saved(review_path)
        await pilot.press("u")
        assert claim_id(1) not in saved(review_path)
        assert rows(pilot)[0].startswith("[ ]")


# -- filtering ------------------------------------------------------------------------------------


async def test_filter_by_review_state_and_by_verdict(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await pilot.press("c", "j", "c")  # claims 1 and 2 reviewed
        await pilot.press("slash")
        picker = pilot.app.screen
        assert isinstance(picker, FilterPicker)
        await pilot.press("down", "enter")  # All → Unreviewed
        assert screen(pilot).claim_filter == ClaimFilter(reviewed=False)
        assert len(rows(pilot)) == 14
        assert all(row.startswith("[ ]") for row in rows(pilot))
        assert pilot.app.screen.query_one(ClaimsList).border_subtitle == "14 of 16 · unreviewed"

        await pilot.press("c")  # the decided claim leaves the list; its neighbour takes its place
        assert len(rows(pilot)) == 13
        assert screen(pilot).current == claim_id(4)

        await pilot.press("slash", "down", "down", "enter")  # from "unreviewed" to the first verdict offered
        assert screen(pilot).claim_filter == ClaimFilter(verdict="verbatim")
        assert len(rows(pilot)) == 2
        assert screen(pilot).current == claim_id(11)

        await pilot.press("slash", "escape")
        assert screen(pilot).claim_filter == ClaimFilter(verdict="verbatim")


async def test_a_filter_with_no_match_shows_no_claim(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        screen(pilot).claim_filter = ClaimFilter(reviewed=True)
        await pilot.pause()
        assert rows(pilot) == []
        assert screen(pilot).current is None
        assert "No claim" in text_of(pilot, "#claim-heading")
        await pilot.press("c")  # nothing to confirm: no crash, nothing saved
        assert not review_path.exists()


def test_claim_filter_rules() -> None:
    review = Review("x", "verbatim", "verbatim")
    note_only = Review("x", None, "verbatim", note="later")
    assert ALL_CLAIMS.accepts("altered", None) and not ALL_CLAIMS.active
    assert ClaimFilter(reviewed=False).accepts("altered", note_only)  # a note is not a decision
    assert not ClaimFilter(reviewed=False).accepts("altered", review)
    assert ClaimFilter(reviewed=True, verdict="verbatim").accepts("verbatim", review)
    assert not ClaimFilter(verdict="verbatim").accepts("minor", None)
    assert ClaimFilter(reviewed=False, verdict="not_found").describe() == "unreviewed, not found"
    with pytest.raises(ValueError):
        ClaimFilter(verdict="bogus")


# -- the review file ------------------------------------------------------------------------------


async def test_decisions_are_shown_again_after_a_restart(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await pilot.press("c", "j", "o", "end", "enter", "n", *"weak copy", "enter")
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        assert text_of(pilot, "#review-progress") == "2 of 16 reviewed"
        listed = rows(pilot)
        assert listed[0].startswith("[✓]")
        assert "⇒ — unsourced ✎" in listed[1]
        await pilot.press("j")
        fields = text_of(pilot, "#claim-fields")
        assert "weak copy" in fields and "overridden" in fields and REVIEWED_AT in fields


async def test_decisions_on_claims_no_longer_in_the_article_are_kept(review_path: Path) -> None:
    orphan = {"verdict": "altered", "machine_verdict": "verbatim", "note": "old", "action": "overridden"}
    review_path.write_text(json.dumps({"schema": 1, "reviews": {"q-gone": orphan}}), encoding="utf-8")
    recorder = Recorder()
    async with make_app(review_path).run_test(size=SIZE, message_hook=recorder) as pilot:
        await pilot.press("c")
        assert any("no longer in the article" in w for w in recorder.notifications("warning"))
    assert set(saved(review_path)) == {"q-gone", claim_id(1)}


async def test_an_article_without_claims_shows_an_empty_list(review_path: Path) -> None:
    empty = replace(bundled_result(), claims=[], verdicts={})
    recorder = Recorder()
    async with make_app(review_path, result=empty).run_test(size=SIZE, message_hook=recorder) as pilot:
        assert rows(pilot) == []
        assert text_of(pilot, "#review-progress") == "0 of 0 reviewed"
        await pilot.press("j", "c", "o", "n", "slash", "escape")
        assert isinstance(pilot.app.screen, ReviewScreen)
        assert len(recorder.notifications("warning")) == 3  # c, o and n: no claim is selected
    assert not review_path.exists()


async def test_a_corrupt_review_file_is_reported_and_left_untouched(review_path: Path) -> None:
    review_path.write_bytes(b'{"reviews": {"x": ')
    before = review_path.read_bytes()
    recorder = Recorder()
    async with make_app(review_path).run_test(size=SIZE, message_hook=recorder) as pilot:
        await pilot.pause()
        errors = recorder.notifications("error")
        assert any(str(review_path) in e and "corrupt" in e and "read-only" in e for e in errors)
        assert "READ-ONLY" in text_of(pilot, "#review-file-state")
        await pilot.press("c", "o", "n", "u")  # every decision is refused, no dialog opens
        assert isinstance(pilot.app.screen, ReviewScreen)
        assert len(recorder.notifications("error")) == len(errors) + 4
        assert rows(pilot)[0].startswith("[ ]")
        await _run_command(pilot, "Export the Markdown report")
        assert any("without decisions" in n for n in recorder.notifications("information"))
        assert "**Reviewed:**" not in report_path_for(bundled_result(), review_path).read_text(
            encoding="utf-8"
        )
    assert review_path.read_bytes() == before


async def test_a_file_broken_during_the_session_is_not_overwritten(review_path: Path) -> None:
    recorder = Recorder()
    async with make_app(review_path).run_test(size=SIZE, message_hook=recorder) as pilot:
        await pilot.press("c")
        review_path.write_text("not json", encoding="utf-8")  # another program broke it
        await pilot.press("j", "c")
        await pilot.pause()
        assert review_path.read_text(encoding="utf-8") == "not json"
        assert any("will not overwrite" in e for e in recorder.notifications("error"))
        # The screen shows what is saved, not the refused decision.
        assert rows(pilot)[1].startswith("[ ]")
        assert text_of(pilot, "#review-progress") == "1 of 16 reviewed"


# -- loading, workers and messages ----------------------------------------------------------------


async def test_the_app_loads_the_archived_check_itself(review_path: Path) -> None:
    app = ReviewApp(CheckRequest(offline=True), review_file=review_path, clock=fixed_clock)
    recorder = Recorder()
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        for _ in range(100):
            if isinstance(app.screen, ReviewScreen):
                break
            await pilot.pause(0.05)
        await pilot.pause()
        assert len(recorder.of(ReviewApp.ArchiveLoaded)) == 1
        assert len(rows(pilot)) == 16
        assert "offline" in text_of(pilot, "#check-state")


async def test_an_unreadable_article_is_shown_not_raised(tmp_path: Path) -> None:
    request = CheckRequest(article=str(tmp_path / "missing.txt"), offline=True)
    app = ReviewApp(request, review_file=tmp_path / "r.json", clock=fixed_clock)
    recorder = Recorder()
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        for _ in range(100):
            if recorder.of(ReviewApp.LoadFailed):
                break
            await pilot.pause(0.05)
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        assert "no such article file" in text_of(pilot, "#loading-message")
        assert any("missing.txt" in e for e in recorder.notifications("error"))


def _live_result() -> CheckResult:
    """The bundled check as if fetched live: claim 1's source now read and the quote found altered."""
    result = bundled_result()
    verdicts = dict(result.verdicts)
    verdicts[claim_id(1)] = Verdict("altered", "live: a word differs", 80.0)
    return replace(result, verdicts=verdicts, offline=False, checked_at="2019-01-22T09:05:00+00:00")


async def test_live_check_worker_posts_progress_then_result_and_the_list_updates(review_path: Path) -> None:
    halfway, go_on = threading.Event(), threading.Event()

    def live(request: CheckRequest, offline: bool, progress: ProgressCallback | None) -> CheckResult:
        assert not offline
        assert progress is not None
        progress(1, 2, "state-department-2019-01-17")
        halfway.set()
        assert go_on.wait(10)
        progress(2, 2, "osce-moscow-mechanism-2018-12")
        return _live_result()

    recorder = Recorder()
    app = make_app(review_path, offline=False, checker=live)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        assert await asyncio.to_thread(halfway.wait, 10)
        await pilot.pause()
        # Painted at once from the archive; the live check shows its progress meanwhile.
        assert "unavailable" in rows(pilot)[0]
        assert text_of(pilot, "#check-state").startswith("live check 1 of 2 sources")
        assert pilot.app.screen.query_one(ProgressBar).display
        go_on.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        flow = [
            (type(m).__name__, getattr(m, "done", None))
            for m in recorder.messages
            if isinstance(m, ReviewScreen.LiveCheckProgress | ReviewScreen.LiveCheckFinished)
        ]
        assert flow == [("LiveCheckProgress", 1), ("LiveCheckProgress", 2), ("LiveCheckFinished", None)]
        assert "✘ altered" in rows(pilot)[0]
        assert "live: a word differs" in text_of(pilot, "#reason")
        assert text_of(pilot, "#check-state").startswith("live · checked 2019-01-22 09:05 UTC")
        assert not pilot.app.screen.query_one(ProgressBar).display
        assert any("1 verdict(s) changed" in n for n in recorder.notifications())


async def test_a_failing_live_check_becomes_an_error_notification(review_path: Path) -> None:
    def broken(request: CheckRequest, offline: bool, progress: ProgressCallback | None) -> CheckResult:
        raise ConnectionError("network unreachable")

    recorder = Recorder()
    app = make_app(review_path, offline=False, checker=broken)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(recorder.of(ReviewScreen.LiveCheckFailed)) == 1
        assert any("network unreachable" in e for e in recorder.notifications("error"))
        assert "live check failed" in text_of(pilot, "#check-state")
        assert len(rows(pilot)) == 16  # the archived verdicts stay
        await pilot.press("j")
        assert screen(pilot).current == claim_id(2)  # still running


async def test_quitting_does_not_wait_for_a_hanging_live_check(review_path: Path) -> None:
    release = threading.Event()

    def hanging(request: CheckRequest, offline: bool, progress: ProgressCallback | None) -> CheckResult:
        release.wait(30)  # a fetch that takes its time
        return bundled_result()

    app = make_app(review_path, offline=False, checker=hanging)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            started = time.monotonic()
            await pilot.press("q")
            await app.workers.wait_for_complete()
            assert time.monotonic() - started < 2
            assert not app.is_running
    finally:
        release.set()


def test_run_abandonable_returns_raises_or_gives_up() -> None:
    assert run_abandonable(lambda: 42, lambda: False) == 42
    with pytest.raises(ZeroDivisionError):
        run_abandonable(lambda: 1 // 0, lambda: False)
    release = threading.Event()
    started = time.monotonic()
    assert run_abandonable(lambda: release.wait(30), lambda: True, poll=0.01) is None
    assert time.monotonic() - started < 1
    release.set()


def test_run_review_checks_the_archive_then_runs_the_app(
    review_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[ReviewApp] = []
    monkeypatch.setattr(ReviewApp, "run", lambda self, *a, **k: started.append(self))
    run_review(None, None, None, offline=True, review_file=review_path, settings=None)
    (app,) = started
    assert app.request == CheckRequest(offline=True)
    assert app.initial_result is not None and len(app.initial_result.claims) == 16


def test_run_review_raises_on_a_missing_article_before_the_app_starts(tmp_path: Path) -> None:
    with pytest.raises(FactcheckError, match="no such article file"):
        run_review(str(tmp_path / "gone.txt"), None, None, offline=True, review_file=None, settings=None)


# -- command palette ------------------------------------------------------------------------------


async def _run_command(pilot: Pilot[Any], name: str) -> None:
    """Open the palette, search for ``name`` (our provider answers), run the best hit."""
    await pilot.press("ctrl+p")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    palette.query_one(Input).value = name  # typing it key by key costs a second per command
    hits = palette.query_one(OptionList)
    for _ in range(100):
        await pilot.pause(0.02)
        if hits.option_count:
            break
    first = hits.get_option_at_index(0).prompt
    assert name.lower() in str(getattr(first, "plain", first)).lower(), first
    await pilot.press("enter")
    await pilot.pause()


async def test_palette_exports_the_markdown_report_with_decisions(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await pilot.press("c", "j", "n", *"check figures", "enter")
        await _run_command(pilot, "Export the Markdown report")
        target = report_path_for(bundled_result(), review_path)
        assert target == review_path.with_name("article.report.md")
        report = target.read_text(encoding="utf-8")
        assert report.startswith("# Fact-check: Putin accused")
        assert "**Reviewed:** 1 of 16 (0 overridden)" in report
        assert "- **Review:** confirmed ∅ unavailable on 2019-01-22" in report
        assert "- **Review:** not decided on 2019-01-22 — “check figures”" in report


async def test_palette_exports_to_a_chosen_path(review_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "chosen.md"
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await _run_command(pilot, "Export the Markdown report to")
        prompt = pilot.app.screen
        assert isinstance(prompt, TextPrompt)
        prompt.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text(encoding="utf-8").startswith("# Fact-check:")


async def test_palette_shows_only_unreviewed(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await _run_command(pilot, "Show only unreviewed")
        assert screen(pilot).claim_filter == ClaimFilter(reviewed=False)
        assert len(rows(pilot)) == 15


def _with_url(result: CheckResult, source_id: str, url: str) -> CheckResult:
    sources: list[Source] = [replace(s, url=url) if s.id == source_id else s for s in result.sources]
    return replace(result, sources=sources)


async def test_palette_opens_the_source_url(review_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    url = "https://www.state.gov/attacks-on-lgbti-community-in-chechnya/"
    result = _with_url(bundled_result(), "state-department-2019-01-17", url)
    recorder = Recorder()
    async with make_app(review_path, result=result).run_test(size=SIZE, message_hook=recorder) as pilot:
        await _run_command(pilot, "Open the source URL")  # claim 1: its source has no URL
        assert any("No URL is known" in w for w in recorder.notifications("warning"))
        await go_to(pilot, 11)
        await _run_command(pilot, "Open the source URL")
        await pilot.app.workers.wait_for_complete()
        assert opened == [url]


async def test_refetch_is_refused_offline(review_path: Path) -> None:
    recorder = Recorder()
    async with make_app(review_path).run_test(size=SIZE, message_hook=recorder) as pilot:
        await go_to(pilot, 11)
        await _run_command(pilot, "Refetch this source")
        assert any("Offline" in w for w in recorder.notifications("warning"))


async def test_refetch_runs_in_a_worker_and_updates_the_verdicts(review_path: Path) -> None:
    refetched: list[str] = []

    def refetch(result: CheckResult, source_id: str, request: CheckRequest) -> CheckResult:
        refetched.append(source_id)
        return _live_result()

    def live(request: CheckRequest, offline: bool, progress: ProgressCallback | None) -> CheckResult:
        return bundled_result()

    recorder = Recorder()
    app = make_app(review_path, offline=False, checker=live, refetcher=refetch)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await _run_command(pilot, "Refetch this source")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert refetched == ["moscow-times-prilutskaya-2019-01"]
        assert len(recorder.of(ReviewScreen.SourceRefetched)) == 1
        assert "✘ altered" in rows(pilot)[0]


# -- help, quitting, layout -----------------------------------------------------------------------


async def test_help_opens_and_closes(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        rows = [
            f"{getattr(label, 'plain', label)} {getattr(value, 'plain', value)}"
            for table in pilot.app.screen.query(FieldList)
            for label, value in table.fields
        ]
        for verdict in ("✔ verbatim", "⇄ misattributed", "— unsourced", "[-struck-]", "{+underlined+}"):
            assert any(row.startswith(verdict) for row in rows), verdict
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ReviewScreen)


async def test_q_quits(review_path: Path) -> None:
    app = make_app(review_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.parametrize(("size", "stacked"), [((80, 24), True), ((150, 45), False)])
async def test_detail_stacks_under_the_list_on_narrow_terminals(
    review_path: Path, size: tuple[int, int], stacked: bool
) -> None:
    async with make_app(review_path).run_test(size=size) as pilot:
        claims = pilot.app.screen.query_one(ClaimsList).region
        detail = pilot.app.screen.query_one(DetailPanel).region
        assert (detail.y >= claims.bottom) is stacked
        assert (detail.x >= claims.right) is not stacked
        assert detail.height >= 8  # the detail stays usable at 80×24


async def test_resizing_the_terminal_switches_the_layout(review_path: Path) -> None:
    async with make_app(review_path).run_test(size=(150, 45)) as pilot:
        assert pilot.app.screen.has_class("-very-wide")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert pilot.app.screen.has_class("-narrow")
        claims = pilot.app.screen.query_one(ClaimsList).region
        assert pilot.app.screen.query_one(DetailPanel).region.y >= claims.bottom


# -- rendering helpers ----------------------------------------------------------------------------


def test_diff_marks_each_kind_of_difference_without_colour() -> None:
    diff = (
        DiffOp("equal", "We are deeply", "we are deeply"),
        DiffOp("changed", "troubled", "disturbed", "word"),
        DiffOp("dropped", "", "credible", "word"),
        DiffOp("added", "new", "", "word"),
        DiffOp("elided", "...", "out of Chechnya about", "ellipsis"),
        DiffOp("bracket", "[people]", "individuals", "bracket"),
    )
    content = diff_content(diff)
    assert content.plain == (
        "we are deeply [-disturbed-]{+troubled+} [-credible-] {+new+} "
        "[… out of Chechnya about] [people] (for “individuals”)"
    )
    styles = {content.plain[s.start : s.end]: str(s.style) for s in content.spans}
    assert "strike" in styles["[-disturbed-]"] and "underline" in styles["{+troubled+}"]


def test_article_context_highlights_the_quoted_words() -> None:
    result = bundled_result()
    claim = result.claims[10]
    content = article_context(result.article, claim)
    ((quote_start, quote_end),) = claim.quote_spans
    paragraph = result.article.paragraphs[claim.paragraph]
    highlighted = [content.plain[s.start : s.end] for s in content.spans if "reverse" in str(s.style)]
    assert highlighted == [result.article.text[quote_start:quote_end]]
    assert content.plain == result.article.text[paragraph.start : paragraph.end]


async def test_diff_and_second_source_show_for_a_misattributed_quote(review_path: Path) -> None:
    result = bundled_result()
    verdicts = dict(result.verdicts)
    evidence = Evidence("state-department-2019-01-17", "we are deeply disturbed", 0, 23, paragraph=0)
    verdicts[claim_id(1)] = Verdict(
        "misattributed",
        "not in moscow-times-prilutskaya-2019-01, but found (minor) in state-department-2019-01-17",
        90.0,
        evidence,
        (DiffOp("equal", "we are", "we are"), DiffOp("changed", "very", "deeply", "word")),
        source="moscow-times-prilutskaya-2019-01",
        found_in="state-department-2019-01-17",
    )
    async with make_app(review_path, result=replace(result, verdicts=verdicts)).run_test(size=SIZE) as pilot:
        assert pilot.app.screen.query_one("#diff").display
        assert "[-deeply-]{+very+}" in text_of(pilot, "#diff")
        assert pilot.app.screen.query_one("#linked-source").display
        other = pilot.app.screen.query_one("#evidence-source")
        assert other.display and other.border_subtitle == "where the words were found"
        assert "paragraph 1" in text_of(pilot, "#evidence-source")
