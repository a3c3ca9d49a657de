"""The quotes pass on hand-built Documents: marks, attribution shapes, speakers."""

from __future__ import annotations

import pytest

from reader.article.document import Block, Document, DraftSection
from reader.article.quotes import find_quotes
from reader.article.speech import REPORTING_VERBS, is_reporting_verb
from reader.model import Quote


def _doc(*paragraphs: str | Block, heading: str | None = None) -> Document:
    blocks = [p if isinstance(p, Block) else Block(p) for p in paragraphs]
    return Document(title="A story", sections=[DraftSection(heading, 1, blocks)])


def _pairs(quotes: list[Quote]) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in quotes]


LEAD = (
    "Russian President Vladimir Putin spoke to U.S. President Donald Trump on Thursday, "
    "Kremlin aide Yuri Ushakov said."
)


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "“We will keep talking to everyone,” Ushakov said.",
            ("We will keep talking to everyone", "Yuri Ushakov"),
        ),
        (
            "“We will keep talking to everyone,” said Ushakov, a veteran diplomat.",
            ("We will keep talking to everyone", "Yuri Ushakov"),
        ),
        (
            "Ushakov said: “We will keep talking to everyone.”",
            ("We will keep talking to everyone.", "Yuri Ushakov"),
        ),
        (
            "According to Mr. Ushakov, Putin emphasized that disputes must be settled “exclusively by "
            "political and diplomatic means.”",
            ("exclusively by political and diplomatic means.", "Yuri Ushakov"),
        ),
        (
            "He told reporters that Russia “will not back down from these goals.”",
            ("will not back down from these goals.", "Yuri Ushakov"),
        ),
        (
            "The Kremlin described the conversation as “frank and constructive,” without giving details.",
            ("frank and constructive", "the Kremlin"),
        ),
        (
            "“Our position has not changed at all,” the Kremlin said in a statement.",
            ("Our position has not changed at all", "the Kremlin"),
        ),
        (
            "A spokesperson for the ministry said the ban was “final and not open to debate.”",
            ("final and not open to debate.", "a spokesperson for the ministry"),
        ),
        (
            "In a statement, the port authority said: “All ships must leave by noon today.”",
            ("All ships must leave by noon today.", "the port authority"),
        ),
        (
            '"We are ready for anything that comes," Ushakov added.',
            ("We are ready for anything that comes", "Yuri Ushakov"),
        ),
        (
            "“We are ready for anything that comes,” Mr. Ushakov told reporters.",
            ("We are ready for anything that comes", "Yuri Ushakov"),
        ),
        (
            "“We are ready for anything that comes,” she tweeted.",
            ("We are ready for anything that comes", "Yuri Ushakov"),
        ),
    ],
)
def test_attribution_shapes(paragraph: str, expected: tuple[str, str]) -> None:
    quotes = find_quotes(_doc(LEAD, paragraph))
    assert _pairs(quotes) == [expected]
    assert (quotes[0].section, quotes[0].paragraph) == (0, 1)


def test_short_reference_stays_as_written_until_the_full_name_is_known() -> None:
    quotes = find_quotes(_doc("“We will not leave the talks today,” Mr. Novak said."))
    assert _pairs(quotes) == [("We will not leave the talks today", "Mr. Novak")]


def test_interrupted_quote_shares_its_speaker() -> None:
    quotes = find_quotes(
        _doc(
            "“They refused to even sit down with us,” said union leader Marta Lindqvist. "
            "“So here we are.”"
        )
    )
    assert _pairs(quotes) == [
        ("They refused to even sit down with us", "Marta Lindqvist"),
        ("So here we are.", "Marta Lindqvist"),
    ]


def test_multi_paragraph_quote_is_one_quote() -> None:
    quotes = find_quotes(
        _doc(
            "Caldera told the assembly: “We cannot change the weather next year,",
            "“but we can change how much water we take out of the ground.”",
            "The vote is in October.",
        )
    )
    assert _pairs(quotes) == [
        (
            "We cannot change the weather next year, but we can change how "
            "much water we take out of the ground.",
            "Caldera",
        )
    ]
    assert quotes[0].paragraph == 0


def test_scare_quotes_and_short_unattributed_fragments_are_not_quotes() -> None:
    quotes = find_quotes(
        _doc(
            "Officials promoted the project as a “smart port” upgrade.",
            "Critics call the plan “deeply flawed and rushed” in private.",
            'The word "woke" appears twice in the bill.',
        )
    )
    assert quotes == []


def test_partial_quote_counts_when_a_speaker_is_named() -> None:
    quotes = find_quotes(_doc("The Kremlin called the talks “useful but difficult.”"))
    assert _pairs(quotes) == [("useful but difficult.", "the Kremlin")]


def test_unbalanced_mark_stops_at_the_paragraph_end() -> None:
    long_tail = " ".join(f"Sentence number {n} of the article goes on." for n in range(30))
    quotes = find_quotes(
        _doc(
            "The mayor said “this is where the quote starts and it never closes at all",
            "Normal paragraph without marks.",
            long_tail,
        )
    )
    assert len(quotes) == 1
    assert quotes[0].text == "this is where the quote starts and it never closes at all"


def test_pull_quote_that_repeats_the_body_is_not_a_second_quote() -> None:
    body = "“A library is the last place where nobody asks you to buy anything,” Adeyemi said."
    for pull in (
        Block("“A library is the last place where nobody asks you to buy anything.”", "pullquote"),
        Block("“A library is the last place where nobody asks you to buy anything.”", "blockquote"),
    ):
        quotes = find_quotes(_doc(pull, body))
        assert _pairs(quotes) == [
            ("A library is the last place where nobody asks you to buy anything", "Adeyemi")
        ]


def test_embeds_are_not_quotes() -> None:
    tweet = Block(
        "“Two years of waiting and look at this line! Welcome back.” — Luis Ortega", "embed"
    )
    assert find_quotes(_doc(tweet, "The mayor posted a photo of the queue.")) == []


def test_block_quote_introduced_by_a_speaker() -> None:
    quotes = find_quotes(
        _doc(
            "In a statement, the ministry said:",
            Block(
                "The harbour will remain closed to all traffic until further notice.", "blockquote"
            ),
        )
    )
    assert _pairs(quotes) == [
        ("The harbour will remain closed to all traffic until further notice.", "the ministry")
    ]


def test_guillemets_and_german_marks() -> None:
    quotes = find_quotes(
        _doc(
            "« Chaque litre compte désormais pour tout le monde », a déclaré Claire Dubois.",
            "„Wir haben so etwas noch nie erlebt in dieser Stadt“, sagte sie.",
        )
    )
    assert quotes[0].text == "Chaque litre compte désormais pour tout le monde"
    assert quotes[0].speaker == "Claire Dubois"
    assert quotes[1].text == "Wir haben so etwas noch nie erlebt in dieser Stadt"


def test_pronoun_follows_the_main_reporter_not_the_reported_person() -> None:
    quotes = find_quotes(
        _doc(
            LEAD,
            "Ushakov said Putin told Trump that Moscow was open to talks. He told reporters that "
            "Russia “will not back down from these goals.”",
        )
    )
    assert quotes[0].speaker == "Yuri Ushakov"


def test_quotes_across_sections_keep_their_section_index() -> None:
    document = Document(
        title="t",
        sections=[
            DraftSection(None, 1, [Block(LEAD)]),
            DraftSection(
                "Focus",
                2,
                [
                    Block("Intro without quotes."),
                    Block("“We are ready for anything,” Ushakov said."),
                ],
            ),
        ],
    )
    quote = find_quotes(document)[0]
    assert (quote.section, quote.paragraph) == (1, 1)


def test_at_least_sixty_reporting_verbs_with_inflections() -> None:
    assert len(set(REPORTING_VERBS)) >= 60
    for form in (
        "said",
        "says",
        "saying",
        "told",
        "added",
        "described",
        "insisted",
        "tweeted",
        "wrote",
        "warns",
        "emphasized",
        "emphasised",
        "acknowledged",
        "replied",
    ):
        assert is_reporting_verb(form), form


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "“Our strategy is to be where the consumer is,” Strauss Zelnick, CEO of Take-Two, adds.",
            "Strauss Zelnick",
        ),
        (
            "Sen. Ben Sasse, R-Neb., called his death “a crisis of public trust” in the system.",
            "Ben Sasse",
        ),
        (
            "After the hearing, Hawk Sawyer issued a statement, saying, “I am committed to this "
            "agency and confident.”",
            "Hawk Sawyer",
        ),
        (
            "The ministry rejected the claim as “another measure contradicting the deal” and said "
            "it would respond.",
            "the ministry",
        ),
        (
            "Arthur Quayle of the Older People's Forum said it would “finally stop the unfair "
            "subsidy.”",
            "Arthur Quayle",
        ),
        (
            "“At the bridge I told them to push,” said cox Freya Lund, a maths teacher.",
            "Freya Lund",
        ),
        (
            "Noting that a gas called acetylene exists, Malaska asked, “Could something live "
            "there at all?”",
            "Malaska",
        ),
        (
            "Rowan added that a scheme announced by the agency covered “perhaps a quarter” of losses.",
            "Rowan",
        ),
    ],
)
def test_clean_speakers_from_busy_sentences(paragraph: str, expected: str) -> None:
    quotes = find_quotes(_doc(paragraph))
    assert [q.speaker for q in quotes] == [expected]


def test_titles_of_works_are_not_quotes() -> None:
    quotes = find_quotes(
        _doc("The band played “Listen To The Music” and “What A Fool Believes,” the singer said.")
    )
    assert quotes == []


def test_pronoun_after_a_newly_named_person() -> None:
    quotes = find_quotes(
        _doc(
            "“We rowed the best race of our lives today,” said Margaret Okafor-Reid.",
            "Grenholt's coach, Henrik Dahl, was gracious in defeat. He told reporters that Averley "
            "had rowed “the best last 500 metres I have seen.”",
        )
    )
    assert [q.speaker for q in quotes] == ["Margaret Okafor-Reid", "Henrik Dahl"]


def test_nouns_that_look_like_verbs_do_not_attribute() -> None:
    quotes = find_quotes(
        _doc(
            "In a separate tweet, the group added that the company “is not keeping its promise to "
            "staff.”",
            "He performed an improvised live show called “Ask Dr. Mike” at conventions.",
        )
    )
    assert _pairs(quotes) == [("is not keeping its promise to staff.", "the group")]
