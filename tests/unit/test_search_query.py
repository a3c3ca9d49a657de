"""The search syntax, checked against a real FTS5 table with the library's tokenizer."""

from __future__ import annotations

import sqlite3

import pytest

from reader import search_query

DOCUMENTS = {
    1: "Dock workers strike at the northern port",
    2: "Rail strikes spread to the ferry lines",
    3: "The ferry timetable changes in spring",
    4: "Council votes on the harbour budget",
    5: "Port authority says the strike is over",
}


@pytest.fixture(scope="module")
def db() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(body, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    connection.executemany("INSERT INTO docs(rowid, body) VALUES (?, ?)", DOCUMENTS.items())
    return connection


def matches(db: sqlite3.Connection, text: str) -> set[int]:
    expression = search_query.to_fts(text)
    if not expression:
        return set()
    rows = db.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (expression,))
    return {row[0] for row in rows}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("strike", {1, 2, 5}),  # stemming: "strikes" is found by "strike"
        ("strikes", {1, 2, 5}),
        ("ferry strike", {2}),  # every plain word must match
        ("rail OR port OR ferry", {1, 2, 3, 5}),
        ("strike rail OR ferry", {2}),  # OR binds the words beside it; AND with the rest
        ('"ferry timetable"', {3}),
        ('"timetable ferry"', set()),  # a phrase keeps its order
        ("ferry -strike", {3}),
        ('port -"dock workers"', {5}),
        ("harb*", {4}),
        ("harb", {4}),  # the last plain word is a prefix, for results while typing
        ("harb council", set()),  # ... but only the last one
        ("-strike", set()),  # nothing positive to look for
        ("", set()),
        ('AND OR NOT ( ) " * NEAR', set()),  # operators typed by the user are plain text
    ],
)
def test_query_syntax(db: sqlite3.Connection, query: str, expected: set[int]) -> None:
    assert matches(db, query) == expected


def test_repeated_and_endless_queries_are_capped_and_deduplicated() -> None:
    parsed = search_query.parse("strike " * 20_000 + " ".join(f"w{n}" for n in range(500)))
    assert len(parsed.required) == search_query.MAX_TERMS
    assert parsed.required[0][0].text == "strike"
    assert [group[0].text for group in parsed.required].count("strike") == 1


def test_punctuation_never_breaks_the_query(db: sqlite3.Connection) -> None:
    for text in ['"', "-", "*", "OR", '"unclosed phrase', "a-b", "c++", "x:y", "(port"]:
        matches(db, text)  # must not raise sqlite3.OperationalError


def test_words_for_highlighting() -> None:
    assert search_query.parse('rail OR "ferry lines" -bus').words() == ["rail", "ferry lines"]
