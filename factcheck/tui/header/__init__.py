"""The header: the article's title and how far the review has come."""

from factcheck.tui.header.review_header import ReviewHeader

__all__ = ["ReviewHeader"]
