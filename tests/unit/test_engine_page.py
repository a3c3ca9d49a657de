"""The page layer: decoding, metadata and the main content of an HTML page."""

from __future__ import annotations

import codecs
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.article import clean
from reader.article.page import decode_html, normalise_date, parse_page, read_metadata

BODY = (
    "<p>The harbour board voted on Tuesday to close the old ferry pier for repairs, "
    "a decision that will reroute about four thousand commuters for most of the winter.</p>"
    "<p>Engineers found corrosion in three of the pier's steel piles during a routine "
    "inspection in August, the board said, and recommended replacing them before the storms.</p>"
    "<p>Temporary boats will run from the north quay, which will add roughly ten minutes "
    "to the crossing, according to the timetable published on the board's website.</p>"
)


def page(head: str = "", body: str = BODY, html_attrs: str = "") -> str:
    return (
        f"<!DOCTYPE html><html{html_attrs}><head>{head}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article>{body}</article><footer>© Harbour Gazette</footer></body></html>"
    )


# --- decoding ---------------------------------------------------------------------------------


def test_http_charset_wins_over_a_wrong_guess() -> None:
    data = page(body="<p>Crème brûlée à la carte</p>").encode("cp1252")
    assert "Crème brûlée" in decode_html(data, "text/html; charset=windows-1252")


def test_meta_charset_is_used_without_a_header() -> None:
    data = page('<meta charset="iso-8859-1">', "<p>Déjà vu</p>").encode("latin-1")
    assert "Déjà vu" in decode_html(data)


def test_bom_wins_over_a_wrong_header() -> None:
    data = codecs.BOM_UTF8 + page(body="<p>Zürich</p>").encode("utf-8")
    assert "Zürich" in decode_html(data, "text/html; charset=iso-8859-1")
    utf16 = codecs.BOM_UTF16_LE + page(body="<p>Łódź</p>").encode("utf-16-le")
    assert "Łódź" in decode_html(utf16)


def test_undeclared_bytes_fall_back_to_utf8_then_windows_1252() -> None:
    assert "naïve" in decode_html("<p>naïve</p>".encode())
    assert "naïve “quote”" in decode_html("<p>naïve “quote”</p>".encode("cp1252"))


def test_unknown_and_lying_charsets_do_not_raise() -> None:
    assert "ok" in decode_html(b"<meta charset='x-klingon'><p>ok</p>")
    assert "ok" in decode_html(b"<p>ok \xff\xfe</p>", "text/html; charset=utf-8")


def test_clean_decodes_bytes_from_content_type() -> None:
    body = BODY.replace("harbour board", "conseil du port élu")
    article = clean(page(body=body).encode("cp1252"), content_type="text/html; charset=cp1252")
    assert "conseil du port élu" in article.text


# --- metadata ---------------------------------------------------------------------------------


def test_title_from_og_title_without_site_tail() -> None:
    head = (
        "<title>Old pier to close | Harbour Gazette</title>"
        '<meta property="og:title" content="Old ferry pier to close for winter repairs | '
        'Harbour Gazette"><meta property="og:site_name" content="Harbour Gazette">'
    )
    document = parse_page(page(head))
    assert document.title == "Old ferry pier to close for winter repairs"
    assert document.site == "Harbour Gazette"


def test_title_from_h1_then_title_tail_cut() -> None:
    body = "<h1>Ferry pier closes for repairs</h1>" + BODY
    assert (
        parse_page(page("<title>Ferry pier closes for repairs - Gazette</title>", body)).title
        == "Ferry pier closes for repairs"
    )
    assert (
        parse_page(page("<title>Council backs new cycle lanes | City Desk</title>")).title
        == "Council backs new cycle lanes"
    )


def test_byline_from_meta_element_and_by_line() -> None:
    assert parse_page(page('<meta name="author" content="Ines Marlow">')).byline == "Ines Marlow"
    body = '<div class="byline">By <a rel="author" href="/ines">Ines Marlow</a></div>' + BODY
    assert parse_page(page(body=body)).byline == "Ines Marlow"


def test_byline_and_date_from_json_ld() -> None:
    head = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@graph": [{"@type": "NewsArticle", "headline": "Pier closes", '
        '"datePublished": "2025-03-04T08:30:00Z", "author": [{"@type": "Person", '
        '"name": "Ines Marlow"}, {"@type": "Person", "name": "Tom Reyes"}], '
        '"publisher": {"@type": "Organization", "name": "Harbour Gazette"}}]}</script>'
    )
    document = parse_page(page(head))
    assert document.byline == "Ines Marlow, Tom Reyes"
    assert document.published == "2025-03-04T08:30:00+00:00"
    assert document.site == "Harbour Gazette"
    assert document.title == "Pier closes"


def test_published_from_meta_then_time_element() -> None:
    head = '<meta property="article:published_time" content="2025-03-04T08:30:00+0100">'
    assert parse_page(page(head)).published == "2025-03-04T08:30:00+01:00"
    body = '<time datetime="2024-11-30">30 November</time>' + BODY
    assert parse_page(page(body=body)).published == "2024-11-30"


def test_description_and_language() -> None:
    head = '<meta name="description" content="Commuters face a longer crossing.">'
    document = parse_page(page(head, html_attrs=' lang="en-GB"'))
    assert document.description == "Commuters face a longer crossing."
    assert document.lang == "en-GB"


def test_dates_in_common_shapes() -> None:
    assert normalise_date("2025-07-03T10:00:00Z") == "2025-07-03T10:00:00+00:00"
    assert normalise_date("July 3, 2025") == "2025-07-03"
    assert normalise_date("3 July 2025 10:00") == "2025-07-03"
    assert normalise_date("03.07.2025") == "2025-07-03"
    assert normalise_date("yesterday") is None
    assert normalise_date("2025-13-45") is None


def test_metadata_text_is_made_safe() -> None:
    import lxml.html

    tree = lxml.html.document_fromstring(
        '<html><head><meta name="author" content="Eve \x1b]0;pwned\x07Mallory"></head>'
        "<body><p>x</p></body></html>"
    )
    assert read_metadata(tree).byline == "Eve Mallory"


# --- main content -----------------------------------------------------------------------------


def test_navigation_and_footer_are_not_content() -> None:
    article = clean(page())
    text = article.text
    assert "four thousand commuters" in text
    assert "Home" not in text and "Harbour Gazette" not in text
    assert len(article.sections[0].paragraphs) == 3


def test_relative_links_become_absolute() -> None:
    body = BODY.replace("routine", "<a href='/reports/pier-2025'>routine</a>")
    document = parse_page(page(body=body), url="https://gazette.example/news/pier")
    anchors = [a for s in document.sections for b in s.blocks for a in b.anchors]
    assert anchors[0].href == "https://gazette.example/reports/pier-2025"
    assert anchors[0].text == "routine"
    block = next(b for s in document.sections for b in s.blocks if b.anchors)
    assert block.text[anchors[0].start :].startswith("routine")


def test_base_element_is_honoured() -> None:
    body = BODY.replace("routine", "<a href='pier'>routine</a>")
    document = parse_page(
        page('<base href="https://cdn.example/a/">', body), url="https://gazette.example/x"
    )
    anchors = [a for s in document.sections for b in s.blocks for a in b.anchors]
    assert anchors[0].href == "https://cdn.example/a/pier"


def test_hidden_elements_and_scripts_are_dropped() -> None:
    body = (
        BODY + "<p style='display:none'>Secret tracking text that nobody sees at all.</p>"
        "<script>var x = 'script text';</script>"
    )
    text = clean(page(body=body)).text
    assert "Secret tracking" not in text and "script text" not in text


def test_empty_and_broken_pages_give_an_empty_article() -> None:
    for source in ("", b"", "   ", "<html>", "\x00\x00", b"\xff\xfe\x00", "<<<>>>"):
        article = clean(source)
        assert article.sections == [] or all(
            isinstance(s.paragraphs, list) for s in article.sections
        )


_PIECES = st.sampled_from(
    [
        *"<>/ph1ab=\"' \n&;xé“”\x1b\x00",
        "<p>",
        "</p>",
        "<h2>",
        "</h2>",
        "<li>",
        "<ul>",
        "<figure>",
        "<figcaption>",
        "<strong>",
        "<a href=x>",
        "<a href='javascript:x'>",
        "<script>",
        "<br>",
        "<blockquote>",
        "<img alt=",
        " said the minister.",
        "Most read",
        "<meta charset=utf-16>",
        "<title>",
        "<table><tr><td>",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES | st.text(max_size=20), max_size=60).map("".join))
def test_engine_never_raises_on_arbitrary_html(source: str) -> None:
    article = clean(source, url="https://example.test/a")
    data = article.to_json()
    assert isinstance(data["title"], str)
    for section in data["sections"]:
        assert all(
            isinstance(p, str) and p == " ".join(p.split()) and p for p in section["paragraphs"]
        )
    clean(source.encode("utf-8", "replace"))


def test_script_rendered_page_falls_back_to_json_ld_article_body() -> None:
    story = [
        f"Paragraph {n} of the full story, which the page only renders with scripts, "
        f"says what the harbour board decided and why it matters."
        for n in range(1, 9)
    ]
    head = (
        '<script type="application/ld+json">'
        + json.dumps(
            {"@type": "NewsArticle", "headline": "Pier closes", "articleBody": "\n\n".join(story)}
        )
        + "</script>"
    )
    teaser = "<p>Read the <a href='/full'>full story</a> on the harbour board's pier plan.</p>"
    article = clean(page(head, teaser))
    assert article.sections[0].paragraphs == story
    # A page that shows its whole text keeps its own paragraphs (and their links).
    own = re.sub(r"<[^>]+>", "\n", BODY)
    same = head.replace(json.dumps("\n\n".join(story)), json.dumps(own))
    assert (
        clean(page(same, BODY)).sections[0].paragraphs
        == clean(page("", BODY)).sections[0].paragraphs
    )


def test_control_characters_in_the_page_do_not_lose_the_body(
    capfd: pytest.CaptureFixture[str],
) -> None:
    body = BODY.replace("harbour board", "harbour\x00 board\x08").replace("</p>", "\x1b</p>", 1)
    article = clean(page(body=f"<div>Loose text\x08 in a div<p>x</p>{body}</div>"))
    assert "four thousand commuters" in article.text
    assert "\x00" not in article.text and "\x1b" not in article.text
    assert capfd.readouterr().err == ""  # readability's own logging stays quiet


def test_escape_sequences_in_the_page_leave_no_payload_behind() -> None:
    html = page(
        "<title>\x1b]0;pwned\x07Hostile [bold]page[/]</title>",
        BODY.replace("harbour board", "harbour \x1b[2Jboard"),
    )
    article = clean(html.encode())
    assert article.title == "Hostile [bold]page[/]"
    assert "harbour board" in article.text and "[2J" not in article.text


def test_a_stray_c1_byte_keeps_all_the_text_after_it() -> None:
    # A mis-decoded sign leaves a lone U+009D (8-bit OSC, never terminated) or
    # U+009B (8-bit CSI) in the text; only that character may go.
    body = BODY.replace("harbour board", "harbour\x9d board").replace(
        "steel piles", "steel \x9bpiles"
    )
    article = clean(page(body=body))
    assert "four thousand commuters" in article.text
    assert "steel piles" in article.text and "ten minutes" in article.text
    assert "\x9d" not in article.text and "\x9b" not in article.text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Price\x9d 10 euros, then more text", "Price 10 euros, then more text"),
        ("a\x9bHello b", "aHello b"),
        ("keep \x9d0;title\x07this", "keep this"),  # a whole 8-bit OSC goes
        ("keep \x9b2Jthis", "keep this"),  # a whole 8-bit CSI goes
        ("keep \x1b]0;title\x1b\\this", "keep this"),
        ("cut \x1b]0;never ended and the rest stays", "cut 0;never ended and the rest stays"),
        ("lone \x90 and \x9e stay out", "lone and stay out"),
    ],
)
def test_escape_sequences_go_whole_and_lone_c1_controls_alone(raw: str, expected: str) -> None:
    from reader.text import clean_text, remove_escape_sequences, strip_unsafe

    assert clean_text(raw) == expected
    assert "\x9d" not in strip_unsafe(raw) and "this" in strip_unsafe(raw + "this")
    assert remove_escape_sequences(raw + " tail").endswith("tail")
