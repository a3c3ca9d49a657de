"""Direct quotations and who said them.

Reads the printed paragraphs of a `Document` in order. Each paragraph is scanned
once for quote marks (curly, straight, guillemets, German „...“); reporting verbs
outside the quotes give "events" (who said something, where), resolved in
reading order so "he" and "Mr. Ushakov" become the full name seen before. A
quote takes its speaker from the attribution right after it (“...,” X said),
else "according to X" or a verb before it in the same sentence (X told reporters
that Russia “...”), else the quote it interrupts or continues. Quote marks that
never close end at the paragraph's end (or run into the next paragraph only when
that one opens with a quote mark), so bad markup cannot swallow an article.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from reader.article.document import Block, Document, printed_blocks
from reader.article.sentences import sentence_starts
from reader.article.speakers import (
    COMMUNICATION_NOUNS,
    GROUP_NOUNS,
    PRONOUNS,
    Speaker,
    SpeakerResolver,
    leading_subject,
    name_after,
    subject_before,
)
from reader.article.speech import BASE_FORMS, VERB_RE
from reader.model import Quote

OPENING_MARKS = '“„«"‟'
_MARKS = re.compile(r"[“”„«»\"‟]")
_CLOSERS = {"“": '”"', "„": '“”"', "«": "»", '"': '"”', "‟": '”"'}
_ACCORDING_TO = re.compile(r"\b(?:[Aa]ccording to|[Ss]elon|[Ll]aut)\s+")
_INVERTED_PRONOUN = re.compile(r"a-t-(il|elle)\b")
_DASH_ATTRIBUTION = re.compile(r"\s[―—–-]{1,2}\s*([A-Z][^―—–\n]{1,60})$")
_SIGNATURE = re.compile(r"\s*[―—–]{1,2}\s*([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3})\s*\.?\s*$")
"""“...” ― Dana Whitlock: a signature closing the paragraph."""
_NAME_OUTLET = re.compile(
    r"([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,2}),\s+([A-Z][\w.&'’-]*(?:\s+[\w.&'’-]+){0,4}):\s*$"
)
"""Dana Whitlock, Harbor Gazette: “...”: a name and an outlet before a colon."""
_TRANSCRIPT = re.compile(
    r"((?:MR|MRS|MS|DR|SEN|REP)?\.?\s?[A-Z][A-Z'’-]+(?:\s[A-Z][A-Z'’-]+)?):\s+(?=\S)"
)
"""GRADY: We cannot ...: a transcript's speaker label (the rest is the quote)."""
_TITLE_VERB = re.compile(
    r"\b(?:Sa(?:ys|id)|T(?:ells|old)|Add(?:s|ed)|W(?:arn(?:s|ed)|rites|rote))\b"
)
"""Roundup lead-ins in Title Case: "Whitlock Said “...”"."""
_PLURAL_NOUN_BEFORE = re.compile(
    r"\b(?:of|several|many|two|three|few|his|her|their|its|these|those|in)\s+$"
)
""""a series of tweets", "in posts": a plural noun, not a verb."""
_AS_ATTRIBUTION = re.compile(r"^[\s,]*as\s+(?:\S+\s+){0,3}\S+\s*$")
""""“...,” as Paul Grady put it.": an attribution, not a clause of its own."""
_AFTER_VERB_ENDS = re.compile(
    r"[\s,]*(?:[.!?;]|$|(?:on|in|at|during|after|before|while|when|as|late|early|earlier|later|"
    r"today|yesterday|again|last|this|recently|afterwards)\b)"
)
"""What may follow a verb that attributes a quote ending its own sentence ("Grady asked.")."""
_PASSIVE_BY = re.compile(r"\s+by\b")
"""A scheme "announced by the agency" is not the agency speaking."""
_COORDINATED = re.compile(r"\s(?:and|but)$")
_CALLED_OBJECT = re.compile(
    r"\s+(?:[“\"«„]|(?:it|him|her|them|this|that|these|those|the|his|its|their|a|an|for|on)\b)"
)
""""called it “...”" reports speech; "a gas called acetylene" does not."""
_NAMING_CALLED = re.compile(r"\b([a-z]{3,})\s+$")
_NOT_NAMING = (
    frozenset(
        {"who", "which", "that", "and", "also", "once", "then", "she", "they", "have", "has", "had"}
    )
    | GROUP_NOUNS
)
_NOUN_BEFORE = re.compile(
    r"\b(?:a|an|the|his|her|its|their|our|this|that)\s+(?:[a-z-]+\s+)?$", re.IGNORECASE
)
_NAME_THEN_COMMA = re.compile(r"^[\s,]*(?:[A-ZÀ-Þ][\w.'’-]*\s+){1,3}?[A-ZÀ-Þ][\w'’-]*,")
_CLAUSE_TAIL = re.compile(r",[^,]*$")
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
_LETTER = re.compile(r"[^\W\d_]")
_CONJUNCTION_START = re.compile(r"^\W*(?:and|but|while|as|when|because|after|before|so)\b", re.I)
_TITLE_CASE = re.compile(
    r"^(?:[A-Z0-9][\w'’.-]*[,:]?|&|of|the|and|a|an|in|on|to|for|at|by)"
    r"(?:\s+(?:[A-Z0-9][\w'’.-]*[,:]?|&|of|the|and|a|an|in|on|to|for|at|by))"
    r"{1,9}$"
)
_NORMALISE = re.compile(r"[\W_]+")

MIN_QUOTE_WORDS = 3
"""One- or two-word quotes are scare quotes, never reported."""
MIN_UNATTRIBUTED_WORDS = 6
"""Partial quotes shorter than this count only when a speaker is named."""
MAX_CONTINUATION_PARAGRAPHS = 12
MAX_QUOTE_CHARS = 6000
TAIL_REACH = 90
"""How far after a closing mark an attribution ("..., Mr. Zelenskyy said") may start."""
TAIL_REACH_WITH_APPOSITIVE = 250
"""The same when a name and an appositive come first ("..., Jane Doe, an analyst at X, said")."""


@dataclass(slots=True)
class _Event:
    """A reporting verb (or "according to") outside quotes and the speaker it names."""

    start: int
    clause_start: int
    speaker: Speaker | None
    clause: str
    according: bool = False
    sentence_start: int = 0
    raw: str | None = None
    """The speaker phrase as written ("he", "Mr. Ushakov"), before resolution."""
    inherits: bool = False
    """A participle ("..., adding that") whose speaker is the sentence's earlier reporter."""
    end: int = 0
    """Where the verb ends."""


@dataclass(slots=True)
class _Candidate:
    """A quote being assembled, possibly over several paragraphs."""

    pieces: list[str]
    section: int
    paragraph: int
    speaker: Speaker | None = None
    opens_paragraph: bool = False
    paragraphs: list[int] = field(default_factory=list)
    open_at: int = 0
    """Offset of the opening mark in its first paragraph."""


def find_quotes(document: Document) -> list[Quote]:
    """Every direct quote of the article's printed paragraphs, with its speaker."""
    printed = [printed_blocks(section) for section in document.sections]
    # Names after the last paragraph that can hold a quote change no speaker: stop there
    # (and a page without quote marks or block quotes costs one scan).
    last = max(
        (
            (index, position)
            for index, blocks in enumerate(printed)
            for position, block in enumerate(blocks)
            if block.kind == "blockquote"
            or _MARKS.search(block.text)
            or _transcript_label(block.text)
        ),
        default=None,
    )
    if last is None:
        return []
    resolver = SpeakerResolver()
    resolver.read_document(" ".join(block.text for blocks in printed for block in blocks))
    resolver.register_mentions(document.title or "")
    resolver.register_mentions(document.description or "")
    candidates: list[_Candidate] = []
    for section_index, blocks in enumerate(printed[: last[0] + 1]):
        if section_index == last[0]:
            blocks = blocks[: last[1] + 2]  # one more: a quote may continue into it
        _QuoteReader(resolver, section_index, candidates).read(blocks)
    return _deduplicate(candidates, resolver.roles)


class _QuoteReader:
    """Reads one section's printed paragraphs; appends finished quotes to `out`."""

    def __init__(self, resolver: SpeakerResolver, section: int, out: list[_Candidate]) -> None:
        self.resolver = resolver
        self.section = section
        self.out = out
        self.pending: _Candidate | None = None
        self.previous_speaker: Speaker | None = None
        """Speaker of the last quote of the previous paragraph."""
        self.previous_lead_in: Speaker | None = None
        """Speaker of a paragraph ending in ":" (introduces a block quote)."""

    def read(self, blocks: list[Block]) -> None:
        for index, block in enumerate(blocks):
            self.resolver.next_paragraph()
            text = block.text
            if not _MARKS.search(text):
                self._finish_pending()
                if block.kind == "blockquote" and self._block_quote(text, index):
                    continue
                if self._transcript(text, index):
                    continue
                events = self._events(text, [])
                self.previous_lead_in = (
                    events[-1].speaker if events and text.rstrip().endswith(":") else None
                )
                # "Whitlock wrote in a letter to residents:" speaks the next paragraph.
                self.previous_speaker = self.previous_lead_in
                continue
            self._paragraph(text, index)
        self._finish_pending()

    def _block_quote(self, text: str, index: int) -> bool:
        """A block quote without marks: quoted words when a speaker introduces or signs it."""
        speaker = self.previous_lead_in
        body = text
        signature = _DASH_ATTRIBUTION.search(text)
        if signature:
            speaker = self.resolver.resolve(signature.group(1).strip(" .")) or speaker
            body = text[: signature.start()]
        if speaker is None:
            return False
        self.out.append(_Candidate([body], self.section, index, speaker, True, [index]))
        self.previous_speaker = speaker
        self.previous_lead_in = None
        return True

    def _transcript(self, text: str, index: int) -> bool:
        """ "GRADY: We cannot ...": a labelled paragraph is the labelled person's words.

        Only a label that names a person the article has named ("Paul Grady") counts,
        so "UPDATE:" or a dateline stays text.
        """
        match = _transcript_label(text)
        if match is None:
            return False
        label = " ".join(word.capitalize() for word in match.group(1).split())
        if label.startswith("Dear "):
            return False  # "DEAR ABBY:": a letter to a columnist, not her words
        surname = label.split()[-1]
        if surname not in self.resolver.full_names:
            return False
        speaker = self.resolver.resolve(label)
        if speaker is None:
            return False
        self.out.append(
            _Candidate([text[match.end() :]], self.section, index, speaker, True, [index])
        )
        self.previous_speaker = speaker
        return True

    def _signature(self, text: str, close_at: int) -> Speaker | None:
        """“...” ― Dana Whitlock: the name that signs a quote at the paragraph's end."""
        match = _SIGNATURE.match(text, close_at + 1)
        return self.resolver.resolve(match.group(1)) if match else None

    def _lead_in(self, text: str, sentence_start: int, open_at: int) -> Speaker | None:
        """A quote after a colon with no reporting verb: "Name, Outlet:" or the subject.

        "Dana Whitlock, Harbor Gazette: “...”" and "Grady swiped at Whitlock in a
        series of tweets: “...”" are the words of the person the lead-in opens with.
        """
        prefix = text[sentence_start:open_at]
        if not prefix.rstrip().endswith(":"):
            return None
        outlet = _NAME_OUTLET.search(prefix)
        if outlet is not None:
            speaker = self.resolver.resolve(outlet.group(1))
            if speaker is not None and len(speaker.name.split()) >= 2:
                return Speaker(speaker.name, speaker.role or outlet.group(2))
        subject = leading_subject(prefix)
        if subject is None or not (subject[:1].isupper() or subject in ("he", "she")):
            return None
        speaker = self.resolver.resolve(subject)
        if speaker is None or len(speaker.name.split()) < 2 or not speaker.name[:1].isupper():
            return None  # "Moving forward, ... wonder:": only a person's full name leads in
        return speaker

    def _paragraph(self, text: str, index: int) -> None:
        spans, trailing_open = _scan(text)
        continues = self.pending is not None and text.lstrip()[:1] in OPENING_MARKS
        if not continues:
            self._finish_pending()
        starts = sentence_starts(text)
        events = self._events(text, spans, trailing_open, starts)
        found: list[_Candidate] = []
        previous_close = -1
        all_spans: list[tuple[int, int | None]] = list(spans)
        if trailing_open is not None:
            all_spans.append((trailing_open, None))
        for span_index, (open_at, close_at) in enumerate(all_spans):
            piece = text[open_at + 1 : close_at] if close_at is not None else text[open_at + 1 :]
            next_open = (
                all_spans[span_index + 1][0] if span_index + 1 < len(all_spans) else len(text)
            )
            if span_index == 0 and continues and open_at <= len(text) - len(text.lstrip()):
                candidate = self.pending
                assert candidate is not None
                candidate.pieces.append(piece)
                candidate.paragraphs.append(index)
                self.pending = None
            else:
                self._finish_pending()
                candidate = _Candidate(
                    [piece],
                    self.section,
                    index,
                    opens_paragraph=not text[:open_at].strip(),
                    paragraphs=[index],
                    open_at=open_at,
                )
                sentence_start = starts[bisect_right(starts, open_at) - 1]
                prefix_start = max(sentence_start, previous_close + 1)
                candidate.speaker = _prefix_speaker(events, prefix_start, open_at) or self._lead_in(
                    text, prefix_start, open_at
                )
            if close_at is None:
                if candidate.speaker is None and candidate.paragraph == index:
                    candidate.speaker = _last_speaker_before(events, open_at)
                self.pending = candidate
                if (
                    len(candidate.paragraphs) >= MAX_CONTINUATION_PARAGRAPHS
                    or sum(map(len, candidate.pieces)) > MAX_QUOTE_CHARS
                ):
                    self._finish_pending()
                break
            tail_speaker = _tail_speaker(
                text, events, piece, close_at, next_open
            ) or self._signature(text, close_at)
            if tail_speaker is not None:
                candidate.speaker = tail_speaker
            found.append(candidate)
            previous_close = close_at
        self._share_speakers(found, events)
        self.out.extend(found)
        if self.pending is not None and self.pending.paragraph == index:
            found.append(self.pending)
        last_speaker = next((c.speaker for c in reversed(found) if c.speaker), None)
        self.previous_speaker = last_speaker
        self.previous_lead_in = (
            events[-1].speaker if events and text.rstrip().endswith(":") else None
        )

    def _share_speakers(self, found: list[_Candidate], events: list[_Event]) -> None:
        """Interrupted quotes share a speaker; a paragraph of pure quote continues the last."""
        for index, candidate in enumerate(found):
            if candidate.speaker is not None:
                continue
            before = next((c.speaker for c in reversed(found[:index]) if c.speaker), None)
            after = next((c.speaker for c in found[index + 1 :] if c.speaker), None)
            candidate.speaker = before or after
            if candidate.speaker is None and candidate.opens_paragraph and not events:
                candidate.speaker = self.previous_speaker
            if candidate.speaker is None:
                # "Caldera told a hearing that ... “We can't ...”": the paragraph's reporter.
                candidate.speaker = _last_speaker_before(events, candidate.open_at)

    def _finish_pending(self) -> None:
        """An open quote that does not continue ends at its paragraph's end."""
        if self.pending is None:
            return
        candidate, self.pending = self.pending, None
        if candidate.speaker is None and candidate.opens_paragraph:
            candidate.speaker = self.previous_speaker
        self.out.append(candidate)

    def _events(
        self,
        text: str,
        spans: list[tuple[int, int]],
        trailing_open: int | None = None,
        starts: list[int] | None = None,
    ) -> list[_Event]:
        """Reporting verbs and "according to" outside quotes, speakers resolved in order."""
        matches = sorted(
            [(m.start(), m.end(), False) for m in VERB_RE.finditer(text)]
            + _title_case_verbs(text)
            + [(m.start(), m.end(), True) for m in _ACCORDING_TO.finditer(text)]
        )
        if not matches:
            # Nobody speaks here: only note the names, a paragraph at a time.
            self.resolver.register_mentions(_mask_quotes(text, spans, trailing_open))
            self.resolver.next_sentence()
            return []
        closes = [close for _, close in spans]
        if starts is None:
            starts = sentence_starts(text)
        events: list[_Event] = []
        for start, end, according in matches:
            if _inside(spans, trailing_open, start) or _PASSIVE_BY.match(text, end):
                continue
            if text.startswith("call", start) and (
                not _CALLED_OBJECT.match(text, end)
                or (
                    _names_a_thing(text, start) and text[end : end + 2].strip()[:1] in OPENING_MARKS
                )
            ):
                continue
            if _is_noun(text, start, end):
                continue  # "in a separate tweet", "a series of tweets": a noun, not a verb
            sentence_start = starts[bisect_right(starts, start) - 1]
            close_index = bisect_right(closes, start) - 1
            clause_start = max(sentence_start, closes[close_index] + 1 if close_index >= 0 else 0)
            event = _Event(
                start,
                clause_start,
                None,
                text[clause_start:start],
                according,
                sentence_start=sentence_start,
                end=end,
            )
            event.raw = _raw_speaker(text, event, end, events)
            events.append(event)
        self._resolve(_mask_quotes(text, spans, trailing_open), starts, events)
        return events

    def _resolve(self, text: str, starts: list[int], events: list[_Event]) -> None:
        """Resolve speakers sentence by sentence, then note the names each sentence mentions.

        Only a sentence's main reporter becomes the person a later "he"/"she" means,
        unless a later sentence names someone else first.
        """
        by_sentence: dict[int, list[_Event]] = {}
        for event in events:
            by_sentence.setdefault(event.sentence_start, []).append(event)
        for number, start in enumerate(starts):
            sentence = by_sentence.get(start, [])
            main = _main_event(sentence)
            for event in sentence:
                if event.inherits:
                    earlier = [e.speaker for e in sentence if e.start < event.start and e.speaker]
                    event.speaker = earlier[-1] if earlier else None
                    if event.speaker is not None:
                        continue
                if event.raw in PRONOUNS and event.start > start:
                    # "Andrew doesn't remember ..., but he remembers": names before it count.
                    self.resolver.register_mentions(text[start : event.start])
                event.speaker = self.resolver.resolve(event.raw, remember=event is main)
            end = starts[number + 1] if number + 1 < len(starts) else len(text)
            self.resolver.register_mentions(text[start:end])
            self.resolver.next_sentence()


def _raw_speaker(text: str, event: _Event, verb_end: int, earlier: list[_Event]) -> str | None:
    """The speaker phrase of a reporting verb, before resolution."""
    if event.according:
        return name_after(text[verb_end : verb_end + 120])
    inverted = _INVERTED_PRONOUN.match(text, event.start)
    if inverted:
        return inverted.group(1)
    clause = event.clause
    stripped = clause.rstrip()
    participle = text[event.start : verb_end].endswith("ing") and stripped.endswith(",")
    coordinated = _COORDINATED.search(stripped) is not None
    if participle or coordinated:
        # "..., adding that" / "... and said": the sentence's subject speaks (for a
        # participle after a quotation, the subject of the clause after it).
        event.inherits = any(e.sentence_start == event.sentence_start for e in earlier)
        return leading_subject(text[event.sentence_start : event.start] if coordinated else clause)
    if stripped.rstrip(",").endswith(" to"):
        return leading_subject(clause)  # "He went on to say, “...”"
    raw = subject_before(clause) if _LETTER.search(clause) else None
    if raw is None and (not _LETTER.search(clause) or stripped.endswith(",")):
        return name_after(text[verb_end : verb_end + 120])
    if raw is not None and _issued(raw, text[event.start : verb_end]):
        return leading_subject(text[event.sentence_start : event.start])
    return raw


def _issued(raw: str, verb: str) -> bool:
    """ "The firm issued a statement saying ...": the statement is not the speaker."""
    words = raw.lower().split()
    return (
        verb.endswith("ing")
        and len(words) >= 2
        and words[0] in ("a", "an", "the")
        and words[-1] in COMMUNICATION_NOUNS
    )


def _main_event(sentence: list[_Event]) -> _Event | None:
    """The sentence's reporter: a closing "..., X said" if there is one, else the first."""
    with_phrase = [event for event in sentence if event.raw]
    if not with_phrase:
        return None
    last = with_phrase[-1]
    tail = _CLAUSE_TAIL.search(last.clause)
    if last is not with_phrase[0] and tail is not None and len(_WORD.findall(tail.group())) <= 7:
        return last
    return with_phrase[0]


def _mask_quotes(text: str, spans: list[tuple[int, int]], trailing_open: int | None) -> str:
    """`text` with quoted words blanked, so names inside quotes are not taken as mentions."""
    if not spans and trailing_open is None:
        return text
    pieces: list[str] = []
    cursor = 0
    for open_at, close_at in [
        *spans,
        *([(trailing_open, len(text) - 1)] if trailing_open is not None else []),
    ]:
        pieces.append(text[cursor:open_at])
        pieces.append(" " * (close_at - open_at + 1))
        cursor = close_at + 1
    pieces.append(text[cursor:])
    return "".join(pieces)


def _transcript_label(text: str) -> re.Match[str] | None:
    """ "GRADY: ..." at a paragraph's start (two capitals first: a cheap test for most text)."""
    return _TRANSCRIPT.match(text) if text[1:2].isupper() else None


def _title_case_verbs(text: str) -> list[tuple[int, int, bool]]:
    """ "Whitlock Said": reporting verbs in Title Case after a word (roundup lead-ins)."""
    if not (
        " Said" in text
        or " Says" in text
        or " Tell" in text
        or " Told" in text
        or " Add" in text
        or " Warn" in text
        or " Wr" in text
    ):
        return []  # the common case, cheaply
    return [
        (m.start(), m.end(), False)
        for m in _TITLE_VERB.finditer(text)
        if m.start() > 1 and text[m.start() - 2].isalpha() and text[m.start() - 1] == " "
    ]


def _is_noun(text: str, start: int, end: int) -> bool:
    """A reporting verb's form used as a noun: "his remark", "a series of tweets"."""
    form = text[start:end]
    if form in BASE_FORMS and form != "read":
        return _NOUN_BEFORE.search(text, max(0, start - 30), start) is not None
    return (
        form.endswith("s")
        and _PLURAL_NOUN_BEFORE.search(text, max(0, start - 12), start) is not None
    )


def _names_a_thing(text: str, verb_start: int) -> bool:
    """A lower-case noun right before "called": "a show called “Ask Dr. Mike”" names a thing."""
    noun = _NAMING_CALLED.search(text, max(0, verb_start - 30), verb_start)
    return noun is not None and noun.group(1) not in _NOT_NAMING


def _inside(spans: list[tuple[int, int]], trailing_open: int | None, position: int) -> bool:
    if trailing_open is not None and position > trailing_open:
        return True
    return any(open_at < position < close_at for open_at, close_at in spans)


def _last_speaker_before(events: list[_Event], position: int) -> Speaker | None:
    return next(
        (event.speaker for event in reversed(events) if event.start < position and event.speaker),
        None,
    )


def _prefix_speaker(events: list[_Event], start: int, end: int) -> Speaker | None:
    """ "According to X" or the first reporting verb between `start` and the quote."""
    inside = [event for event in events if start <= event.start < end]
    for event in inside:
        if event.according and event.speaker:
            return event.speaker
    # "Ushakov said Putin told Trump that Russia “...”": the source is the first reporter.
    return next((event.speaker for event in inside if event.speaker), None)


def _tail_speaker(
    text: str, events: list[_Event], piece: str, close_at: int, limit: int
) -> Speaker | None:
    """The attribution that directly follows a closing mark: “...,” Mr. Zelenskyy said."""
    ends_sentence = piece.rstrip().endswith((".", "!", "?", "…")) and not piece.rstrip().endswith(
        "..."
    )
    for event in events:
        if event.start <= close_at:
            continue
        clause = event.clause
        # "“...,” Kurinji Selvaraj, a research analyst at the Delhi-based council, said."
        appositive = _NAME_THEN_COMMA.match(clause) is not None
        reach, words = (TAIL_REACH_WITH_APPOSITIVE, 30) if appositive else (TAIL_REACH, 8)
        if event.start >= limit or event.start - close_at > reach:
            break
        if text[close_at + 1 : event.clause_start].strip() or event.according:
            break
        if clause.strip(" ,") in ("and", "but"):
            return event.speaker  # “...” and said: the sentence's subject, as for the verb
        if len(_WORD.findall(clause)) > words or (
            _CONJUNCTION_START.match(clause) and not _AS_ATTRIBUTION.match(clause)
        ):
            break
        stripped = clause.lstrip(" ,;—–-")
        if (
            ends_sentence
            and stripped[:1].isupper()
            and not clause.lstrip().startswith(",")
            and not _AFTER_VERB_ENDS.match(text, event.end)
        ):
            break  # “...” Grady said the delay cost ...: a new sentence, not the attribution
        return event.speaker
    return None


def _scan(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """Pairs of (opening, closing) mark offsets, and an opening mark left unclosed."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    opener = ""
    for match in _MARKS.finditer(text):
        mark = match.group()
        position = match.start()
        if open_at is None:
            if mark in "”»":
                continue  # a stray closing mark
            if mark == '"':
                before = text[position - 1] if position else " "
                after = text[position + 1] if position + 1 < len(text) else " "
                if before.isdigit() or after.isspace():
                    continue  # 12" pipe, or a stray closing mark
            open_at, opener = position, mark
        elif mark in _CLOSERS[opener]:
            spans.append((open_at, position))
            open_at = None
        elif mark == opener:
            open_at = position  # the earlier quote never closed: restart here
    return spans, open_at


def _clean_piece(piece: str) -> str:
    return piece.strip(" \u00a0\u202f\t").rstrip(",").strip(" \u00a0\u202f")


def _deduplicate(candidates: list[_Candidate], roles: dict[str, str]) -> list[Quote]:
    """Build quotes, drop scare quotes and repeats (a pull quote echoing the body).

    A person's role is the one the whole article gives them (it may come after
    the quote), unless the attribution itself described them ("her campaign").
    """
    quotes: list[Quote] = []
    keys: list[str] = []
    for candidate in candidates:
        text = _clean_piece(" ".join(piece.strip() for piece in candidate.pieces))
        words = len(_WORD.findall(text))
        if words < MIN_QUOTE_WORDS or not _LETTER.search(text):
            continue
        if words < MIN_UNATTRIBUTED_WORDS and candidate.speaker is None:
            continue
        if _TITLE_CASE.match(text):
            continue  # “Listen To The Music”, “War & Peace”: the title of a work
        key = _NORMALISE.sub(" ", text.casefold()).strip()
        duplicate = next(
            (
                i
                for i, seen in enumerate(keys)
                if key == seen
                or (len(key) > 24 and len(seen) > 24 and (key in seen or seen in key))
            ),
            None,
        )
        if duplicate is not None:
            kept = quotes[duplicate]
            if (kept.speaker is None and candidate.speaker is not None) or len(key) > len(
                keys[duplicate]
            ):
                # A pull quote came first: the attributed or fuller body quote is the real one.
                kept.section, kept.paragraph = candidate.section, candidate.paragraph
                kept.text, keys[duplicate] = text, key
            if kept.speaker is None and candidate.speaker is not None:
                kept.speaker = candidate.speaker.name
                kept.speaker_role = candidate.speaker.role or roles.get(kept.speaker)
            continue
        keys.append(key)
        speaker = candidate.speaker
        quotes.append(
            Quote(
                text,
                speaker.name if speaker else None,
                candidate.section,
                candidate.paragraph,
                (speaker.role or roles.get(speaker.name)) if speaker else None,
            )
        )
    return quotes
