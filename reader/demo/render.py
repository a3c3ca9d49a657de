"""Turn the demo's written content (manifest + article fragments) into a web site.

The stories live as files in `site/` so writers can edit them as HTML; this module
wraps each one in its publication's page chrome (navigation, share buttons, cookie
banner, newsletter promo, "Most read", footer: the clutter the engine must see
through) and renders each publication's feed in its own format. Dates are relative
to `now`, so the demo always looks fresh and snapshots stay deterministic when
`now` is fixed. Everything is rendered once, up front, so the server only looks
bytes up and ETags are stable for the server's lifetime. Standard library only.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from string import Template
from xml.sax.saxutils import escape as xml_escape

SITE: Traversable = files("reader.demo") / "site"
"""The folder holding manifest.json, the templates and `articles/*.html`."""

FEED_FORMATS: dict[str, tuple[str, str]] = {
    "rss-full": ("feed.xml", "application/rss+xml; charset=utf-8"),
    "rss-summary": ("rss.xml", "application/rss+xml; charset=utf-8"),
    "atom": ("atom.xml", "application/atom+xml; charset=utf-8"),
    "atom-summary": ("atom.xml", "application/atom+xml; charset=utf-8"),
    "json": ("feed.json", "application/feed+json; charset=utf-8"),
}
"""Feed style -> (file name under the publication's folder, Content-Type)."""

HTML_TYPE = "text/html; charset=utf-8"
_DEMO_LINK = re.compile(r'href="@([a-z0-9-]+)"')
_IMAGE_SRC = re.compile(r'src="/images/([a-z0-9-]+)\.svg"')


@dataclass(frozen=True, slots=True)
class Resource:
    """One servable document: its bytes and the validators for conditional GETs."""

    body: bytes
    content_type: str
    last_modified: datetime
    """Whole seconds, UTC (HTTP dates have no finer resolution)."""

    @property
    def etag(self) -> str:
        """A strong validator derived from the bytes, so it changes only with the content."""
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


@dataclass(frozen=True, slots=True)
class Publication:
    """A fictional outlet: its name, page chrome and feed style."""

    id: str
    name: str
    tagline: str
    feed: str
    """A key of FEED_FORMATS."""
    newsletter: str
    nav: tuple[str, ...]

    @property
    def home_path(self) -> str:
        return f"/{self.id}/"

    @property
    def feed_path(self) -> str:
        return f"/{self.id}/{FEED_FORMATS[self.feed][0]}"

    @property
    def feed_type(self) -> str:
        return FEED_FORMATS[self.feed][1].split(";")[0]


@dataclass(frozen=True, slots=True)
class DemoArticle:
    """One story of the demo, as listed in the manifest."""

    slug: str
    publication: str
    title: str
    standfirst: str
    author: str
    category: str
    tags: tuple[str, ...]
    age_minutes: int
    """How long before the server's `now` the story was published."""
    updated_minutes: int | None = None
    """How long before `now` it was last updated, if it was."""
    sidebar_related: tuple[str, ...] = ()
    """Slugs for a "Related stories" box beside the story, outside its <article>."""

    @property
    def path(self) -> str:
        return f"/{self.publication}/{self.slug}"

    def published(self, now: datetime) -> datetime:
        return now - timedelta(minutes=self.age_minutes)

    def modified(self, now: datetime) -> datetime:
        minutes = self.age_minutes if self.updated_minutes is None else self.updated_minutes
        return now - timedelta(minutes=minutes)


@dataclass(frozen=True, slots=True)
class Manifest:
    """Everything the demo contains."""

    publications: tuple[Publication, ...]
    articles: tuple[DemoArticle, ...]
    """Newest first."""
    most_read: tuple[str, ...]
    """Slugs shown in every page's "Most read" box (a trap: never related coverage)."""

    def publication(self, pub_id: str) -> Publication:
        return next(p for p in self.publications if p.id == pub_id)

    def article(self, slug: str) -> DemoArticle:
        """The article called `slug`; KeyError names a link to a story that does not exist."""
        for article in self.articles:
            if article.slug == slug:
                return article
        raise KeyError(f"no demo article {slug!r}")

    def articles_of(self, pub_id: str) -> list[DemoArticle]:
        return [a for a in self.articles if a.publication == pub_id]


def load_manifest() -> Manifest:
    """Read `site/manifest.json` (shipped inside the package)."""
    raw = json.loads((SITE / "manifest.json").read_text(encoding="utf-8"))
    publications = tuple(
        Publication(p["id"], p["name"], p["tagline"], p["feed"], p["newsletter"], tuple(p["nav"]))
        for p in raw["publications"]
    )
    articles = tuple(
        sorted(
            (
                DemoArticle(
                    a["slug"],
                    a["publication"],
                    a["title"],
                    a["standfirst"],
                    a["author"],
                    a["category"],
                    tuple(a.get("tags", ())),
                    int(a["age_minutes"]),
                    a.get("updated_minutes"),
                    tuple(a.get("sidebar_related", ())),
                )
                for a in raw["articles"]
            ),
            key=lambda a: a.age_minutes,
        )
    )
    return Manifest(publications, articles, tuple(raw.get("most_read", ())))


def article_fragment(manifest: Manifest, slug: str, link_base: str = "") -> str:
    """The story body as written, with `href="@slug"` links pointing at the demo article.

    `link_base` is "" for pages (root-relative links, resolved by the reader) and the
    server's base URL for feed content (feeds should carry absolute links).
    """
    text = (SITE / "articles" / f"{slug}.html").read_text(encoding="utf-8")

    def resolve(match: re.Match[str]) -> str:
        return f'href="{link_base}{manifest.article(match.group(1)).path}"'

    return _DEMO_LINK.sub(resolve, text)


def render_site(base_url: str, now: datetime) -> dict[str, Resource]:
    """Every path the demo server answers, rendered for `base_url` at time `now`."""
    now = now.astimezone(UTC).replace(microsecond=0)
    manifest = load_manifest()
    newest = max((a.modified(now) for a in manifest.articles), default=now)
    site: dict[str, Resource] = {}
    images: set[str] = set()
    for article in manifest.articles:
        body = article_fragment(manifest, article.slug)
        images.update(_IMAGE_SRC.findall(body))
        page = _article_page(manifest, article, body, base_url, now)
        site[article.path] = Resource(page.encode("utf-8"), HTML_TYPE, article.modified(now))
    for pub in manifest.publications:
        items = manifest.articles_of(pub.id)
        feed = _FEED_RENDERERS[pub.feed](manifest, pub, items, base_url, now)
        changed = max((a.modified(now) for a in items), default=now)
        site[pub.feed_path] = Resource(feed.encode("utf-8"), FEED_FORMATS[pub.feed][1], changed)
        home = _index_page(manifest, [pub], pub.name, pub.tagline, base_url)
        site[pub.home_path] = Resource(home.encode("utf-8"), HTML_TYPE, changed)
    stand = _index_page(
        manifest,
        list(manifest.publications),
        "Demo news stand",
        "Five fictional publications, served from this computer.",
        base_url,
    )
    site["/"] = Resource(stand.encode("utf-8"), HTML_TYPE, newest)
    css = (SITE / "site.css").read_text(encoding="utf-8")
    site["/static/site.css"] = Resource(css.encode("utf-8"), "text/css; charset=utf-8", newest)
    for name in sorted(images):
        site[f"/images/{name}.svg"] = Resource(_placeholder_svg(name), "image/svg+xml", newest)
    return site


# -- pages -------------------------------------------------------------------------------


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _human_time(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def _article_page(
    manifest: Manifest, article: DemoArticle, body: str, base_url: str, now: datetime
) -> str:
    pub = manifest.publication(article.publication)
    published, modified = article.published(now), article.modified(now)
    url = base_url + article.path
    json_ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "description": article.standfirst,
            "datePublished": published.isoformat(),
            "dateModified": modified.isoformat(),
            "author": {"@type": "Person", "name": article.author},
            "publisher": {"@type": "Organization", "name": pub.name},
            "mainEntityOfPage": url,
        }
    ).replace("</", "<\\/")
    updated = ""
    if article.updated_minutes is not None:
        updated = (
            f' <span class="updated">Updated <time datetime="{modified.isoformat()}">'
            f"{_human_time(modified)}</time></span>"
        )
    e = html.escape
    fields = {
        "title": e(article.title),
        "site": e(pub.name),
        "standfirst": e(article.standfirst),
        "author": e(article.author),
        "author_slug": _slugify(article.author),
        "url": e(url),
        "published": published.isoformat(),
        "modified": modified.isoformat(),
        "published_text": _human_time(published),
        "updated_text": updated,
        "category": e(article.category),
        "category_slug": _slugify(article.category),
        "feed_type": pub.feed_type,
        "feed_url": e(base_url + pub.feed_path),
        "json_ld": json_ld,
        "pub": pub.id,
        "tagline": e(pub.tagline),
        "nav": "\n".join(
            f'      <li><a href="/{pub.id}/section/{_slugify(n)}">{e(n)}</a></li>' for n in pub.nav
        ),
        "body": body,
        "tags": "\n".join(
            f'      <a rel="tag" href="/{pub.id}/tag/{_slugify(t)}">{e(t)}</a>'
            for t in article.tags
        ),
        "sidebar_related": _sidebar_related(manifest, article),
        "newsletter": e(pub.newsletter),
        "most_read": "\n".join(
            f'    <li><a href="{manifest.article(s).path}">{e(manifest.article(s).title)}</a></li>'
            for s in manifest.most_read
        ),
        "year": str(now.year),
    }
    return Template((SITE / "article.html").read_text(encoding="utf-8")).substitute(fields)


def _sidebar_related(manifest: Manifest, article: DemoArticle) -> str:
    if not article.sidebar_related:
        return ""
    links = "\n".join(
        f'    <li><a href="{manifest.article(s).path}">{html.escape(manifest.article(s).title)}'
        "</a></li>"
        for s in article.sidebar_related
    )
    return (
        f'<aside class="related-stories">\n  <h2>Related stories</h2>\n  <ul>\n{links}\n'
        "  </ul>\n</aside>\n"
    )


def _index_page(
    manifest: Manifest, pubs: list[Publication], heading: str, tagline: str, base_url: str
) -> str:
    e = html.escape
    alternates = "\n".join(
        f'<link rel="alternate" type="{p.feed_type}" title="{e(p.name)}" '
        f'href="{e(base_url + p.feed_path)}">'
        for p in pubs
    )
    sections = []
    for pub in pubs:
        items = "\n".join(
            f'    <li><a href="{a.path}">{e(a.title)}</a></li>'
            for a in manifest.articles_of(pub.id)
        )
        sections.append(
            f'<section class="publication">\n  <h2><a href="{pub.home_path}">'
            f"{e(pub.name)}</a></h2>\n  <p>{e(pub.tagline)} · "
            f'<a href="{pub.feed_path}">Feed</a></p>\n  <ul>\n{items}\n  </ul>\n'
            "</section>"
        )
    return Template((SITE / "index.html").read_text(encoding="utf-8")).substitute(
        heading=e(heading), tagline=e(tagline), alternates=alternates, sections="\n".join(sections)
    )


def _placeholder_svg(name: str) -> bytes:
    label = xml_escape(name.replace("-", " "))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" '
        f'viewBox="0 0 1200 675"><rect width="1200" height="675" fill="#5b7083"/>'
        f'<text x="600" y="350" font-size="48" text-anchor="middle" fill="#fff">{label}'
        "</text></svg>"
    ).encode()


# -- feeds -------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _guid(article: DemoArticle) -> str:
    """Stable across launches and ports, so a re-launch never duplicates entries."""
    return f"tag:newsdesk-reader.demo,2026:{article.publication}/{article.slug}"


def _rss(
    manifest: Manifest, pub: Publication, items: list[DemoArticle], base_url: str, now: datetime
) -> str:
    full = pub.feed == "rss-full"
    x = xml_escape
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"  <title>{x(pub.name)}</title>",
        f"  <link>{x(base_url + pub.home_path)}</link>",
        f"  <description>{x(pub.tagline)}</description>",
        "  <language>en-gb</language>",
        f"  <lastBuildDate>{format_datetime(now, usegmt=True)}</lastBuildDate>",
        f'  <atom:link href="{x(base_url + pub.feed_path)}" rel="self" '
        'type="application/rss+xml"/>',
    ]
    for article in items:
        out += [
            "  <item>",
            f"    <title>{x(article.title)}</title>",
            f"    <link>{x(base_url + article.path)}</link>",
            f'    <guid isPermaLink="false">{_guid(article)}</guid>',
            f"    <pubDate>{format_datetime(article.published(now), usegmt=True)}</pubDate>",
            f"    <dc:creator>{x(article.author)}</dc:creator>",
            f"    <category>{x(article.category)}</category>",
            f"    <description>{x(article.standfirst)}</description>",
        ]
        if full:
            body = article_fragment(manifest, article.slug, base_url).replace("]]>", "]]&gt;")
            out.append(f"    <content:encoded><![CDATA[{body}]]></content:encoded>")
        out.append("  </item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def _atom(
    manifest: Manifest, pub: Publication, items: list[DemoArticle], base_url: str, now: datetime
) -> str:
    """Atom; the summary-only style uses xml:base and relative links, as many sites do."""
    full = pub.feed == "atom"
    x = xml_escape
    home = base_url + pub.home_path
    updated = max((a.modified(now) for a in items), default=now)
    base_attr = f' xml:base="{x(home)}"' if not full else ""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB"{base_attr}>',
        f"  <title>{x(pub.name)}</title>",
        f"  <subtitle>{x(pub.tagline)}</subtitle>",
        f'  <link rel="alternate" type="text/html" href="{x(home)}"/>',
        f'  <link rel="self" type="application/atom+xml" href="{x(base_url + pub.feed_path)}"/>',
        f"  <id>tag:newsdesk-reader.demo,2026:{pub.id}</id>",
        f"  <updated>{_iso(updated)}</updated>",
    ]
    for article in items:
        href = article.slug if not full else base_url + article.path
        out += [
            "  <entry>",
            f'    <title type="text">{x(article.title)}</title>',
            f'    <link rel="alternate" type="text/html" href="{x(href)}"/>',
            f"    <id>{_guid(article)}</id>",
            f"    <published>{_iso(article.published(now))}</published>",
            f"    <updated>{_iso(article.modified(now))}</updated>",
            f"    <author><name>{x(article.author)}</name></author>",
            f'    <category term="{x(article.category)}"/>',
            f'    <summary type="text">{x(article.standfirst)}</summary>',
        ]
        if full:
            body = article_fragment(manifest, article.slug, base_url)
            out.append(f'    <content type="html">{x(body)}</content>')
        out.append("  </entry>")
    out += ["</feed>", ""]
    return "\n".join(out)


def _json_feed(
    manifest: Manifest, pub: Publication, items: list[DemoArticle], base_url: str, now: datetime
) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": pub.name,
        "home_page_url": base_url + pub.home_path,
        "feed_url": base_url + pub.feed_path,
        "description": pub.tagline,
        "language": "en-GB",
        "items": [
            {
                "id": _guid(article),
                "url": base_url + article.path,
                "title": article.title,
                "summary": article.standfirst,
                "content_html": article_fragment(manifest, article.slug, base_url),
                "date_published": article.published(now).isoformat(),
                "date_modified": article.modified(now).isoformat(),
                "authors": [{"name": article.author}],
                "tags": list(article.tags),
            }
            for article in items
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


_FEED_RENDERERS = {
    "rss-full": _rss,
    "rss-summary": _rss,
    "atom": _atom,
    "atom-summary": _atom,
    "json": _json_feed,
}
