"""Names and roles: a speaker shown as a clean name, with what the article says of them apart.

News writes a speaker with their capacity wrapped around the name: "Rep. D.J.
Calloway (D-Ore.)", "Representative Harold B. Finch of Ohio", "Dana Whitlock, the
mayor,". `strip_affiliation` takes party tags and "of Place" off a name phrase,
`roles_in` finds the appositives that give a person's role, and `gender_hint`
reads what a sentence says of a person's gender (Mr./Ms., her/his). The first-name
list is the last resort, used only when the article says nothing.
"""

from __future__ import annotations

import re
from typing import Literal

from reader.article.first_names import FEMALE, MALE
from reader.article.sentences import word_set

Gender = Literal["f", "m"]

_PARTY = re.compile(
    r"[\s,]*\(?\b((?:[RDI]|Ind|Dem|Rep|Lab|Con)-(?:[A-Z][A-Za-z.]{1,14}|[A-Z]{2}))\)?\.?(?=[\s,;:]|$)"
)
_FULL_STATE = frozenset(
    ["Texas", "Ohio", "Iowa", "Utah", "Idaho", "Maine", "Alaska", "Hawaii", "Guam"]
)
_OF_PLACE = re.compile(r"\s+of\s+((?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})\s*$")
INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}$")
"""A token of initials: "D.J.", "B.", "J.R.R." (part of a name, not a sentence end)."""

ROLE_HONORIFICS = word_set(
    "sen rep gov gen col lt sgt capt cmdr adm maj cpl pvt supt insp det rev dr prof"
)
"""Abbreviations before a name that say what the person is (kept as the role)."""
MALE_HONORIFICS = frozenset({"mr", "herr", "sir", "lord", "m"})
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "frau", "dame", "lady", "madam", "mme"})
_HONORIFIC_BEFORE = re.compile(
    r"\b(Mr|Mrs|Ms|Miss|Mme|Sir|Dame|Lord|Lady|Herr|Frau)\.?\s+([A-Z][\w'’-]+)"
)
_PRONOUN = re.compile(r"\b(?:(she|her|hers|herself)|(he|his|him|himself))\b", re.IGNORECASE)


def strip_affiliation(phrase: str) -> tuple[str, str | None, str | None]:
    """(name, party tag, place): "Dana Whitlock R-Neb." -> ("Dana Whitlock", "R-Neb.", None)."""
    party = None
    match = _PARTY.search(phrase)
    if match and match.start() > 0:
        party = match.group(1).rstrip(".")
        state = party.split("-", 1)[1]
        if state not in _FULL_STATE and not (len(state) == 2 and state.isupper()):
            party += "."
        phrase = (phrase[: match.start()] + phrase[match.end() :]).strip(" ,")
    place = None
    of = _OF_PLACE.search(phrase)
    if of and len(phrase[: of.start()].split()) >= 2:
        place, phrase = of.group(1).removeprefix("the "), phrase[: of.start()]
    return phrase.strip(), party, place


def join_role(title: str | None, party: str | None, place: str | None) -> str | None:
    """One role string: "Rep., D-Ore.", "Representative of Ohio", "R-Neb."."""
    role = title or ""
    if place:
        role = f"{role} of {place}" if role else place
    if party:
        role = f"{role}, {party}" if role else party
    return role or None


def name_gender(full_name: str) -> Gender | None:
    """The gender a first name usually has (SSA counts), None when it is not clear-cut."""
    first = full_name.split()[0] if full_name else ""
    if first in FEMALE:
        return "f"
    if first in MALE:
        return "m"
    return None


def honorific_genders(sentence: str) -> list[tuple[str, Gender]]:
    """(surname, gender) for each "Mr. X" / "Ms. X" in the sentence."""
    found: list[tuple[str, Gender]] = []
    if not (
        "Mr" in sentence
        or "Ms" in sentence
        or "Miss" in sentence
        or "Mme" in sentence
        or "Sir " in sentence
        or "Dame " in sentence
        or "Lord " in sentence
        or "Lady " in sentence
        or "Herr " in sentence
        or "Frau " in sentence
    ):
        return found  # the common case, cheaply
    for match in _HONORIFIC_BEFORE.finditer(sentence):
        honorific = match.group(1).lower()
        gender: Gender = "m" if honorific in MALE_HONORIFICS else "f"
        found.append((match.group(2), gender))
    return found


def pronoun_gender(text: str) -> Gender | None:
    """The gender of the first personal pronoun in `text` ("her staff" -> "f")."""
    match = _PRONOUN.search(text)
    if match is None:
        return None
    return "f" if match.group(1) else "m"


def pronoun_wanted(pronoun: str) -> Gender | None:
    """The gender a subject pronoun asks for."""
    lowered = pronoun.lower()
    if lowered in ("she", "elle", "her"):
        return "f"
    if lowered in ("he", "il", "his"):
        return "m"
    return None


_MALE_ROLES = word_set(
    """
    son father brother husband man boy king prince nephew uncle grandson grandfather
    stepson stepfather boyfriend chairman spokesman businessman congressman
    """
)
_FEMALE_ROLES = word_set(
    """
    daughter mother sister wife woman girl queen princess niece aunt granddaughter
    grandmother stepdaughter stepmother girlfriend widow chairwoman spokeswoman
    businesswoman congresswoman
    """
)


def role_gender(role: str) -> Gender | None:
    """The gender a role word says: "Her son" -> "m", "the widow" -> "f"."""
    words = {word.strip(",.'’").lower() for word in role.split()}
    if words & _MALE_ROLES:
        return "m"
    if words & _FEMALE_ROLES:
        return "f"
    return None
