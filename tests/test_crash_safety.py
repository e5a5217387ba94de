"""Kill tests: SIGKILL a process at random moments while it saves, and lose nothing it reported saved.

The review file, the archive and the verify cache each get 100 kills (``FACTCHECK_KILLS`` to change).

A child process saves in a loop and prints each item only after the save returned; the parent kills it
at a random moment (often mid-write, since saves follow each other within milliseconds), then reads the
file back. It must always parse, and every item the child reported must be in it. 100 kills per store.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factcheck.archive import Archive
from factcheck.review import ReviewFile

KILLS = int(os.environ.get("FACTCHECK_KILLS", "100"))
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

REVIEW_CHILD = """
import sys
from pathlib import Path
from factcheck.review import ReviewFile
store = ReviewFile.load(Path(sys.argv[1]))
start = int(sys.argv[2])
print("ready", flush=True)
for i in range(start, start + 100000):
    if i % 3 == 0:
        store.override(f"q-{i}", "altered", "verbatim")
    else:
        store.confirm(f"q-{i}", "verbatim")
    store.set_note(f"q-{i}", f"note {i} " + "x" * (i % 200), "verbatim")
    print(i, flush=True)
"""

ARCHIVE_CHILD = """
import sys
from pathlib import Path
from factcheck.archive import Archive
archive = Archive(Path(sys.argv[1]))
start = int(sys.argv[2])
print("ready", flush=True)
for i in range(start, start + 100000):
    body = (f"capture {i} " * (1 + i % 500)).encode()
    capture = archive.add_copy(f"source-{i % 3}", body, provenance="reproduction", strength="complete",
                               note="kill test", seen_at=(), kind="text", url=None,
                               fetched_at=f"2024-01-01T00:00:{i % 60:02d}Z")
    print(i, capture.sha256, flush=True)
"""


CACHE_CHILD = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from factcheck.verify import VerifyCache
cache = VerifyCache(Path(sys.argv[1]), max_age=10**9, warn=lambda message: print("warning", message))
start = int(sys.argv[2])
links = dict(cache.links)
print("ready", flush=True)
for i in range(start, start + 100000):
    now = datetime.now(UTC)
    links[f"https://example.org/{i}"] = {
        "url": f"https://example.org/{i}", "health": "ok", "status": 200, "final_url": None,
        "fetched_at": now.isoformat(), "sha256": f"{i:064x}", "redirects": [], "message": "x" * (i % 300),
    }
    cache.save(links, {}, now)
    print(i, flush=True)
"""


def _run_and_kill(code: str, target: Path, start: int, rng: random.Random) -> list[str]:
    """Start the child, wait until it is saving, kill it at a random moment; return what it reported."""
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(target), str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.0, 0.08))
    child.send_signal(signal.SIGKILL)
    reported = child.stdout.read().split("\n")
    child.wait()
    child.stdout.close()
    # The last line may be cut short by the kill: only complete lines were reported saved.
    return [line for line in reported[:-1] if line]


def test_review_file_survives_sigkill(tmp_path: Path) -> None:
    rng = random.Random(1234)
    path = tmp_path / "article.review.json"
    confirmed: set[str] = set()
    start = 0
    for _ in range(KILLS):
        lines = _run_and_kill(REVIEW_CHILD, path, start, rng)
        confirmed.update(f"q-{line}" for line in lines)
        start += 100000
        # The file always parses, and holds every decision reported before the kill.
        store = ReviewFile.load(path)
        lost = confirmed - set(store.reviews)
        assert not lost, f"decisions lost after a kill: {sorted(lost)[:5]}"
        json.loads(path.read_text(encoding="utf-8"))
    assert len(confirmed) >= KILLS  # the kills did interrupt a working saver, many times
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != path.name]
    # A kill between creating the temporary file and renaming it may leave one behind; never the target.
    assert all(name.startswith(".article.review.json.") for name in leftovers)


def test_archive_survives_sigkill(tmp_path: Path) -> None:
    rng = random.Random(5678)
    root = tmp_path / "archive"
    reported: dict[int, str] = {}
    start = 0
    for _ in range(KILLS):
        for line in _run_and_kill(ARCHIVE_CHILD, root, start, rng):
            number, sha = line.split()
            reported[int(number)] = sha
        start += 100000
        archive = Archive(root)
        stored = {c.sha256: c for sid in archive.source_ids() for c in archive.captures(sid)}
        lost = [n for n, sha in reported.items() if sha not in stored]
        assert not lost, f"captures lost after a kill: {lost[:5]}"
        for capture in stored.values():
            archive.read(capture)  # the body is there and its sha256 checks
    assert len(reported) >= KILLS


def test_verify_cache_survives_sigkill(tmp_path: Path) -> None:
    from factcheck.verify import VerifyCache

    rng = random.Random(9012)
    path = tmp_path / "verify-cache.json"
    reported: set[str] = set()
    start = 0
    for _ in range(KILLS):
        lines = _run_and_kill(CACHE_CHILD, path, start, rng)
        assert not any(line.startswith("warning") for line in lines), lines[:3]
        reported.update(f"https://example.org/{line}" for line in lines)
        start += 100000
        warnings: list[str] = []
        cache = VerifyCache(path, max_age=10**9, warn=warnings.append)
        assert warnings == [], warnings  # the file always parses as a cache
        lost = reported - set(cache.links)
        assert not lost, f"cache entries lost after a kill: {sorted(lost)[:5]}"
    assert len(reported) >= KILLS
