"""Text with offsets, and bytes to text: the light part of reading articles and originals.

Paragraphs, hyperlinks and embedded tweets are ``[start, end)`` spans into one text whose paragraphs
are joined by a blank line. Decoding goes byte-order mark, declared charset, ``<meta>``, then detection.
Nothing here imports an HTML parser, so a plain-text article or an archived text copy never pays for one.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from factcheck.errors import FactcheckError

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Paragraph:
    """A block of text: ``kind`` is p, heading, blockquote, li, pre or tweet."""

    start: int
    end: int
    kind: str = "p"


@dataclass(frozen=True)
class Link:
    """A hyperlink: its anchor text's span in the text and its absolute href."""

    text: str
    href: str
    start: int
    end: int


@dataclass(frozen=True)
class EmbeddedTweet:
    """A ``blockquote.twitter-tweet`` embed: its text's span, its status URL and who posted it."""

    text: str
    url: str | None
    author: str
    start: int
    end: int


def looks_binary(body: bytes) -> bool:
    """True when ``body`` is not text in any encoding worth trying (NUL bytes, or mostly control bytes)."""
    head = body[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls / len(head) > 0.05


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Labels browsers read as a wider encoding (WHATWG Encoding Standard): a page that says latin-1 and
# uses curly quotes from windows-1252 is the common case, not the exception.
_WIDER_CODEC = {
    "ascii": "cp1252",
    "iso8859_1": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "big5": "big5hkscs",
}
_ESCAPED_BYTE_RE = re.compile("[\udc80-\udcff]")
# Codecs that are not character encodings of a web page (or rewrite escapes into characters).
_REFUSED_CODECS = {"unicode_escape", "raw_unicode_escape", "punycode", "idna", "utf_7", "undefined"}


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _codec(name: str | None) -> str | None:
    """Python's codec for a charset label, or None for unknown labels and non-text codecs (zlib, rot13)."""
    if not name:
        return None
    try:
        info = codecs.lookup(name.strip())
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("-", "_") in _REFUSED_CODECS:
        return None
    return _WIDER_CODEC.get(info.name.replace("-", "_"), info.name)


def _try_decode(body: bytes, name: str) -> str | None:
    try:
        return body.decode(name)
    except (UnicodeError, LookupError, ValueError):
        return None


def decode_bytes(body: bytes, declared: str | None = None, *, html: bool = False) -> str:
    """Decode ``body``: byte-order mark, valid UTF-8, the declared charset, ``<meta>`` (HTML), detection.

    Bytes that are valid UTF-8 are read as UTF-8 whatever the header says: servers often send a
    default ``charset=iso-8859-1`` for UTF-8 pages, while legacy-encoded text almost never happens to
    be valid UTF-8. A declared charset that does not decode the bytes is ignored rather than trusted.
    """
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(name, errors="replace")
    candidates: list[str] = []
    header = _codec(declared)
    if header and header.startswith(("utf_16", "utf_32", "utf-16", "utf-32")):
        candidates.append(header)  # UTF-16 text without a BOM can also be valid UTF-8 (ASCII ranges)
    candidates.append("utf-8")
    if header:
        candidates.append(header)
    if html:
        match = _META_CHARSET_RE.search(body[:16384])
        meta = _codec(match.group(1).decode("ascii", "ignore")) if match else None
        if meta:
            candidates.append(meta)
    for name in candidates:
        text = _try_decode(body, name)
        if text is not None:
            return text
        if name == "cp1252":
            return _windows_1252(body)
    # Detection needs something to go on: a few stray bytes are read as the web's default instead
    # (charset_normalizer takes b"caf\xe9" for Chinese).
    if sum(1 for b in body[:65536] if b >= 0x80) >= 16:
        from charset_normalizer import from_bytes  # only for the rare undeclared, non-UTF-8 page

        best = from_bytes(body).best()
        if best is not None and best.encoding:
            detected = _codec(best.encoding)
            if detected:
                return body.decode(detected, errors="replace")
    return _windows_1252(body)


def _windows_1252(body: bytes) -> str:
    """windows-1252 as browsers read it: its five unassigned bytes keep their latin-1 code points."""
    text = body.decode("cp1252", errors="surrogateescape")
    return _ESCAPED_BYTE_RE.sub(lambda m: chr(ord(m.group()) - 0xDC00), text)


# --------------------------------------------------------------------------------------------
# HTML to text


def require_text(body: bytes, where: str) -> None:
    """Raise a clear error when ``body`` is binary data rather than text."""
    if looks_binary(body):
        raise FactcheckError(f"{where}: not a text, Markdown or HTML file (it holds binary data)")
