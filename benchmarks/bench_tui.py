"""Benchmark the review app: first paint and moving to the next claim (not a test).

Run: python benchmarks/bench_tui.py [--rounds 3]

Measured on the bundled case, offline (archived copies), headless, at 150×45 and 80×24:

1. first paint, in a fresh process: from the first line of the process (before textual or factcheck is
   imported) until the first frame that shows the claims list is written, the way ``factcheck review``
   starts (the archived check, then the app); the check's own share is printed beside it;
2. first paint in this process (imports already paid): check + app start until that frame;
3. moving to the next claim: ``j`` over every claim; each time from the key event entering the app
   to the first frame written that shows the new claim (median and max).

A "frame written" is the app handing a screen update to its driver (``App._display``), which the
headless driver then drops: terminal output time is not included. Pilot's own ``press`` round trip is
printed as well; it waits for the app to be idle, so it overstates the latency a person sees.

Targets (from the issue): first paint within 1 s; the next claim within 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FIRST_PAINT_TARGET = 1.0
NEXT_CLAIM_TARGET = 0.050
SIZES = ((150, 45), (80, 24))

# The child process's clock starts before anything heavy is imported.
_CHILD = """
import time
start = time.perf_counter()
import asyncio, sys
from pathlib import Path
from factcheck.pipeline import check
core_imported = time.perf_counter() - start
checked_from = time.perf_counter()
result = check(None, None, offline=True)
checked = time.perf_counter() - checked_from
from factcheck.tui.app import ReviewApp
from factcheck.tui.model import CheckRequest
from benchmarks.bench_tui import frame_text

async def main():
    app = ReviewApp(
        CheckRequest(offline=True), result=result, review_file=Path(sys.argv[1]), freeze_gc=True
    )
    painted = asyncio.Event()
    display = app._display

    def watch(screen, update):
        display(screen, update)
        if update is not None and f"Claim 1 of {len(result.claims)}" in frame_text(update):
            painted.set()

    app._display = watch
    async with app.run_test(size=(int(sys.argv[2]), int(sys.argv[3]))):
        await asyncio.wait_for(painted.wait(), 10)
        print(time.perf_counter() - start, checked, core_imported)

asyncio.run(main())
"""


def first_paint_fresh_process(size: tuple[int, int], review_file: Path) -> tuple[float, float, float]:
    """Seconds to first paint, of the archived check and of importing the core, in a new interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(review_file), str(size[0]), str(size[1])],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    paint, checked, core = out.stdout.split()
    return float(paint), float(checked), float(core)


def frame_text(update: Any) -> str:
    """The characters a screen update writes (a partial update's chops or a full update's strips)."""
    strips: list[Any] = []
    if hasattr(update, "chops"):
        strips = [strip for chop in update.chops for strip in chop.values() if strip is not None]
    elif hasattr(update, "strips"):
        strips = [strip for line in update.strips for strip in line]
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


class FrameWatch:
    """Wraps ``App._display`` to wake a waiter on the first frame written that shows some text."""

    def __init__(self, app: Any) -> None:
        self._display = app._display
        self._wanted: str | None = None
        self._event = asyncio.Event()
        app._display = self._watch

    def _watch(self, screen: Any, update: Any) -> None:
        self._display(screen, update)
        if self._wanted is not None and update is not None and self._wanted in frame_text(update):
            self._wanted = None
            self._event.set()

    def expect(self, text: str) -> asyncio.Event:
        self._wanted = text
        self._event = asyncio.Event()
        return self._event


def measure_in_process(size: tuple[int, int], review_file: Path) -> dict[str, Any]:
    from factcheck.pipeline import check

    started = time.perf_counter()
    # check() runs its own event loop, so it runs before the app's (as in run_review).
    result = check(None, None, offline=True)
    return asyncio.run(_drive(result, started, size, review_file))


async def _drive(result: Any, started: float, size: tuple[int, int], review_file: Path) -> dict[str, Any]:
    from textual import events

    from factcheck.tui.app import ReviewApp
    from factcheck.tui.model import CheckRequest
    from factcheck.tui.review_screen import ReviewScreen

    app = ReviewApp(CheckRequest(offline=True), result=result, review_file=review_file, freeze_gc=True)
    watch = FrameWatch(app)

    # The first frame with the claims list filled in (its last row, which the list paints with it).
    painted = watch.expect(f"Claim 1 of {len(result.claims)}")
    moves: list[float] = []
    presses: list[float] = []
    async with app.run_test(size=size) as pilot:
        await asyncio.wait_for(painted.wait(), 10)
        first_paint = time.perf_counter() - started
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        ids = [claim.id for claim in result.claims]
        for number, target in enumerate(ids[1:], 2):
            shown = watch.expect(f"Claim {number} of {len(ids)}")
            key = events.Key("j", "j")
            key.set_sender(app)
            sent = time.perf_counter()
            assert app._driver is not None
            app._driver.send_message(key)
            await asyncio.wait_for(shown.wait(), 5)
            moves.append(time.perf_counter() - sent)
            assert screen.current == target
            await pilot.pause()
        for _ in ids[1:]:
            sent = time.perf_counter()
            await pilot.press("k")
            presses.append(time.perf_counter() - sent)
        assert screen.current == ids[0]
    return {"first_paint": first_paint, "moves": moves, "presses": presses}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="repetitions of each measurement")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        review_file = Path(folder) / "bench.review.json"
        for size in SIZES:
            print(f"== {size[0]}×{size[1]}")
            fresh = [first_paint_fresh_process(size, review_file) for _ in range(args.rounds)]
            paint = statistics.median(p for p, _, _ in fresh)
            checked = statistics.median(c for _, c, _ in fresh)
            core = statistics.median(i for _, _, i in fresh)
            print(
                f"first paint, fresh process: median {_ms(paint)} (max {_ms(max(p for p, _, _ in fresh))}); "
                f"of which importing the core {_ms(core)}, the archived check {_ms(checked)}, "
                f"textual and the app {_ms(paint - core - checked)}"
            )
            runs = [measure_in_process(size, review_file) for _ in range(args.rounds)]
            print(
                f"first paint, warm process: median {_ms(statistics.median(r['first_paint'] for r in runs))}"
            )
            moves = [m for r in runs for m in r["moves"]]
            presses = [p for r in runs for p in r["presses"]]
            print(
                f"next claim (j, {len(moves)} moves): median {_ms(statistics.median(moves))}, "
                f"max {_ms(max(moves))}"
            )
            print(
                f"Pilot.press round trip (k, waits for idle): median {_ms(statistics.median(presses))}, "
                f"max {_ms(max(presses))}"
            )
            if paint > FIRST_PAINT_TARGET or max(moves) > NEXT_CLAIM_TARGET:
                failed = True
                print("  ✘ over target (first paint 1 s, next claim 50 ms)")
            else:
                print("  ✔ within target (first paint 1 s, next claim 50 ms)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
