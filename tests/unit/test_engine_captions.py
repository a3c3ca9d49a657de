"""Captions: found in every usual form, listed once, never inside paragraphs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.article import clean
from reader.article.captions import is_glued, unglue

PROSE = "".join(
    f"<p>Sentence {n} of the report describes the call between the two leaders in enough "
    f"detail to count as article text for the extractor.</p>"
    for n in range(1, 5)
)
CAPTION = "President Ana Ruiz speaks in Lisbon on Tuesday"


def page(body: str) -> str:
    return (
        f"<html><head><title>Leaders talk</title></head><body><article>{body}</article>"
        f"</body></html>"
    )


def test_glued_text_is_cut_in_half() -> None:
    assert unglue(CAPTION + CAPTION) == CAPTION
    assert unglue(CAPTION + " " + CAPTION) == CAPTION
    assert (
        unglue(CAPTION + CAPTION + " Photo: J. Silva/Reuters")
        == CAPTION + " Photo: J. Silva/Reuters"
    )
    assert not is_glued("Bora Bora is an island in French Polynesia")
    assert not is_glued("short")


def test_figcaption_is_a_caption_not_a_paragraph() -> None:
    body = (
        PROSE[:200] + f"<figure><img src='a.jpg' alt='{CAPTION}'><figcaption>{CAPTION}"
        f"</figcaption></figure>" + PROSE
    )
    article = clean(page(body))
    assert article.captions == [CAPTION]
    assert CAPTION not in article.text


def test_glued_caption_paragraph_is_shown_once_as_a_caption() -> None:
    body = PROSE + f"<p>{CAPTION}{CAPTION}</p>" + PROSE.replace("Sentence", "Line")
    article = clean(page(body))
    assert article.captions == [CAPTION]
    assert CAPTION not in article.text


def test_caption_classes_and_credits() -> None:
    body = (
        PROSE + f"<div class='image-caption'>{CAPTION}. Photo: J. Silva/Reuters</div>"
        "<p class='wp-caption-text'>Crowds outside the palace</p>" + PROSE.replace("report", "note")
    )
    article = clean(page(body))
    assert article.captions == [f"{CAPTION}. Photo: J. Silva/Reuters", "Crowds outside the palace"]
    assert "Crowds outside" not in article.text and "Reuters" not in article.text


def test_descriptive_alt_text_counts_once_and_file_names_do_not() -> None:
    body = (
        PROSE + f"<p><img src='a.jpg' alt='{CAPTION}'></p><p><img src='b.jpg' "
        "alt='IMG_2041.jpg photo file name here'></p>" + f"<figure><figcaption>{CAPTION}"
        "</figcaption></figure>" + PROSE.replace("Sentence", "Line")
    )
    article = clean(page(body))
    assert article.captions == [CAPTION]


def test_plain_text_glued_caption() -> None:
    text = f"Leaders talk\n\nThe call lasted two hours.\n\n{CAPTION}{CAPTION}\n\nIt ended well."
    article = clean(text, plain_text=True)
    assert article.captions == [CAPTION]
    assert [p for s in article.sections for p in s.paragraphs] == [
        "The call lasted two hours.",
        "It ended well.",
    ]


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=8, max_size=60).filter(lambda t: t.strip() == t and len(t) >= 8))
def test_unglue_undoes_any_doubling(text: str) -> None:
    assert unglue(text + text) in (text, unglue(text))
    assert len(unglue(text)) <= len(text)


STORY = [
    "The lantern parade wound through the old market on Friday night, with more than two "
    "hundred children carrying paper boats lit from inside by small battery candles.",
    "Organisers said the route was shortened this year because of the roadworks on the bridge, "
    "but the crowd along the river wall was the largest they had seen in a decade.",
]


def test_paragraphs_of_prose_in_a_caption_box_are_the_story() -> None:
    # A photo story: the text sits in the photo's caption container.
    import lxml.html

    from reader.article.captions import is_caption_element

    story = "".join(f"<p>{p}</p>" for p in STORY)
    box = lxml.html.fragment_fromstring(
        f"<div class='caption-image'><img src='/lanterns.jpg'><div>{story}</div></div>"
    )
    assert not is_caption_element(box)
    short = lxml.html.fragment_fromstring(f"<div class='caption-image'><p>{CAPTION}</p></div>")
    assert is_caption_element(short)


def test_a_slide_whose_text_is_its_caption_prints_the_caption() -> None:
    # A gallery slide: "Previous 3 / 18 Next" and the photo's caption, nothing else.
    caption = " ".join(STORY)
    body = (
        "<div class='slide'><p><a href='/g?s=2'>Previous</a> 3 / 18 <a href='/g?s=4'>Next</a></p>"
        f"<img src='/lanterns.jpg'><p class='caption'>{caption}</p></div>"
    )
    article = clean(page(body))
    assert caption in [p for s in article.sections for p in s.paragraphs]
