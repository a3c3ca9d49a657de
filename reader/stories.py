"""Story grouping: entries from any feed that report the same event share a story.

Why this shape: grouping runs at every refresh, on every new entry, so it must be
online (an entry is compared with the *recent* stories, never the whole library),
cheap (well under a millisecond an entry) and light (no model, no dependency).
Each entry becomes a small bag of weighted terms (title words count twice,
summary and article words once, light stemming); each story keeps the terms
most of its members share (a bounded centroid). A new entry joins the story
whose centroid it resembles most (cosine with IDF weights learnt from the recent
entries themselves), or starts one.
After a batch, stories touched by it that resemble each other strongly are
merged, which undoes the order effects of a one-pass method.

Two rules come before any similarity: entries whose normalised URL is the same
are always one story, and a story goes quiet after `WINDOW_SECONDS` without a
new entry (two storms a week apart are two stories, whatever their words).

`StoryIndex` is pure (no I/O); `group_new` is the glue the library calls at
refresh: it rebuilds the open stories from the terms stored beside each entry
(no entry text is re-read), groups the new entries and writes the result back.
"""

from __future__ import annotations

import heapq
import math
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit

from reader.model import Entry, SavedArticle

WINDOW_SECONDS = 4 * 86400
"""A story that gained no entry for this long is closed: new entries start a new one."""
MAX_STORY_TERMS = 48
"""Terms kept per story centroid (its most shared ones): memory and cost stay bounded."""
MAX_ENTRY_TERMS = 24
"""Terms kept per entry (title terms first)."""
SUMMARY_CHARS = 200
"""Only the lead of a summary counts: it says what the story is, the rest costs time."""
LONE_TERMS = 16
"""Terms kept for a story of one (its heaviest): most stories are alone, so they bound memory."""
JOIN_THRESHOLD = 0.15
"""Cosine an entry needs with a story's centroid to join it."""
MERGE_THRESHOLD = 0.25
"""Cosine two stories' centroids need to be merged after a batch."""
MIN_SHARED = 2
"""Terms an entry must share with a story to join it (one word in common is a coincidence)."""
MIN_MERGE_SIZE = 2
"""Stories smaller than this are not compared with the others after a batch."""
MAX_POSTING = 24
"""A term in more open stories than this says nothing about which one an entry joins."""
COMMON_SHARE = 0.2
"""A term in more than this share of the recent entries finds no candidates by itself."""
CORE_TERMS = 5
"""How many of a story's heaviest terms are its core (0: no core rule)."""
MIN_DOCS_FOR_IDF = 50
"""Below this many recent entries, document frequencies are smoothed towards a prior."""

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|ref|src|at_\w+)$", re.I)

_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our out over
    own same she should so some such than that the their them then there these they this
    those through to too under until up very was we were what when where which while who
    whom why will with would you your new says said say just get gets got may might make
    makes made one two first last week day today year years time via amid after report
    reports update updated live video watch photos pictures here's how what's why who's
    it's that's s t don't can't won't isn't vs"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
"""Words that say nothing about which event a headline reports."""


def normalise_url(url: str | None) -> str | None:
    """A comparable form of an article URL, or None when there is none to compare.

    Scheme, `www.`, default ports, fragments, a trailing slash and tracking
    parameters do not make two addresses different articles.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().removeprefix("www.")
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    if not parts.query:
        return host + path
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    return host + path + ("?" + urlencode(sorted(query)) if query else "")


def _stem(word: str) -> str:
    """A light English stemmer: plurals and possessives, nothing that merges meanings."""
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    word = word.replace("’", "'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The content words of `text`: folded, stemmed, stopwords and lone letters dropped."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    cache = _STEMS
    if len(cache) > 100_000:  # bounded: a hostile feed of random words cannot grow it
        cache.clear()
    out = []
    for token in _TOKEN.findall(text.casefold()):
        word = cache.get(token)
        if word is None:
            word = cache[token] = _content_word(token)
        if word:
            out.append(word)
    return out


_STEMS: dict[str, str] = {}
"""token -> its stem, or "" for a word that does not count (news vocabulary is Zipfian)."""


def _content_word(token: str) -> str:
    if token in STOPWORDS:
        return ""
    word = _stem(token)
    return word if len(word) > 1 and word not in STOPWORDS else ""


def entry_terms(title: str, summary: str = "", text: str = "") -> dict[str, float]:
    """An entry's weighted terms: title words weigh 2, summary and article words 1.

    Only the first words of a summary or article count (its lead says what the
    story is; the rest adds noise and cost).
    """
    terms: dict[str, float] = {}
    head = words(title)
    for word in head:
        terms[word] = 2.0
    body = words(" ".join((summary[:SUMMARY_CHARS], text[:600])))
    for word in body:
        if len(terms) >= MAX_ENTRY_TERMS:
            break
        terms.setdefault(word, 1.0)
    return terms


def encode_terms(terms: dict[str, float]) -> str:
    """Terms as stored beside the entry ("word" weighs 2 when written "word^")."""
    return " ".join(t + "^" if w >= 2 else t for t, w in terms.items())


def decode_terms(text: str) -> dict[str, float]:
    return {t.removesuffix("^"): 2.0 if t.endswith("^") else 1.0 for t in text.split()}


@dataclass(slots=True)
class Story:
    """A group being built: how many of its members carry each term, and when it last grew."""

    id: int
    size: int = 0
    last_at: float = 0.0
    counts: Counter[str] | None = None
    """How many members carry each term; None for a story of one (its terms are `vec`'s
    keys): most stories are alone, and this halves their memory."""
    vec: dict[str, float] = field(default_factory=dict)
    """The centroid: its top terms -> share of members carrying it x IDF when last
    computed (IDF drifts slowly)."""
    norm: float = 1.0
    core: tuple[str, ...] = ()
    """Its `CORE_TERMS` heaviest terms: an entry must share one of them to join."""


def _counts(story: Story) -> Counter[str]:
    """The story's term counts, made when a story of one gains a second member."""
    if story.counts is None:
        story.counts = Counter(dict.fromkeys(story.vec, 1))
    return story.counts


@dataclass(slots=True)
class Assignment:
    """The story an entry joined (`story_id`), and whether it started it."""

    entry_id: int
    story_id: int
    started: bool


class StoryIndex:
    """The recent stories in memory, with an inverted index from terms to stories."""

    def __init__(self, now: float, window: float = WINDOW_SECONDS) -> None:
        self.window = window
        self.now = now
        self.stories: dict[int, Story] = {}
        self.postings: dict[str, set[int]] = {}
        self.df: Counter[str] = Counter()
        self.docs = 0
        self.by_url: dict[str, int] = {}
        """Normalised URL -> the story it was first seen in (follow `merged_into`)."""
        self.merged_into: dict[int, int] = {}
        self.touched: set[int] = set()

    # -- loading what is already grouped ------------------------------------------

    def load(
        self, entry_id: int, story_id: int, at: float, terms: dict[str, float], url: str | None
    ) -> None:
        """Add an already-grouped entry of the window (no scoring)."""
        self._count(terms)
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = Story(story_id)
        self._grow(story, terms, at, reindex=False)
        if url:
            self.by_url.setdefault(url, story_id)

    def finish_loading(self) -> None:
        for story in self.stories.values():
            self._reindex(story)

    # -- grouping new entries -------------------------------------------------------

    def add(self, entry_id: int, at: float, terms: dict[str, float], url: str | None) -> Assignment:
        """Group one new entry: same URL first, then the closest open story, else a new one."""
        self._count(terms)
        story_id = self.by_url.get(url) if url else None
        while story_id in self.merged_into:
            story_id = self.merged_into[story_id]
        story = self.stories.get(story_id) if story_id is not None else None
        weights, norm = self._weigh(terms)
        if story is None:
            story = self._closest(terms, at, weighed=(weights, norm))
        started = story is None
        if story is None:
            story = self._start(entry_id, terms, weights, at)
        else:
            self._grow(story, terms, at, reindex=True)
        if url:
            self.by_url.setdefault(url, story.id)
        self.touched.add(story.id)
        return Assignment(entry_id, story.id, started)

    def merge_touched(self) -> dict[int, int]:
        """Merge stories changed by this batch into close open stories: {old id: new id}.

        The larger story absorbs the smaller; chains resolve to the final survivor.
        """
        merged: dict[int, int] = {}
        for story_id in sorted(
            self.touched, key=lambda s: -self.stories[s].size if s in self.stories else 0
        ):
            story = self.stories.get(story_id)
            if story is None or story.size < MIN_MERGE_SIZE:
                continue  # an entry alone had its chance when it arrived
            counts = _counts(story)
            shares = {term: counts[term] / story.size for term in story.vec}
            target = self._closest(
                shares, story.last_at, exclude=story.id, threshold=MERGE_THRESHOLD
            )
            if target is None:
                continue
            big, small = (target, story) if target.size >= story.size else (story, target)
            self._absorb(big, small)
            merged[small.id] = big.id
        for old in list(merged):
            new = merged[old]
            while new in merged:
                new = merged[new]
            merged[old] = new
        self.touched.clear()
        return merged

    # -- internals ----------------------------------------------------------------

    def _count(self, terms: dict[str, float]) -> None:
        self.docs += 1
        self.df.update(terms.keys())

    def idf(self, term: str) -> float:
        docs = max(self.docs, MIN_DOCS_FOR_IDF)
        return math.log((docs + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def _weigh(self, terms: dict[str, float]) -> tuple[dict[str, float], float]:
        """Terms weighted by IDF, and the vector's norm."""
        log, df = math.log, self.df
        docs = max(self.docs, MIN_DOCS_FOR_IDF) + 1
        weights = {t: v * (log(docs / (df.get(t, 0) + 1)) + 1.0) for t, v in terms.items()}
        return weights, math.sqrt(sum(w * w for w in weights.values())) or 1.0

    def _start(
        self, entry_id: int, terms: dict[str, float], weights: dict[str, float], at: float
    ) -> Story:
        """A story of one: its centroid is the entry's own terms (the cheap, common case)."""
        story = self.stories[entry_id] = Story(entry_id, size=1, last_at=at)
        heaviest = sorted(weights, key=weights.__getitem__, reverse=True)[:LONE_TERMS]
        story.vec = {t: weights[t] / terms[t] for t in heaviest}
        story.norm = math.sqrt(sum(v * v for v in story.vec.values())) or 1.0
        story.core = tuple(heaviest[:CORE_TERMS])
        postings = self.postings
        for term in story.vec:
            posting = postings.get(term)
            if posting is None:
                postings[term] = {entry_id}
            else:
                posting.add(entry_id)
        return story

    def _grow(self, story: Story, terms: dict[str, float], at: float, *, reindex: bool) -> None:
        """Add a member; the centroid of a big story is recomputed every tenth of its size
        (one more member barely moves it, and recomputing is most of the cost)."""
        story.size += 1
        story.last_at = max(story.last_at, at)
        _counts(story).update(terms.keys())
        if reindex and (story.size <= 10 or story.size % (story.size // 10) == 0):
            self._reindex(story)

    def _reindex(self, story: Story) -> None:
        """Recompute the story's centroid (top terms by share) and its postings."""
        for term in story.vec:
            posting = self.postings.get(term)
            if posting is not None:
                posting.discard(story.id)
        counts = _counts(story)
        top = (
            counts.items()
            if len(counts) <= MAX_STORY_TERMS
            else counts.most_common(MAX_STORY_TERMS)
        )
        log, df, docs, size = math.log, self.df, max(self.docs, MIN_DOCS_FOR_IDF) + 1, story.size
        story.vec = {t: count / size * (log(docs / (df.get(t, 0) + 1)) + 1.0) for t, count in top}
        story.norm = math.sqrt(sum(v * v for v in story.vec.values())) or 1.0
        story.core = tuple(heapq.nlargest(CORE_TERMS, story.vec, key=story.vec.__getitem__))
        for term in story.vec:
            self.postings.setdefault(term, set()).add(story.id)
        if story.size == 1:
            story.counts = None
        elif len(counts) > 4 * MAX_STORY_TERMS:  # forget the long tail: bounded memory
            story.counts = Counter(dict(counts.most_common(2 * MAX_STORY_TERMS)))

    def _absorb(self, big: Story, small: Story) -> None:
        _counts(big).update(_counts(small))
        big.size += small.size
        big.last_at = max(big.last_at, small.last_at)
        for term in small.vec:
            posting = self.postings.get(term)
            if posting is not None:
                posting.discard(small.id)
        del self.stories[small.id]
        self.merged_into[small.id] = big.id
        self._reindex(big)
        self.touched.discard(small.id)

    def _closest(
        self,
        terms: dict[str, float],
        at: float,
        *,
        exclude: int = -1,
        threshold: float | None = None,
        weighed: tuple[dict[str, float], float] | None = None,
    ) -> Story | None:
        """The open story most similar to `terms` above `threshold` (cosine), or None.

        Dot products are accumulated through the postings, so the cost is the
        number of (term, story) pairs shared, not the number of stories.
        """
        weights, norm = weighed or self._weigh(terms)
        df, postings, stories = self.df, self.postings, self.stories
        common = max(3.0, COMMON_SHARE * self.docs)
        dots: dict[int, float] = {}
        shared: dict[int, int] = {}
        for term, weight in weights.items():
            posting = postings.get(term)
            if not posting or len(posting) > MAX_POSTING or df.get(term, 0) > common:
                continue  # a term that many stories share finds no candidates by itself
            for story_id in posting:
                if story_id != exclude:
                    shared[story_id] = shared.get(story_id, 0) + 1
                    dots[story_id] = dots.get(story_id, 0.0) + weight * stories[story_id].vec[term]
        best, best_score = None, JOIN_THRESHOLD if threshold is None else threshold
        need = min(MIN_SHARED, len(terms))
        for story_id, dot in dots.items():
            story = self.stories[story_id]
            score = dot / (norm * story.norm)
            if (
                score > best_score
                and shared[story_id] >= need
                and abs(at - story.last_at) <= self.window
                and (CORE_TERMS == 0 or any(term in terms for term in story.core))
            ):
                best, best_score = story, score
        return best


# -- the glue between the store and the index ------------------------------------

MERGE_EVERY = 300
"""During a big batch (a first refresh), stories are merged after every this many entries."""
MAX_WINDOW_ENTRIES = 20_000
"""At most this many recent entries are loaded to rebuild the open stories."""
MAX_AGE_SECONDS = 30 * 86400
"""Entries older than this when first seen are stories of their own (a first grouping of
a big old library costs nothing)."""

Kind = Literal["url", "words"]


class StoreLike(Protocol):
    """The part of `reader.store.Store` that grouping uses."""

    def ungrouped_entries(self) -> list[tuple[int, str, str, str | None, str]]: ...
    def last_grouped_id(self) -> int: ...
    def story_window(self, since: float, limit: int) -> list[tuple[int, int, float, str, str]]: ...
    def write_story_members(
        self, rows: Sequence[tuple[int, int, str | None, float, str]], merged: dict[int, int]
    ) -> None: ...
    def story_member(self, entry_id: int) -> tuple[int, float, str, str | None] | None: ...
    def story_counts(self, entry_ids: Sequence[int]) -> dict[int, tuple[int, int]]: ...
    def set_story_terms(self, entry_id: int, terms: str) -> bool: ...


@dataclass(slots=True)
class StoryView:
    """A story as listed: its representative headline and its entries, newest first."""

    id: int
    title: str
    entries: list[Entry]


@dataclass(slots=True)
class RelatedMatch:
    """A related link or mention found in the library, openable offline."""

    how: Kind
    """"url": the link's address (or one that redirected to it) is in the library;
    "words": a mention without a usable URL matched one entry with confidence."""
    entry: Entry | None = None
    article: SavedArticle | None = None
    """The saved or cached article, when there is one (opens with no network)."""

    @property
    def read(self) -> bool:
        return self.entry.read if self.entry is not None else self.article is not None


@dataclass(slots=True)
class GroupingStats:
    """What one grouping pass did (for tests and the benchmark)."""

    entries: int = 0
    joined: int = 0
    started: int = 0
    merged: int = 0
    seconds: float = 0.0
    load_seconds: float = 0.0
    window: int = 0


def epoch(stamp: str | None, default: float) -> float:
    """A stored ISO time as epoch seconds (`default` when unreadable)."""
    if not stamp:
        return default
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return default
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def load_index(store: StoreLike, since: float, now: float) -> StoryIndex:
    """The open stories since `since`, rebuilt from the stored terms."""
    index = StoryIndex(now)
    for entry_id, story_id, at, terms, url_key in store.story_window(since, MAX_WINDOW_ENTRIES):
        index.load(entry_id, story_id, at, decode_terms(terms), url_key)
    index.finish_loading()
    return index


def group_new(store: StoreLike, now: float | None = None) -> GroupingStats:
    """Give every entry stored since the last pass a story (a one-off `Grouper`)."""
    return Grouper().run(store, now)


class Grouper:
    """Groups new entries, keeping the open stories in memory between passes.

    A refresh groups once its feeds are written; the app refreshes every few
    minutes. Rebuilding the open stories from the store each time would cost
    more than the grouping itself, so the index is kept, and rebuilt only when
    another process grouped entries meanwhile, when a pass needs older stories
    than it holds, or when it has grown past its bound.
    """

    def __init__(self) -> None:
        self.index: StoryIndex | None = None
        self.since = math.inf
        """The oldest time the index holds stories from."""
        self.last_id = -1
        """The highest entry id grouped by the last pass (-1: none yet)."""

    def run(self, store: StoreLike, now: float | None = None) -> GroupingStats:
        """Give every entry stored since the last pass a story, and store the result.

        Entries join in time order; entries too old when first seen stay alone.
        """
        started = time.perf_counter()
        now = time.time() if now is None else now
        stats = GroupingStats()
        pending = store.ungrouped_entries()
        if not pending:
            return stats
        items = [(epoch(row[4], now), row) for row in pending]
        items.sort(key=lambda item: (item[0], item[1][0]))
        oldest_kept = now - MAX_AGE_SECONDS
        first = next((at for at, _ in items if at >= oldest_kept), now)
        index = self._index(store, first - WINDOW_SECONDS, now, min(row[0] for row in pending))
        stats.window = index.docs
        stats.load_seconds = time.perf_counter() - started
        try:
            rows, merged = _assign(index, items, oldest_kept, stats)
            store.write_story_members(rows, merged)
        except BaseException:
            self.index = None  # memory and store may disagree now: rebuild next time
            raise
        self.last_id = max(row[0] for row in rows)
        stats.entries = len(rows)
        stats.merged = len(merged)
        stats.seconds = time.perf_counter() - started
        return stats

    def _index(self, store: StoreLike, since: float, now: float, first_new: int) -> StoryIndex:
        index = self.index
        fresh = (
            index is not None
            and since >= self.since
            and first_new > self.last_id
            and store.last_grouped_id() == self.last_id
            and index.docs < 2 * MAX_WINDOW_ENTRIES
        )
        if not fresh or index is None:
            index = self.index = load_index(store, since, now)
            self.since = since
        return index


def _assign(
    index: StoryIndex,
    items: list[tuple[float, tuple[int, str, str, str | None, str]]],
    oldest_kept: float,
    stats: GroupingStats,
) -> tuple[list[tuple[int, int, str | None, float, str]], dict[int, int]]:
    """Run the entries through the index: the rows to store and the merges {old: new}."""
    rows: list[tuple[int, int, str | None, float, str]] = []
    merged: dict[int, int] = {}
    for number, (at, (entry_id, title, summary, url, _)) in enumerate(items, 1):
        if number % MERGE_EVERY == 0:
            merged.update(index.merge_touched())
        if at < oldest_kept:  # alone, and not worth a URL key: nothing new reads it
            rows.append((entry_id, entry_id, None, at, ""))
            continue
        key = normalise_url(url)
        terms = entry_terms(title, summary)
        assignment = index.add(entry_id, at, terms, key)
        stats.started += assignment.started
        stats.joined += not assignment.started
        rows.append((entry_id, assignment.story_id, key, at, encode_terms(terms)))
    merged.update(index.merge_touched())
    merged = {old: _final(merged, new) for old, new in merged.items()}
    rows = [(e, merged.get(s, s), k, a, t) for e, s, k, a, t in rows]
    return rows, merged


def _final(merged: dict[int, int], story_id: int) -> int:
    """Where a chain of merges ends."""
    while story_id in merged:
        story_id = merged[story_id]
    return story_id


def regroup_with_text(
    store: StoreLike, entry_id: int, title: str, summary: str, text: str, now: float | None = None
) -> int | None:
    """Use an opened article's text for its entry: new terms, and a story if it had none.

    Returns the entry's story id (None when the entry was never grouped).
    """
    member = store.story_member(entry_id)
    if member is None:
        return None
    story_id, at, _, url_key = member
    terms = entry_terms(title, summary, text)
    encoded = encode_terms(terms)
    now = time.time() if now is None else now
    if store.story_counts([entry_id]).get(entry_id, (story_id, 1))[1] > 1:
        store.set_story_terms(entry_id, encoded)
        return int(story_id)
    index = load_index(store, at - WINDOW_SECONDS, now)
    target = index._closest(terms, at, exclude=story_id)
    new_id = target.id if target is not None else story_id
    store.write_story_members([(entry_id, new_id, url_key, at, encoded)], {})
    return int(new_id)


# -- reading stories back -----------------------------------------------------------


def representative(members: Sequence[tuple[str, str]]) -> str:
    """The headline that shares most of the story's common terms (members: title, terms)."""
    counts: Counter[str] = Counter()
    decoded = [decode_terms(terms) for _, terms in members]
    for terms in decoded:
        counts.update(terms.keys())
    best, best_score = members[0][0] if members else "", -1.0
    for (title, _), terms in zip(members, decoded, strict=True):
        if not terms or not title:
            continue
        score = sum(counts[t] for t in terms) / math.sqrt(len(terms))
        if score > best_score:
            best, best_score = title, score
    return best


def mention_query(text: str) -> str:
    """An FTS5 query that finds entries sharing any content word of `text`."""
    unique = list(dict.fromkeys(w for w in words(text) if w.isalnum()))[:12]
    return " OR ".join(f'"{w}"' for w in unique)


def best_mention(
    text: str,
    candidates: Sequence[tuple[int, str, str]],
    threshold: float = 0.5,
    margin: float = 0.15,
) -> int | None:
    """The candidate entry a plain-text mention names, only when one matches with confidence.

    Confidence: a title cosine of at least `threshold`, and ahead of the next
    candidate by `margin` (two equally good matches are no match).
    """
    wanted = Counter(words(text))
    if not wanted:
        return None
    scored = []
    for entry_id, title, _ in candidates:
        have = Counter(words(title))
        dot = sum(wanted[w] * have[w] for w in wanted)
        norm = math.sqrt(sum(v * v for v in wanted.values()) * sum(v * v for v in have.values()))
        scored.append((dot / norm if norm else 0.0, entry_id))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < threshold:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < margin:
        return None
    return scored[0][1]
