"""Sections: real and bold pseudo-headings, boilerplate boxes, key-points lists."""

from __future__ import annotations

from reader.article import clean
from reader.article.page import parse_page
from reader.article.sections import is_boilerplate_heading, is_key_points_heading

LEAD = (
    "<p>The regional water authority announced on Monday that hosepipe restrictions "
    "would stay in force until the reservoirs recover, after the driest spring in decades.</p>"
)


def para(n: int) -> str:
    return (
        f"<p>Paragraph {n} explains, in a sentence long enough to be counted as body text "
        f"by any extractor, one more detail of the water authority's decision.</p>"
    )


def page(body: str) -> str:
    return (
        f"<html><head><title>Hosepipe ban stays | Valley Post</title></head><body>"
        f"<div id='menu'><a href='/'>Home</a></div><article><h1>Hosepipe ban stays</h1>"
        f"{body}</article></body></html>"
    )


def test_h2_to_h4_make_nested_sections() -> None:
    body = (
        LEAD
        + "<h2>What changes</h2>"
        + para(1)
        + "<h3>For gardens</h3>"
        + para(2)
        + "<h4>Watering cans</h4>"
        + para(3)
        + "<h2>Why now</h2>"
        + para(4)
    )
    article = clean(page(body))
    assert [(s.heading, s.level) for s in article.sections] == [
        (None, 1),
        ("What changes", 2),
        ("For gardens", 3),
        ("Watering cans", 4),
        ("Why now", 2),
    ]
    assert article.sections[0].paragraphs[0].startswith("The regional water authority")
    assert article.sections[2].paragraphs == [
        "Paragraph 2 explains, in a sentence long enough to be counted as body text by any "
        "extractor, one more detail of the water authority's decision."
    ]


def test_h3_only_articles_start_at_level_2() -> None:
    article = clean(page(LEAD + "<h3>First</h3>" + para(1) + "<h3>Second</h3>" + para(2)))
    assert [(s.heading, s.level) for s in article.sections][1:] == [("First", 2), ("Second", 2)]


def test_bold_only_paragraphs_are_headings_but_bold_sentences_are_not() -> None:
    body = (
        LEAD
        + "<p><strong>Who is affected?</strong></p>"
        + para(1)
        + "<p><b>The ban covers every household in the valley.</b></p>"
        + para(2)
    )
    article = clean(page(body))
    assert [s.heading for s in article.sections] == [None, "Who is affected?"]
    assert "The ban covers every household in the valley." in article.sections[1].paragraphs


def test_boilerplate_headings_and_their_boxes_are_not_sections() -> None:
    box = (
        "<h2>Most read</h2><ul><li><a href='/a'>Storm closes coastal road</a></li>"
        "<li><a href='/b'>Library reopens after flood</a></li></ul>"
    )
    body = LEAD + para(1) + box + "<h2>Related stories</h2><p><a href='/c'>Earlier: "
    body += "reservoir levels fall</a></p><h3>Share this article</h3><p>Advertisement</p>"
    body += "<h2>Newsletter: the morning brief</h2>" + para(2)
    article = clean(page(body))
    headings = [s.heading for s in article.sections]
    assert headings == [None]
    text = article.text
    assert "Storm closes coastal road" not in text and "Advertisement" not in text
    assert "Paragraph 2" in text  # real prose after a promo heading is kept


def test_boilerplate_heading_list() -> None:
    for text in (
        "Most read",
        "Most Popular",
        "Related stories",
        "Share",
        "Share this story",
        "Advertisement",
        "Sign up for our newsletter",
        "The Daily Brief newsletter",
        "You may also like...",
        "Trending now",
        "More on this story",
        "Comments",
    ):
        assert is_boilerplate_heading(text), text
    for text in (
        "Focus on Ukraine",
        "Context of the Call and Weapons Shipments",
        "Conclusion",
        "What happens next?",
        "Share prices fall as the bank warns on profits",
    ):
        assert not is_boilerplate_heading(text), text


def test_share_rows_and_link_teasers_are_not_paragraphs() -> None:
    share = "<p><a href='/s1'>Facebook</a> <a href='/s2'>Twitter</a> <a href='/s3'>Email</a></p>"
    teaser = "<p><a href='/other'>Council plans new bus lanes on the ring road</a></p>"
    body = LEAD + share + para(1) + teaser + "<p>Tags: water, drought, valley</p>" + para(2)
    document = parse_page(page(body), url="https://post.example/a")
    printed = [b.text for s in document.sections for b in s.blocks if b.kind != "aside"]
    asides = [b.text for s in document.sections for b in s.blocks if b.kind == "aside"]
    assert len(printed) == 3
    assert "Council plans new bus lanes on the ring road" in asides
    assert "Facebook Twitter Email" in asides


def test_key_points_list_is_found_on_the_page() -> None:
    box = (
        "<aside><h3>Key points</h3><ul><li>Hosepipe ban stays until reservoirs recover</li>"
        "<li>Fines of up to 1,000 for breaking the rules</li></ul></aside>"
    )
    document = parse_page(page(box + LEAD + para(1)))
    assert document.key_points == [
        "Hosepipe ban stays until reservoirs recover",
        "Fines of up to 1,000 for breaking the rules",
    ]
    assert is_key_points_heading("What we know so far")
    assert not is_key_points_heading("Key West holidays")


def test_lists_keep_their_items_and_ids() -> None:
    body = (
        LEAD + "<ul><li>Gardens with sprinklers are included in the rules.</li>"
        "<li>Car washing with a hose is included as well.</li></ul>" + para(1)
    )
    document = parse_page(page(body))
    items = [b for s in document.sections for b in s.blocks if b.kind == "list_item"]
    assert [b.text for b in items] == [
        "Gardens with sprinklers are included in the rules.",
        "Car washing with a hose is included as well.",
    ]
    assert items[0].list_id == items[1].list_id is not None


def test_pull_quotes_and_embeds_are_kept_but_not_printed() -> None:
    body = (
        LEAD + para(1) + "<blockquote class='pullquote'><p>We cannot make it rain</p>"
        "</blockquote><blockquote class='twitter-tweet'><p>Water is precious, save it now"
        "</p></blockquote><blockquote><p>A quoted letter from the authority.</p></blockquote>"
        + para(2)
    )
    document = parse_page(page(body))
    kinds = {b.text: b.kind for s in document.sections for b in s.blocks}
    assert kinds["We cannot make it rain"] == "pullquote"
    assert kinds["A quoted letter from the authority."] == "blockquote"
    article = clean(page(body))
    assert "We cannot make it rain" not in article.text
    assert "A quoted letter from the authority." in article.text


def test_date_lines_repeated_byline_and_author_bios_are_not_paragraphs() -> None:
    head = '<meta name="author" content="Marta Quell">'
    body = (
        LEAD
        + "<p>Updated 5:27 am CST, Wednesday, November 20, 2019</p><p>Marta Quell</p>"
        + para(1)
        + "<p>Marta Quell is a reporter for the Valley Post.</p>"
        + "<p>Call 02-751-1500 for the helpline.</p>"
    )
    html = page(body).replace("<head>", f"<head>{head}")
    article = clean(html)
    assert article.byline == "Marta Quell"
    assert article.sections[0].paragraphs[1:] == [
        "Paragraph 1 explains, in a sentence long enough to be counted as body text by any "
        "extractor, one more detail of the water authority's decision.",
        "Call 02-751-1500 for the helpline.",
    ]


def test_a_key_points_box_does_not_swallow_the_story() -> None:
    box = (
        "<h2>Key points</h2><ul><li>Hosepipe ban stays until reservoirs recover</li>"
        "<li>Fines of up to 1,000 for breaking the rules</li></ul>"
    )
    document = parse_page(page(box + LEAD + para(1) + "<h2>Why now</h2>" + para(2)))
    assert [s.heading for s in document.sections] == [None, "Why now"]
    assert document.key_points == [
        "Hosepipe ban stays until reservoirs recover",
        "Fines of up to 1,000 for breaking the rules",
    ]
    article = clean(page(box + LEAD + para(1) + "<h2>Why now</h2>" + para(2)))
    assert article.sections[0].paragraphs[0].startswith("The regional water authority")
    assert "Fines of up to" not in article.text


def test_signed_reader_comments_after_the_story_are_left_out() -> None:
    from reader.article import clean

    story = "".join(
        f"<p>Paragraph {n} of the post explains how the allotment society shares its "
        f"water between the plots during a dry summer, and why the rota works.</p>"
        for n in range(4)
    )
    thread = "".join(
        f"<p>Comment {n}: we tried the same rota on our plots last summer and it worked "
        f"well, although the plot by the gate always seemed to get less than its share.</p>"
        f"<p>Posted by: Gardener {n} | Mar {n + 2}, 2007 2:0{n}:18 PM</p>"
        for n in range(4)
    )
    html = (
        "<html><head><title>Sharing water</title></head><body><div class='entry'>"
        f"{story}<p>Posted by Ada on March 1, 2007 | Permalink</p>"
        f"<h3>Comments</h3>{thread}</div></body></html>"
    )
    texts = [p for s in clean(html).sections for p in s.paragraphs]
    assert len([t for t in texts if t.startswith("Paragraph")]) == 4
    assert not any("Comment" in t or "Gardener" in t for t in texts)
