"""Stage 1, article: load a .txt, .md or .html file, stdin or an http(s) URL into text with offsets.

Plain text: the first non-empty line is the title; paragraphs are separated by blank lines (or are
single lines when the file has no blank lines). Markdown is rendered to HTML and read like HTML, so
links keep their spans. HTML keeps only the main story (see :mod:`factcheck.htmltext`).

Metadata the text itself cannot carry (the article's URL, publisher, date) may sit beside it in
``<stem>.meta.toml``.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from factcheck.errors import FactcheckError
from factcheck.text import (
    PARAGRAPH_SEPARATOR,
    EmbeddedTweet,
    Link,
    Paragraph,
    charset_from_content_type,
    decode_bytes,
    require_text,
)

if TYPE_CHECKING:
    from factcheck.htmltext import HtmlText

MAX_ARTICLE_BYTES = 20 * 1024 * 1024
_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_TEXT_SUFFIXES = {".txt", ".text", ""}
# C0/C1 control characters other than tab and newlines never belong in article text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class Article:
    """An article: text, paragraphs, hyperlinks and embedded tweets (all as offsets into ``text``)."""

    title: str
    text: str
    paragraphs: list[Paragraph]
    links: list[Link] = field(default_factory=list)
    tweets: list[EmbeddedTweet] = field(default_factory=list)
    path: str | None = None
    url: str | None = None
    publisher: str = ""
    published: str = ""

    def paragraph_index(self, offset: int) -> int | None:
        """The index of the paragraph containing ``offset``, if any."""
        for index, paragraph in enumerate(self.paragraphs):
            if paragraph.start <= offset < paragraph.end:
                return index
        return None


def load_article(spec: str | Path, *, stdin: BinaryIO | None = None) -> Article:
    """Load an article from a path, ``-`` (stdin) or an http(s) URL."""
    text_spec = str(spec)
    if text_spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        body = stream.read(MAX_ARTICLE_BYTES + 1)
        return article_from_bytes(body, where="stdin")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text_spec):
        return _load_url(text_spec)
    return _load_file(Path(text_spec))


def _load_file(path: Path) -> Article:
    if not path.exists():
        raise FactcheckError(f"{path}: no such article file")
    if path.is_dir():
        raise FactcheckError(f"{path}: is a folder; give an article file (.txt, .md or .html)")
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise FactcheckError(
                f"{path}: {size} bytes is too large for an article (limit {MAX_ARTICLE_BYTES})"
            )
        body = path.read_bytes()
    except OSError as err:
        raise FactcheckError(f"{path}: cannot read: {err.strerror or err}") from None
    suffix = path.suffix.lower()
    kind = (
        "markdown"
        if suffix in _MARKDOWN_SUFFIXES
        else "html"
        if suffix in _HTML_SUFFIXES
        else "text"
        if suffix in _TEXT_SUFFIXES
        else None
    )
    article = article_from_bytes(body, where=str(path), kind=kind)
    article.path = str(path)
    _apply_metadata(article, path)
    return article


def _load_url(url: str) -> Article:
    if not re.match(r"^https?://", url, re.IGNORECASE):
        raise FactcheckError(f"{url}: only http and https URLs are fetched")
    from factcheck.fetch import fetch_sync

    result = fetch_sync(url)
    if result.body is None or not result.ok:
        raise FactcheckError(f"{url}: could not fetch the article: {result.error or result.outcome}")
    content_type = result.content_type or ""
    kind = "html" if "html" in content_type or not content_type else "text"
    article = article_from_bytes(
        result.body,
        where=url,
        kind=kind,
        declared_charset=charset_from_content_type(content_type),
        base_url=result.final_url or url,
    )
    article.url = url
    return article


def article_from_bytes(
    body: bytes,
    *,
    where: str,
    kind: str | None = None,
    declared_charset: str | None = None,
    base_url: str | None = None,
) -> Article:
    """Decode and parse an article; ``kind`` is text, markdown or html (sniffed when None)."""
    require_text(body, where)
    if len(body) > MAX_ARTICLE_BYTES:
        raise FactcheckError(f"{where}: too large for an article (limit {MAX_ARTICLE_BYTES} bytes)")
    text = decode_bytes(body, declared_charset, html=kind == "html")
    kind = kind or _sniff(text)
    if kind == "html":
        article = article_from_html(text, base_url=base_url)
    elif kind == "markdown":
        article = article_from_markdown(text)
    else:
        article = article_from_text(text)
    if not article.text[_body_start(article) :].strip():
        raise FactcheckError(f"{where}: the article is empty (no text after the title)")
    return article


def _sniff(text: str) -> str:
    head = text.lstrip()[:2048].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or re.search(
        r"<(body|p|article|div)[\s>]", head
    ):
        return "html"
    first = head.split("\n", 1)[0]
    if first.startswith("# ") or first == "---":
        return "markdown"
    return "text"


def _body_start(article: Article) -> int:
    for paragraph in article.paragraphs:
        if paragraph.kind != "title":
            return paragraph.start
    return len(article.text)


def _clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub(" ", text)


def article_from_text(text: str) -> Article:
    """A plain-text article: first non-empty line is the title; offsets are into the whole text."""
    text = _clean_text(text)
    paragraphs: list[Paragraph] = []
    has_blank_lines = re.search(r"\n[ \t]*\n", text.strip()) is not None
    splitter = re.compile(r"\n[ \t]*\n+" if has_blank_lines else r"\n")
    position = 0
    for match in [*splitter.finditer(text), None]:
        end = match.start() if match else len(text)
        block = text[position:end]
        stripped = block.strip()
        if stripped:
            start = position + (len(block) - len(block.lstrip()))
            paragraphs.append(Paragraph(start, start + len(stripped), "p"))
        if match is None:
            break
        position = match.end()
    title = ""
    if paragraphs:
        first = paragraphs[0]
        first_line_end = text.find("\n", first.start, first.end)
        title_end = first.end if first_line_end == -1 else first_line_end
        title = text[first.start : title_end].strip()
        paragraphs[0] = Paragraph(first.start, first.start + len(title), "title")
        if title_end < first.end:  # the title line was followed by body text without a blank line
            rest_start = (
                title_end
                + 1
                + (len(text[title_end + 1 : first.end]) - len(text[title_end + 1 : first.end].lstrip()))
            )
            paragraphs.insert(1, Paragraph(rest_start, first.end, "p"))
    return Article(title=title, text=text, paragraphs=paragraphs)


def article_from_html(markup: str | bytes, *, base_url: str | None = None) -> Article:
    """An HTML article: the main story's text with its links and embedded tweets."""
    from factcheck.htmltext import parse_html  # the HTML parser loads only for HTML articles

    page = parse_html(markup, base_url=base_url)
    return _article_from_page(page)


def _article_from_page(page: HtmlText) -> Article:
    paragraphs = list(page.paragraphs)
    title = page.title
    # The headline often opens the extracted text as a heading; mark it so no claim is taken from it.
    if paragraphs and paragraphs[0].kind == "heading":
        first = paragraphs[0]
        if not title or page.text[first.start : first.end].strip() == title:
            title = title or page.text[first.start : first.end]
            paragraphs[0] = Paragraph(first.start, first.end, "title")
    return Article(
        title=title,
        text=page.text,
        paragraphs=paragraphs,
        links=list(page.links),
        tweets=list(page.tweets),
        url=page.canonical_url,
        published=page.published,
    )


_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*\n", re.S)


def article_from_markdown(text: str) -> Article:
    """A Markdown article: optional front matter (title, url, published), rendered and read as HTML."""
    from markdown_it import MarkdownIt

    text = _clean_text(text)
    meta: dict[str, str] = {}
    match = _FRONT_MATTER_RE.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text[match.end() :]
    html = MarkdownIt("commonmark").render(text)
    from factcheck.htmltext import parse_html

    page = parse_html(f"<html><body><article>{html}</article></body></html>", base_url=meta.get("url"))
    if meta.get("title"):
        page.title = meta["title"]
    article = _article_from_page(page)
    if not article.title and article.paragraphs:
        first = article.paragraphs[0]
        article.title = article.text[first.start : first.end]
        article.paragraphs[0] = Paragraph(first.start, first.end, "title")
    article.url = meta.get("url") or article.url
    article.published = meta.get("published") or meta.get("date") or article.published
    article.publisher = meta.get("publisher", "")
    return article


def _apply_metadata(article: Article, path: Path) -> None:
    meta_path = path.with_name(path.stem + ".meta.toml")
    if not meta_path.is_file():
        return
    try:
        data = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise FactcheckError(f"{meta_path}: invalid article metadata: {err}") from None
    for key in ("url", "publisher", "published", "title"):
        value = data.get(key)
        if value is not None and not isinstance(value, str | int) and key != "published":
            raise FactcheckError(f"{meta_path}: {key!r} must be a string")
    if isinstance(data.get("url"), str) and data["url"]:
        article.url = data["url"]
    if isinstance(data.get("publisher"), str):
        article.publisher = data["publisher"]
    if data.get("published"):
        article.published = str(data["published"])
    if isinstance(data.get("title"), str) and data["title"]:
        article.title = data["title"]


__all__ = [
    "PARAGRAPH_SEPARATOR",
    "Article",
    "EmbeddedTweet",
    "Link",
    "Paragraph",
    "article_from_bytes",
    "article_from_html",
    "article_from_markdown",
    "article_from_text",
    "load_article",
]
