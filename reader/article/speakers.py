"""Who is speaking: subject phrases before reporting verbs, and their fullest name.

A reporter names a speaker once in full ("Kremlin aide Yuri Ushakov") and then
shortens it ("Ushakov", "Mr. Ushakov", "he"). `subject_before` and
`name_after` cut the clean name out of the words around a reporting verb (never
a whole clause), and `SpeakerResolver` remembers full names in reading order so
short references and pronouns come out as "Yuri Ushakov".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from reader.article.names import (
    INITIALS,
    ROLE_HONORIFICS,
    Gender,
    honorific_genders,
    join_role,
    name_gender,
    pronoun_gender,
    pronoun_wanted,
    role_gender,
    strip_affiliation,
)
from reader.article.sentences import word_set
from reader.article.speech import is_reporting_verb

DETERMINERS = frozenset({"the", "a", "an", "one", "another"})
PRONOUNS = frozenset({"he", "she", "il", "elle"})
OTHER_PRONOUNS = frozenset({"they", "we", "i", "it", "you", "who", "which", "this", "that"})
COORDINATORS = frozenset({"and", "but", "or", "nor"})
ASIDE_STARTS = frozenset(
    {
        "in",
        "on",
        "at",
        "during",
        "after",
        "before",
        "who",
        "which",
        "speaking",
        "according",
        "citing",
        "writing",
        "when",
        "while",
        "whose",
        "also",
    }
)
_ABBREVIATION = re.compile(r"^[A-Z][\w]*(?:[.-][\w]*)+\.?$")
POSSESSIVES = frozenset({"its", "his", "her", "their", "our"})
SPEAKING_POSSESSIVES = frozenset({"its", "his", "her"})
"""Possessives whose owner can be told: "her campaign said" is the person she is."""
PREPOSITIONS_IN_NAMES = frozenset({"for", "of", "at", "from", "to", "in"})
NAME_CONNECTORS = frozenset(
    {
        "de",
        "da",
        "di",
        "van",
        "von",
        "der",
        "den",
        "del",
        "la",
        "le",
        "du",
        "dos",
        "bin",
        "al",
        "ibn",
        "ben",
        "of",
        "y",
    }
)
HONORIFICS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "maj",
        "cpl",
        "pvt",
        "supt",
        "insp",
        "det",
        "rev",
        "sir",
        "dame",
        "lord",
        "lady",
        "madam",
        "herr",
        "frau",
        "m",
        "mme",
    }
)
_HONORIFIC_TOKENS = frozenset(
    form
    for honorific in HONORIFICS
    for form in (honorific.capitalize(), honorific.capitalize() + ".")
)
# Role words that precede a name ("Russian President Vladimir Putin"); the name is
# what follows the last of them.
TITLE_WORDS = word_set(
    """
    president minister secretary spokesman spokeswoman spokesperson aide adviser advisor
    chancellor senator governor mayor ambassador general commander chief director chairman
    chairwoman chair ceo leader premier envoy official king queen prince princess pope judge
    justice professor analyst economist researcher lawyer attorney coach captain manager
    officer sheriff commissioner representative state secretary-general founder
    vice-president deputy head correspondent editor spokesmen presidente präsident
    ministerin minister-president kanzler bundeskanzler premier ministre porte-parole
    maire préfet préfète directeur directrice président présidente adjoint adjointe
    senior junior executive assistant associate vice acting former interim administrator
    superintendent speaker commissioner inspector detective sergeant constable
    cox stroke skipper striker goalkeeper midfielder defender bowler pitcher quarterback
    driver pilot rider farmer grower nurse teacher student resident owner shopkeeper
    councillor councilor chef fisherman volunteer actor singer author artist developer
    engineer scientist historian doctor surgeon architect designer campaigner activist
    organiser organizer co-founder partner landlord tenant veteran survivor witness
    neighbour neighbor widow mother father son daughter wife husband brother sister
    colleague friend player boss curator spokesperson trustee singer guitarist drummer bassist
    musician rapper comedian host presenter anchor reporter journalist writer novelist poet
    producer filmmaker star co-host vp evp svp cfo coo cto cmo gm treasurer deputy
    councilman councilwoman alderman official member councilmember chairperson
    """
)
# Words that follow a subject but are not part of it ("Ushakov later said").
AUXILIARIES = word_set(
    """
    has had have was is were are also later then again once previously earlier recently
    reportedly would will could may might did does do further already still often
    repeatedly publicly privately separately never always not himself herself itself
    themselves been being has just initially first finally last yesterday today instead
    however too now even only simply later
    """
)
# Capitalised words that start sentences or clauses but never names.
CAPITALISED_FUNCTION_WORDS = word_set(
    """
    The A An But And Or So Yet In On At As After Before When While If Although Though
    However Meanwhile Still Then Now Some Many Most Asked Speaking During Since Until With
    Without Under Over From To For Of By This That These Those There Here His Her Its Their
    Our My Your Both Each Every Another Other Such What Which Who Whom Whose Why How Where
    Earlier Later Last Next Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December
    Mr Mrs Ms Dr It He She They We I You Also Even Only Just Yes No Not Like Unlike Despite
    Instead Overall Separately Elsewhere Still Thus Hence Indeed Already Around Amid Among
    Against Across Through Throughout Following Including Regarding Because Once Whether
    Although Unless Whereas Upon Within Beyond Toward Towards Via Per Perhaps Maybe Besides
    Enter Replied Ask Longtime Sometimes Often Usually Never Always Apparently Clearly
    Obviously Certainly Finally Initially Eventually Recently Currently Today Tonight Tomorrow
    Yesterday Meanwhile Otherwise Nevertheless Nonetheless Moreover Furthermore Additionally
    """
)
# Last words of capitalised runs that name places, bodies or things, not people.
NOT_PERSON_HEADS = word_set(
    """
    Bank States Kingdom Republic Emirates Union House Street Road Avenue City County State
    University College School Party Ministry Department Office Council Committee Agency
    Company Inc Corp Group Island Islands River Lake Mountain Mountains Park Square Airport
    Station Hospital Church Court Senate Congress Parliament East West North South Times Post
    News Journal Press Magazine Review Network Institute Foundation Association Club League
    Cup Festival Awards Prize Act Bill Treaty Agreement Center Centre Museum Hall Stadium
    Bay Sea Ocean Valley Coast Province Region District Airlines Airways Motors Technologies
    Labs Services Systems Capital Partners Fund Bureau Police Army Navy Force Forces Guard
    Tuesday Monday Wednesday Thursday Friday Saturday Sunday Day Week Year Season Series Show
    Vineyard Street Coalition Alliance Federation Authority Commission Board Administration
    """
)
# First names that are also ordinary words, so their lower-case use proves nothing.
WORD_LIKE_FIRST_NAMES = word_set(
    """
    Will Mark Grant Rose Joy Hope Faith Grace Dean Bill Frank Jack Ray Guy Drew Gene Art Rich
    Max Jean June May April Summer Dawn Iris Ivy Lily Pat Sue Bob Rob Bud Chase Hunter Cliff
    Glen Miles Wade Cole Chuck Don Ed Al Carol Holly Olive Pearl Ruby Sky Stone Victor Dale
    Earl Lane Reed Young Brook Heather Amber Crystal Destiny Harmony Autumn Sterling Lance
    """
)
# First words of two-word places ("New York", "Hong Kong", "South Dakota").
NOT_PERSON_FIRSTS = word_set(
    """
    New Los Las San Santa Saint St Hong North South East West Upper Lower Great United El Sri
    Puerto Rio Costa Saudi Abu Tel Buenos Cape Fort Port Mount Lake Middle Central Northern
    Southern Eastern Western Greater Royal National Federal Supreme European American British
    """
)
# Bare group nouns that can speak ("officials said").
GROUP_NOUNS = word_set(
    """
    officials police authorities prosecutors investigators analysts experts witnesses residents
    organizers organisers researchers scientists doctors lawyers diplomats sources observers
    critics activists protesters campaigners economists spokespeople lawmakers officers
    soldiers firefighters paramedics teachers students parents fans users workers employees
    demonstrators rescuers volunteers voters legislators senators judges ministers leaders
    """
)

_STRIP_MARKS = re.compile(r"[“”\"«»„‟()\[\]]")
_NAME_TOKEN = re.compile(
    r"^(?:[A-ZÀ-Þ]\.|[A-ZÀ-Þ][a-zß-ÿ]*(?:['’][A-ZÀ-Þ]?[a-zß-ÿ]+)?(?:[A-ZÀ-Þ][a-zß-ÿ]+)?"
    r"(?:-[A-ZÀ-Þ][a-zß-ÿ]+)*)$"
)
"""A token that can be part of a personal name: "Yuri", "O’Brien", "McDowell", "Rose-Lynn", "J."."""
_LONE_SUBJECT = re.compile(
    r"^\W*([A-ZÀ-Þ][a-zß-ÿ]+(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?)\s+([a-z]{2,}(?:ed|s)|also|had|was|did|would|"
    r"will|could|then|later|still|never|doesn['’]t|didn['’]t|wasn['’]t|isn['’]t)\b"
)
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_BY_NAME = re.compile(r"\bby\s+((?:[A-Z][\w'’-]+\s+){1,3}[A-Z][\w'’-]+)")
_CLAUSE_SPLIT = re.compile(r"\s*[,;:—–]\s*|\s+-\s+")
_TRAILING_PUNCT = ".,;:!?'’"
_BARE_STRIP = _TRAILING_PUNCT + '“”"'
_POSSESSIVE = re.compile(r"['’]s?$")
_NAME_RUN = re.compile(
    r"\b[A-ZÀ-ÞĀ-Ž][\w'’-]*\.?(?:\s+(?:(?:de|da|di|van|von|der|den|del|la|le|du|dos|bin|al|ibn)\s+)?"
    r"[A-ZÀ-ÞĀ-Ž][\w'’-]*\.?)+"
)


def _bare(token: str) -> str:
    """A token without surrounding punctuation, lowercased."""
    return token.strip(_BARE_STRIP).lower()


def _is_capitalised(token: str) -> bool:
    return bool(token) and token[0].isupper()


def _is_verbish(token: str) -> bool:
    """True for words that mean a noun phrase has turned into a clause."""
    bare = _bare(token)
    return bare in AUXILIARIES or is_reporting_verb(bare)


def _trailing_phrase(segment: str) -> str | None:
    """The noun phrase that ends `segment`: a pronoun, a proper name or a determiner phrase."""
    tokens = segment.split()
    while tokens and (
        _bare(tokens[-1]) in AUXILIARIES or (tokens[-1].islower() and tokens[-1].endswith("ly"))
    ):
        tokens.pop()
    if not tokens:
        return None
    bare_last = _bare(tokens[-1])
    if bare_last in PRONOUNS:
        return bare_last
    if bare_last == "it":
        return "it"  # "“...,” it added": the organisation that spoke
    if bare_last in OTHER_PRONOUNS:
        return None
    if _is_capitalised(tokens[-1]):
        return _capitalised_phrase(tokens)
    return _common_phrase(tokens)


def _capitalised_phrase(tokens: list[str]) -> str | None:
    """A proper name ending the tokens, with "the" kept for organisations."""
    start = len(tokens) - 1
    while start > 0 and _continues_name(tokens, start - 1):
        start -= 1
    # "The Kremlin" / "the Foreign Ministry": keep the determiner (an organisation).
    if start > 0 and _bare(tokens[start - 1]) == "the":
        start -= 1
    # "Arthur Quayle of the Older People's Forum": the person, not the forum.
    if (
        start >= 2
        and _bare(tokens[start - 1]) in {"of", "at", "from"}
        and _is_capitalised(tokens[start - 2])
    ):
        person = _trailing_phrase(" ".join(tokens[: start - 1]))
        if person is not None and person[:1].isupper() and len(person.split()) >= 2:
            return person
    run = tokens[_extend_over_preposition(tokens, start) :]
    while run and run[0] in CAPITALISED_FUNCTION_WORDS and run[0] not in ("The", "A", "An"):
        run = run[1:]
    if not run or (len(run) == 1 and run[0] == "The"):
        return None
    return " ".join(run)


def _common_phrase(tokens: list[str]) -> str | None:
    """A lower-case phrase ending the tokens: "the port authority", "her campaign", "officials"."""
    last = tokens[-1]
    bare_last = _bare(last)
    phrase_start = _determiner_phrase_start(tokens)
    if phrase_start is not None:
        return " ".join(tokens[phrase_start:])
    if len(tokens) > 1 and _bare(tokens[-2]) in SPEAKING_POSSESSIVES and bare_last.isalpha():
        return f"{_bare(tokens[-2])} {bare_last}"  # "her campaign", "his office"
    if bare_last in GROUP_NOUNS:
        if (
            len(tokens) > 1
            and _is_capitalised(tokens[-2])
            and tokens[-2] not in CAPITALISED_FUNCTION_WORDS
        ):
            return f"{tokens[-2]} {last}"
        return last
    return None


def _continues_name(tokens: list[str], index: int) -> bool:
    """Whether tokens[index] belongs to the proper name that follows it."""
    token = tokens[index]
    if _is_capitalised(token):
        return not token.endswith((":", ";"))
    return _bare(token) in NAME_CONNECTORS and index > 0 and _is_capitalised(tokens[index - 1])


def _extend_over_preposition(tokens: list[str], start: int) -> int:
    """Grow "the ministry" back to "a spokesperson for the ministry" when it is one phrase."""
    if start >= 2 and _bare(tokens[start - 1]) in PREPOSITIONS_IN_NAMES:
        head = _determiner_phrase_start(tokens[: start - 1])
        if head is not None:
            return head
    return start


def _determiner_phrase_start(tokens: list[str]) -> int | None:
    """Index where a determiner phrase ending the token list begins, if it is one."""
    count = len(tokens)
    for start in range(max(0, count - 8), count - 1):  # earliest determiner first
        if _bare(tokens[start]) not in DETERMINERS:
            continue
        body = tokens[start + 1 :]
        if _valid_phrase_body(body):
            return start
    return None


def _valid_phrase_body(body: list[str]) -> bool:
    """A noun-phrase body: no verbs, no new determiner except after "for"/"of"."""
    for index, token in enumerate(body):
        bare = _bare(token)
        if not bare or _is_verbish(token) or bare in OTHER_PRONOUNS or bare in PRONOUNS:
            return False
        if bare in DETERMINERS and (
            index == 0 or _bare(body[index - 1]) not in PREPOSITIONS_IN_NAMES | {"on"}
        ):
            return False
        if bare in PREPOSITIONS_IN_NAMES and bare not in {"for", "of", "at", "from", "on", "in"}:
            return False
    return True


def subject_before(clause: str) -> str | None:
    """The speaker phrase that ends `clause` (the words before a reporting verb).

    Asides between the name and the verb are skipped: "Yuri Ushakov, a Kremlin
    aide, said", "Strauss Zelnick, CEO of Take-Two, adds", "Ben Sasse, R-Neb., said".
    """
    clause = _STRIP_MARKS.sub(" ", clause)
    segments = [segment.strip() for segment in _CLAUSE_SPLIT.split(clause) if segment.strip()]
    if not segments:
        return None
    last = segments[-1]
    if _bare(last.split()[-1]) in COORDINATORS:
        return None  # "... the legal footing for a peace deal and said": not the subject
    candidate = _trailing_phrase(last)
    if len(segments) >= 2 and (candidate is None or _is_aside(last)):
        for segment in reversed(segments[-5:-1]):
            previous = _trailing_phrase(segment)
            if (
                previous is not None
                and segment.endswith(previous)
                and not _is_aside(segment)
                and (previous[:1].isupper() or previous in PRONOUNS)
            ):
                return previous
            if not _is_aside(segment):
                break
    return candidate


def _is_aside(segment: str) -> bool:
    """An appositive or inserted phrase: "a Kremlin aide", "CEO of X", "in a statement"."""
    words = segment.split()
    if not words:
        return True
    first = _bare(words[0])
    if len(words) == 1 and _ABBREVIATION.match(words[0]):
        return True  # "R-Neb.", "Inc.", "Jr."
    if first in TITLE_WORDS:
        # "CEO of Take-Two" is an aside; "Stroke Callum Ashdown" is a role and a name.
        name = split_name(segment)
        return len(name) < 2 or not all(_is_capitalised(token) for token in name)
    return (
        first in DETERMINERS
        or first in POSSESSIVES
        or first in ASIDE_STARTS
        or words[0][:1].islower()
    )


def name_after(text: str) -> str | None:
    """The speaker phrase that follows a reporting verb ("said Yuri Ushakov, ...")."""
    text = _STRIP_MARKS.sub(" ", text)
    segments = _CLAUSE_SPLIT.split(text.strip(), maxsplit=2)
    apposition = _apposition_name(segments)
    if apposition is not None:
        return apposition
    tokens = segments[0].split()
    if not tokens:
        return None
    first = _bare(tokens[0])
    if first in PRONOUNS:
        return first
    if first in DETERMINERS:
        return _determiner_phrase_after(segments[0], tokens)
    roles, rest = _split_role_words(tokens)
    name = _name_at_start(rest)
    return f"{' '.join(roles)} {name}" if roles and name else name


def _apposition_name(segments: list[str]) -> str | None:
    """ "the agency's chief hydrologist, Ines Caldera, ...": the name after the role."""
    head_words = segments[0].split()
    if len(segments) < 2 or not head_words:
        return None
    if not (
        _bare(head_words[-1]) in TITLE_WORDS or _bare(head_words[0]) in DETERMINERS | POSSESSIVES
    ):
        return None
    apposition = segments[1].split()
    if 0 < len(apposition) <= 4 and all(
        _continues_name(apposition, i) for i in range(len(apposition))
    ):
        return " ".join(apposition).rstrip(".")
    return None


def _determiner_phrase_after(head: str, tokens: list[str]) -> str | None:
    """ "said the port authority", "according to a 2018 survey by Penelope Muse Abernathy"."""
    by_name = _BY_NAME.search(head)
    if by_name:
        return by_name.group(1)
    taken: list[str] = []
    for token in tokens[:8]:
        bare = _bare(token)
        if taken and (
            _is_verbish(token)
            or (bare in PREPOSITIONS_IN_NAMES and bare not in {"for", "of", "at", "from"})
        ):
            break
        taken.append(
            token.rstrip(_TRAILING_PUNCT) if token.endswith(".") and len(token) > 3 else token
        )
        if token.endswith("."):
            break
    return " ".join(taken).rstrip(_TRAILING_PUNCT.replace(".", "")) if len(taken) > 1 else None


def _split_role_words(tokens: list[str]) -> tuple[list[str], list[str]]:
    """ "said council leader Rachel Ogunde": (lower-case role words, the tokens of the name)."""
    for index, token in enumerate(tokens[:4]):
        if _is_capitalised(token):
            break
        if (
            _bare(token) in TITLE_WORDS
            and index + 1 < len(tokens)
            and _is_capitalised(tokens[index + 1])
        ):
            roles = tokens[: index + 1]
            return (roles if all(t.isalpha() for t in roles) else []), tokens[index + 1 :]
    return [], tokens


def _name_at_start(tokens: list[str]) -> str | None:
    """The capitalised run that opens `tokens`, up to the sentence's end."""
    taken: list[str] = []
    for index, token in enumerate(tokens[:7]):
        if not (
            _is_capitalised(token)
            or (
                _bare(token) in NAME_CONNECTORS
                and index + 1 < len(tokens)
                and _is_capitalised(tokens[index + 1])
            )
        ):
            break
        taken.append(token)
        if _ends_sentence(token):
            break  # the sentence ends with the name
    if not taken:
        return None
    name = " ".join(taken).rstrip(",;:!?")
    return name if name.endswith(("Jr.", "Sr.")) else name.removesuffix(".")


def _ends_sentence(token: str) -> bool:
    """A name token with a full stop that ends the sentence (not "Mr.", "D.J.", "Jr.")."""
    return (
        token.endswith((".", "!", "?"))
        and len(_bare(token)) > 1
        and _bare(token) not in HONORIFICS
        and token not in ("Jr.", "Sr.")
        and not INITIALS.match(token)
    )


def leading_subject(sentence: str) -> str | None:
    """The subject at the start of a sentence, for "..., adding that ..." participles.

    An opening phrase ("After the hearing, Hawk Sawyer issued ...") is skipped.
    """
    segments = [seg.split() for seg in _CLAUSE_SPLIT.split(_STRIP_MARKS.sub(" ", sentence))]
    for index, tokens in enumerate(segments):
        if not tokens:
            continue
        if (
            index + 1 < len(segments)
            and tokens[0] in CAPITALISED_FUNCTION_WORDS
            and tokens[0] not in ("The", "A", "An")
            and _bare(tokens[0]) not in PRONOUNS
        ):
            continue  # an introductory phrase
        first = _bare(tokens[0])
        if first in PRONOUNS:
            return first
        taken: list[str] = []
        for index, token in enumerate(tokens[:7]):
            if taken and (_is_verbish(token) or _looks_like_verb(token)):
                break
            if (
                taken
                and not _is_capitalised(token)
                and _is_capitalised(taken[-1])
                and _bare(taken[0]) not in DETERMINERS
                and not _continues_name(tokens, index)
            ):
                break  # "Hawk Sawyer issued ...": the name ends where lower case starts
            taken.append(token)
        return subject_before(" ".join(taken))
    return None


def _looks_like_verb(token: str) -> bool:
    """A past-tense or third-person form ("issued", "rejects") ending a subject."""
    return token.islower() and token.endswith(("ed", "es")) and len(token) > 4


def _is_title(token: str) -> bool:
    """A role word, also plural or compound: "President", "Singer-guitarists", "co-hosts"."""
    bare = _bare(token)
    if bare in TITLE_WORDS or (len(bare) > 6 and bare.endswith(("ologist", "ician", "ist"))):
        return True  # also "sociologist", "statistician", "columnist"
    if "-" not in bare:
        return bare.removesuffix("s") in TITLE_WORDS
    return any(
        part in TITLE_WORDS or part.removesuffix("s") in TITLE_WORDS
        for part in bare.split("-")
        if part
    )


def split_name(phrase: str) -> list[str]:
    """Tokens of a proper-name phrase with role words before the name cut off."""
    return split_title(phrase)[1]


def split_title(phrase: str) -> tuple[list[str], list[str]]:
    """(role words, name tokens): "Kremlin aide Yuri Ushakov" -> (Kremlin aide, Yuri Ushakov)."""
    tokens = [token.strip(",;:") for token in phrase.split()]
    last_title = -1
    for index, token in enumerate(tokens[:-1]):
        if _is_title(token) or _bare(token) in ROLE_HONORIFICS:
            last_title = index
    title, tokens = tokens[: last_title + 1], tokens[last_title + 1 :]
    if tokens:
        tokens[-1] = _POSSESSIVE.sub("", tokens[-1]) or tokens[-1]
    while title and (title[0] in CAPITALISED_FUNCTION_WORDS or _bare(title[0]) in DETERMINERS):
        title = title[1:]
    return title, tokens


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who said a quote: a clean name, and what the article says they are."""

    name: str
    role: str | None = None


@dataclass(slots=True)
class _Seen:
    """A person the text named, and when."""

    name: str | None = None
    at: int = -1
    """Sentence number."""
    paragraph: int = -1


class SpeakerResolver:
    """Turns raw speaker phrases into their fullest form, in reading order.

    Remembers every full personal name seen ("Yuri Ushakov"), keyed by surname,
    with the role and gender the article gives it, and the conversation so far
    (who spoke last, and how many quotes in a row), so "Mr. Ushakov", "Ushakov",
    "he", "the president" and "her campaign" resolve to a person.
    """

    def __init__(self) -> None:
        self.full_names: dict[str, str] = {}
        """Surname -> the last full name seen with it."""
        self.roles: dict[str, str] = {}
        """Full name -> the role the article first gave it ("mayor", "Rep., D-Ore.")."""
        self.role_holders: dict[str, str] = {}
        """Role, lower case ("president", "county engineer") -> the person who holds it."""
        self.genders: dict[str, Gender] = {}
        """Full name -> gender, from the article's own words (Mr./Ms., her/his, "her son")."""
        self.reporter = _Seen()
        """The most recent person who was the subject of a reporting verb."""
        self.mentioned = _Seen()
        """The most recent full personal name anywhere in the text."""
        self.subject = _Seen()
        """The most recent person named as a sentence's subject."""
        self.organisation = _Seen()
        """The most recent organisation that spoke (what a later "it said" means)."""
        self.company = _Seen()
        """The most recent business named ("Larchfield Homes"): what "the company said" means."""
        self.streak = 0
        """How many quotes in a row `reporter` has spoken: an established speaker."""
        self.people: dict[str, int] = {}
        """(person, paragraph) last seen, most recent last: for a pronoun whose gender rules
        the conversation's people out."""
        self.document_text = ""
        """The body text, whose words `written_in_lower_case` looks up."""
        self.honorific_genders: dict[str, Gender] = {}
        """Surname -> gender from "Mr. X" / "Ms. X" anywhere in the article (read once)."""
        self.companies_referred = True
        """Whether the text says "the company" or "the firm": only then are businesses noted."""
        self._words: frozenset[str] | None = None
        self._runs: dict[tuple[str, bool], tuple[str, list[str]] | None] = {}
        """Capitalised run (and whether it opens the sentence) -> its full name and title."""
        self._surname_forms: set[str] = set()
        """Known surnames as they stand between spaces ("Grady", "Grady,", "Grady’s")."""
        self.clock = 0
        """Sentences read so far."""
        self.paragraph = 0
        """Paragraphs read so far."""

    def read_document(self, text: str) -> None:
        """Note what the whole article holds, once: its words, "Mr. X", "the company"."""
        self.document_text = text
        words = self._words = frozenset(text.split())
        self.companies_referred = not COMPANY_NOUNS.isdisjoint(words)
        if not _HONORIFIC_WORDS.isdisjoint(words):
            self.honorific_genders = dict(honorific_genders(text))

    @property
    def last_person(self) -> str | None:
        return self.reporter.name

    def register_mentions(self, text: str) -> None:
        """Remember the full personal names that appear in `text` (one sentence).

        A sentence that opens with a name ("Trump sent ...", "Grenholt's coach,
        Henrik Dahl, was ...") makes that person the one a following "he" or "she"
        means; a name further on (an object) only does when nobody has spoken yet.
        """
        lone = _LONE_SUBJECT.match(text)
        if lone and self._could_be_surname(lone.group(1), not lone.group(2).endswith("ed")):
            self._seen(self.full_names.get(lone.group(1), lone.group(1)), subject=True)
        for match in _NAME_RUN.finditer(text):
            found = self._full_name_of(text, match)
            if found is None:
                continue
            full, title = found
            subject = _in_subject_position(_clause_before(text, match.start()))
            self._seen(full, subject=subject)
            self._learn_role(text, match, full, title)
            if subject:
                gender = pronoun_gender(_up_to_next_name(text, match.end())[:80])
                if gender is not None:
                    self.genders.setdefault(full, gender)
        if self.full_names:
            self._short_mentions(text)
        if self.companies_referred:
            self._note_company(text)
        organisation = _ORGANISATION_SUBJECT.match(text)
        if organisation is not None:
            speaker, _ = self._organisation(organisation.group(1))
            if speaker is not None:
                self.organisation = _Seen(speaker.name, self.clock, self.paragraph)

    def _note_company(self, text: str) -> None:
        """ "The developer, Larchfield Homes, said" / "Brightwell Appliances is recalling"."""
        for named in _COMMA_NAME.finditer(text):
            word = text[text.rfind(" ", 0, named.start()) + 1 : named.start()]
            if word.lower() in COMPANY_NOUNS:
                self.company = _Seen(named.group(1).strip(), self.clock, self.paragraph)
                return
        opening = _COMPANY_SUBJECT.match(text)
        if opening is None:
            return
        name = opening.group(1)
        words = name.split()
        if (
            words[0] not in CAPITALISED_FUNCTION_WORDS
            and name_gender(name) is None
            and name not in self.genders
        ):
            self.company = _Seen(name, self.clock, self.paragraph)

    def _short_mentions(self, text: str) -> None:
        """ "As it turned out, Steenburgen had ...": a known surname alone is a mention too."""
        forms = self._surname_forms.intersection(text.split())
        if not forms:
            return  # the common case, in C: no known surname in the sentence
        found = sorted((text.find(form), self._surname_of_form(form)) for form in forms)
        for position, surname in found:
            full = self.full_names.get(surname)
            if full is not None and full != surname:
                subject = _in_subject_position(_clause_before(text, position))
                if subject or full != self.mentioned.name:
                    self._seen(full, subject=subject)

    def _surname_of_form(self, form: str) -> str:
        """ "Grady’s," -> "Grady": the known surname a word stands for."""
        for end in _WORD_ENDS_LONGEST_FIRST:
            if form.endswith(end) and form[: len(form) - len(end)] in self.full_names:
                return form[: len(form) - len(end)]
        return form

    def _could_be_surname(self, word: str, weak_verb: bool) -> bool:
        """Whether a capitalised word opening a sentence is a person ("Trump sent ...").

        Before a word that is no clear verb ("Key events", "Moving forward"), only
        a name the article or the first-name list knows counts.
        """
        if weak_verb and word not in self.full_names and name_gender(word) is None:
            return False
        return (
            word not in CAPITALISED_FUNCTION_WORDS
            and not word.endswith("ly")
            and word not in NOT_PERSON_HEADS
            and not self.written_in_lower_case(word)
        )

    def _full_name_of(self, text: str, match: re.Match[str]) -> tuple[str, list[str]] | None:
        """The full personal name a capitalised run holds, registered; None for places, words.

        An article names the same people again and again: the answer for a run is kept.
        """
        key = (match.group(), match.start() < 4 and not text[: match.start()].strip(" “\"‘'"))
        if key in self._runs:
            found = self._runs[key]
            if found is not None:
                self._remember_name(found[0].split()[-1], found[0])
            return found
        found = self._read_run(key[0], opens_sentence=key[1])
        self._runs[key] = found
        return found

    def _read_run(self, run: str, *, opens_sentence: bool) -> tuple[str, list[str]] | None:
        tokens = run.split()
        while tokens and (
            tokens[0] in CAPITALISED_FUNCTION_WORDS
            or (tokens[0] in _HONORIFIC_TOKENS and _bare(tokens[0]) not in ROLE_HONORIFICS)
        ):
            tokens = tokens[1:]
        if len(tokens) < 2:
            return None  # "The Kremlin", "In Moscow": no full name (the common case, cheaply)
        if opens_sentence and self.written_in_lower_case(tokens[0]) and not _is_title(tokens[0]):
            tokens = tokens[1:]  # "Customers Cook ..." at a sentence start: a plain word
        title, tokens = split_title(" ".join(tokens))
        if not self._is_person_name(tokens):
            return None
        full = " ".join(tokens)
        self._remember_name(tokens[-1], full)
        return full, title

    def _remember_name(self, surname: str, full: str) -> None:
        self.full_names[surname] = full  # the latest full name with this surname
        if surname not in self._surname_forms:
            self._surname_forms.update(surname + end for end in _WORD_ENDS)

    def _is_person_name(self, tokens: list[str]) -> bool:
        """Whether tokens can be a person's name: "D.J. Calloway", never "Rates Are"."""
        if len(tokens) < 2 or any(
            token.endswith(".") and len(token) > 2 and not INITIALS.match(token) for token in tokens
        ):
            return False
        if any(
            token in CAPITALISED_FUNCTION_WORDS
            or token in NOT_NAME_WORDS
            or not (_NAME_TOKEN.match(token) or token in NAME_CONNECTORS or INITIALS.match(token))
            for token in tokens
        ):
            return False
        if self.written_in_lower_case(tokens[-1]) and tokens[-1] not in WORD_LIKE_FIRST_NAMES:
            return False  # "Rates Are", "Harbour Rates": ordinary words in this document
        return not (
            tokens[-1] in NOT_PERSON_HEADS
            or tokens[0] in NOT_PERSON_FIRSTS
            or tokens[0].endswith("ing")
        )  # "West Bank", "Martha's Vineyard", "Hosting Cook"

    def _learn_role(self, text: str, match: re.Match[str], full: str, title: list[str]) -> None:
        """The role around a name: "Dana Whitlock, the mayor,", "chief executive Ada Barr",
        "Grenholt's coach, Henrik Dahl", "Sen. Tobias Whitcombe, D-Vt.", "... Finch of Ohio"."""
        if full in self.roles:
            return  # the first role the article gives a person is the one shown
        role = " ".join(title) if 0 < len(title) <= 4 else None
        if role is None:
            role = _role_before(text[max(0, match.start() - 60) : match.start()])
        if role is None:
            after = _APPOSITIVE_ROLE.match(text, match.end())
            if after and _has_title_head(after.group(1)):
                role = after.group(1)
        party = place = None
        affiliation = _AFFILIATION_AFTER.match(text, match.end())
        if affiliation is not None:
            _, party, place = strip_affiliation(full + affiliation.group())
        if role or party or place:
            self._set_role(full, join_role(role, party, place) or "")

    def _set_role(self, full: str, role: str) -> None:
        if not role:
            return
        gender = role_gender(role)
        if gender is not None:
            self.genders.setdefault(full, gender)
        self.roles.setdefault(full, role)
        lowered = role.lower()
        self.role_holders[lowered] = full
        self.role_holders.setdefault(lowered.split()[-1], full)

    def _seen(self, full: str, *, subject: bool) -> None:
        self.mentioned = _Seen(full, self.clock, self.paragraph)
        if subject:
            self.subject = _Seen(full, self.clock, self.paragraph)
        self._note_person(full)

    def _note_person(self, full: str) -> None:
        self.people.pop(full, None)
        self.people[full] = self.paragraph  # most recent last

    def _plain_word(self, token: str) -> bool:
        """A capitalised ordinary word ("Perhaps", "Enter"), not a name, in this document."""
        return token not in WORD_LIKE_FIRST_NAMES and (
            token in CAPITALISED_FUNCTION_WORDS or self.written_in_lower_case(token)
        )

    def written_in_lower_case(self, word: str) -> bool:
        """Whether the document also writes `word` in lower case ("Customers" is no first name)."""
        if self._words is None:
            self._words = frozenset(self.document_text.split())
        lowered = word.lower()
        words = self._words
        return lowered != word and (
            lowered in words or lowered + "," in words or lowered + "." in words
        )

    def next_sentence(self) -> None:
        """Advance the reading position (one tick per sentence)."""
        self.clock += 1

    def next_paragraph(self) -> None:
        """Advance the paragraph count (a chain's speaker outlives a paragraph about someone)."""
        self.paragraph += 1

    def gender(self, full: str) -> Gender | None:
        """What the article says of the person's gender, else what the first name suggests."""
        return (
            self.genders.get(full)
            or self.honorific_genders.get(_surname(full))
            or name_gender(full)
        )

    def resolve(self, phrase: str | None, *, remember: bool = True) -> Speaker | None:
        """The fullest known form of a speaker phrase; None when it cannot be told.

        With `remember`, a person becomes the one "he"/"she" refers to next.
        """
        speaker, kind = self._resolve(phrase)
        if speaker is None or not remember:
            return speaker
        if kind == "person":
            self.streak = self.streak + 1 if speaker.name == self.reporter.name else 1
            self.reporter = _Seen(speaker.name, self.clock, self.paragraph)
            self._note_person(speaker.name)
        elif kind == "organisation":
            self.organisation = _Seen(speaker.name, self.clock, self.paragraph)
        return speaker

    def _resolve(self, phrase: str | None) -> tuple[Speaker | None, SpeakerKind]:
        """(speaker, what it is)."""
        if not phrase:
            return None, "none"
        lowered = phrase.lower()
        if lowered in PRONOUNS:
            return self._person(self._pronoun(lowered))
        if lowered == "it":
            organisation = self.organisation.name
            if organisation is None or self.clock - self.organisation.at > 8:
                return None, "none"
            return Speaker(organisation), "organisation"
        if lowered in OTHER_PRONOUNS:
            return None, "none"
        words = phrase.split()
        if words[0].lower() in SPEAKING_POSSESSIVES and len(words) == 2:
            return self._owner(words[0].lower(), words[1])
        if _bare(words[0]) in DETERMINERS:
            return self._organisation(phrase)
        if words[-1].lower() in GROUP_NOUNS:
            group = phrase[0].lower() + phrase[1:] if len(words) == 1 else phrase
            return Speaker(group), "group"
        return self._named(phrase)

    def _person(
        self, name: str | None, role: str | None = None
    ) -> tuple[Speaker | None, SpeakerKind]:
        if name is None:
            return None, "none"
        return Speaker(name, role or self.roles.get(name)), "person"

    def _pronoun(self, pronoun: str) -> str | None:
        """The person "he" or "she" means: the conversation's speaker unless the text moved on.

        A person named as a subject since the last quote takes over, unless an
        established speaker (two quotes or more in a row) is talking and the name
        came in an earlier paragraph without a role ("Tom Ferris, who built the pump
        house, retired in 2009"). A candidate of the other gender is passed over.
        """
        reporter, subject, mentioned = self.reporter, self.subject, self.mentioned
        candidates: list[str | None] = []
        if (
            subject.name
            and subject.at > reporter.at
            and (
                self.streak < 2
                or subject.paragraph == self.paragraph
                or subject.name in self.roles  # introduced with a role: a new voice
            )
        ):
            candidates.append(subject.name)
        candidates.append(reporter.name)
        if reporter.name is None:
            candidates.append(mentioned.name)
        wanted = pronoun_wanted(pronoun)
        named = [self._of_gender(name, wanted) for name in candidates if name]
        chosen = next((name for name in named if self.gender(name) in (None, wanted)), None)
        if chosen is None and wanted is not None:
            recent = [
                name for name, seen in reversed(self.people.items()) if seen >= self.paragraph - 6
            ]
            chosen = next((name for name in recent if self.gender(name) == wanted), None)
        if chosen is None:
            chosen = named[0] if named else None
        return chosen

    def _author(self) -> tuple[Speaker | None, SpeakerKind] | None:
        """Who wrote "the letter" or "the statement" just mentioned: the latest speaker."""
        seen: list[tuple[_Seen, SpeakerKind]] = [
            (self.reporter, "person"),
            (self.subject, "person"),
            (self.organisation, "organisation"),
        ]
        latest, kind = max(seen, key=lambda item: item[0].at)
        if latest.name is None or self.paragraph - latest.paragraph > 2:
            return None
        return Speaker(latest.name), kind

    def _of_gender(self, name: str, wanted: Gender | None) -> str:
        """ "she" after "Abernethy-Cole": of two people with that surname, the woman."""
        if wanted is None or self.gender(name) == wanted:
            return name
        surname = _surname(name)
        return next(
            (
                other
                for other in reversed(self.people)
                if _surname(other) == surname and self.gender(other) == wanted
            ),
            name,
        )

    def _owner(self, possessive: str, noun: str) -> tuple[Speaker | None, SpeakerKind]:
        """ "her campaign" -> (Dana Whitlock, role "campaign"); "its board" -> the organisation."""
        if possessive == "its":
            owner = self.organisation.name
            return (Speaker(owner, noun), "described") if owner else (None, "none")
        person = self._pronoun("she" if possessive == "her" else "he")
        return (Speaker(person, noun), "described") if person else (None, "none")

    def _named(self, phrase: str) -> tuple[Speaker | None, SpeakerKind]:
        """A proper-name phrase: the person's full name and role, or an organisation."""
        phrase, party, place = strip_affiliation(phrase)
        title, tokens = split_title(phrase)
        if len(tokens) >= 2 and self._plain_word(tokens[0]):
            tokens = tokens[1:]  # "Replied Stephen", "Sociologist Elizabeth Sweet"
        core = [token for token in tokens if _bare(token) not in HONORIFICS]
        if not core:
            return Speaker(phrase), "organisation"
        role = join_role(" ".join(title) if title else None, party, place)
        if len(core) == 1:
            return self._single_name(core[0], tokens, role)
        if len(core) > 5:
            return None, "none"
        full = " ".join(core)
        self._remember_name(core[-1], full)
        if role:
            self._set_role(full, role)
        return self._person(full)

    def _single_name(
        self, name: str, tokens: list[str], role: str | None
    ) -> tuple[Speaker | None, SpeakerKind]:
        full = self.full_names.get(name)
        if full is not None:
            if role:
                self._set_role(full, role)
            return self._person(full)
        if (not _NAME_TOKEN.match(name) and not _ACRONYM.match(name)) or self._plain_word(name):
            return None, "none"  # "Sometimes", "Don’t": not a name at all
        # "Mr. Ushakov" is a person even unresolved; a bare "Reuters" may not be.
        shown = " ".join(tokens)
        if len(tokens) > 1:
            if role:
                self._set_role(shown, role)
            return self._person(shown)
        return Speaker(shown, role), "organisation"

    def _organisation(self, phrase: str) -> tuple[Speaker | None, SpeakerKind]:
        """ "The Kremlin" -> "the Kremlin"; "the Kremlin spokesman Dmitry Peskov" -> the name."""
        tokens = phrase.split()
        tail: list[str] = []
        for token in reversed(tokens):
            if not _is_capitalised(token):
                break
            tail.insert(0, token)
        if (
            len(tail) >= 2
            and len(tail) < len(tokens) - 1
            and _bare(tokens[len(tokens) - len(tail) - 1]) in TITLE_WORDS
        ):
            return self._resolve(" ".join(tail))
        if len(tokens) > 9 or _bare(tokens[-1]) in FRAGMENT_ENDS:
            return None, "none"  # "a series of": a fragment, not a speaker
        description = " ".join(tokens[1:])
        if _bare(tokens[0]) == "the" and _bare(tokens[-1]) in COMMUNICATION_NOUNS:
            author = self._author()
            if author is not None:
                return author  # "The letter reads:" after "Holloway-Nunn ... in a letter"
        if (
            _bare(tokens[0]) == "the"
            and description.lower() in COMPANY_NOUNS
            and self.company.name is not None
            and self.paragraph - self.company.paragraph <= 3
        ):
            return Speaker(self.company.name), "organisation"  # "the company" named earlier
        holder = self.role_holders.get(description.lower()) if _bare(tokens[0]) == "the" else None
        if holder is not None:
            return self._person(holder, description)  # "the president" the article named
        kind: SpeakerKind = (
            "organisation"
            if _is_capitalised(tokens[-1]) or _bare(tokens[-1]) in ORGANISATION_NOUNS
            else "thing"
        )  # "the port authority" may speak again as "it"; "the sign" does not
        return Speaker(tokens[0].lower() + (" " + description if description else "")), kind


COMMUNICATION_NOUNS = word_set(
    """
    statement letter release post tweet video message email note memo filing report
    interview essay op-ed column speech
    """
)
"""What someone issues rather than who speaks: "issued a statement saying", "the letter reads"."""
ORGANISATION_NOUNS = word_set(
    """
    board council committee company firm agency authority ministry department government
    union federation association club team office commission court bank group party
    administration service trust charity regulator watchdog
    """
)
_ORGANISATION_SUBJECT = re.compile(
    r"^\W*(The\s+(?:[\w'’-]+\s+){0,3}?(?:"
    + "|".join(sorted(ORGANISATION_NOUNS))
    + r"))\s+(?!(?:of|in|on|at|for|to|and|or|with|from|by|that|who|which)\b)[a-z]+\b"
)
"""A sentence that opens with an organisation doing something: what a later "it" means."""


COMPANY_NOUNS = word_set(
    """
    company firm developer owner owners retailer manufacturer maker operator airline bank
    insurer publisher carrier chain brand startup start-up label studio network broadcaster
    supplier landlord group business chipmaker carmaker automaker
    """
)
"""What a business is called once it has been named: "the company said"."""
_COMPANY_APPOSITIVE = re.compile(
    r"\b(?:[Tt]he\s+)?(?:[\w'’-]+\s+)?(?:"
    + "|".join(sorted(COMPANY_NOUNS))
    + r"),\s+([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,3}),"
)
_HONORIFIC_WORDS = word_set("Mr Mr. Mrs Mrs. Ms Ms. Miss Mme Mme. Sir Dame Lord Lady Herr Frau M.")
_COMPANY_SUBJECT = re.compile(
    r"^\W*([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){1,3})\s+(?:is|was|has|had|will|said|says|"
    r"[a-z]{3,}ed)\b"
)
"""A sentence that opens with a capitalised name doing something (a company, or a person)."""

SpeakerKind = Literal["person", "organisation", "group", "described", "thing", "none"]

FRAGMENT_ENDS = DETERMINERS | PREPOSITIONS_IN_NAMES | POSSESSIVES | COORDINATORS | {"with", "by"}
"""A phrase ending in one of these was cut in the middle ("a series of")."""
NOT_NAME_WORDS = word_set(
    """
    Are Is Was Were Be Been Being Has Have Had Do Does Did Will Would Can Could Should Shall
    Must Might Not Says Said Say New Old Big More Less Than Top Why How What
    """
)
"""Capitalised words of headlines that never belong to a person's name."""
_APPOSITIVE_ROLE = re.compile(
    r"\s*,\s+(?:(?:the|a|an)\s+)?([a-zA-Z][\w'’ -]{1,50}?)\s*(?=[,.;:]|\s+(?:said|says|told)\b)"
)
_COMMA_NAME = re.compile(r",\s+([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,3}),")
_ROLE_WORD = re.compile(r"^(?:[A-Z][\w'’-]*['’]s|[A-Za-z][a-z'’-]*)$")


def _role_before(window: str) -> str | None:
    """Role words right before a name: "chief executive ", "Grenholt's coach, "."""
    window = window.rstrip()
    window = window.removesuffix(",").rstrip()
    words = window.split()[-3:]
    if not words or not words[-1][:1].islower() or not _is_title(words[-1]):
        return None  # the common case, cheaply: no role word right before the name
    start = len(words)
    while start > 0 and _ROLE_WORD.match(words[start - 1]):
        start -= 1
    return _without_lead_words(" ".join(words[start:]))


_AFFILIATION_AFTER = re.compile(
    r"(?:\s*,?\s*\(?(?:[RDI]|Ind|Dem|Rep)-[A-Z][A-Za-z.]{1,14}\)?"
    r"|\s+of\s+(?:the\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})"
)
"""A party tag or "of Place" right after a name."""
_SUBJECT_PREFIX_WORD = re.compile(r"^(?:[A-Z][\w.'’-]*|the|a|an|[\w-]+['’]s)$")


_WORD_ENDS = ("", ",", ".", ";", ":", "’s", "'s", "’", "'", "!", "?", ")", "”", '"')
_WORD_ENDS_LONGEST_FIRST = sorted(_WORD_ENDS, key=len, reverse=True)
_SHORT_NAME = re.compile(r"\b[A-ZÀ-Þ][a-zß-ÿ]+(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?\b")
_SUFFIXES = frozenset({"Jr.", "Sr.", "Jr", "Sr", "II", "III", "IV"})


def _surname(full: str) -> str:
    """The surname of a full name, past "Jr." and "III"."""
    words = [word for word in full.split() if word not in _SUFFIXES]
    return words[-1] if words else full


def _clause_before(text: str, position: int) -> str:
    """The words between the last comma (at most 80 characters back) and `position`."""
    start = max(text.rfind(",", 0, position) + 1, position - 80)
    return text[start:position]


def _in_subject_position(before: str) -> bool:
    """Whether a name after `before` (the sentence so far) is the subject, not an object.

    An opening phrase ends at a comma ("On Tuesday, Paul Grady ..."); what is left
    before the name may only be capitalised words, determiners or a possessive
    ("Grenholt's coach, Henrik Dahl"), never a verb or preposition ("met Paul Grady").
    """
    last = before.rsplit(",", 1)[-1].split()
    if len(last) > 4 or (len(last) == 4 and len(before) >= 80):
        return False  # the common case, cheaply: a name deep in the sentence
    return all(_SUBJECT_PREFIX_WORD.match(word.strip("“”\"‘'")) or _is_title(word) for word in last)


def _up_to_next_name(text: str, start: int) -> str:
    """The text after a name up to the next capitalised name (where a her/his may refer)."""
    following = _NAME_RUN.search(text, start)
    return text[start : following.start() if following else len(text)]


_LEAD_WORDS = word_set(
    """
    as and or but the a an by with to of for said says told that while when then against
    about after before over under into at in on from between during like than behind
    around across via per versus
    """
)


def _without_lead_words(phrase: str) -> str | None:
    """ "as stroke" -> "stroke", "race against singer" -> "singer": the role words only."""
    words = phrase.split()
    cut = max((i + 1 for i, word in enumerate(words) if word.lower() in _LEAD_WORDS), default=0)
    return " ".join(words[cut:]) or None


def _has_title_head(phrase: str) -> bool:
    """ "mayor", "county engineer", "CEO of Take-Two": a role, not "opponent of the plan"."""
    head = re.split(r"\s+(?:of|for|at|from|in)\s+", phrase, maxsplit=1)[0].split()
    return bool(head) and _is_title(head[-1])
