"""The claims list: one row per claim with its verdict, speaker, words and review mark."""

from factcheck.tui.claims.claims_list import ClaimsList

__all__ = ["ClaimsList"]
