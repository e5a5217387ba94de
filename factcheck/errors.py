"""The one error type a user sees: a single readable line naming what went wrong and where."""

from __future__ import annotations


class FactcheckError(Exception):
    """Bad input, configuration or environment. The CLI prints ``str(err)`` and exits 1.

    The message names the file, URL or claim concerned and, where useful, what to do about it.
    """
