"""The plain-text path: title, byline, headings, lists, quotes, glued captions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.article import clean
from reader.article.plaintext import parse_text

TEXT = """Valley votes to keep the old bridge
By Marta Quell
2025-05-02

The council voted on Thursday to repair the old stone bridge rather than replace it,
ending a debate that has run for three years.

Repairs will start in June.

What the vote means

Traffic will be limited to one lane while the work goes on.

Key points

- The bridge stays open to walkers
- Cars use one lane until October

> The bridge is part of who we are.

Mayor Ines Folau speaks to residentsMayor Ines Folau speaks to residents

Most read

Storm damage closes the coastal path
"""


def test_title_byline_date_and_paragraphs() -> None:
    document = parse_text(TEXT, url="https://valley.example/bridge")
    assert document.title == "Valley votes to keep the old bridge"
    assert document.byline == "Marta Quell"
    assert document.published == "2025-05-02"
    assert document.url == "https://valley.example/bridge"
    lead = document.sections[0]
    assert lead.heading is None
    assert [b.text for b in lead.blocks] == [
        "The council voted on Thursday to repair the old stone bridge rather than replace it, "
        "ending a debate that has run for three years.",
        "Repairs will start in June.",
    ]


def test_headings_lists_quotes_and_captions() -> None:
    document = parse_text(TEXT)
    # "Key points" is the article's summary box, not a section that would swallow the story.
    assert [(s.heading, s.level) for s in document.sections] == [
        (None, 1),
        ("What the vote means", 2),
    ]
    blocks = document.sections[1].blocks
    assert [(b.text, b.kind) for b in blocks] == [
        ("Traffic will be limited to one lane while the work goes on.", "paragraph"),
        ("Key points", "aside"),
        ("The bridge stays open to walkers", "aside"),
        ("Cars use one lane until October", "aside"),
        ("The bridge is part of who we are.", "blockquote"),
    ]
    assert blocks[2].list_id == blocks[3].list_id is not None
    assert document.key_points == [
        "The bridge stays open to walkers",
        "Cars use one lane until October",
    ]
    assert document.captions == ["Mayor Ines Folau speaks to residents"]
    # "Most read" and its box are boilerplate, not a section
    assert all("Storm damage" not in b.text for s in document.sections for b in s.blocks)


def test_lists_are_list_items() -> None:
    document = parse_text("Title\n\nIntro line.\n\n- first thing\n- second\n  continued\n\nEnd.")
    assert [(b.text, b.kind) for b in document.sections[0].blocks] == [
        ("Intro line.", "paragraph"),
        ("first thing", "list_item"),
        ("second continued", "list_item"),
        ("End.", "paragraph"),
    ]


def test_clean_on_plain_text_gives_the_article_shape() -> None:
    article = clean(TEXT.encode(), plain_text=True)
    assert article.title == "Valley votes to keep the old bridge"
    assert "Mayor Ines Folau" not in article.text
    assert article.related == [] or all(link.url is None for link in article.related)


def test_control_characters_are_removed() -> None:
    document = parse_text("Title\x1b[2J here\n\nBody \x1b]0;owned\x07text.")
    assert document.title == "Title here"
    assert document.sections[0].blocks[0].text == "Body text."


def test_empty_text() -> None:
    document = parse_text("")
    assert document.title == "" and document.sections == []
    assert parse_text("Only a title").sections == []


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "\n",
                "\n\n",
                "Heading",
                "A sentence.",
                "- item",
                "> quote",
                "By X",
                "“Open quote",
                "XYZXYZXYZXYZ",
                "2025-01-01",
                " ",
            ]
        )
        | st.text(max_size=30),
        max_size=40,
    ).map(lambda parts: "".join(map(str, parts)))
)
def test_plain_text_never_raises(text: str) -> None:
    article = clean(text, plain_text=True)
    for section in article.sections:
        assert all(p and p == " ".join(p.split()) for p in section.paragraphs)
