"""htmltext: publisher-like pages to main text with paragraph, link and tweet spans; byte decoding.

The pages in tests/pages/ are written for these tests (no real articles): each imitates a layout
that publishing systems produce, with its furniture, so the tests can say what must be in the text
and what must never be.
"""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.errors import FactcheckError
from factcheck.htmltext import (
    PARAGRAPH_SEPARATOR,
    HtmlText,
    charset_from_content_type,
    decode_bytes,
    looks_binary,
    parse_html,
    read_tweet_html,
    require_text,
)
from tests.fuzzing import examples

PAGES = Path(__file__).parent / "pages"


def page(name: str, *, base_url: str | None = None, charset: str | None = None) -> HtmlText:
    result = parse_html((PAGES / name).read_bytes(), base_url=base_url, declared_charset=charset)
    check_invariants(result)
    return result


def check_invariants(result: HtmlText) -> None:
    """The text is exactly its paragraphs joined by the separator; every span slices what it names."""
    paras = [result.text[p.start : p.end] for p in result.paragraphs]
    assert result.text == PARAGRAPH_SEPARATOR.join(paras)
    for p, chunk in zip(result.paragraphs, paras, strict=True):
        assert chunk and chunk == chunk.strip(), p
    for link in result.links:
        assert result.text[link.start : link.end] == link.text
        assert link.text == link.text.strip() and link.text
        assert link.href.startswith(("http://", "https://"))
        assert any(p.start <= link.start and link.end <= p.end for p in result.paragraphs)
    for tweet in result.tweets:
        assert result.text[tweet.start : tweet.end] == tweet.text
        assert any((p.start, p.end, p.kind) == (tweet.start, tweet.end, "tweet") for p in result.paragraphs)


def paragraphs(result: HtmlText) -> list[tuple[str, str]]:
    return [(p.kind, result.text[p.start : p.end]) for p in result.paragraphs]


def assert_absent(result: HtmlText, *furniture: str) -> None:
    for words in furniture:
        assert words not in result.text, words


# --------------------------------------------------------------------------------------------
# publisher layouts


def test_wordpress_story_without_its_furniture() -> None:
    result = page("wordpress_news.html", base_url="https://riverside.example/2019/01/21/minister-accused/")
    assert paragraphs(result) == [
        ("heading", "Minister accused of ignoring abuses in the valley"),
        ("p", "Posted on 21 January 2019 by Sam Reporter"),
        (
            "p",
            "A human rights group has accused the regional minister of turning a blind eye to a fresh wave"
            " of arrests in the valley.",
        ),
        (
            "p",
            "In a column published on Friday, researcher Dana Holt of the Valley Rights Watch said the"
            " minister had “chosen silence over his own citizens.”",
        ),
        (
            "p",
            "“Every week we hear of people taken from their homes at night,” she wrote."
            " “Nobody is held to account.”",
        ),
        ("blockquote", "We call on the authorities to open an independent inquiry without delay."),
        ("blockquote", "Valley Rights Watch"),
        (
            "p",
            "According to the group, around 40 people were detained in December and at least two died in"
            " custody.",
        ),
        ("p", "The ministry did not respond to a request for comment."),
    ]
    assert_absent(
        result,
        "cookies",
        "Riverside Times",
        "News for the river towns",
        "Contact us",
        "Share on",
        "Email this story",
        "Advertorial",
        "Newsletter",
        "inbox",
        "Sign up",
        "Related",
        "Older story",
        "Council approves",
        "Posted in",
        "Tagged",
        "Previous post",
        "thoughts on",
        "Reader One",
        "long comment",
        "Leave a Reply",
        "will not be published",
        "Recent Posts",
        "All rights reserved",
        "Page generated",
        "dataLayer",
        "display:flex",
    )
    assert result.title == "Minister accused of ignoring abuses in the valley"
    assert result.published == "2019-01-21T10:15:00+00:00"
    assert result.author == "Sam Reporter"
    assert result.canonical_url == "https://riverside.example/2019/01/21/minister-accused/"
    assert [(link.text, link.href) for link in result.links] == [
        ("Sam Reporter", "https://riverside.example/author/sam/"),
        ("Valley Rights Watch", "https://rights.example/"),
    ]


def test_government_press_statement() -> None:
    result = page("press_statement.html", base_url="https://www.example.gov/briefings/lakeland/")
    assert paragraphs(result) == [
        ("p", "Press Statement"),
        ("heading", "Violence Against Fishing Communities in Lakeland"),
        ("p", "Jordan Example"),
        ("p", "Deputy Spokesperson"),
        ("p", "Capital City"),
        ("p", "January 17, 2019"),
        (
            "p",
            "We are deeply troubled by credible reports from Lakeland of renewed violence against members of"
            " its fishing communities. Civil society groups report that at least 40 people have been detained"
            " since December, including two who reportedly died in custody.",
        ),
        (
            "p",
            "We call on the authorities to launch an immediate, independent investigation into these reports"
            " and to hold those responsible to account.",
        ),
        (
            "p",
            "We also urge the government to ensure that the rights of all civil society activists are fully"
            " respected.",
        ),
    ]
    assert_absent(
        result,
        "Skip to main content",
        "official website",
        "Department of External Affairs",
        "Policy Issues",
        "Search",
        "Home",
        "Office of the Spokesperson",
        "Share this page",
        "Twitter",
        "Tags",
        "Human Rights",
        "Subscribe",
        "Privacy Policy",
        "FOIA",
        "2201 C Street",
    )
    assert result.published == "2019-01-17"
    assert result.links == []


def test_newspaper_story_without_teaser_cards() -> None:
    result = page("newspaper_teasers.html")
    assert paragraphs(result) == [
        ("heading", "Harbour pollution report published"),
        ("p", "By Lee Writer, Environment correspondent"),
        (
            "p",
            "An independent report on the state of the harbour was published on Tuesday after two years of"
            " delays.",
        ),
        (
            "p",
            "The report found that levels of heavy metals near the old shipyard were “far above any safe"
            " limit”, its authors said.",
        ),
        ("p", "The port authority said it would study the findings carefully before responding."),
    ]
    assert_absent(
        result,
        "The Daily Ledger",
        "Business",
        "Related coverage",
        "Dredging plan",
        "split the chamber",
        "Fish stocks",
        "More from",
        "Election date",
        "Rail strike",
        "Budget gap",
        "Report an error",
        "Environment, Harbour",
    )
    assert result.title == "Harbour pollution report published"


def test_embedded_tweet_keeps_its_text_and_author() -> None:
    result = page("embedded_tweet.html")
    tweet_text = (
        "Appalled by the reports of arrests in the valley. The authorities must #ActNow & release those"
        " held.\nWe will raise this at the Council. pic.twitter.com/xYz123"
    )
    assert paragraphs(result) == [
        ("heading", "Minister condemns arrests"),
        (
            "p",
            "The foreign minister condemned the arrests in a message posted on Twitter on Thursday evening.",
        ),
        ("tweet", tweet_text),
        ("p", "He later told reporters that the government would raise the matter with its partners."),
    ]
    [tweet] = result.tweets
    assert tweet.text == tweet_text
    assert tweet.author == "Alex Example (@ExampleMinister)"
    assert tweet.url == "https://twitter.com/ExampleMinister/status/1085880000000000000"
    assert_absent(result, "widgets.js", "January 17, 2019", "Home", "World")


def test_read_tweet_html_of_an_oembed_fragment() -> None:
    tweet = read_tweet_html(
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Line one,  with   spaces<br/>line'
        ' <a href="https://t.co/x">two</a>.</p>&mdash; Name Surname (@handle) <a href="https://twitter.com/'
        'handle/status/42?ref=x">March 5, 2019</a></blockquote> <script src="w.js"></script>'
    )
    assert tweet is not None
    assert (tweet.text, tweet.author, tweet.url, tweet.published) == (
        "Line one, with spaces\nline two.",
        "Name Surname (@handle)",
        "https://twitter.com/handle/status/42",
        "2019-03-05",
    )
    assert read_tweet_html("<blockquote class='twitter-tweet'><p> </p></blockquote>") is None
    assert read_tweet_html("") is None


def test_page_wrapped_in_an_aspnet_form() -> None:
    result = page("aspnet_form.html")
    assert paragraphs(result) == [
        ("heading", "Statement on harbour works"),
        ("p", "17.01.2019"),
        (
            "p",
            "The Ministry has today approved the first stage of the harbour works, following a public"
            " consultation that received more than 300 responses.",
        ),
        (
            "p",
            'The Minister said the works would "protect the livelihoods of those who depend on the sea" and'
            " would be completed within three years.",
        ),
        ("p", "A full report on the consultation will be published next month."),
    ]
    assert_absent(
        result, "wEPDw", "Ministry of Coastal Affairs", "About the Ministry", "Copyright", "Sitemap"
    )


def test_paragraphs_made_of_double_line_breaks() -> None:
    result = page("br_paragraphs.html")
    assert paragraphs(result) == [
        ("p", "Statement by the Network, 14 January 2019"),
        ("p", "Since the end of December, a new wave of arrests has been reported in the region."),
        (
            "p",
            "According to our information, around 40 people have been detained, and at least two of them have"
            " died as a result of torture.",
        ),
        (
            "p",
            "We ask everyone who has information to contact our hotline:\nphone 8-800-000-00-00\n"
            "email hotline@network.example",
        ),
        ("p", "The Network will continue to document every case."),
    ]
    assert_absent(result, "Home", "Documents")


def test_broken_markup_keeps_all_the_text() -> None:
    result = page("broken.html")
    assert paragraphs(result) == [
        ("p", "First paragraph with an unclosed bold tag and"),
        ("p", "Second paragraph starts without closing the first one."),
        ("p", "Third paragraph after stray closing divs, with italic nested badly words."),
        ("p", "Fourth block in a div"),
        ("p", "with a paragraph inside a span"),
        ("li", "item one"),
        ("li", "item two"),
    ]
    assert result.title == "Broken page"


def test_link_spans_slice_the_anchor_text_and_hrefs_are_absolute() -> None:
    result = page("links.html", base_url="https://ignored.example/because/base/tag/")
    assert [(link.text, link.href) for link in result.links] == [
        ("two reports", "https://news.example/reports/2018"),
        ("The report", "https://osce.example/report.pdf"),
        ("Dana Holt", "https://news.example/section/people/holt"),
        ("Nobody is held to account", "https://news.example/quotes/1"),
        ("protocol-relative", "https://cdn.example/x"),
        ("query link", "https://news.example/section/?page=2"),
        ("percent-encoded", "https://other.example/a%20b"),
        ("Leading link", "https://first.example/"),
        ("spaced anchor", "https://last.example/"),
        ("first part\nsecond part", "https://split.example/"),
    ]
    quote_para = result.text.split(PARAGRAPH_SEPARATOR)[1]
    assert (
        quote_para
        == "The report by the rapporteur was cited by Dana Holt, who said: “Nobody is held to account.”"
    )
    # Fragment, javascript:, mailto: and href-less anchors are text, not links.
    assert "back to top, click, write to us and an empty anchor." in result.text


def test_links_resolve_against_base_url_without_a_base_tag() -> None:
    result = parse_html(
        '<article><p>See <a href="../b/c.html">the page</a> and <a href="https://x.example/">x</a>,'
        ' <a href="http://[broken">a broken URL</a>.</p></article>',
        base_url="https://site.example/a/index.html",
    )
    check_invariants(result)
    assert [(link.text, link.href) for link in result.links] == [
        ("the page", "https://site.example/b/c.html"),
        ("x", "https://x.example/"),
    ]
    # Without any base a relative href cannot be made absolute, so it is not reported.
    assert parse_html('<p><a href="/rel">relative</a> only</p>').links == []


def test_blockquotes_inline_quotes_and_preformatted_text() -> None:
    result = page("blockquotes.html")
    assert paragraphs(result) == [
        ("p", "The statement was short and direct, and its key passage read as follows."),
        ("blockquote", "We are deeply disturbed by credible reports of renewed attacks."),
        ("blockquote", "We call for an immediate investigation."),
        ("p", "A second quote was set apart without paragraphs:"),
        ("blockquote", "Those illegally detained must be released at once."),
        (
            "p",
            "Inline, she said “this cannot go on” and added that “the words ‘never again’ must mean"
            " something”.",
        ),
        ("heading", "A heading in a quote"),
        ("li", "a listed point"),
        ("pre", "preformatted   text\n    keeps its   spacing"),
    ]


def test_whitespace_entities_and_soft_hyphens() -> None:
    result = parse_html(
        "<body><p>  non&nbsp;breaking\tand\n new\u00adline   text  &amp; &#8220;quotes&#8221;</p>"
        "<p>a<br>b <br> c</p></body>"
    )
    assert paragraphs(result) == [("p", "non breaking and newline text & “quotes”"), ("p", "a\nb\nc")]


def test_hidden_and_script_content_never_appear() -> None:
    result = parse_html(
        "<body><article><p>Visible text of the story that is long enough to be the content here.</p>"
        '<p style="display: none">hidden by style</p><p hidden>hidden attribute</p>'
        '<div aria-hidden="true">aria hidden</div><noscript>enable javascript</noscript>'
        "<template><p>template text</p></template><!-- a comment --><svg><text>svg text</text></svg>"
        "<iframe>frame text</iframe><select><option>choice</option></select></article></body>"
    )
    assert result.text == "Visible text of the story that is long enough to be the content here."


def test_page_title_sources() -> None:
    assert parse_html("<title> Only  title </title><p>x</p>").title == "Only title"
    assert parse_html("<title>T</title><h1>Head <b>line</b></h1>").title == "Head line"
    assert parse_html('<meta property="og:title" content="OG"><h1>H</h1>').title == "OG"


# --------------------------------------------------------------------------------------------
# charsets


CYRILLIC = "Около сорока человек были задержаны с конца декабря, сообщила Сеть в понедельник."


def test_windows_1251_declared_only_in_the_header() -> None:
    assert CYRILLIC in page("cp1251_no_meta.html", charset="windows-1251").text


def test_windows_1251_declared_only_in_meta_charset() -> None:
    assert CYRILLIC in page("cp1251_meta_charset.html").text


def test_windows_1251_declared_only_in_meta_http_equiv() -> None:
    assert CYRILLIC in page("cp1251_meta_http_equiv.html").text


def test_header_wins_over_a_wrong_meta() -> None:
    body = (PAGES / "cp1251_no_meta.html").read_bytes().replace(b"<head>", b'<head><meta charset="koi8-r">')
    assert CYRILLIC in parse_html(body, declared_charset="windows-1251").text


def test_undeclared_windows_1251_is_detected() -> None:
    assert CYRILLIC in page("cp1251_no_meta.html").text


def test_utf8_page_with_a_latin1_header() -> None:
    result = page("utf8_wrong_header.html", charset="iso-8859-1")
    assert "Le café « naïve » a rouvert ses portes — c’est officiel" in result.text
    assert "Цитата: «Мы глубоко обеспокоены»." in result.text
    assert result.title == "Café “naïve” — test"


@pytest.mark.parametrize(
    ("body", "declared", "html", "expected"),
    [
        (codecs.BOM_UTF8 + "«é»".encode(), "windows-1251", False, "«é»"),
        (codecs.BOM_UTF16_LE + "«é»".encode("utf-16-le"), None, False, "«é»"),
        (codecs.BOM_UTF16_BE + "«é»".encode("utf-16-be"), None, False, "«é»"),
        ("«é»".encode("utf-32"), None, False, "«é»"),
        ("«é»".encode("utf-16-le"), "utf-16le", False, "«é»"),
        ("Цитата".encode("cp1251"), "windows-1251", False, "Цитата"),
        ("Цитата".encode("koi8-r"), "KOI8-R", False, "Цитата"),
        ("Цитата «x»".encode(), "windows-1251", False, "Цитата «x»"),  # valid UTF-8 wins over the header
        ("café".encode("cp1252"), "utf-8", False, "café"),  # wrong header ignored, then detection
        (b"\x93quoted\x94 \x96 dash", "iso-8859-1", False, "“quoted” – dash"),  # latin-1 read as windows-1252
        (b"\x93q\x94 \x81", "ascii", False, "“q” \x81"),  # an unassigned byte keeps its latin-1 meaning
        ("Цитата".encode("cp1251"), "zlib", False, None),  # not a text codec: ignored
        ("Цитата".encode("cp1251"), "rot13", False, None),
        ("Цитата".encode("cp1251"), "unicode_escape", False, None),
        ("Цитата".encode("cp1251"), "no-such-charset", False, None),
        (b'<meta charset="windows-1251"><p>' + "Цитата".encode("cp1251"), None, True, "Цитата"),
        (b'<meta charset="windows-1251"><p>' + "Цитата".encode("cp1251"), None, False, None),
        (b"", None, False, ""),
        (b"plain ascii", "bogus", True, "plain ascii"),
    ],
)
def test_decode_bytes(body: bytes, declared: str | None, html: bool, expected: str | None) -> None:
    text = decode_bytes(body, declared, html=html)
    if expected is None:  # an unusable declaration is ignored: the same text as with none
        assert text == decode_bytes(body, None)
    else:
        assert expected in text
        assert "\ufeff" not in text


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/html; charset=UTF-8", "UTF-8"),
        ('text/html; charset="windows-1251"', "windows-1251"),
        ("text/html;charset='koi8-r'", "koi8-r"),
        ("text/html; Charset = iso-8859-1 ; foo=bar", "iso-8859-1"),
        ("text/html", None),
        ("", None),
        (None, None),
    ],
)
def test_charset_from_content_type(content_type: str | None, expected: str | None) -> None:
    assert charset_from_content_type(content_type) == expected


@pytest.mark.parametrize(
    ("body", "binary"),
    [
        (b"", False),
        (b"plain text\nwith lines\r\n", False),
        ("кириллица и «кавычки»".encode(), False),
        ("utf-16 text".encode("utf-16"), False),
        (b"\x1b[1mbold\x1b[0m terminal text with a few escapes in it", False),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", True),
        (b"text with a NUL\x00 byte", True),
        (bytes(range(1, 9)) * 50, True),
    ],
)
def test_looks_binary(body: bytes, binary: bool) -> None:
    assert looks_binary(body) is binary


def test_require_text() -> None:
    require_text(b"<p>fine</p>", "article.html")
    with pytest.raises(FactcheckError, match=r"^article\.bin: not a text"):
        require_text(b"\x00\x01\x02", "article.bin")


# --------------------------------------------------------------------------------------------
# robustness: any input, linear time


def test_deep_nesting_and_long_paragraphs_take_linear_time() -> None:
    deep = "<div>" * 3000 + "<p>deep text</p>" + "</div>" * 3000
    start = time.process_time()
    assert parse_html(deep).text == "deep text"
    wide = (
        "<p>"
        + "".join(f"<b>w{i}</b> <a href='https://x.example/{i}'>l{i}</a> " for i in range(3000))
        + "</p>"
    )
    result = parse_html(wide)
    check_invariants(result)
    assert len(result.links) == 3000
    # Both took tens of seconds before the walk became iterative and linear; a second is plenty now.
    assert time.process_time() - start < 8  # CPU time: a busy machine must not fail it


@pytest.mark.parametrize(
    "markup",
    [
        "",
        "<",
        "\x00\x00",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>",
        "<html><head><title>unclosed title<body><p>text",
        "<a href='http://[::1'>bad ipv6</a><base href='http://[bad'>",
        "<blockquote class='twitter-tweet'>only text &mdash; Someone</blockquote>",
        "<blockquote class='twitter-tweet'></blockquote>",
        "index.html",
        "<table><tr><td>a<td>b</table><dl><dt>t<dd>d</dl>",
        "<q><q><q>deep</q></q>",
        "<pre>\r\n a\r\n</pre><br><br><br><hr>",
    ],
)
def test_odd_markup_never_raises(markup: str) -> None:
    check_invariants(parse_html(markup, base_url="https://example.org/x/"))
    check_invariants(parse_html(markup.encode("utf-8", "surrogatepass")))


_TAGS = [
    "p",
    "div",
    "a",
    "b",
    "br",
    "blockquote",
    "li",
    "ul",
    "pre",
    "q",
    "article",
    "aside",
    "nav",
    "form",
    "h2",
]
_fragments = st.one_of(
    st.text(max_size=30),
    st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(
        [
            '<a href="/x">',
            '<a href="https://e.example/">',
            '<blockquote class="twitter-tweet">',
            "&mdash;",
            "&amp;",
            '<div class="comments">',
            '<p class="share">',
            "<!--",
            "-->",
            "<script>",
            "\u00ad",
            "\u00a0",
        ]
    ),
)


@pytest.mark.fuzz
@settings(max_examples=examples(150), deadline=None)
@given(st.lists(_fragments, max_size=40))
def test_fuzz_parse_html_invariants(fragments: list[str]) -> None:
    markup = "".join(fragments)
    check_invariants(parse_html(markup, base_url="https://example.org/a/"))


@pytest.mark.fuzz
@settings(max_examples=examples(150), deadline=None)
@given(st.binary(max_size=400), st.sampled_from([None, "utf-8", "windows-1251", "utf-16", "zlib", "x"]))
def test_fuzz_decode_and_parse_bytes(body: bytes, declared: str | None) -> None:
    assert isinstance(decode_bytes(body, declared, html=True), str)
    looks_binary(body)
    check_invariants(parse_html(body, declared_charset=declared))
