"""One switch for every fuzz target: ``FACTCHECK_FUZZ_EXAMPLES=100000 pytest -m fuzz`` is the long run.

In the ordinary suite each target runs the small number of examples it names, which CI can afford.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

LONG_RUN = int(os.environ.get("FACTCHECK_FUZZ_EXAMPLES", "0"))
#: No single input may take longer than this (seconds); generous so a loaded CI machine does not flake.
TIME_LIMIT = float(os.environ.get("FACTCHECK_FUZZ_TIME_LIMIT", "10"))


def examples(default: int) -> int:
    """The number of examples for a fuzz target: its CI-sized default, or the long run's."""
    return LONG_RUN or default


@contextmanager
def bounded_time(what: str, limit: float = TIME_LIMIT) -> Iterator[None]:
    """Fail when one input takes more than ``limit`` seconds of CPU (a hang or quadratic blow-up).

    CPU time, not wall time: the code under test only computes, and a machine busy with other jobs
    must not make it look slow.
    """
    start = time.process_time()
    yield
    elapsed = time.process_time() - start
    assert elapsed < limit, f"{what} took {elapsed:.1f} s of CPU on one input (limit {limit} s)"
