"""Bytes and HTML to plain text with offsets: paragraphs, hyperlinks and embedded tweets.

Shared by article loading (stage 1) and reading fetched originals (stage 5). The text is the page's
main content only: navigation, headers, footers, asides, scripts, styles, forms, comment sections,
share buttons and newsletter prompts are dropped. Paragraphs are joined by a blank line and every
span (paragraph, link, tweet) is a ``[start, end)`` offset into that text.

Words are never rewritten: whitespace is collapsed as a browser renders it, ``<br>`` becomes a line
break (two in a row a paragraph break), soft hyphens (U+00AD, invisible when rendered) are dropped
and ``<q>`` gets the quote marks a browser draws around it.

Every function here takes any input without raising anything but :class:`FactcheckError`
(``require_text``) and runs in time roughly linear in the size of the page.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PageElement, PreformattedString, Script, Stylesheet, TemplateString

from factcheck.text import (
    PARAGRAPH_SEPARATOR,
    EmbeddedTweet,
    Link,
    Paragraph,
    charset_from_content_type,
    decode_bytes,
    looks_binary,
    require_text,
)

__all__ = [
    "PARAGRAPH_SEPARATOR",
    "EmbeddedTweet",
    "HtmlText",
    "Link",
    "Paragraph",
    "TweetText",
    "charset_from_content_type",
    "decode_bytes",
    "looks_binary",
    "parse_html",
    "read_tweet_html",
    "require_text",
]


# Block-level elements whose text forms paragraphs of their own.
_BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "td",
    "th",
    "div",
    "section",
    "article",
    "main",
    "figure",
    "ul",
    "ol",
    "dl",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "caption",
    "header",
    "footer",
    "figcaption",
    "address",
    "center",
    "details",
    "summary",
    "hgroup",
    "body",
    "html",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Never content, whatever their class.
_DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "canvas",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "button",
    "input",
    "select",
    "option",
    "textarea",
    "label",
    "audio",
    "video",
    "picture",
    "img",
    "map",
    "head",
    "title",
    "meta",
    "link",
    "base",
}
# Page structure that is furniture unless it wraps the story itself (some sites put the whole page
# in one ASP.NET <form>; an article's own <header> holds its headline).
_STRUCTURE_TAGS = {"nav", "aside", "footer", "header", "menu", "dialog", "form", "figcaption"}
# class/id words of page furniture, matched against whole words of class and id values.
_FURNITURE_RE = re.compile(
    r"(?:^|[\s_-])(?:comments?|commentlist|respond|reply|disqus|share|shares|sharing|sharedaddy|"
    r"share-?bar|social|newsletter|subscribe|subscription|signup|sign-up|related|recommended|recirc|"
    r"more-stories|promo|advert|advertorial|advertisement|ads?|adslot|sponsored|sidebar|widget|cookies?|"
    r"consent|gdpr|popup|modal|breadcrumbs?|menu|navbar|nav|navigation|pagination|skip-link|masthead|"
    r"site-header|site-footer|footer|toolbar|paywall|outbrain|taboola|tags|tag-list|tag-cloud|"
    r"author-bio|jp-relatedposts|screen-reader-text|visually-hidden|sr-only|print-only|utility-bar)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
# Comment threads can outgrow the story; a wrapper named so is never kept for its size.
_COMMENTS_RE = re.compile(
    r"(?:^|[\s_-])(?:comments?|commentlist|comment-list|respond|disqus)(?:$|[\s_-])", re.I
)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert"}
# Where stories live, most specific first: [itemprop=articleBody], <article>, [role=main], <main>,
# then the class and id names of common publishing systems.
_CONTENT_CLASSES = ("entry-content", "post-content", "article-body", "article-content", "story-body")
_CONTENT_IDS = ("main-content", "content")
_TWEET_STATUS_RE = re.compile(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/[^/]+/status(?:es)?/\d+", re.I)
_WS_RE = re.compile(r"[ \t\r\f\v\n\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_SOFT_HYPHEN = "\u00ad"
_TAXONOMY_PREFIXES = ("tag-", "category-", "cat-", "topic-", "section-", "format-", "type-")
_SKIPPED_STRINGS = (PreformattedString, Script, Stylesheet, TemplateString)  # comments, doctype, code


@dataclass(frozen=True)
class TweetText:
    """What a tweet embed says: the text as written, ``Name (@handle)``, the status URL and the date."""

    text: str
    author: str
    url: str | None
    published: str  # ISO date when the embed's date parses, else as shown, else ""


@dataclass
class HtmlText:
    """The main text of an HTML page with its paragraphs, links and embedded tweets."""

    title: str
    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    tweets: list[EmbeddedTweet] = field(default_factory=list)
    published: str = ""
    canonical_url: str | None = None
    author: str = ""


# --------------------------------------------------------------------------------------------
# bytes to str


def _soup(markup: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        # Short markup that looks like a file name, and XHTML, are still HTML to read; not worth a warning.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, "lxml")


def parse_html(
    markup: str | bytes, *, base_url: str | None = None, declared_charset: str | None = None
) -> HtmlText:
    """Extract the main text of an HTML page, with paragraph, link and tweet offsets.

    ``bytes`` are decoded with :func:`decode_bytes` (``declared_charset`` from the Content-Type
    header first). Links are made absolute against ``<base href>`` and ``base_url``.
    """
    if isinstance(markup, bytes):
        markup = decode_bytes(markup, declared_charset, html=True)
    soup = _soup(markup)
    base_tag = soup.find("base", href=True)
    if isinstance(base_tag, Tag):
        base_url = _join(base_url, str(base_tag["href"])) or base_url
    meta = _meta_values(soup)
    title = _page_title(soup, meta)
    html_title = _clean(soup.title.get_text()) if soup.title else ""
    published = _first(meta, _PUBLISHED_KEYS) or _itemprop(soup, "datePublished")
    author = _page_author(soup, meta)
    canonical = soup.find("link", rel="canonical", href=True)
    canonical_url = _join(base_url, str(canonical["href"])) if isinstance(canonical, Tag) else None

    _drop_junk(soup)
    sizes, psizes = _text_sizes(soup)
    root = _content_root(soup, sizes, psizes, f"{title} {html_title}")
    _drop_furniture(root, sizes, whole_page=root.name in {"body", "html", "[document]"})
    builder = _TextBuilder(base_url)
    builder.build(root)
    return HtmlText(
        title=title,
        text="".join(builder.parts),
        paragraphs=builder.paragraphs,
        links=builder.links,
        tweets=builder.tweets,
        published=published,
        canonical_url=canonical_url,
        author=author,
    )


def read_tweet_html(html: str) -> TweetText | None:
    """Read a tweet embed (an oEmbed response's ``html``): its ``blockquote.twitter-tweet``, else the first
    blockquote, else the whole fragment. None when there is no text."""
    soup = _soup(html)
    tag = soup.find("blockquote", class_="twitter-tweet") or soup.find("blockquote")
    if not isinstance(tag, Tag):
        tag = soup.body if isinstance(soup.body, Tag) else None
    if tag is None:
        return None
    tweet = _tweet_fields(tag)
    return tweet if tweet.text else None


# -- metadata

_PUBLISHED_KEYS = (
    "article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.issued",
    "parsely-pub-date",
    "sailthru.date",
)
_AUTHOR_KEYS = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
)


def _meta_values(soup: BeautifulSoup) -> dict[str, str]:
    """``<meta>`` name/property/itemprop (lower-cased) to content; the first one of a name wins."""
    values: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        content = tag.get("content")
        if not content or not str(content).strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = tag.get(attr)
            if key:
                values.setdefault(str(key).strip().lower(), str(content).strip())
    return values


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = values.get(key, "")
        if value and not value.lower().startswith(("http://", "https://")):
            return _clean(value)
    return ""


def _itemprop(soup: BeautifulSoup, name: str) -> str:
    tag = soup.find(True, itemprop=name)
    if not isinstance(tag, Tag):
        return ""
    value = tag.get("content") or tag.get("datetime") or tag.get_text(" ", strip=True)
    return _clean(str(value)) if value else ""


def _page_title(soup: BeautifulSoup, meta: dict[str, str]) -> str:
    og = _first(meta, ("og:title", "twitter:title"))
    if og:
        return og
    h1 = soup.find("h1")
    if isinstance(h1, Tag) and h1.get_text(strip=True):
        return _clean(h1.get_text(" "))
    if soup.title and soup.title.string:
        return _clean(str(soup.title.string))
    return ""


def _page_author(soup: BeautifulSoup, meta: dict[str, str]) -> str:
    author = _first(meta, _AUTHOR_KEYS)
    if author:
        return author
    tag = soup.find(True, itemprop="author")
    if isinstance(tag, Tag):
        name = tag.find(True, itemprop="name")
        holder = name if isinstance(name, Tag) else tag
        value = holder.get("content") or holder.get_text(" ", strip=True)
        if value:
            return _clean(str(value))
    rel = soup.find("a", rel="author")
    if isinstance(rel, Tag) and rel.get_text(strip=True):
        return _clean(rel.get_text(" "))
    return ""


def _clean(text: str) -> str:
    return _WS_RE.sub(" ", text).strip()


def _join(base: str | None, href: str) -> str | None:
    """``href`` made absolute against ``base``; None when either is not a well-formed URL."""
    try:
        return urljoin(base, href.strip()) if base else href.strip()
    except ValueError:  # "http://[bad" and other unparsable URLs
        return None


# -- choosing the content


def _attr_words(tag: Tag) -> str:
    value = tag.get("class")
    if isinstance(value, str):
        classes = [value]
    elif isinstance(value, list):
        classes = [str(c) for c in value]
    else:
        classes = []
    ident = tag.get("id") or ""
    # WordPress labels a post with its taxonomy ("tag-social-media", "category-advertorial"): those
    # say what the story is about, not that the element is furniture.
    classes = [c for c in classes if not c.lower().startswith(_TAXONOMY_PREFIXES)]
    return " ".join([*classes, str(ident)])


def _is_tweet(tag: Tag) -> bool:
    return tag.name == "blockquote" and "twitter-tweet" in (tag.get("class") or ())


def _is_hidden(tag: Tag) -> bool:
    if tag.get("hidden") is not None or str(tag.get("aria-hidden") or "").lower() == "true":
        return True
    style = tag.get("style")
    return bool(style and _HIDDEN_STYLE_RE.search(str(style)))


def _is_furniture(tag: Tag, *, whole_page: bool = True) -> bool:
    name = tag.name
    if name == "header" and not whole_page and tag.find(["h1", "h2", "h3"]) is not None:
        return bool(_FURNITURE_RE.search(_attr_words(tag)))  # an article's own header: its headline
    if name in _STRUCTURE_TAGS:
        return True
    if str(tag.get("role") or "").lower() in _FURNITURE_ROLES:
        return True
    words = _attr_words(tag)
    return bool(words and _FURNITURE_RE.search(words))


def _prune(root: Tag, remove: Callable[[Tag], bool | None]) -> None:
    """Decompose every element under ``root`` for which ``remove`` is true, without visiting inside it.

    ``remove`` may return None to keep an element and skip its subtree. (bs4's ``Tag.decomposed``
    searches the subtree on every call, so a remove-as-you-go loop costs quadratic time.)
    """
    doomed: list[Tag] = []
    stack = [child for child in reversed(root.contents) if isinstance(child, Tag)]
    while stack:
        tag = stack.pop()
        verdict = remove(tag)
        if verdict:
            doomed.append(tag)
        elif verdict is not None:
            stack.extend(child for child in reversed(tag.contents) if isinstance(child, Tag))
    for tag in doomed:
        tag.decompose()


def _drop_junk(soup: BeautifulSoup) -> None:
    """Remove what is never text: scripts, styles, media, form controls and hidden elements."""
    _prune(soup, lambda tag: tag.name in _DROP_TAGS or (tag.name not in {"html", "body"} and _is_hidden(tag)))


def _text_sizes(soup: BeautifulSoup) -> tuple[dict[int, int], dict[int, int]]:
    """Characters of text outside links in each element's subtree, and of that the part inside ``<p>``
    elements (both keyed by ``id(tag)``), in one pass."""
    sizes: dict[int, int] = {}
    psizes: dict[int, int] = {}
    tags = soup.find_all(True)
    for tag in reversed(tags):  # descendants come before their ancestors
        total = in_p = 0
        for child in tag.children:
            if isinstance(child, Tag):
                total += sizes.get(id(child), 0)
                in_p += psizes.get(id(child), 0)
            elif isinstance(child, NavigableString) and not isinstance(child, _SKIPPED_STRINGS):
                total += len(child.strip())
        # Menus, teasers and tag clouds are mostly link text; a story is mostly not.
        sizes[id(tag)] = 0 if tag.name == "a" else total
        psizes[id(tag)] = sizes[id(tag)] if tag.name == "p" else in_p
    return sizes, psizes


def _furniture_ids(soup: BeautifulSoup, sizes: dict[int, int], page_size: int) -> set[int]:
    """``id()`` of every element that is, or lies inside, furniture that is not most of the page."""
    blocked: set[int] = set()
    for tag in soup.find_all(True):  # document order: a parent comes before its children
        parent = tag.parent
        inherited = parent is not None and id(parent) in blocked
        small_furniture = (
            tag.name not in {"html", "body"}
            and _is_furniture(tag)
            and (sizes.get(id(tag), 0) <= page_size // 2 or bool(_COMMENTS_RE.search(_attr_words(tag))))
        )
        if inherited or small_furniture:
            blocked.add(id(tag))
    return blocked


def _selector_rank(tag: Tag) -> int | None:
    """How strongly ``tag`` announces itself as the story's container (0 strongest), or None."""
    if "articleBody" in str(tag.get("itemprop") or "").split():
        return 0
    if tag.name == "article":
        return 1
    if str(tag.get("role") or "").lower() == "main":
        return 2
    if tag.name == "main":
        return 3
    classes = tag.get("class") or ()
    for rank, name in enumerate(_CONTENT_CLASSES, 4):
        if name in classes:
            return rank
    ident = str(tag.get("id") or "")
    for rank, name in enumerate(_CONTENT_IDS, 4 + len(_CONTENT_CLASSES)):
        if ident == name:
            return rank
    return None


def _content_root(soup: BeautifulSoup, sizes: dict[int, int], psizes: dict[int, int], title: str) -> Tag:
    """The element that holds the story: a semantic container if there is one, else the parent of most
    paragraph text, else the body."""
    body = soup.body if isinstance(soup.body, Tag) else soup
    page_size = sizes.get(id(body), 0) or sum(
        sizes.get(id(t), 0) for t in soup.find_all(True, recursive=False)
    )
    blocked = _furniture_ids(soup, sizes, page_size)
    ranked: dict[int, tuple[int, Tag]] = {}  # rank to the longest container of that rank
    scores: dict[int, tuple[int, Tag]] = {}  # parent to the text of its own <p> children
    for tag in soup.find_all(True):
        if id(tag) in blocked:
            continue
        length = sizes.get(id(tag), 0)
        rank = _selector_rank(tag)
        if rank is not None and length > ranked.get(rank, (0, tag))[0]:
            ranked[rank] = (length, tag)
        parent = tag.parent
        if tag.name == "p" and isinstance(parent, Tag):
            scores[id(parent)] = (scores.get(id(parent), (0, parent))[0] + length, parent)
    best: Tag | None = None
    best_len = 0
    for rank in sorted(ranked):
        length, tag = ranked[rank]
        if length > best_len:
            best, best_len = tag, length
        if best is not None and best_len > 200:
            break
    else:
        # No semantic container: the element whose own <p> children hold the most text.
        if scores:
            length, parent = max(scores.values(), key=lambda pair: pair[0])
            if length > best_len:
                best = parent
                # Stray closing tags in broken markup split a story across siblings: climb until
                # the element holds most of the page's paragraph text.
                while (
                    psizes.get(id(best), 0) < 0.6 * psizes.get(id(body), 0)
                    and isinstance(best.parent, Tag)
                    and best.parent.name not in {"html", "[document]"}
                    and id(best.parent) not in blocked
                ):
                    best = best.parent
    if best is None:
        return body
    return _widen_to_headline(soup, best, sizes, blocked, title)


def _widen_to_headline(
    soup: BeautifulSoup, root: Tag, sizes: dict[int, int], blocked: set[int], title: str
) -> Tag:
    """``root``, or a close ancestor that also holds the story's headline and byline.

    Publishing systems often keep the body text (``.entry-content``, ``[itemprop=articleBody]``) apart
    from the headline, the "Press Statement" label and the byline above it; those belong to the text.
    The headline is the first ``<h1>`` outside furniture, else a heading the ``<title>`` repeats.
    """
    headline = next((h for h in soup.find_all("h1") if id(h) not in blocked), None)
    if headline is None:
        headline = next(
            (
                h
                for h in soup.find_all(["h2", "h3"])
                if id(h) not in blocked and title and _clean(h.get_text()) and _clean(h.get_text()) in title
            ),
            None,
        )
    if headline is None:
        return root
    ancestors = {id(node) for node in headline.parents}
    if id(root) in ancestors:
        return root
    node: Tag | None = root
    for _ in range(3):
        node = node.parent if node is not None else None
        if node is None or node.name in {"body", "html", "[document]"} or id(node) in blocked:
            break
        if id(node) in ancestors:
            # Only when the headline's surroundings add little: not a whole page of other stories.
            return node if sizes.get(id(node), 0) <= 2 * sizes.get(id(root), 0) + 200 else root
    return root


def _drop_furniture(root: Tag, sizes: dict[int, int], *, whole_page: bool) -> None:
    """Remove navigation, share bars, related links, comments and the like from inside ``root``."""
    root_size = sizes.get(id(root), 0)

    def remove(tag: Tag) -> bool | None:
        if _is_tweet(tag):
            return None  # a tweet embed carries its own author line and links: none of it is furniture
        if not _is_furniture(tag, whole_page=whole_page):
            return False
        # A furniture-looking wrapper that holds most of the story (a "has-sidebar" layout div, an
        # ASP.NET page-wide <form>) must not take the story with it; a comment thread never is the story.
        return sizes.get(id(tag), 0) <= root_size // 2 or bool(_COMMENTS_RE.search(_attr_words(tag)))

    _prune(root, remove)


# -- laying the text out


def _collapse(text: str) -> str:
    return _WS_RE.sub(" ", text).replace(_SOFT_HYPHEN, "")


class _TextBuilder:
    """Walks the content tree in document order and lays its text out as paragraphs.

    The walk is iterative, so deeply nested markup cannot exhaust the stack, and the paragraph being
    built is kept as pieces with a running length, so long paragraphs cost linear time.
    """

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.parts: list[str] = []
        self.length = 0
        self.paragraphs: list[Paragraph] = []
        self.links: list[Link] = []
        self.tweets: list[EmbeddedTweet] = []
        # The paragraph being built: text pieces, its length and last character.
        self._buf: list[str] = []
        self._buf_len = 0
        self._last = ""
        # Spans of links in the paragraph being built, and anchors not closed yet: [start, href].
        self._buf_links: list[tuple[int, int, str]] = []
        self._open_anchors: list[tuple[int, str]] = []
        self._kinds: list[str] = ["p"]
        self._pre = 0
        self._quotes = 0

    # -- the paragraph being built

    def _add(self, text: str) -> None:
        if text:
            self._buf.append(text)
            self._buf_len += len(text)
            self._last = text[-1]

    def _text(self, text: str) -> None:
        if self._pre:
            self._add(text.replace("\r\n", "\n").replace("\r", "\n"))
            return
        text = _collapse(text)
        if text.startswith(" ") and (not self._buf_len or self._last in " \n"):
            text = text[1:]
        self._add(text)

    def _line_break(self) -> None:
        if self._pre:
            self._add("\n")
        elif self._last == "\n":
            self.flush()  # <br><br>: a paragraph break
        elif self._buf_len:
            if self._last == " ":
                piece = self._buf.pop()
                self._buf_len -= len(piece)
                self._last = ""
                self._add(piece.rstrip(" "))
            self._add("\n")

    def flush(self) -> None:
        """End the paragraph being built (if it has text) and start a new one."""
        # A link around a paragraph break gets one span in each paragraph.
        for start, href in self._open_anchors:
            if href:
                self._buf_links.append((start, self._buf_len, href))
        self._open_anchors = [(0, href) for _, href in self._open_anchors]
        raw = "".join(self._buf)
        links = self._buf_links
        self._buf, self._buf_len, self._last, self._buf_links = [], 0, "", []
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        if not text:
            return
        start = self._emit(text, self._kinds[-1])
        for rel_start, rel_end, href in links:
            s = max(0, rel_start - lead)
            e = min(len(text), rel_end - lead)
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                self.links.append(Link(text[s:e], href, start + s, start + e))

    def _emit(self, text: str, kind: str) -> int:
        start = self.length + (len(PARAGRAPH_SEPARATOR) if self.parts else 0)
        if self.parts:
            self.parts.append(PARAGRAPH_SEPARATOR)
        self.parts.append(text)
        self.length = start + len(text)
        self.paragraphs.append(Paragraph(start, self.length, kind))
        return start

    # -- walking

    def build(self, root: Tag) -> None:
        stack: list[tuple[PageElement, bool]] = [(root, True)]
        while stack:
            node, entering = stack.pop()
            if isinstance(node, NavigableString):
                if not isinstance(node, _SKIPPED_STRINGS):
                    self._text(str(node))
            elif isinstance(node, Tag):
                if not entering:
                    self._leave(node)
                elif self._enter(node):
                    stack.append((node, False))
                    stack.extend((child, True) for child in reversed(node.contents))
        self.flush()

    def _enter(self, tag: Tag) -> bool:
        """Handle an opening tag; True to walk its children (and call ``_leave`` after them)."""
        name = tag.name
        if _is_tweet(tag):
            self.flush()
            self._tweet(tag)
            return False
        if name == "br":
            self._line_break()
            return False
        if name == "hr":
            self.flush()
            return False
        if name == "a":
            href = self._resolve(tag.get("href"))
            self._open_anchors.append((self._buf_len, href or ""))
        elif name == "q":
            self._text("“" if self._quotes % 2 == 0 else "‘")
            self._quotes += 1
        elif name in _BLOCKS:
            self.flush()
            if name in _HEADINGS:
                kind = "heading"
            elif name in {"li", "pre", "blockquote"}:
                kind = name
            else:
                kind = self._kinds[-1]
            self._kinds.append(kind)
            if name == "pre":
                self._pre += 1
        return True

    def _leave(self, tag: Tag) -> None:
        name = tag.name
        if name == "a":
            start, href = self._open_anchors.pop()
            if href:
                self._buf_links.append((start, self._buf_len, href))
        elif name == "q":
            self._quotes -= 1
            self._add("”" if self._quotes % 2 == 0 else "’")
        elif name in _BLOCKS:
            self.flush()
            self._kinds.pop()
            if name == "pre":
                self._pre -= 1

    def _resolve(self, href: object) -> str | None:
        if not href:
            return None
        value = str(href).strip()
        if value.startswith("#") or value.lower().startswith(("javascript:", "mailto:", "tel:", "data:")):
            return None
        absolute = _join(self.base_url, value)
        if absolute is None:
            return None
        try:
            scheme = urlsplit(absolute).scheme.lower()
        except ValueError:
            return None
        return absolute if scheme in {"http", "https"} else None

    def _tweet(self, tag: Tag) -> None:
        tweet = _tweet_fields(tag)
        if not tweet.text:
            return
        start = self._emit(tweet.text, "tweet")
        self.tweets.append(EmbeddedTweet(tweet.text, tweet.url, tweet.author, start, start + len(tweet.text)))


# -- tweets

_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y")


def _inline_text(tag: Tag) -> str:
    """A tag's text as rendered: whitespace collapsed, ``<br>`` as a line break, link text in place."""
    pieces: list[str] = []
    for node in tag.descendants:
        if isinstance(node, Tag):
            if node.name == "br":
                pieces.append("\n")
        elif (
            isinstance(node, NavigableString)
            and not isinstance(node, _SKIPPED_STRINGS)
            and not any(isinstance(p, Tag) and p.name in _DROP_TAGS for p in node.parents)
        ):
            pieces.append(_collapse(str(node)))
    text = "".join(pieces)
    text = re.sub(r" *\n *", "\n", re.sub(r" {2,}", " ", text))
    return text.strip()


def _tweet_fields(tag: Tag) -> TweetText:
    """Text, ``Name (@handle)``, status URL and date of a tweet embed blockquote."""
    url = None
    date_text = ""
    for a in tag.find_all("a", href=True):
        match = _TWEET_STATUS_RE.match(str(a["href"]))
        if match:
            url, date_text = match.group(0), _clean(a.get_text(" "))
    paragraphs = tag.find_all("p")
    if paragraphs:
        text = "\n\n".join(t for t in (_inline_text(p) for p in paragraphs) if t)
        # The embed's byline is the blockquote's own text after the tweet: "— Name (@handle) date".
        inside = {id(node) for p in paragraphs for node in p.descendants}
        byline = _clean(
            " ".join(
                str(s)
                for s in tag.find_all(string=True)
                if not isinstance(s, _SKIPPED_STRINGS) and id(s) not in inside
            )
        )
    else:
        full = _inline_text(tag)
        dash = full.rfind("\u2014")
        text, byline = (full[:dash].strip(), full[dash:]) if dash > 0 else (full, "")
    byline = byline.lstrip("\u2014\u2013- ").strip()
    if date_text and byline.endswith(date_text):
        byline = byline[: -len(date_text)].strip()
    elif not date_text:
        match = re.search(r"\s+([A-Z][a-z]+ \d{1,2}, \d{4})$", byline)
        if match:
            date_text, byline = match.group(1), byline[: match.start()].strip()
    return TweetText(text=text, author=byline, url=url, published=_iso_date(date_text))


def _iso_date(text: str) -> str:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return text
