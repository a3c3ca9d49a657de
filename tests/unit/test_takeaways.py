"""The takeaways pass and the sentence splitter it relies on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader.article import clean
from reader.article.document import Block, Document, DraftSection
from reader.article.sentences import split_prose, split_sentences
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


def test_chosen_sentences_lead_and_announcement_without_the_standfirst() -> None:
    description = (
        "The leaders spoke for almost an hour, their sixth call this year, as weapons "
        "deliveries to Kyiv stall."
    )
    takeaways = pick_takeaways(_doc(LEAD, description=description))
    assert description not in takeaways  # the header shows it already
    assert takeaways[0].startswith("Russian President Vladimir Putin told")  # dateline cut
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
def test_description_is_never_a_takeaway(description: str) -> None:
    assert description not in pick_takeaways(_doc(LEAD, description=description))


def test_lead_sentence_repeating_the_shown_standfirst_is_left_out() -> None:
    description = (
        "Russian President Vladimir Putin told U.S. President Donald Trump in a phone "
        "call on Thursday that Moscow would pursue its aims in Ukraine."
    )
    takeaways = pick_takeaways(_doc(LEAD, description=description))
    assert takeaways
    assert not any("would pursue its aims" in t for t in takeaways)


def test_standfirst_that_opens_the_body_is_not_in_the_header_so_the_lead_may_repeat_it() -> None:
    description = LEAD[0]  # the app shows it as the first paragraph, not in the header
    takeaways = pick_takeaways(_doc(LEAD, description=description))
    assert takeaways[0].startswith("Russian President Vladimir Putin told")


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


# --- the lead chosen the same whatever the layout, and never the header again ---------

DATA = Path(__file__).resolve().parents[1] / "data" / "takeaways"
WORD = re.compile(r"\w+")


def _one_paragraph(text: str) -> str:
    """The same article with its paragraphs run together (a feed summary, a flat body)."""
    title, body = text.split("\n\n", 1)
    return title + "\n\n" + " ".join(p.strip() for p in body.split("\n\n")) + "\n"


def _shared(a: str, b: str) -> float:
    """Share of the words of `a` (four letters or more) that `b` holds too."""
    words = {w.lower() for w in WORD.findall(a) if len(w) >= 4}
    other = {w.lower() for w in WORD.findall(b)}
    return len(words & other) / len(words) if words else 0.0


def test_one_paragraph_article_gets_the_takeaways_of_its_paragraphed_version() -> None:
    text = (DATA / "ferry_strike.txt").read_text(encoding="utf-8")
    paragraphed = clean(text, plain_text=True)
    flat = clean(_one_paragraph(text), plain_text=True)
    assert len(flat.sections) == 1 and len(flat.sections[0].paragraphs) == 1
    assert flat.takeaways == paragraphed.takeaways
    assert len(flat.takeaways) == 3
    for takeaway in flat.takeaways:  # whole sentences, not a run of them
        assert takeaway in text and len(takeaway.split()) < 45


def test_one_block_with_a_boilerplate_sentence_still_has_takeaways() -> None:
    text = (DATA / "ferry_strike.txt").read_text(encoding="utf-8")
    takeaways = clean(_one_paragraph(text), plain_text=True).takeaways
    assert takeaways
    assert not any("newsletter" in t for t in takeaways)


def test_lead_opens_with_the_first_sentence_without_its_dateline() -> None:
    text = (DATA / "ferry_strike.txt").read_text(encoding="utf-8")
    takeaways = clean(text, plain_text=True).takeaways
    assert takeaways[0].startswith("Ferry crews on the Skerra Sound route stopped work")
    assert not any(t.endswith("?") for t in takeaways)  # "Is there any end in sight?"
    orders = [text.index(t) for t in takeaways]
    assert orders == sorted(orders)  # reading order


def test_page_takeaways_never_repeat_the_headline_or_the_standfirst() -> None:
    article = clean((DATA / "ferry_strike_page.html").read_bytes(), url="https://wire.example/a")
    assert article.description and article.title
    assert article.takeaways
    for takeaway in article.takeaways:
        assert takeaway != article.description
        assert _shared(takeaway, article.title) < 0.7, takeaway
        assert _shared(takeaway, article.description) < 0.5, takeaway
        assert _shared(article.description, takeaway) < 0.5, takeaway


@pytest.mark.parametrize(
    ("dateline", "rest"),
    [
        ("HALDEN, Norway (Wire) — ", "Dockworkers walked off the job on Tuesday morning."),
        ("(Wire)", "Dockworkers walked off the job on Tuesday morning."),
        ("Port Halden (Wire)", "Dockworkers walked off the job on Tuesday morning."),
    ],
)
def test_datelines_are_cut_from_the_lead(dateline: str, rest: str) -> None:
    document = _doc([dateline + rest + " The port said it would go to court over it."])
    assert pick_takeaways(document)[0] == rest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "He said, 'We leave here with a bad feeling.' Madrid lost again on Saturday.",
            ["He said, 'We leave here with a bad feeling.'", "Madrid lost again on Saturday."],
        ),
        (
            "The coach was angry. 'We were not good enough,' he said.",
            ["The coach was angry.", "'We were not good enough,' he said."],
        ),
        ("The players' union met. It agreed.", ["The players' union met.", "It agreed."]),
    ],
)
def test_prose_splitter_knows_straight_single_quotes(text: str, expected: list[str]) -> None:
    assert split_prose(text) == expected
    assert len(split_sentences(text)) < len(expected) or expected[-1] == "It agreed."


def test_bare_quote_and_question_are_not_takeaways() -> None:
    paragraphs = [
        "The town council voted on Monday to close the old bridge to lorries from June.",
        "“We cannot keep patching it and hoping for the best.”",
        "What happens to the lorries now?",
        "Drivers will be sent on a twelve-mile detour through the industrial estate instead.",
    ]
    takeaways = pick_takeaways(_doc(paragraphs))
    assert takeaways == [paragraphs[0], paragraphs[3]]


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("He said the ferries would run again on Friday.", True),
        ("It is the busiest crossing in the islands, with ten sailings a day.", True),
        ("This is the third strike on the route since the spring of last year.", True),
        ("This year the operator expects fewer than a million passengers overall.", False),
        ("These sailings carry most of the island's fresh food and medicine.", False),
        ("It is likely that the talks will run into the weekend, the mediator said.", False),
        ("It was not clear whether the school boats would keep running.", False),
    ],
)
def test_a_sentence_that_leans_on_the_one_before_is_not_a_takeaway(
    sentence: str, leans: bool
) -> None:
    opening = "Ferry crews on the Skerra Sound route stopped work on Monday morning."
    takeaways = pick_takeaways(_doc([opening, sentence]))
    assert (sentence not in takeaways) == leans


FERRY_LEAD = [
    "Ferry crews on the Skerra Sound route stopped work on Monday, stranding about 4,000 passengers.",
    "The union says a new rota adds nine working days a month for deck and engine crews without extra pay.",
    "The operator said the longer rotation covers a shortage of qualified engineers on the route.",
    "Talks between the two sides are due to resume on Thursday at the offices of a mediator.",
    "Hospital appointments on the mainland have been moved to video calls wherever possible.",
]


def test_lead_sentence_holding_a_standfirst_sentence_is_a_repeat_whatever_it_adds() -> None:
    description = "Crews stopped work on Monday. The union says the rota adds nine days a month."
    takeaways = pick_takeaways(_doc(FERRY_LEAD, description=description))
    assert FERRY_LEAD[1] not in takeaways  # holds the standfirst's second sentence
    assert FERRY_LEAD[2] in takeaways


def test_a_whole_story_declared_as_standfirst_does_not_empty_the_takeaways() -> None:
    description = " ".join(FERRY_LEAD)  # some pages put the whole body in their description
    document = _doc([f"{sentence} More detail follows here." for sentence in FERRY_LEAD])
    document.description = description
    takeaways = pick_takeaways(document)
    assert takeaways  # only the standfirst's first sentences count as shown
    assert all(not t.startswith(FERRY_LEAD[0][:40]) for t in takeaways)
