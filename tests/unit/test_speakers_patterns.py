"""Issue 14: one test per attribution pattern that went wrong on real news.

Every article here is invented; the names belong to nobody.
"""

from __future__ import annotations

import pytest

from reader.article.document import Block, Document, DraftSection
from reader.article.quotes import find_quotes
from reader.model import Quote


def _doc(*paragraphs: str | Block, title: str = "A story") -> Document:
    blocks = [p if isinstance(p, Block) else Block(p) for p in paragraphs]
    return Document(title=title, sections=[DraftSection(None, 1, blocks)])


def _who(quotes: list[Quote]) -> list[str | None]:
    return [q.speaker for q in quotes]


def _roles(quotes: list[Quote]) -> list[tuple[str | None, str | None]]:
    return [(q.speaker, q.speaker_role) for q in quotes]


# Pronouns: gender and the conversation, from the article's own evidence first.


def test_she_skips_a_man_named_later() -> None:
    quotes = find_quotes(
        _doc(
            "Dana Whitlock, the mayor, toured the flooded district on Monday with her staff.",
            "Paul Grady, the county engineer, inspected the levee on Tuesday.",
            "“We will rebuild every street that the water took from us,” she said.",
        )
    )
    assert _who(quotes) == ["Dana Whitlock"]


def test_honorific_tells_the_gender() -> None:
    quotes = find_quotes(
        _doc(
            "Robin Castell runs the ferry company, and Ms. Castell has kept the boats running.",
            "Officials said Jordan Pike, the harbour master, would retire in June.",
            "“Nobody here has ever missed a crossing for the weather,” she said.",
        )
    )
    assert _who(quotes) == ["Robin Castell"]


def test_first_name_list_is_the_fallback() -> None:
    quotes = find_quotes(
        _doc(
            "Margaret Olsen opened the first bakery on the pier in 1994.",
            "Her nephew, Thomas Olsen-Berg, took over the ovens last year.",
            "“I still come in at four every morning to knead the dough,” she said.",
        )
    )
    assert _who(quotes) == ["Margaret Olsen"]


def test_passing_object_mention_does_not_steal_the_chain() -> None:
    quotes = find_quotes(
        _doc(
            "Paul Grady, the county engineer, walked the levee on Tuesday.",
            "“The wall held better than anyone expected this time,” Grady said.",
            "“We patched three weak spots before the rain came,” he said.",
            "“Next year we raise the whole thing by a metre,” he added.",
            "The original levee was designed in 1971 by Tom Ferris.",
            "“We should have listened to the warnings back then,” he said.",
        )
    )
    assert _who(quotes) == ["Paul Grady"] * 4


def test_topic_of_the_previous_paragraph_does_not_steal_the_chain() -> None:
    quotes = find_quotes(
        _doc(
            "“The pumps ran for nineteen hours without a break,” said Paul Grady, the county engineer.",
            "“Two of them will need new motors before winter,” he said.",
            "“The crews did everything that was asked of them,” he added.",
            "Tom Ferris, who built the pump house, retired in 2009.",
            "“Nobody has designed a better one since,” he said.",
        )
    )
    assert _who(quotes) == ["Paul Grady"] * 4


def test_it_is_the_organisation_that_spoke() -> None:
    quotes = find_quotes(
        _doc(
            "The port authority said on Monday that cargo ships would queue offshore.",
            "“All berths are taken until Friday at the earliest,” it added.",
        )
    )
    assert _who(quotes) == ["the port authority"]


def test_possessive_subject_is_the_person_with_the_description_as_role() -> None:
    quotes = find_quotes(
        _doc(
            "Dana Whitlock is running for governor for the second time.",
            "“The numbers speak for themselves, and they favour us,” her campaign said.",
            "Paul Grady, her opponent, did not attend the debate.",
            "“He was travelling with his family this weekend,” his office said.",
        )
    )
    assert _roles(quotes) == [("Dana Whitlock", "campaign"), ("Paul Grady", "office")]


def test_the_role_the_article_established_names_the_person() -> None:
    quotes = find_quotes(
        _doc(
            "President Dana Whitlock met the harbour workers on Friday.",
            "“We are not done with this port, not by a long way,” the president said.",
        )
    )
    assert _roles(quotes) == [("Dana Whitlock", "president")]


# A quote that ends a sentence before its attribution.


@pytest.mark.parametrize(
    "paragraph",
    [
        "“How long must we wait for the bridge to reopen?” Grady asked.",
        "“We will not move one inch from this square!!” Grady responded.",
        "“The vote is over and the result stands.” Grady said on Friday.",
    ],
)
def test_attribution_after_a_full_stop_question_or_exclamation(paragraph: str) -> None:
    quotes = find_quotes(_doc("Paul Grady chairs the bridge committee.", paragraph))
    assert _who(quotes) == ["Paul Grady"]


def test_a_new_sentence_after_a_quote_is_not_its_attribution() -> None:
    quotes = find_quotes(
        _doc(
            "“The bridge will reopen in the spring,” said Dana Whitlock, the mayor. "
            "“Nobody expected the repairs to take this long.” Grady said the delay cost the "
            "shops on the quay a whole summer."
        )
    )
    assert _who(quotes) == ["Dana Whitlock", "Dana Whitlock"]


# Lead-ins without a reporting verb.


@pytest.mark.parametrize("bar", ["―", "—", "–"])
def test_signature_after_the_quote(bar: str) -> None:
    quotes = find_quotes(
        _doc(f"“Every street in this town will be dry by Christmas.” {bar} Dana Whitlock")
    )
    assert _who(quotes) == ["Dana Whitlock"]


def test_name_and_outlet_before_a_colon() -> None:
    quotes = find_quotes(
        _doc("Dana Whitlock, Harbor Gazette: “The council has never once published the figures.”")
    )
    assert _roles(quotes) == [("Dana Whitlock", "Harbor Gazette")]


def test_transcript_labels() -> None:
    quotes = find_quotes(
        _doc(
            "Paul Grady and Dana Whitlock debated the levee budget on Thursday night.",
            "GRADY: We cannot pour another million into a wall that leaks every spring.",
            "WHITLOCK: The wall has not leaked once since we replaced the gates.",
        )
    )
    assert _who(quotes) == ["Paul Grady", "Dana Whitlock"]
    assert quotes[0].text.startswith("We cannot pour")


def test_paragraph_ending_in_a_colon_introduces_the_next_quote() -> None:
    quotes = find_quotes(
        _doc(
            "Dana Whitlock is the mayor of the harbour town.",
            "Whitlock wrote in a letter to residents:",
            "“We have heard every one of you, and the gates will be replaced before spring.”",
        )
    )
    assert _who(quotes) == ["Dana Whitlock"]


def test_title_case_lead_in_of_a_roundup() -> None:
    quotes = find_quotes(
        _doc(
            "Paul Grady is the county engineer.",
            "Grady Said “the levee will hold this winter, I promise you that”",
        )
    )
    assert _who(quotes) == ["Paul Grady"]


def test_went_on_to_say_carries_the_speaker_over() -> None:
    quotes = find_quotes(
        _doc(
            "“The gates are old but they are not broken,” said Paul Grady, the county engineer.",
            "He went on to say, “Give us one dry summer and we will have them replaced.”",
        )
    )
    assert _who(quotes) == ["Paul Grady", "Paul Grady"]


# Names cut wrong: the name stays clean, the role goes apart.


def test_initials_and_party_tag() -> None:
    quotes = find_quotes(
        _doc(
            "“This bill will not survive the committee in its current form,” said Rep. D.J. "
            "Calloway (D-Ore.), who leads the panel."
        )
    )
    assert _roles(quotes) == [("D.J. Calloway", "Rep., D-Ore.")]


def test_middle_initial_and_place() -> None:
    quotes = find_quotes(
        _doc(
            "“The farmers in my district have waited three years for this,” said Representative "
            "Harold B. Finch of Ohio."
        )
    )
    assert _roles(quotes) == [("Harold B. Finch", "Representative of Ohio")]


def test_party_tag_goes_to_the_role() -> None:
    quotes = find_quotes(
        _doc("“We will vote against it as many times as it takes,” said Dana Whitlock R-Neb.")
    )
    assert _roles(quotes) == [("Dana Whitlock", "R-Neb.")]


def test_appositive_role_is_kept_for_later_quotes() -> None:
    quotes = find_quotes(
        _doc(
            "Dana Whitlock, the mayor, opened the new ferry terminal on Saturday.",
            "“This building was paid for by the people who will use it,” Whitlock said.",
        )
    )
    assert _roles(quotes) == [("Dana Whitlock", "mayor")]


# Junk speakers: a speaker is a person, an organisation or a role, never a fragment.


def test_headline_words_are_not_a_person() -> None:
    quotes = find_quotes(
        _doc(
            "Lenders met on Monday to discuss what rates are doing to harbour businesses.",
            "“We have never seen anything like this in thirty years of lending,” he said.",
            title="Harbor Rates Are “Alarming”",
        )
    )
    assert "Rates Are" not in _who(quotes)


def test_object_of_a_preposition_is_not_the_speaker() -> None:
    quotes = find_quotes(
        _doc(
            "Paul Grady swiped at Dana Whitlock in a series of tweets: “The mayor has not read "
            "the engineering report at all.”"
        )
    )
    assert _who(quotes) == ["Paul Grady"]


def test_issued_a_statement_saying() -> None:
    quotes = find_quotes(
        _doc(
            "The firm issued a statement saying “it regrets the delays and will refund every "
            "customer in full.”"
        )
    )
    assert _who(quotes) == ["the firm"]


# Missing verbs.


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        ("“Closed until the water goes down,” the sign read.", "the sign"),
        ("“You will always have a home here,” the letter reads.", "the letter"),
        ("“We rowed like people possessed by something,” as Paul Grady put it.", "Paul Grady"),
        ("“It is the best harbour on the whole coast,” Dana Whitlock gushed.", "Dana Whitlock"),
        ("“Oh, the river rolls and the river goes,” Dana Whitlock sings.", "Dana Whitlock"),
        (
            "Paul Grady believes the plan is “a recipe for a second flood next year.”",
            "Paul Grady",
        ),
        (
            "Dana Whitlock wrote to the council on Monday, telling members the repairs were "
            "“well ahead of schedule.”",
            "Dana Whitlock",
        ),
        (
            "Paul Grady wrote to residents, saying the gates were “older than the town hall.”",
            "Paul Grady",
        ),
    ],
)
def test_missing_reporting_verbs(paragraph: str, speaker: str) -> None:
    quotes = find_quotes(_doc(paragraph))
    assert _who(quotes) == [speaker]


def test_speaker_role_in_the_article_json() -> None:
    from reader.article import clean

    html = (
        "<html><head><title>Harbour news</title></head><body><article><h1>Harbour news</h1>"
        "<p>Dana Whitlock, the mayor, opened the terminal on Saturday morning in the rain.</p>"
        "<p>“This building was paid for by the people who will use it every day,” Whitlock "
        "said, to applause from the crowd gathered on the quay.</p>"
        "<p>The terminal cost four million and took two years to build from scratch.</p>"
        "</article></body></html>"
    )
    data = clean(html).to_json()
    assert [(q["speaker"], q["speaker_role"]) for q in data["quotes"]] == [
        ("Dana Whitlock", "mayor")
    ]


def test_speaker_role_survives_storage_and_is_made_safe() -> None:
    from reader.library import safe_article
    from reader.model import Article

    article = Article(
        title="t",
        quotes=[
            Quote("We will rebuild every street", "Dana Whitlock", 0, 0, "mayor\x1b]0;x\x07\u202e")
        ],
    )
    cleaned = safe_article(Article.from_json(article.to_json()))
    assert cleaned.quotes[0].speaker_role == "mayor"
    assert (
        Article.from_json({"title": "t", "quotes": [{"text": "a b c", "section": 0}]})
        .quotes[0]
        .speaker_role
        is None
    )
