"""Reporting verbs: the words that tie a quotation to whoever said it.

News attributes a quote with a reporting verb ("said", "told reporters",
"described ... as", "tweeted"). The quotes pass matches them through one
precompiled regex built here from base forms plus their inflections, so adding
a verb is a one-word change.
"""

from __future__ import annotations

import re

from reader.article.sentences import word_set

# Base forms of reporting verbs. Regular inflections (-s, -ed, -ing) are derived;
# irregular ones are listed in IRREGULAR_FORMS.
REPORTING_VERBS = tuple(
    sorted(
        word_set(
            "say tell add state announce explain note insist argue claim declare warn write "
            "tweet post ask answer reply respond remark comment observe acknowledge admit "
            "concede confirm deny suggest stress emphasize emphasise underline underscore "
            "recall describe urge promise vow pledge predict complain lament boast joke quip "
            "recount report reiterate repeat maintain contend assert allege testify conclude "
            "caution counter retort shout scream whisper exclaim mutter plead demand propose "
            "recommend advise assure reassure inform indicate reveal disclose estimate "
            "speculate wonder muse specify clarify elaborate summarize summarise highlight "
            "threaten fume scoff sigh laugh cry chant reckon agree disagree continue "
            "affirm concur grumble hint mention object protest question quote "
            "rebut remind stipulate submit surmise theorize text email message "
            "signal brief counsel speak call remember reflect gush sing believe read"
        )
        | {"put it"}
    )
)

IRREGULAR_FORMS = {
    "say": ("said", "says", "saying"),
    "tell": ("told", "tells", "telling"),
    "speak": ("spoke", "spoken", "speaks", "speaking"),
    "write": ("wrote", "written", "writes", "writing"),
    "cry": ("cried", "cries", "crying"),
    "reply": ("replied", "replies", "replying"),
    "testify": ("testified", "testifies", "testifying"),
    "specify": ("specified", "specifies", "specifying"),
    "clarify": ("clarified", "clarifies", "clarifying"),
    "deny": ("denied", "denies", "denying"),
    "theorize": ("theorized", "theorizes", "theorizing"),
    "admit": ("admitted", "admits", "admitting"),
    "quip": ("quipped", "quips", "quipping"),
    "submit": ("submitted", "submits", "submitting"),
    "rebut": ("rebutted", "rebuts", "rebutting"),
    "plead": ("pleaded", "pled", "pleads", "pleading"),
    "text": ("texted", "texts", "texting"),
    "call": ("called", "calling"),  # "called it “...”"; "call"/"calls" are mostly nouns
    "sing": ("sang", "sings", "singing"),
    "read": ("reads",),  # "the sign read"; "reading" and "readers" are rarely speech
    "put it": ("puts it",),  # "as Grady put it"
    "signal": ("signaled", "signalled", "signals", "signaling", "signalling"),
    "counsel": ("counseled", "counselled", "counsels", "counseling"),
}


def _inflections(base: str) -> tuple[str, ...]:
    """Every form of `base` a reporter would write: base, -s, -ed and -ing."""
    if base in IRREGULAR_FORMS:
        return (base, *IRREGULAR_FORMS[base])
    if base.endswith("e"):
        return (base, base + "s", base + "d", base[:-1] + "ing")
    if base.endswith(("sh", "ch", "ss", "x")):
        return (base, base + "es", base + "ed", base + "ing")
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return (base, base[:-1] + "ies", base[:-1] + "ied", base + "ing")
    return (base, base + "s", base + "ed", base + "ing")


# Forms that are far more often nouns ("member states", "in his comments", "a
# report"); matching them would turn a noun phrase into a bogus speaker.
NOUN_LIKE_FORMS = word_set(
    """
    state states post posts text texts email emails message messages question questions
    quote quotes report reports comment comments note notes answer answers claim claims
    demand demands promise promises estimate estimates joke jokes protest protests
    object objects cry cries laugh laughs sigh sighs counter counters brief briefs
    counsel counsels muse muses signal signals wonder wonders post chant chants
    reply replies boast boasts pledge pledges vow vows warning hint hints call calls
    """
)

ALL_FORMS: frozenset[str] = (
    frozenset(form for base in REPORTING_VERBS for form in _inflections(base)) - NOUN_LIKE_FORMS
)

# French attributions, for pages in French: "a déclaré X", "X a affirmé que",
# and the inverted "a-t-elle ajouté" (the pronoun is the speaker).
FRENCH_PARTICIPLES = tuple(
    sorted(
        word_set(
            "déclaré dit affirmé expliqué ajouté souligné estimé indiqué assuré précisé annoncé "
            "martelé confié insisté reconnu prévenu averti rappelé répondu regretté jugé lancé"
        )
    )
)
# A few reporting verbs of other languages whose pages we meet: German "sagte
# Weber", Spanish "dijo", Portuguese "disse", Indonesian "berkata".
OTHER_LANGUAGE_FORMS = word_set(
    "sagte sagt erklärte erklärt betonte betont meinte sagten dijo afirmó explicó señaló "
    "aseguró disse afirmou explicou berkata mengatakan"
)
FRENCH_FORMS = frozenset(
    [f"a {participle}" for participle in FRENCH_PARTICIPLES]
    + [
        f"a-t-{pronoun} {participle}"
        for pronoun in ("il", "elle")
        for participle in FRENCH_PARTICIPLES
    ]
    + [
        "déclare",
        "affirme",
        "explique",
        "ajoute",
        "souligne",
        "estime",
        "indique",
        "précise",
        "assure",
        "annonce",
        "dit",
    ]
)


Trie = dict[str, "Trie"]
"""A character trie: each key a next character ("" marks a word's end)."""


def trie_pattern(words: frozenset[str]) -> str:
    """One regex alternation for `words`, factored by shared prefixes.

    Python's `re` tries a flat alternation of 500 words one word at a time at
    every position; the factored form ("sa(?:id|ys|ying)") fails after a
    character or two, which makes the verb scan several times faster.
    """
    trie: Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_to_pattern(trie)


def _trie_to_pattern(node: Trie) -> str:
    ends_here = "" in node
    branches = [
        re.escape(char) + _trie_to_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        return "(?:" + body + ")?"
    return body


VERB_PATTERN = trie_pattern(ALL_FORMS | FRENCH_FORMS | OTHER_LANGUAGE_FORMS)
VERB_RE = re.compile(rf"\b{VERB_PATTERN}\b")


BASE_FORMS = frozenset(REPORTING_VERBS) & ALL_FORMS
"""Base forms ("tweet", "remark"), which after "a"/"his" are nouns."""


def is_reporting_verb(word: str) -> bool:
    """True for any inflection of a reporting verb ("said", "tweets", "adding")."""
    lowered = word.lower()
    return lowered in ALL_FORMS or lowered in FRENCH_FORMS or lowered in OTHER_LANGUAGE_FORMS
