"""The related-coverage pass: in-text cues, labelled lines and page boxes."""

from __future__ import annotations

import lxml.html
import pytest

from reader.article.document import Anchor, Block, Document, DraftSection
from reader.article.related import find_related

URL = "https://news.example/world/putin-trump-call"
CUE = "For more on the US pause in weapons shipments to Ukraine, read this related article."


def _block(text: str, *links: tuple[str, str]) -> Block:
    return Block(text, anchors=[Anchor(anchor, href, text.find(anchor)) for anchor, href in links])


def _doc(*blocks: Block, page: str | None = None, url: str | None = URL) -> Document:
    tree = lxml.html.fromstring(page) if page is not None else None
    if tree is None and url is not None:
        tree = lxml.html.fromstring("<html><body><p>x</p></body></html>")
    return Document(
        title="t", url=url, page_tree=tree, sections=[DraftSection(None, 1, list(blocks))]
    )


def test_generic_anchor_takes_its_title_from_the_sentence() -> None:
    links = find_related(
        _doc(_block(CUE, ("this related article", "https://news.example/world/us-pause")))
    )
    assert [(link.title, link.url, link.context) for link in links] == [
        ("the US pause in weapons shipments to Ukraine", "https://news.example/world/us-pause", CUE)
    ]


def test_descriptive_anchor_is_its_own_title() -> None:
    text = "Read our explainer on why the talks stalled for more background."
    links = find_related(
        _doc(_block(text, ("why the talks stalled", "https://news.example/explainers/talks")))
    )
    assert [(link.title, link.url) for link in links] == [
        ("why the talks stalled", "https://news.example/explainers/talks")
    ]


def test_labelled_lines() -> None:
    blocks = [
        _block(
            "Related: Zelenskyy meets European leaders in Denmark",
            ("Zelenskyy meets European leaders in Denmark", "https://news.example/a"),
        ),
        _block(
            "See also: The grain deal, one year on",
            ("The grain deal, one year on", "https://news.example/b"),
        ),
        _block(
            "Read more: Iran talks resume in Oman",
            ("Iran talks resume in Oman", "https://news.example/c"),
        ),
    ]
    assert [link.title for link in find_related(_doc(*blocks))] == [
        "Zelenskyy meets European leaders in Denmark",
        "The grain deal, one year on",
        "Iran talks resume in Oman",
    ]


def test_ordinary_links_in_the_body_are_not_related_coverage() -> None:
    text = "The Kremlin published a readout of the call on its website on Thursday."
    readout = _block(text, ("a readout of the call", "https://kremlin.example/r"))
    assert find_related(_doc(readout)) == []


PAGE = """<html><head><base href="https://news.example/"></head><body>
<nav><a href="/world/europe/ukraine-latest">Ukraine latest developments today</a></nav>
<header><h3>Related</h3><a href="/world/header-link-story">Header link story here</a></header>
<article><p>Body.</p><p>More body text without links at all.</p></article>
<aside class="story-package"><h2>More on this story</h2><ul>
  <li><a href="/world/us-pause">US pauses some weapons shipments to Ukraine</a></li>
  <li><a href="world/analysis-call">Analysis: what the call means for Kyiv</a></li>
  <li><a href="/world/us-pause#comments">US pauses some weapons shipments (comments)</a></li>
  <li><a href="/tag/ukraine">Ukraine tag page link</a></li>
  <li><a href="https://twitter.com/intent/tweet?url=x">Share this on Twitter</a></li>
  <li><a href="/world/putin-trump-call">This very article again</a></li>
</ul></aside>
<div class="most-read"><h2>Most read</h2>
  <a href="/life/pets-heat">Keep your pets cool this summer</a></div>
<section class="trending"><h2>Related</h2>
  <a href="/life/trending-story">A trending story link</a></section>
<section><h3>Related stories</h3><div><a href="/world/iran-talks"><h4>Iran talks resume in Oman</h4>
  <p>Teaser text</p></a></div></section>
<p><a class="read-more" href="/world/teaser">Read more</a></p>
<footer><h3>See also</h3><a href="/about/company">About our company and staff</a></footer>
</body></html>"""


def test_boxes_anywhere_on_the_page_but_never_navigation_or_most_read() -> None:
    links = find_related(_doc(_block("Body."), page=PAGE))
    assert [(link.title, link.url, link.context) for link in links] == [
        (
            "US pauses some weapons shipments to Ukraine",
            "https://news.example/world/us-pause",
            "More on this story",
        ),
        (
            "Analysis: what the call means for Kyiv",
            "https://news.example/world/analysis-call",
            "More on this story",
        ),
        ("Iran talks resume in Oman", "https://news.example/world/iran-talks", "Related stories"),
    ]


def test_in_text_and_box_links_are_not_duplicated() -> None:
    cue = _block(CUE, ("this related article", "https://news.example/world/us-pause"))
    links = find_related(_doc(cue, page=PAGE))
    assert [link.url for link in links].count("https://news.example/world/us-pause") == 1
    assert links[0].title == "the US pause in weapons shipments to Ukraine"


def test_plain_text_related_entries_have_no_url() -> None:
    document = Document(
        title="t",
        sections=[
            DraftSection(
                None,
                1,
                [Block(CUE), Block("See also: Coastal towns weigh the cost of sea defences.")],
            )
        ],
    )
    links = find_related(document)
    assert [(link.title, link.url) for link in links] == [
        ("the US pause in weapons shipments to Ukraine", None),
        ("Coastal towns weigh the cost of sea defences", None),
    ]
    assert links[0].context == CUE


def test_read_more_label_in_the_body_takes_the_list_after_it() -> None:
    page = """<html><body><article>
    <p>The council voted on Tuesday after a long debate about the new charge and its effects.</p>
    <p><strong>Read more</strong></p>
    <ul><li><a href="/news/charge-consultation">What residents told the council</a></li>
        <li><a href="/news/tram-extension">Tram extension to Eastfield approved</a></li></ul>
    <p>More body text follows, with <a href="/elsewhere">an ordinary link</a> in it.</p>
    </article></body></html>"""
    links = find_related(_doc(_block("Body."), page=page))
    assert [link.url for link in links] == [
        "https://news.example/news/charge-consultation",
        "https://news.example/news/tram-extension",
    ]


# -- bounded work on hostile pages (issue 9 item 5) ----------------------------------------


def _many_links_block(count: int) -> Block:
    """One paragraph of `count` onward-reading sentences, each with its own link."""
    sentences, anchors, position = [], [], 0
    for n in range(count):
        anchor = f"the ferry timetable story number {n}"
        sentence = f"For more on the harbour dispute {n}, read {anchor}."
        start = position + sentence.index(anchor)  # exact offsets, as blocks.py records them
        anchors.append(Anchor(anchor, f"https://news.example/ferries/{n}", start))
        sentences.append(sentence)
        position += len(sentence) + 1
    return Block(" ".join(sentences), anchors=anchors)


def test_related_pass_is_linear_in_the_number_of_links() -> None:
    """10k links took 7.5 s and 100k never finished: each sentence scanned every link."""
    import time

    small, large = _many_links_block(5_000), _many_links_block(50_000)
    started = time.perf_counter()
    assert len(find_related(_doc(small))) == 5_000
    small_seconds = time.perf_counter() - started
    started = time.perf_counter()
    assert len(find_related(_doc(large))) == 50_000
    large_seconds = time.perf_counter() - started
    # Ten times the links: about ten times the work (quadratic would be a hundred).
    assert large_seconds < 25 * small_seconds + 0.5, (small_seconds, large_seconds)


@pytest.mark.slow
def test_a_hundred_thousand_links_finish_in_bounded_time() -> None:
    import time

    block = _many_links_block(100_000)
    started = time.perf_counter()
    links = find_related(_doc(block))
    assert len(links) == 100_000
    assert time.perf_counter() - started < 30  # about 3 s here; never finished before


def test_link_titles_and_contexts_are_capped() -> None:
    from reader.article.related import MAX_CONTEXT_CHARS, MAX_TITLE_CHARS

    anchor = "harbour " * 100_000
    text = f"For more on the dispute, read {anchor}."
    [link] = find_related(_doc(_block(text, (anchor.strip(), "https://news.example/long"))))
    assert len(link.title) <= MAX_TITLE_CHARS and link.title.endswith("…")
    assert len(link.context) <= MAX_CONTEXT_CHARS


def test_thousands_of_box_labels_stay_cheap() -> None:
    import time

    from reader.article.related import MAX_BOX_LABELS

    boxes = "".join(
        f"<div><h3>Related</h3><ul><li><a href='/s/{n}'>Ferry story number {n} returns</a>"
        "</li></ul></div>"
        for n in range(5_000)
    )
    labels_only = "<p><b>Related</b></p>" * 5_000 + "<p>" + "<a href='/x'>x</a> " * 5_000 + "</p>"
    for body in (boxes, labels_only):
        started = time.perf_counter()
        links = find_related(_doc(page=f"<html><body><article>{body}</article></body></html>"))
        assert time.perf_counter() - started < 5
        assert len(links) <= MAX_BOX_LABELS
