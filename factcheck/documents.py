"""Stage 5, documents: the bytes of a fetched original to text whose offsets map to paragraphs and pages.

:func:`read_document` picks the reader from a kind hint (the registry's ``kind``), the Content-Type or
the bytes themselves, and reads HTML (main text only, through :mod:`factcheck.htmltext`), PDF (with
page spans, so evidence can say "page 3"), tweets (an oEmbed JSON response) and plain text.

Whatever the bytes, the only exception it raises is :class:`FactcheckError` with one readable line.
Content that cannot be read honestly (an image, an encrypted or truncated PDF, an HTML bot wall with no
text) is an error rather than an empty document, so that the verdict says ``unavailable`` and never
``not_found``.

PDFs are read with pypdfium2 (PDFium, in C), chosen by measurement (benchmarks/bench_pdf_memory.py):
it reads a 1 MB text PDF 2.6x faster than pypdf and some 20x faster than pdfminer.six, and 50 MB
PDFs in 1.5x less memory than pypdf (188 MB peak against 277 MB; pypdf went over the 300 MB budget on
a 57 MB, 14,000-page PDF). PDFium also gives each line's position, from which paragraphs are rebuilt.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from factcheck.errors import FactcheckError
from factcheck.text import (
    PARAGRAPH_SEPARATOR,
    Paragraph,
    charset_from_content_type,
    decode_bytes,
    looks_binary,
)

KINDS = ("html", "pdf", "tweet", "text")


@dataclass(frozen=True)
class Page:
    """A PDF page: its 1-based number and the ``[start, end)`` span of its text in ``Document.text``."""

    number: int
    start: int
    end: int


@dataclass
class Document:
    """The readable text of an original with its paragraphs (and, for a PDF, its pages)."""

    text: str
    kind: str  # "html" | "pdf" | "tweet" | "text": what the bytes were read as
    title: str
    paragraphs: list[Paragraph]
    pages: list[Page] = field(default_factory=list)  # empty unless PDF
    author: str = ""
    url: str | None = None
    published: str = ""

    def page_at(self, offset: int) -> int | None:
        """The 1-based page number holding ``offset``, or None for a document without pages.

        An offset in the gap between two pages belongs to the page before it.
        """
        if not self.pages or offset < 0 or offset > len(self.text):
            return None
        index = bisect_right(self.pages, offset, key=lambda page: page.start) - 1
        # Skip pages with no text: they share their start with the next page's text.
        while index > 0 and self.pages[index].start == self.pages[index].end:
            index -= 1
        return self.pages[max(index, 0)].number

    def paragraph_at(self, offset: int) -> int | None:
        """The index in ``paragraphs`` of the paragraph holding ``offset``, or None between paragraphs."""
        index = bisect_right(self.paragraphs, offset, key=lambda para: para.start) - 1
        if index >= 0 and offset < self.paragraphs[index].end:
            return index
        return None


def read_document(
    body: bytes, content_type: str | None = None, *, kind: str | None = None, url: str | None = None
) -> Document:
    """Read the bytes of an original as HTML, PDF, tweet (oEmbed JSON) or plain text.

    ``kind`` is the registry's hint (html | pdf | tweet | text); the Content-Type comes next and the
    bytes themselves last. A PDF is always read as a PDF and images, archives and other binary data are
    always refused, whatever the hint says. Raises :class:`FactcheckError` (only) when the content
    cannot be read.
    """
    try:
        return _read(body, content_type, kind, url)
    except FactcheckError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise FactcheckError(f"the document is too deeply nested or too large to read ({exc})") from exc
    except Exception as exc:  # a parser bug on odd bytes must still surface as one readable line
        detail = " ".join(str(exc).split())[:200]
        raise FactcheckError(f"could not read the document: {type(exc).__name__}: {detail}") from exc


# --------------------------------------------------------------------------------------------
# dispatch

# Leading bytes of formats that hold no text we can read.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"BZh", "application/x-bzip2"),
    (b"\xfd7zXZ\x00", "application/x-xz"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),
    (b"%!PS", "application/postscript"),
    (b"OggS", "audio/ogg"),
    (b"ID3", "audio/mpeg"),
    (b"fLaC", "audio/flac"),
    (b"\x1aE\xdf\xa3", "video/webm"),
    (b"wOFF", "font/woff"),
    (b"wOF2", "font/woff2"),
    (b"\x7fELF", "application/x-executable"),
)
_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}
_HTML_MEDIA = {"text/html", "application/xhtml+xml"}
_PDF_MEDIA = {"application/pdf", "application/x-pdf", "application/acrobat"}
_SNIFF_MEDIA = {
    "",
    "application/octet-stream",
    "binary/octet-stream",
    "application/unknown",
    "unknown/unknown",
}
_HTML_START_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG_RE = re.compile(r"<(?:html|body|p|div|article|br)\b[^>]*>", re.IGNORECASE)


def _read(body: bytes, content_type: str | None, kind: str | None, url: str | None) -> Document:
    if not isinstance(body, bytes | bytearray | memoryview):
        raise FactcheckError(f"expected the document's bytes, got {type(body).__name__}")
    body = bytes(body)
    if not body or body.isspace():  # not body.strip(): that would copy a 50 MB PDF
        raise FactcheckError("empty document: the response had no content")
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if _is_pdf(body):
        return _read_pdf(body, url)
    magic = _magic_type(body)
    if magic:
        shown = media if media and media not in _SNIFF_MEDIA and not media.startswith("text/") else magic
        raise FactcheckError(f"unsupported content: {shown}")

    hint = kind.strip().lower() if kind else None
    if hint not in KINDS:
        hint = None
    declared = _kind_from_media(media)
    looks_html = _sniff_html(body)
    # A Content-Type that the bytes bear out beats the registry's hint: the registry says what the
    # original was, the archive what this copy is (a PDF report kept as a text reproduction, say).
    confirmed = {
        "html": looks_html,
        "text": not looks_html,
        "json": _first_byte(body) in (b"{", b"["),
    }.get(declared or "", False)
    wanted = (declared if confirmed else None) or hint or declared
    if wanted == "pdf":  # asked for a PDF, and these bytes are not one
        if looks_html or declared == "html":
            raise FactcheckError(
                "expected a PDF but the content is an HTML page (a bot wall or an error page?)"
            )
        if looks_binary(body):
            raise FactcheckError("expected a PDF but the content is binary data")
        wanted = "text"
    if looks_binary(body):
        raise FactcheckError("unsupported content: binary data" + (f" ({media})" if media else ""))
    charset = charset_from_content_type(content_type)
    if wanted is None:
        wanted = _sniff_kind(body)
    if wanted == "json":
        return _read_oembed(body, charset, url)
    if wanted == "tweet":
        if _first_byte(body) in (b"{", b"["):
            return _read_oembed(body, charset, url)
        # An archived tweet can be a saved page or the bare text: read it as what it is.
        wanted = "html" if looks_html else "text"
    if wanted == "html" and not looks_html and b"<" not in body[:4096]:
        wanted = "text"  # no markup at all: the text reader keeps its line and paragraph breaks
    if wanted == "html":
        return _read_html(body, charset, url)
    return _read_text(body, charset, url)


def _first_byte(body: bytes) -> bytes:
    return body[:4096].lstrip()[:1]


def _is_pdf(body: bytes) -> bool:
    # The PDF header may follow some junk; readers accept it within the first 1024 bytes.
    return b"%PDF-" in body[:1024]


def _magic_type(body: bytes) -> str | None:
    for magic, name in _MAGIC:
        if body.startswith(magic):
            return name
    if body.startswith(b"RIFF") and body[8:12] in _RIFF:
        return _RIFF[body[8:12]]
    if body[4:8] == b"ftyp":
        return "video/mp4"
    return None


def _kind_from_media(media: str) -> str | None:
    """The reader for a Content-Type; None means sniff. Refuses media types that hold no text."""
    if media in _SNIFF_MEDIA or (
        media.endswith(("/xml", "+xml")) and media.startswith(("text/", "application/"))
    ):
        return "html" if media in _HTML_MEDIA else None
    if media in _HTML_MEDIA:
        return "html"
    if media in _PDF_MEDIA:
        return "pdf"
    if media in {"application/json", "text/json"} or media.endswith("+json"):
        return "json"
    if media.startswith("text/"):
        return "text"
    raise FactcheckError(f"unsupported content: {media}")


def _sniff_html(body: bytes) -> bool:
    head = body[:2048].decode("latin-1")
    return bool(_HTML_START_RE.match(head) or len(_HTML_TAG_RE.findall(head)) >= 2)


def _sniff_kind(body: bytes) -> str:
    if _first_byte(body) == b"{":
        return "json"
    return "html" if _sniff_html(body) else "text"


# --------------------------------------------------------------------------------------------
# HTML, tweets and plain text


def _read_html(body: bytes, charset: str | None, url: str | None) -> Document:
    from factcheck.htmltext import parse_html  # the HTML parser loads only for HTML documents

    page = parse_html(body, base_url=url, declared_charset=charset)
    if not page.text:
        raise FactcheckError("no readable text in the HTML page (it may need JavaScript, or be a bot wall)")
    return Document(
        text=page.text,
        kind="html",
        title=page.title,
        paragraphs=page.paragraphs,
        pages=[],
        author=page.author,
        url=url or page.canonical_url,
        published=page.published,
    )


def _read_oembed(body: bytes, charset: str | None, url: str | None) -> Document:
    text = decode_bytes(body, charset)
    try:
        data: Any = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FactcheckError(f"invalid oEmbed JSON: {exc}") from exc
    html = data.get("html") if isinstance(data, dict) else None
    if not isinstance(html, str) or not html.strip():
        raise FactcheckError("unsupported content: JSON that is not an oEmbed response (no 'html' field)")
    from factcheck.htmltext import read_tweet_html

    tweet = read_tweet_html(html)
    if tweet is None:
        raise FactcheckError("no tweet text in the oEmbed response")
    author = data.get("author_name")
    author = author.strip() if isinstance(author, str) and author.strip() else tweet.author
    tweet_url = data.get("url")
    return Document(
        text=tweet.text,
        kind="tweet",
        title=f"Tweet by {author}" if author else "Tweet",
        paragraphs=[Paragraph(0, len(tweet.text), "tweet")],
        pages=[],
        author=author,
        url=url or (tweet_url if isinstance(tweet_url, str) and tweet_url else tweet.url),
        published=tweet.published,
    )


_BLANK_LINE_RE = re.compile(r"\n[ \t\f\v\u00a0]*\n")


def _read_text(body: bytes, charset: str | None, url: str | None) -> Document:
    text = decode_bytes(body, charset)
    # Offsets are into this text, so only line endings are normalised; words and spacing stay as sent.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise FactcheckError("empty document: the text holds only whitespace")
    if _BLANK_LINE_RE.search(text.strip()):
        blocks = [(m.start(), m.end()) for m in re.finditer(r"(?:[^\n]|\n(?![ \t\f\v\u00a0]*\n))+", text)]
    else:
        blocks = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    paragraphs = []
    for start, end in blocks:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            paragraphs.append(Paragraph(start + lead, start + lead + len(stripped), "p"))
    first = text[paragraphs[0].start : paragraphs[0].end].split("\n", 1)[0].strip()
    return Document(text=text, kind="text", title=first[:200], paragraphs=paragraphs, pages=[], url=url)


# --------------------------------------------------------------------------------------------
# PDF

# PDFium is not thread-safe: callers may read documents from worker threads (asyncio.to_thread).
_PDFIUM_LOCK = threading.Lock()
_PAGES_PER_OPENING = 1000
# PDFium's text API marks a hyphen at the end of a line with this character and joins the two lines.
_HYPHEN_MARK = "\ufffe"
_TERMINAL = tuple(".!?:;\"'”’)]…")
_PAGE_NUMBER_RE = re.compile(
    r"^[-–—\s]*(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,7})(?:\s*(?:/|of)\s*\d{1,4})?[-–—\s]*$", re.IGNORECASE
)
_PHYSICAL_LINE_RE = re.compile("[^\r\n\ufffe]*\ufffe|[^\r\n\ufffe]+")
_LETTERS = r"[^\W\d_]+"
# Punctuation, read as spaces: what is left between spaces is a word or a hyphenated compound.
_PUNCTUATION = str.maketrans(
    dict.fromkeys("!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~“”‘’«»„‚‹›—–…·•" + _HYPHEN_MARK, " ")
)
_TRAILING_LETTERS_RE = re.compile(rf"{_LETTERS}$")
_LEADING_LETTERS_RE = re.compile(rf"^{_LETTERS}")
# Prefixes that usually keep their hyphen ("co-operation", "non-governmental", "self-defence"): a
# line break after them is not taken as a soft hyphen unless the document spells the word unbroken.
_HYPHEN_PREFIXES = frozenset(
    {"co", "non", "self", "ex", "anti", "well", "all", "cross", "half", "semi", "quasi", "vice", "ill"}
    | {"low", "high", "long", "short", "full"}
)
_PDF_DATE_RE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


@dataclass(frozen=True)
class _Line:
    text: str
    x0: float | None = None  # geometry is None when PDFium could not place the line
    x1: float = 0.0  # right edge of the last character
    bottom: float = 0.0  # bottom of the first character's font box, so descenders do not move it
    size: float = 0.0


@dataclass
class _PdfPara:
    text: str  # lines joined with spaces; may hold _HYPHEN_MARK
    kind: str


@dataclass
class _Vocabulary:
    """Words and in-line hyphenated compounds the document spells out, to settle line-end hyphens."""

    tokens: set[str] = field(default_factory=set)  # lower-cased words, compounds with their hyphens

    def add(self, text: str) -> None:
        # str.translate and str.split run in C: a regex here cost more than PDFium's own text layout.
        self.tokens.update(text.lower().translate(_PUNCTUATION).split())


def _read_pdf(body: bytes, url: str | None) -> Document:
    tail = body[-2048:]
    if b"%%EOF" not in tail:
        raise FactcheckError(
            f"truncated PDF: no %%EOF marker at the end of its {len(body):,} bytes"
            " (the download may have been cut short)"
        )
    try:
        import pypdfium2 as pdfium  # type: ignore[import-untyped]  # no type hints shipped
        import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - a broken install
        raise FactcheckError("reading PDFs needs the pypdfium2 package (pip install pypdfium2)") from exc

    with _PDFIUM_LOCK:
        pdf = _open_pdf(body, pdfium, pdfium_c)
        try:
            metadata = _pdf_metadata(pdf)
            page_count = len(pdf)
            if page_count <= 0:
                raise FactcheckError("corrupted PDF: it has no pages")
            pages: list[list[_PdfPara]] = []
            for index in range(page_count):
                if index and index % _PAGES_PER_OPENING == 0:
                    # PDFium keeps every object it has parsed until the document is closed; opening
                    # it afresh now and then keeps a long PDF's content streams from piling up.
                    pdf.close()
                    pdf = _open_pdf(body, pdfium, pdfium_c)
                pages.append(_pdf_page_paragraphs(pdf, index, pdfium, pdfium_c))
        finally:
            pdf.close()
    _drop_running_heads(pages)
    vocabulary = _Vocabulary()
    if any(_HYPHEN_MARK in para.text for paras in pages for para in paras):
        for paras in pages:
            for para in paras:
                vocabulary.add(para.text)
    document = _assemble_pdf(pages, vocabulary)
    if not document.paragraphs:
        raise FactcheckError(
            f"the PDF has no text layer ({page_count} page(s) of images):"
            " it needs OCR before it can be checked"
        )
    document.url = url
    document.author = metadata.get("Author", "").strip()
    document.published = _pdf_date(metadata.get("CreationDate", ""))
    title = metadata.get("Title", "").strip()
    if not title:
        first = next((p for p in document.paragraphs if p.kind == "heading"), None) or document.paragraphs[0]
        title = document.text[first.start : first.end][:200]
    document.title = title
    return document


def _open_pdf(body: bytes, pdfium: Any, pdfium_c: Any) -> Any:
    try:
        return pdfium.PdfDocument(body)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise FactcheckError("the PDF is encrypted (it needs a password to open)") from exc
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise FactcheckError("the PDF is encrypted with an unsupported security scheme") from exc
        raise FactcheckError(f"corrupted PDF: it cannot be opened ({exc})") from exc


def _drop_running_heads(pages: list[list[_PdfPara]]) -> None:
    """Remove running headers and footers: a short first or last paragraph that recurs, numbers aside,
    on at least three pages and a third of them (a report's title over every page, "Page 3 of 40")."""
    if len(pages) < 3:
        return
    seen: dict[str, int] = {}
    for paras in pages:
        for key in {_running_key(para) for para in (paras[:1] + paras[-1:])}:
            seen[key] = seen.get(key, 0) + 1
    threshold = max(3, len(pages) // 3)
    running = {key for key, count in seen.items() if key and count >= threshold}
    if not running:
        return
    for paras in pages:
        if paras and _running_key(paras[-1]) in running:
            paras.pop()
        if paras and _running_key(paras[0]) in running:
            paras.pop(0)


def _running_key(para: _PdfPara) -> str:
    return "" if len(para.text) > 150 else re.sub(r"\d+", "#", para.text.strip().lower())


def _pdf_metadata(pdf: Any) -> dict[str, str]:
    try:
        return {str(k): str(v) for k, v in pdf.get_metadata_dict(skip_empty=True).items()}
    except Exception:  # metadata is optional; a broken Info dictionary must not cost the text
        return {}


def _pdf_date(value: str) -> str:
    match = _PDF_DATE_RE.match(value.strip())
    if not match:
        return ""
    return "-".join(part for part in match.groups() if part)


def _pdf_page_paragraphs(pdf: Any, index: int, pdfium: Any, pdfium_c: Any) -> list[_PdfPara]:
    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise FactcheckError(f"corrupted PDF: page {index + 1} cannot be read") from exc
    try:
        textpage = page.get_textpage()
        try:
            raw = textpage.get_text_range()
            lines = _page_lines(textpage, raw, pdfium_c)
        finally:
            textpage.close()
    except pdfium.PdfiumError as exc:
        raise FactcheckError(f"corrupted PDF: the text of page {index + 1} cannot be read") from exc
    finally:
        page.close()
    return _group_lines(lines)


def _page_lines(textpage: Any, raw: str, pdfium_c: Any) -> list[_Line]:
    """Split PDFium's page text into lines and place each one (left, right, baseline, font size)."""
    lines: list[_Line] = []
    count = pdfium_c.FPDFText_CountChars(textpage)
    rect = pdfium_c.FS_RECTF()
    # PDFium ends a line with CRLF, or joins it to the next when it ends in a hyphen (marked with
    # _HYPHEN_MARK); both are line ends here, so that every line is placed on its own.
    for match in _PHYSICAL_LINE_RE.finditer(raw):
        segment = match.group()
        text = segment.strip()
        if not text:
            continue
        first = match.start() + len(segment) - len(segment.lstrip())
        last = match.start() + len(segment.rstrip()) - 1
        geometry: list[float] = []
        for text_index in (first, last):
            char = pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, text_index)
            # Check the mapping landed on the same character; PDFium may insert or drop characters.
            wanted = raw[text_index]
            if not 0 <= char < count or pdfium_c.FPDFText_GetUnicode(textpage, char) not in (
                ord(wanted),
                2 if wanted == _HYPHEN_MARK else -1,  # the character list holds the mark as U+0002
            ):
                break
            if not pdfium_c.FPDFText_GetLooseCharBox(textpage, char, rect):
                break
            geometry += [
                rect.left,
                rect.right,
                rect.bottom,
                float(pdfium_c.FPDFText_GetFontSize(textpage, char)),
            ]
        if len(geometry) == 8:
            lines.append(_Line(text, x0=geometry[0], x1=geometry[5], bottom=geometry[2], size=geometry[3]))
        else:
            lines.append(_Line(text))
    return lines


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL)


def _group_lines(lines: list[_Line]) -> list[_PdfPara]:
    """Join a page's lines into paragraphs, breaking on vertical gaps, font changes and short last lines."""
    placed = [line for line in lines if line.x0 is not None]
    # The body text's size: the one that sets the most characters (not the most lines, which on a
    # short page can be a running header and a page number).
    weight: dict[float, int] = {}
    for line in placed:
        if line.size > 0:
            weight[round(line.size * 2) / 2] = weight.get(round(line.size * 2) / 2, 0) + len(line.text)
    body_size = max(weight, key=lambda size: weight[size]) if weight else 0.0
    # The line pitch: paragraph gaps are the larger, rarer drops, so take a low quantile; with only a
    # line or two to go on, assume the usual leading of 1.25 times the font size at most.
    drops = sorted(
        a.bottom - b.bottom
        for a, b in itertools.pairwise(placed)
        if 0 < a.bottom - b.bottom < 4 * max(a.size, 1.0)
    )
    usual = 1.25 * (body_size or 10.0)
    pitch = drops[len(drops) // 4] if len(drops) >= 3 else min([*drops, usual])
    # Margins from lines of running text: a page number or a label must not move them.
    running = [line for line in placed if len(line.text) >= 20] or placed
    left = min((line.x0 for line in running if line.x0 is not None), default=0.0)
    right = max((line.x1 for line in running), default=0.0)

    def breaks(a: _Line, b: _Line) -> bool:
        if a.x0 is None or b.x0 is None:
            return _ends_sentence(a.text)
        size = max(a.size, b.size, 1.0)
        drop = a.bottom - b.bottom
        if drop <= 0.2 * size or drop > 1.4 * pitch:
            return True  # a gap, or a move up the page (next column, a sidebar)
        if abs(a.size - b.size) > 0.15 * size:
            return True  # a heading or a caption
        if _ends_sentence(a.text):
            short = a.x1 < right - 3 * size
            indented = b.x0 > left + 0.8 * size and a.x0 <= left + 0.8 * size
            return short or indented
        return False

    groups: list[list[_Line]] = []
    for line in lines:
        if groups and not breaks(groups[-1][-1], line):
            groups[-1].append(line)
        else:
            groups.append([line])
    # Page numbers at the top or bottom of the page are furniture, not text.
    while groups and len(groups[-1]) == 1 and _PAGE_NUMBER_RE.match(groups[-1][0].text):
        groups.pop()
    while groups and len(groups[0]) == 1 and _PAGE_NUMBER_RE.match(groups[0][0].text):
        groups.pop(0)

    paras = []
    for group in groups:
        parts: list[str] = []
        for line in group:
            if parts and not parts[-1].endswith(_HYPHEN_MARK):
                parts.append(" ")
            parts.append(line.text)
        text = "".join(parts)
        biggest = max(line.size for line in group)
        heading = body_size > 0 and biggest >= 1.15 * body_size and len(text) < 300
        paras.append(_PdfPara(text, "heading" if heading else "p"))
    return paras


def _dehyphenate(prefix: str, suffix: str, vocabulary: _Vocabulary) -> bool:
    """Whether a hyphen at a line break between ``prefix`` and ``suffix`` is only a soft hyphen.

    Conservative, because the matcher compares quotes to this text. The document itself decides
    first: a compound it hyphenates within a line keeps its hyphen, a word it spells unbroken loses
    it. Otherwise the hyphen stays before a capital or a digit ("non-EU", "COVID-19"), after an
    acronym, and after prefixes that usually keep it ("Co-operation", "self-defence", "well-known");
    any other lower-case continuation ("inter-national", "Organi-zation") is taken as a soft break.
    """
    if not prefix or not suffix:
        return False
    if f"{prefix}-{suffix}".lower() in vocabulary.tokens:
        return False
    if (prefix + suffix).lower() in vocabulary.tokens:
        return True
    if not suffix[0].islower() or (len(prefix) > 1 and prefix.isupper()):
        return False
    return prefix.lower() not in _HYPHEN_PREFIXES


def _resolve_hyphens(text: str, vocabulary: _Vocabulary) -> str:
    """Settle every line-end hyphen mark that has text after it; a trailing mark stays for the caller."""
    if _HYPHEN_MARK not in text:
        return text
    pieces = text.split(_HYPHEN_MARK)
    out = [pieces[0]]
    for piece in pieces[1:]:
        prefix_match = _TRAILING_LETTERS_RE.search(out[-1])
        suffix_match = _LEADING_LETTERS_RE.match(piece)
        prefix = prefix_match.group() if prefix_match else ""
        suffix = suffix_match.group() if suffix_match else ""
        if not piece:
            out.append(_HYPHEN_MARK)  # the mark ends the text: decided when the next page is read
            continue
        out.append("" if _dehyphenate(prefix, suffix, vocabulary) else "-")
        out.append(piece)
    return "".join(out)


def _continues(previous: _PdfPara, following: _PdfPara) -> bool:
    """Whether a page's first paragraph carries on the last paragraph of the page before."""
    if previous.kind == "heading" or following.kind == "heading":
        return False
    if previous.text.endswith(_HYPHEN_MARK):
        return True
    return not _ends_sentence(previous.text) and following.text[:1].islower()


def _assemble_pdf(pages: list[list[_PdfPara]], vocabulary: _Vocabulary) -> Document:
    """Lay the pages' paragraphs out as one text, joining a paragraph that runs over a page break."""
    out = _PdfLayout()
    for number, paras in enumerate(pages, 1):
        page_start: int | None = None
        for i, para in enumerate(paras):
            resolved = _resolve_hyphens(para.text, vocabulary)
            if i == 0 and out.open is not None and _continues(out.open, para):
                page_start = out.carry_on(resolved, vocabulary)
                out.open = para
                continue
            if out.open is not None:
                out.close(ends_page=i == 0)
            out.start(para, resolved)
            if page_start is None:
                page_start = out.open_start
        if page_start is None:  # a page with no text: an empty span where it falls
            position = out.open_end if out.open is not None else out.length
            out.pages.append(Page(number, position, position))
        else:
            out.pages.append(Page(number, page_start, -1))
    if out.open is not None:
        out.close(ends_page=True)
    text = "".join(out.parts)
    out.parts.clear()
    return Document(text=text, kind="pdf", title="", paragraphs=out.paragraphs, pages=out.pages)


class _PdfLayout:
    """The text built so far; the last paragraph stays open until the next page shows if it goes on."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.paragraphs: list[Paragraph] = []
        self.pages: list[Page] = []
        self.open: _PdfPara | None = None
        self.open_start = 0
        self.open_kind = "p"
        self.open_text = ""

    @property
    def open_end(self) -> int:
        return self.open_start + len(self.open_text)

    def start(self, para: _PdfPara, resolved: str) -> None:
        if self.parts:
            self.parts.append(PARAGRAPH_SEPARATOR)
            self.length += len(PARAGRAPH_SEPARATOR)
        self.open, self.open_start, self.open_kind, self.open_text = para, self.length, para.kind, resolved

    def carry_on(self, resolved: str, vocabulary: _Vocabulary) -> int:
        """Continue the open paragraph with the next page's first one; return where that page starts."""
        if self.open_text.endswith(_HYPHEN_MARK):
            prefix = _TRAILING_LETTERS_RE.search(self.open_text[:-1])
            suffix = _LEADING_LETTERS_RE.match(resolved)
            soft = _dehyphenate(
                prefix.group() if prefix else "", suffix.group() if suffix else "", vocabulary
            )
            self.open_text = self.open_text[:-1] + ("" if soft else "-")
            joiner = ""
        else:
            joiner = " "
        self._end_page(self.open_end)
        self.open_text += joiner
        page_start = self.open_end
        self.open_text += resolved
        return page_start

    def close(self, *, ends_page: bool) -> None:
        if self.open_text.endswith(_HYPHEN_MARK):  # no next line to settle it: keep the hyphen
            self.open_text = self.open_text[:-1] + "-"
        if ends_page:
            self._end_page(self.open_end)
        self.parts.append(self.open_text)
        self.length = self.open_end
        self.paragraphs.append(Paragraph(self.open_start, self.length, self.open_kind))
        self.open, self.open_text = None, ""

    def _end_page(self, end: int) -> None:
        for index in range(len(self.pages) - 1, -1, -1):
            page = self.pages[index]
            if page.end == -1:
                self.pages[index] = Page(page.number, page.start, end)
                return
