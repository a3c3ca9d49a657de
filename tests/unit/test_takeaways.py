"""The takeaways pass and the sentence splitter it relies on."""

from __future__ import annotations

import pytest

from reader.article.document import Block, Document, DraftSection
from reader.article.sentences import split_sentences
from reader.article.takeaways import pick_takeaways

LEAD = [
    "MOSCOW (Meridian) — Russian President Vladimir Putin told U.S. President Donald Trump in a "
    "phone call on Thursday that Moscow would pursue its aims in Ukraine, a Kremlin aide said.",
    "The call came a day after Washington paused deliveries of some air defence missiles to Kyiv. "
    "Key takeaways from the call include peace talks, Iran and trade.",
    "He said the leaders would talk again soon.",
]


def _doc(
    paragraphs: list[str | Block],
    *,
    description: str | None = None,
    key_points: list[str] | None = None,
    heading: str | None = None,
) -> Document:
    blocks = [p if isinstance(p, Block) else Block(p) for p in paragraphs]
    return Document(
        title="Putin tells Trump Russia will not back down in Ukraine",
        description=description,
        key_points=key_points,
        sections=[DraftSection(heading, 1, blocks)],
    )


def test_page_key_points_are_used_verbatim() -> None:
    points = [
        "Drivers pay £6 a day from April",
        "Residents get a 90% discount",
        "Drivers pay £6 a day from April",
    ]
    assert pick_takeaways(_doc(LEAD, key_points=points)) == points[:2]


@pytest.mark.parametrize(
    "label",
    [
        "Key points",
        "Key takeaways",
        "What we know so far",
        "Story highlights",
        "At a glance",
        "Summary",
    ],
)
def test_explicit_list_under_a_heading(label: str) -> None:
    items = [
        Block("First point of the story", "list_item", list_id=3),
        Block("Second point of the story", "list_item", list_id=3),
    ]
    document = Document(
        title="t",
        sections=[
            DraftSection(None, 1, [Block(p) for p in LEAD]),
            DraftSection(label, 2, [*items, Block("Other", "list_item", list_id=4)]),
        ],
    )
    assert pick_takeaways(document) == ["First point of the story", "Second point of the story"]


def test_explicit_list_after_a_lead_in_block() -> None:
    document = _doc(
        [
            LEAD[0],
            "What we know:",
            Block("The storm hit at night", "list_item", list_id=1),
            Block("Power is back in half of homes", "list_item", list_id=1),
            "More text follows here.",
        ]
    )
    assert pick_takeaways(document) == ["The storm hit at night", "Power is back in half of homes"]


def test_chosen_sentences_description_announcement_and_lead() -> None:
    description = (
        "The leaders spoke for almost an hour, their sixth call this year, as weapons "
        "deliveries to Kyiv stall."
    )
    takeaways = pick_takeaways(_doc(LEAD, description=description))
    assert takeaways[0] == description
    assert takeaways[1].startswith("Russian President Vladimir Putin told")  # dateline cut
    assert "Key takeaways from the call include peace talks, Iran and trade." in takeaways
    assert "He said the leaders would talk again soon." not in takeaways  # leans on "he"
    assert len(takeaways) <= 6
    assert len(set(takeaways)) == len(takeaways)


@pytest.mark.parametrize(
    "description",
    [
        "Putin tells Trump Russia will not back down in Ukraine",  # the title again
        "Get the latest news and analysis. Subscribe to our newsletter for more.",  # boilerplate
        "Short one.",
    ],
)
def test_uninformative_description_is_skipped(description: str) -> None:
    assert description not in pick_takeaways(_doc(LEAD, description=description))


def test_description_repeating_the_lead_is_not_doubled() -> None:
    description = (
        "Russian President Vladimir Putin told U.S. President Donald Trump in a phone "
        "call on Thursday that Moscow would pursue its aims in Ukraine."
    )
    takeaways = pick_takeaways(_doc(LEAD, description=description))
    assert sum("would pursue its aims" in t for t in takeaways) == 1


def test_at_most_six_sentences() -> None:
    paragraphs = [
        f"Paragraph {n} reports that officials in district {n} counted {n * 100} "
        f"damaged houses after the storm on Sunday night."
        for n in range(1, 12)
    ]
    takeaways = pick_takeaways(
        _doc(
            paragraphs,
            description="A long and informative standfirst "
            "about the storm damage across eleven districts.",
        )
    )
    assert 1 <= len(takeaways) <= 6


def test_empty_document_has_no_takeaways() -> None:
    assert pick_takeaways(Document(title="", sections=[])) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Ushakov said the U.S. pause was 3.5 percent. He left.",
            ["Mr. Ushakov said the U.S. pause was 3.5 percent.", "He left."],
        ),
        ("He met John F. Kennedy. Then he left!", ["He met John F. Kennedy.", "Then he left!"]),
        (
            "It grew in the U.S. The next day it fell.",
            ["It grew in the U.S.", "The next day it fell."],
        ),
        (
            "“We won. We fought,” he said. She agreed.",
            ["“We won. We fought,” he said.", "She agreed."],
        ),
        (
            "Dr. Smith arrived on Sept. 11 at 9 a.m. and spoke.",
            ["Dr. Smith arrived on Sept. 11 at 9 a.m. and spoke."],
        ),
    ],
)
def test_sentence_splitter(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
