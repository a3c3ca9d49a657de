"""The domain dataclasses shared by the engine, the library, the CLI and the TUI.

They are plain data: no I/O, no Textual. `Article.to_json()` is the contract of
`reader article --json` (keys listed in the README); add keys, never rename them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypeAlias


@dataclass(slots=True, kw_only=True)
class ParagraphBlock:
    """Running text; `links` number into `Article.links` (the links it carries)."""

    kind: Literal["paragraph"] = "paragraph"
    text: str
    links: list[int] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class ListItem:
    """One item of a list; `items` is the list nested under it (empty when none)."""

    text: str
    items: list[ListItem] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class ListBlock:
    """A bulleted (`ordered=False`) or numbered list; numbering starts at `start`."""

    kind: Literal["list"] = "list"
    ordered: bool = False
    start: int = 1
    items: list[ListItem] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class TableBlock:
    """A data table (never a layout table): header cells, then rows of cells."""

    kind: Literal["table"] = "table"
    caption: str | None = None
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class QuoteBlock:
    """A block quote and who or what it is from (`cite`), when the page says."""

    kind: Literal["quote"] = "quote"
    text: str
    cite: str | None = None


@dataclass(slots=True, kw_only=True)
class CodeBlock:
    """Preformatted text; whitespace and line breaks are kept exactly."""

    kind: Literal["code"] = "code"
    text: str
    language: str | None = None


@dataclass(slots=True, kw_only=True)
class FigureBlock:
    """An image where it stood in the story, with its caption and credit."""

    kind: Literal["figure"] = "figure"
    src: str | None = None
    """Absolute http(s) address of the picture; None when only the caption survived."""
    alt: str | None = None
    caption: str | None = None
    credit: str | None = None


@dataclass(slots=True, kw_only=True)
class EmbedBlock:
    """A quoted social post: its words, who posted it, and where it lives."""

    kind: Literal["embed"] = "embed"
    text: str
    author: str | None = None
    url: str | None = None


Block: TypeAlias = (
    ParagraphBlock | ListBlock | TableBlock | QuoteBlock | CodeBlock | FigureBlock | EmbedBlock
)
"""One typed block of an article's body; `kind` says which."""

BlockKind = Literal["paragraph", "list", "table", "quote", "code", "figure", "embed"]


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


def _list_items(data: Any) -> list[ListItem]:
    if not isinstance(data, list):
        return []
    return [
        ListItem(text=str(item.get("text") or ""), items=_list_items(item.get("items")))
        for item in data
        if isinstance(item, dict)
    ]


def block_from_json(data: dict[str, Any]) -> Block | None:
    """Rebuild a block from its JSON; None for a kind this version does not know."""
    kind = data.get("kind")
    if kind == "paragraph":
        links = [int(n) for n in data.get("links") or [] if isinstance(n, int)]
        return ParagraphBlock(text=str(data.get("text") or ""), links=links)
    if kind == "list":
        return ListBlock(
            ordered=bool(data.get("ordered")),
            start=int(data.get("start") or 1),
            items=_list_items(data.get("items")),
        )
    if kind == "table":
        return TableBlock(
            caption=_text(data.get("caption")),
            header=[str(cell) for cell in data.get("header") or []],
            rows=[[str(cell) for cell in row] for row in data.get("rows") or []],
        )
    if kind == "quote":
        return QuoteBlock(text=str(data.get("text") or ""), cite=_text(data.get("cite")))
    if kind == "code":
        return CodeBlock(text=str(data.get("text") or ""), language=_text(data.get("language")))
    if kind == "figure":
        return FigureBlock(
            src=_text(data.get("src")),
            alt=_text(data.get("alt")),
            caption=_text(data.get("caption")),
            credit=_text(data.get("credit")),
        )
    if kind == "embed":
        return EmbedBlock(
            text=str(data.get("text") or ""),
            author=_text(data.get("author")),
            url=_text(data.get("url")),
        )
    return None


@dataclass(slots=True)
class NumberedLink:
    """A link in the article's body, numbered in reading order from 1."""

    n: int
    text: str
    url: str
    """Absolute http(s) address."""


@dataclass(slots=True)
class LeadImage:
    """The picture the page leads with."""

    src: str
    alt: str | None = None
    caption: str | None = None


@dataclass(slots=True)
class Section:
    """A run of body text under one heading (the first may have no heading)."""

    heading: str | None
    """The heading text, or None for the text before the first subheading."""
    level: int
    """2 for an h2-like heading, 3 and 4 below it; 1 for the untitled lead section."""
    paragraphs: list[str] = field(default_factory=list)
    """Every text block in reading order: paragraphs, list items, block quotes.

    Kept as plain strings so scripts (and quote and takeaway positions) do not break;
    `blocks` says what each block is."""
    blocks: list[Block] = field(default_factory=list)
    """The same body as typed blocks, in reading order (empty for articles stored before
    blocks existed: readers then fall back to `paragraphs`)."""


@dataclass(slots=True)
class Quote:
    """A direct quotation and who said it."""

    text: str
    """The quoted words, without the quote marks."""
    speaker: str | None
    """The person or organisation it is attributed to, in its fullest known form."""
    section: int
    """Index into `Article.sections` of the section where it was said."""
    paragraph: int = 0
    """Index into that section's `paragraphs`, so a reader can jump to the place."""
    speaker_role: str | None = None
    """What the article says the speaker is ("mayor", "Rep., D-Ore.", "campaign"), apart
    from the name, so the name stays clean and the reader still sees the capacity."""


@dataclass(slots=True)
class Link:
    """A story the article points to as further reading."""

    title: str
    """What the linked story is about (from the anchor text or the sentence around it)."""
    url: str | None
    """Absolute URL; None only for plain-text articles, which have no links."""
    context: str = ""
    """The sentence or box label the link came from."""


@dataclass(slots=True)
class Article:
    """A cleaned news article: the output of `reader.article.clean()`."""

    title: str
    byline: str | None = None
    published: str | None = None
    """ISO 8601 date or date-time as found on the page ("2025-07-03T10:00:00+00:00")."""
    url: str | None = None
    site: str | None = None
    description: str | None = None
    """The standfirst / meta description, when the page has one."""
    lang: str | None = None
    sections: list[Section] = field(default_factory=list)
    takeaways: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    related: list[Link] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    links: list[NumberedLink] = field(default_factory=list)
    """Every link kept in the body, numbered in reading order (`ParagraphBlock.links`)."""
    image: LeadImage | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON object printed by `reader article --json` and stored by the library."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        """Rebuild an article from `to_json()` output (tolerates missing optional keys)."""
        return cls(
            title=str(data.get("title") or ""),
            byline=data.get("byline"),
            published=data.get("published"),
            url=data.get("url"),
            site=data.get("site"),
            description=data.get("description"),
            lang=data.get("lang"),
            sections=[_section(s) for s in data.get("sections", [])],
            takeaways=list(data.get("takeaways", [])),
            quotes=[
                Quote(
                    q["text"],
                    q.get("speaker"),
                    int(q.get("section", 0)),
                    int(q.get("paragraph", 0)),
                    q.get("speaker_role"),
                )
                for q in data.get("quotes", [])
            ],
            related=[
                Link(r.get("title", ""), r.get("url"), r.get("context", ""))
                for r in data.get("related", [])
            ],
            captions=list(data.get("captions", [])),
            links=[
                NumberedLink(int(link["n"]), str(link.get("text") or ""), str(link["url"]))
                for link in data.get("links") or []
                if isinstance(link, dict) and "n" in link and link.get("url")
            ],
            image=_lead_image(data.get("image")),
        )

    @property
    def text(self) -> str:
        """The body as plain text (headings and paragraphs), for search and word counts."""
        parts: list[str] = []
        for section in self.sections:
            if section.heading:
                parts.append(section.heading)
            parts.extend(section.paragraphs)
        return "\n\n".join(parts)


def _section(data: dict[str, Any]) -> Section:
    blocks = [block_from_json(b) for b in data.get("blocks") or [] if isinstance(b, dict)]
    return Section(
        data.get("heading"),
        int(data.get("level", 2)),
        list(data.get("paragraphs", [])),
        [block for block in blocks if block is not None],
    )


def _lead_image(data: Any) -> LeadImage | None:
    if not isinstance(data, dict) or not data.get("src"):
        return None
    return LeadImage(str(data["src"]), _text(data.get("alt")), _text(data.get("caption")))


@dataclass(slots=True)
class Feed:
    """A subscription."""

    id: int
    url: str
    title: str
    site_url: str | None = None
    categories: tuple[str, ...] = ()
    """Its categories (newsboat's tags, OPML folders), in the order the user gave them."""
    full_article: bool = True
    """Fetch and clean each story's page (True) or show only the feed's own text."""
    etag: str | None = None
    last_modified: str | None = None
    last_success: str | None = None
    """ISO time of the last refresh that worked."""
    last_error: str | None = None
    """A human sentence ("HTTP 404", "timed out after 20 s"), None when the last try worked."""
    error_count: int = 0
    unread: int = 0
    total: int = 0

    @property
    def category(self) -> str | None:
        """The first category, for places that show one."""
        return self.categories[0] if self.categories else None


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A file an item carries (a podcast episode, a video), as the feed describes it."""

    url: str
    """Absolute http(s) address."""
    type: str | None = None
    """The MIME type the feed gives ("audio/mpeg"), if any."""
    length: int | None = None
    """Size in bytes as the feed states it (often missing or 0: unknown)."""

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "type": self.type, "length": self.length}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Enclosure:
        length = data.get("length")
        kind = data.get("type")
        return cls(
            str(data["url"]),
            str(kind) if kind else None,
            length if isinstance(length, int) else None,
        )


@dataclass(slots=True)
class Entry:
    """One item of a feed."""

    id: int
    feed_id: int
    title: str
    url: str | None
    feed_title: str = ""
    guid: str | None = None
    author: str | None = None
    summary: str = ""
    """The feed's own text for the item, as plain text."""
    content_html: str | None = None
    """The feed's full content, when it carries any (sanitised later, never rendered raw)."""
    published: str | None = None
    """ISO 8601 UTC time."""
    read: bool = False
    saved: bool = False
    enclosures: tuple[Enclosure, ...] = ()
    """Files the item carries (podcasts, video)."""


@dataclass(slots=True)
class SavedArticle:
    """An article kept for offline reading (or cached when `saved` is False)."""

    id: int
    url: str
    title: str
    site: str | None
    saved_at: str | None
    """ISO time when saved; None for an article that is only cached."""
    fetched_at: str
    entry_id: int | None = None
    article: Article | None = None
