"""Stage 5, documents: read_document on HTML, PDF, oEmbed and plain text, and on bytes it must refuse.

PDFs are written by :func:`make_pdf`, a minimal PDF writer (Helvetica, WinAnsi text), so every
fixture's text and layout is known; the benchmark in benchmarks/bench_pdf_memory.py uses it too.
"""

from __future__ import annotations

import io
import json
import random
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.documents import Document, Page, read_document
from factcheck.errors import FactcheckError
from factcheck.htmltext import Paragraph
from tests.fuzzing import examples

PAGES = Path(__file__).parent / "pages"

# A block of lines set in one font size: (size, lines). A bare list of lines is 11 pt body text.
Block = tuple[float, Sequence[str]] | Sequence[str]


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(
    pages: Sequence[Sequence[Block]],
    *,
    compress: bool = False,
    image_bytes: int = 0,
    page_numbers: bool = False,
    info: dict[str, str] | None = None,
    seed: int = 0,
) -> bytes:
    """A PDF whose pages hold ``pages``' blocks top to bottom, a blank line between blocks.

    ``image_bytes`` adds an incompressible image of that size to every page (bulk without text);
    ``page_numbers`` prints each page's number at its foot.
    """
    rnd = random.Random(seed)
    objects: list[bytes] = [b"", b""]  # catalog and page tree, filled in at the end
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    font_ref, pages_ref = len(objects), 2
    kids = []
    for number, blocks in enumerate(pages, 1):
        ops = []
        y = 760.0
        for block in blocks:
            size, lines = block if isinstance(block, tuple) else (11.0, block)
            for line in lines:
                ops.append(b"BT /F1 %.1f Tf 1 0 0 1 72 %.1f Tm %s Tj ET" % (size, y, _pdf_string(line)))
                y -= 1.25 * size
            y -= 1.25 * size
        if page_numbers:
            ops.append(b"BT /F1 9 Tf 1 0 0 1 300 40 Tm (%d) Tj ET" % number)
        resources = b"/Font << /F1 %d 0 R >>" % font_ref
        if image_bytes:
            data = rnd.randbytes(image_bytes)
            objects.append(
                b"<< /Type /XObject /Subtype /Image /Width %d /Height 1 /ColorSpace /DeviceGray"
                b" /BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream" % (image_bytes, len(data), data)
            )
            resources += b" /XObject << /Im1 %d 0 R >>" % len(objects)
            ops.insert(0, b"q 400 0 0 20 72 60 cm /Im1 Do Q")
        content = b"\n".join(ops)
        if compress:
            content = zlib.compress(content)
            objects.append(
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(content), content)
            )
        else:
            objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << %s >> >>"
            % (pages_ref, len(objects), resources)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_ref
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    trailer_extra = b""
    if info:
        entries = b" ".join(b"/%s %s" % (key.encode(), _pdf_string(value)) for key, value in info.items())
        objects.append(b"<< " + entries + b" >>")
        trailer_extra = b" /Info %d 0 R" % len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        xref,
    )
    return bytes(out)


def _para(doc: Document, index: int) -> str:
    p = doc.paragraphs[index]
    return doc.text[p.start : p.end]


def _check_spans(doc: Document) -> None:
    """Paragraphs are in order, non-overlapping, stripped; pages tile the text in order."""
    last = 0
    for p in doc.paragraphs:
        assert last <= p.start < p.end <= len(doc.text)
        chunk = doc.text[p.start : p.end]
        assert chunk == chunk.strip()
        last = p.end
    for a, b in zip(doc.pages, doc.pages[1:], strict=False):
        assert a.number + 1 == b.number
        assert a.start <= a.end <= b.start


# --------------------------------------------------------------------------------------------
# PDF

BODY_1 = [
    "The committee met in the capital on Monday to discuss the findings of",
    "the mission, which had visited the region twice during the autumn.",
]
QUOTE = "We are deeply concerned by the reports of arbitrary detention,"
BODY_2 = [
    QUOTE,
    "the rapporteur wrote in the conclusions of the report.",
]
BODY_3 = ["Further recommendations follow in the annex to this report."]


def three_page_pdf(**kwargs: object) -> bytes:
    return make_pdf(
        [
            [(18.0, ["Report of the Rapporteur"]), BODY_1],
            [(14.0, ["2 Findings"]), BODY_2, ["A second paragraph on the same page, set apart."]],
            [BODY_3],
        ],
        **kwargs,  # type: ignore[arg-type]
    )


def test_pdf_keeps_pages_and_finds_the_quote_on_page_2() -> None:
    doc = read_document(three_page_pdf(), "application/pdf")
    assert doc.kind == "pdf"
    assert [p.number for p in doc.pages] == [1, 2, 3]
    start = doc.text.index(QUOTE)
    assert doc.page_at(start) == 2
    assert doc.page_at(start + len(QUOTE)) == 2
    assert doc.page_at(doc.text.index("Further recommendations")) == 3
    assert doc.page_at(doc.text.index("The committee met")) == 1
    assert doc.page_at(0) == 1
    assert doc.page_at(len(doc.text)) == 3
    assert doc.page_at(-1) is None
    _check_spans(doc)
    for page in doc.pages:  # each page's span holds exactly its own text
        assert doc.text[page.start : page.end] == doc.text[page.start : page.end].strip()
    assert "annex" in doc.text[doc.pages[2].start : doc.pages[2].end]


def test_pdf_paragraphs_join_lines_and_mark_headings() -> None:
    doc = read_document(three_page_pdf())
    texts = [_para(doc, i) for i in range(len(doc.paragraphs))]
    assert texts == [
        "Report of the Rapporteur",
        " ".join(BODY_1),
        "2 Findings",
        " ".join(BODY_2),
        "A second paragraph on the same page, set apart.",
        BODY_3[0],
    ]
    assert [p.kind for p in doc.paragraphs] == ["heading", "p", "heading", "p", "p", "p"]
    quote_at = doc.text.index(QUOTE)
    assert doc.paragraph_at(quote_at) == 3
    assert doc.paragraph_at(doc.paragraphs[3].end) is None  # the gap between paragraphs
    assert doc.title == "Report of the Rapporteur"


def test_pdf_same_text_compressed_with_metadata() -> None:
    plain = read_document(three_page_pdf())
    packed = read_document(
        three_page_pdf(
            compress=True, info={"Title": "OSCE report", "Author": "W. B.", "CreationDate": "D:20181221"}
        )
    )
    assert packed.text == plain.text
    assert packed.pages == plain.pages
    assert (packed.title, packed.author, packed.published) == ("OSCE report", "W. B.", "2018-12-21")


def test_pdf_dehyphenates_only_where_safe() -> None:
    doc = read_document(
        make_pdf(
            [
                [
                    [
                        "The inter-",
                        "national com-",
                        "mittee thanked the Co-",
                        "operation Council, the well-",
                        "known experts and the COVID-",
                        "19 task force for a data-",
                        "driven plan; the pre-",
                        "sident and the non-",
                        "EU members signed the re-",
                        "port.",
                    ],
                    ["Elsewhere the data-driven plan is mentioned again, as is the report."],
                ]
            ]
        )
    )
    # The document hyphenates "data-driven" in a line, so that hyphen stays although both halves are
    # lower-case; "re-port" and "pre-sident" are soft breaks; the rest keep their hyphens.
    assert _para(doc, 0) == (
        "The international committee thanked the Co-operation Council, the well-known experts and the"
        " COVID-19 task force for a data-driven plan; the president and the non-EU members signed the report."
    )
    assert "\ufffe" not in doc.text and "\x02" not in doc.text


def test_pdf_vocabulary_decides_over_the_prefix_rule() -> None:
    # "co-ordination" keeps its hyphen by the prefix rule unless the document spells it unbroken.
    lines = [["The co-", "ordination of the mission was praised by all who took part in it."]]
    assert "co-ordination" in read_document(make_pdf([lines])).text
    spelled = read_document(make_pdf([[*lines, ["Coordination matters."]]]))
    assert "The coordination of the mission" in spelled.text


def test_pdf_paragraph_carries_over_a_page_break_and_page_numbers_are_dropped() -> None:
    doc = read_document(
        make_pdf(
            [
                [["A paragraph that starts on the first page and is not finished at the foot of"]],
                [["the page, so it carries on here.", "Then a new line."], ["Next paragraph."]],
                [["An unfinished word at the end of the page: the Organi-"]],
                [["zation ends here."]],
            ],
            page_numbers=True,
        )
    )
    assert _para(doc, 0) == (
        "A paragraph that starts on the first page and is not finished at the foot of the page,"
        " so it carries on here. Then a new line."
    )
    assert _para(doc, 2) == "An unfinished word at the end of the page: the Organization ends here."
    assert doc.page_at(doc.text.index("the page, so")) == 2
    assert doc.page_at(doc.text.index("first page")) == 1
    assert doc.page_at(doc.text.index("zation")) == 4
    assert doc.pages[0].end == doc.text.index(" the page, so")
    assert not any(c.isdigit() for c in doc.text)  # the page numbers at the foot are gone
    _check_spans(doc)


def test_pdf_running_headers_and_footers_are_dropped() -> None:
    header = (9.0, ["Report on the Valley Region, December 2018"])
    pages = [
        [header, ["Findings of the mission, set out page after page and continued"]],
        [header, ["over the break without a new paragraph."], ["A new paragraph on page two."]],
        [header, ["Page three has its own paragraph."]],
        [header, ["And so does page four."]],
    ]
    doc = read_document(make_pdf(pages, page_numbers=True))
    assert [_para(doc, i) for i in range(len(doc.paragraphs))] == [
        "Findings of the mission, set out page after page and continued over the break without a new"
        " paragraph.",
        "A new paragraph on page two.",
        "Page three has its own paragraph.",
        "And so does page four.",
    ]
    assert doc.page_at(doc.text.index("over the break")) == 2
    # A heading that opens only one page is kept.
    doc = read_document(make_pdf([[header, ["Text one."]], [["Text two."]], [["Text three."]]]))
    assert _para(doc, 0) == "Report on the Valley Region, December 2018"


def test_pdf_non_ascii_text_is_kept() -> None:
    doc = read_document(make_pdf([[["“Credible reports” — naïve café, 40 persons"]]]))
    assert doc.text == "“Credible reports” — naïve café, 40 persons"


def test_pdf_with_empty_page_between() -> None:
    doc = read_document(make_pdf([[["First page text."]], [], [["Third page text."]]]))
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert doc.pages[1].start == doc.pages[1].end
    assert doc.page_at(doc.text.index("Third")) == 3
    assert doc.page_at(doc.text.index("First")) == 1


def test_pdf_without_text_layer_is_unreadable() -> None:
    with pytest.raises(FactcheckError, match="no text layer"):
        read_document(make_pdf([[], []], image_bytes=1000))


def test_encrypted_pdf_is_refused_with_a_clear_error() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(three_page_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(FactcheckError, match=r"^the PDF is encrypted"):
        read_document(out.getvalue(), "application/pdf")


def test_pdf_encrypted_with_empty_user_password_is_read() -> None:
    # Owner-password-only PDFs (print or copy restrictions) open in every reader; so they do here.
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(three_page_pdf())))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    doc = read_document(out.getvalue())
    assert doc.page_at(doc.text.index(QUOTE)) == 2


def test_truncated_pdf_is_refused() -> None:
    body = three_page_pdf()
    for cut in (len(body) // 3, len(body) - 40, 12):
        with pytest.raises(FactcheckError, match=r"^truncated PDF"):
            read_document(body[:cut], "application/pdf")


@pytest.mark.parametrize(
    "body",
    [
        b"%PDF-1.4\n%%EOF\n",
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
        b"%PDF-" + bytes(range(256)) * 4 + b"\n%%EOF",
    ],
)
def test_corrupted_pdf_is_refused(body: bytes) -> None:
    with pytest.raises(FactcheckError, match="PDF"):
        read_document(body)


def test_corrupted_pdf_stream_is_refused_or_read_never_crashes() -> None:
    body = bytearray(three_page_pdf(compress=True))
    rnd = random.Random(7)
    for _ in range(30):
        broken = bytearray(body)
        for _ in range(20):
            broken[rnd.randrange(len(broken) - 10)] = rnd.randrange(256)
        try:
            read_document(bytes(broken))
        except FactcheckError as exc:
            assert not str(exc).startswith("could not read the document"), exc


def test_long_pdf_reopened_between_pages_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    import factcheck.documents

    body = three_page_pdf()
    expected = read_document(body)
    monkeypatch.setattr(factcheck.documents, "_PAGES_PER_OPENING", 1)
    again = read_document(body)
    assert (again.text, again.pages, again.paragraphs) == (expected.text, expected.pages, expected.paragraphs)


def test_pdfs_read_from_several_threads_at_once() -> None:
    # PDFium is not thread-safe; read_document serialises it, so a thread pool gets the same results.
    from concurrent.futures import ThreadPoolExecutor

    bodies = [three_page_pdf(compress=bool(i % 2)) for i in range(8)]
    expected = read_document(bodies[0]).text
    with ThreadPoolExecutor(max_workers=4) as pool:
        texts = [doc.text for doc in pool.map(read_document, bodies)]
    assert texts == [expected] * 8


def test_page_and_paragraph_lookup_on_a_built_document() -> None:
    text = "one two\n\nthree\n\nfour"
    doc = Document(
        text=text,
        kind="pdf",
        title="",
        paragraphs=[Paragraph(0, 7), Paragraph(9, 14), Paragraph(16, 20)],
        pages=[Page(1, 0, 7), Page(2, 9, 9), Page(3, 9, 14), Page(4, 16, 20)],
    )
    assert [doc.page_at(i) for i in (0, 6, 7, 8, 9, 13, 14, 16, 20)] == [1, 1, 1, 1, 3, 3, 3, 4, 4]
    assert [doc.paragraph_at(i) for i in (0, 6, 7, 8, 9, 15, 16, 19, 20)] == [
        0,
        0,
        None,
        None,
        1,
        None,
        2,
        2,
        None,
    ]
    assert doc.page_at(21) is None and doc.paragraph_at(-1) is None


# --------------------------------------------------------------------------------------------
# dispatch and refusals


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png", "unsupported content: image/png"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, None, "unsupported content: image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "application/octet-stream", "unsupported content: image/jpeg"),
        (b"PK\x03\x04" + b"\x00" * 40, None, "unsupported content: application/zip"),
        (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40, "video/mp4", "unsupported content: video/mp4"),
        (b"GIF89a" + b"\x01" * 10, "text/html", "unsupported content: image/gif"),
        (b"", "text/html", "empty document"),
        (b"  \r\n\t ", None, "empty document"),
        (b"\x00\x01\x02\x03garbage\x00\xff" * 20, None, "unsupported content: binary data"),
        (b"some words", "image/svg+xml", "unsupported content: image/svg+xml"),
        (b"some words", "application/vnd.ms-excel", "unsupported content: application/vnd.ms-excel"),
        (b'{"error": "not found"}', "application/json", "not an oEmbed response"),
        (b"<html><body><p>Access denied</p></body></html>", "application/pdf", "expected a PDF"),
        (b"<html><body><p>Please enable JS</p></body></html>", None, None),
        (
            b"<html><head><script>app()</script></head><body><div id=app></div></body></html>",
            None,
            "no readable",
        ),
    ],
)
def test_unreadable_content_is_one_clear_error(
    body: bytes, content_type: str | None, message: str | None
) -> None:
    if message is None:  # control: a tiny page with text is read
        assert read_document(body, content_type).text == "Please enable JS"
        return
    with pytest.raises(FactcheckError) as info:
        read_document(body, content_type)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_pdf_hint_on_an_html_page_is_refused_not_read() -> None:
    # A bot wall served instead of the PDF must give `unavailable`, never `not_found`.
    with pytest.raises(FactcheckError, match="expected a PDF but the content is an HTML page"):
        read_document(b"<!DOCTYPE html><html><body><p>Checking your browser</p></body></html>", kind="pdf")


def test_a_real_pdf_wins_over_a_wrong_hint_or_header() -> None:
    doc = read_document(three_page_pdf(), "text/html; charset=utf-8", kind="html")
    assert doc.kind == "pdf" and doc.page_at(doc.text.index(QUOTE)) == 2


@pytest.mark.parametrize(
    ("content_type", "kind", "expected"),
    [
        ("text/html; charset=utf-8", None, "html"),
        ("application/xhtml+xml", None, "html"),
        (None, None, "html"),
        ("application/octet-stream", None, "html"),
        ("text/plain", None, "text"),
        ("text/html", "text", "html"),  # a Content-Type the bytes bear out beats the registry's hint
        ("text/plain", "html", "html"),  # a header the bytes contradict does not
        (None, "tweet", "html"),  # an archived tweet saved as a web page is read as the page it is
    ],
)
def test_dispatch_of_an_html_body(content_type: str | None, kind: str | None, expected: str) -> None:
    body = b"<!doctype html><html><body><article><p>Hello <b>there</b>.</p></article></body></html>"
    doc = read_document(body, content_type, kind=kind)
    assert doc.kind == expected
    assert ("Hello there." in doc.text) if expected == "html" else doc.text.startswith("<!doctype html>")


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("text/plain; charset=utf-8", "pdf"),
        (None, "pdf"),
        ("text/plain", "html"),
        (None, "html"),
        (None, None),
    ],
)
def test_dispatch_of_a_plain_text_body(content_type: str | None, kind: str | None) -> None:
    # The bundled OSCE report (registry kind "pdf") and State Department statement ("html") are
    # archived as text reproductions: they are read as the text they are, paragraphs kept.
    body = b"Report of the Rapporteur\n\nThe rapporteur found that the authorities failed to act.\n"
    doc = read_document(body, content_type, kind=kind)
    assert doc.kind == "text"
    assert [_para(doc, i) for i in range(len(doc.paragraphs))] == [
        "Report of the Rapporteur",
        "The rapporteur found that the authorities failed to act.",
    ]


# --------------------------------------------------------------------------------------------
# HTML


def test_html_document_from_the_state_department_like_page() -> None:
    body = (PAGES / "press_statement.html").read_bytes()
    doc = read_document(
        body, "text/html; charset=utf-8", url="https://www.state.gov/r/pa/prs/ps/2019/01/1.htm"
    )
    assert doc.kind == "html"
    assert doc.pages == [] and doc.page_at(0) is None
    assert doc.title == "Violence Against Fishing Communities in Lakeland"
    quote = "We call on the authorities to launch an immediate, independent investigation"
    at = doc.text.index(quote)
    para = doc.paragraphs[doc.paragraph_at(at) or 0]
    assert doc.text[para.start : para.end].startswith("We call on the authorities")
    assert doc.url == "https://www.state.gov/r/pa/prs/ps/2019/01/1.htm"
    assert "Subscribe to updates" not in doc.text
    _check_spans(doc)


def test_html_in_windows_1251_declared_in_the_header() -> None:
    body = (PAGES / "cp1251_no_meta.html").read_bytes()
    doc = read_document(body, "text/html; charset=windows-1251")
    assert "Около сорока человек были задержаны" in doc.text


# --------------------------------------------------------------------------------------------
# tweets (oEmbed)

OEMBED = {
    "url": "https://twitter.com/ExampleMinister/status/1085880000000000000",
    "author_name": "Alex Example",
    "author_url": "https://twitter.com/ExampleMinister",
    "html": (
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Deeply worried by reports of '
        "renewed abuse in the valley &amp; the arrests of at least 40 people.<br><br>Those responsible "
        'must be held to account. <a href="https://twitter.com/hashtag/Valley?src=hash">#Valley</a>, '
        '<a href="https://t.co/AbCdEf">pic.twitter.com/AbCdEf</a></p>&mdash; Alex Example (@ExampleMinister) '
        '<a href="https://twitter.com/ExampleMinister/status/1085880000000000000?ref_src=twsrc%5Etfw">'
        "January 17, 2019</a></blockquote>\n"
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n'
    ),
    "type": "rich",
    "provider_name": "Twitter",
    "version": "1.0",
}
TWEET_TEXT = (
    "Deeply worried by reports of renewed abuse in the valley & the arrests of at least 40 people.\n\n"
    "Those responsible must be held to account. #Valley, pic.twitter.com/AbCdEf"
)


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [("application/json; charset=utf-8", None), (None, "tweet"), (None, None), ("text/plain", "tweet")],
)
def test_oembed_tweet(content_type: str | None, kind: str | None) -> None:
    doc = read_document(json.dumps(OEMBED).encode(), content_type, kind=kind)
    assert doc.kind == "tweet"
    assert doc.text == TWEET_TEXT
    assert doc.author == "Alex Example"
    assert doc.url == OEMBED["url"]
    assert doc.published == "2019-01-17"
    assert doc.paragraphs == [Paragraph(0, len(TWEET_TEXT), "tweet")]
    assert doc.title == "Tweet by Alex Example"


def test_oembed_without_author_name_uses_the_embed_byline() -> None:
    data = {k: v for k, v in OEMBED.items() if k != "author_name"}
    doc = read_document(json.dumps(data).encode(), kind="tweet", url="https://example.org/t")
    assert doc.author == "Alex Example (@ExampleMinister)"
    assert doc.url == "https://example.org/t"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"html": "<blockquote class=\\"twitter-tweet\\"><p></p></blockquote>"}', "no tweet text"),
        (b'{"html": 42}', "not an oEmbed response"),
        (b'{"html": "<p>x</p>"', "invalid oEmbed JSON"),
        (b"[" * 100_000, None),
    ],
    ids=["empty-tweet", "html-not-text", "bad-json", "deep-json"],
)
def test_broken_oembed(body: bytes, message: str | None) -> None:
    with pytest.raises(FactcheckError) as info:
        read_document(body, "application/json", kind="tweet")
    if message:
        assert message in str(info.value)


# --------------------------------------------------------------------------------------------
# plain text


def test_plain_text_paragraphs_on_blank_lines() -> None:
    body = b"Title line\r\n\r\nFirst paragraph,\r\nwrapped.\r\n   \r\n  Second paragraph.  \r\n"
    doc = read_document(body, "text/plain")
    assert doc.kind == "text"
    assert doc.text == "Title line\n\nFirst paragraph,\nwrapped.\n   \n  Second paragraph.  \n"
    assert [_para(doc, i) for i in range(3)] == [
        "Title line",
        "First paragraph,\nwrapped.",
        "Second paragraph.",
    ]
    assert doc.title == "Title line"
    assert doc.paragraph_at(doc.text.index("wrapped")) == 1
    assert doc.page_at(3) is None


def test_plain_text_without_blank_lines_is_a_paragraph_per_line() -> None:
    doc = read_document(b"one\ntwo\n\n", kind="text")
    assert [_para(doc, i) for i in range(len(doc.paragraphs))] == ["one", "two"]
    doc = read_document(b"one\ntwo\nthree")
    assert [_para(doc, i) for i in range(len(doc.paragraphs))] == ["one", "two", "three"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("Цитата: «Мы глубоко обеспокоены»".encode("cp1251"), "text/plain; charset=windows-1251"),
        ("Цитата: «Мы глубоко обеспокоены»".encode(), "text/plain; charset=iso-8859-1"),
        ("Цитата: «Мы глубоко обеспокоены»".encode("utf-16"), "text/plain"),
        (b"\xef\xbb\xbf" + "Цитата: «Мы глубоко обеспокоены»".encode(), None),
    ],
)
def test_plain_text_charsets(body: bytes, content_type: str | None) -> None:
    assert read_document(body, content_type).text == "Цитата: «Мы глубоко обеспокоены»"


def test_the_bundled_originals_read_as_text() -> None:
    sources = Path(__file__).parent.parent / "sources" / "originals"
    statement = read_document((sources / "state-department-2019-01-17.txt").read_bytes(), kind="text")
    at = statement.text.index("We call on Russia to live up to its international obligations")
    assert statement.paragraph_at(at) is not None
    _check_spans(statement)


# --------------------------------------------------------------------------------------------
# fuzz: whatever the bytes, FactcheckError or a document, nothing else


def _assert_reads_or_refuses(body: bytes, content_type: str | None, kind: str | None) -> None:
    try:
        doc = read_document(body, content_type, kind=kind)
    except FactcheckError as exc:
        # The catch-all for parser bugs must not be what answered: that would be a bug to fix here.
        assert not str(exc).startswith("could not read the document"), exc
        return
    assert doc.text.strip()
    _check_spans(doc)
    for page in doc.pages:
        assert isinstance(page, Page)


_SEEDS = [
    three_page_pdf(compress=True),
    json.dumps(OEMBED).encode(),
    (PAGES / "press_statement.html").read_bytes(),
    "plain text\n\nwith paragraphs «and quotes»".encode(),
]


@pytest.mark.fuzz
@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(_SEEDS),
    cut=st.floats(min_value=0.0, max_value=1.0),
    flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=8),
    content_type=st.sampled_from([None, "text/html", "application/pdf", "application/json", "text/plain"]),
    kind=st.sampled_from([None, "html", "pdf", "tweet", "text"]),
)
def test_fuzz_truncated_and_corrupted_inputs(
    seed: bytes, cut: float, flips: list[tuple[float, int]], content_type: str | None, kind: str | None
) -> None:
    body = bytearray(seed[: int(len(seed) * cut)])
    for where, value in flips:
        if body:
            body[int(where * (len(body) - 1))] = value
    _assert_reads_or_refuses(bytes(body), content_type, kind)


@pytest.mark.fuzz
@settings(max_examples=examples(150), deadline=None)
@given(body=st.binary(max_size=2000), content_type=st.sampled_from([None, "text/html", "application/json"]))
def test_fuzz_random_bytes(body: bytes, content_type: str | None) -> None:
    _assert_reads_or_refuses(body, content_type, None)
    _assert_reads_or_refuses(b"%PDF-1.4\n" + body + b"\n%%EOF", "application/pdf", None)
