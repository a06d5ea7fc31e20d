"""Where scheduled ingestion finds documents: an inbox folder, a text file of URLs, RSS/Atom
feeds of municipal publishing systems (Dynasty's DREQUEST.PHP?page=rss/..., often ISO-8859-1)."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlparse

from models.enums import ErrorType
from models.document import readable
from models.errors import DocumentError
from sources.discover import discover
from sources.fetch import HttpSettings, client, get_text

DOC_LINK_RE = re.compile(r"\.(pdf|docx)(?:$|[?#])", re.I)
MAX_PAGES_PER_FEED = 200        # item pages followed from one feed per run
MAX_DOCS_PER_FEED = 100         # documents fetched from one feed per run; the rest wait for the next
log = logging.getLogger("minutes")


DOCUMENT, FEED, PAGE = "document", "feed", "page"


@dataclass(frozen=True)
class Candidate:
    """A document to look at: a local file (path) or something to fetch (url); or a feed or item
    page that was read (kind FEED / PAGE), with its error when that failed."""
    origin: str                  # the inbox folder, the URL list file or the feed URL
    path: str = ""
    url: str = ""
    kind: str = DOCUMENT
    error_type: str = ""
    message: str = ""

    @property
    def source(self) -> str:
        """How the store names it: the URL, or the path (a non-UTF-8 file name decoded readably)."""
        return self.url or readable(self.path)


def inbox_candidates(folder: str) -> list[Candidate]:
    found = discover([folder])
    return [Candidate(origin=str(folder), path=str(p)) for p in found.files]


def url_list_candidates(list_file: str) -> list[Candidate]:
    out = []
    for line in Path(list_file).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(Candidate(origin=str(list_file), url=line))
    return out


def feed_links(raw: bytes, base_url: str) -> tuple[list[str], list[str]]:
    """(document URLs, item page URLs) of a feed; feedparser handles RSS/Atom and encodings."""
    import feedparser
    parsed = feedparser.parse(raw)
    docs, pages = [], []
    for entry in parsed.entries:
        for enc in entry.get("enclosures", []) or []:
            href = enc.get("href")
            if href:
                docs.append(urljoin(base_url, href))
        for link in entry.get("links", []) or []:
            href = link.get("href")
            if not href:
                continue
            href = urljoin(base_url, href)
            if DOC_LINK_RE.search(urlparse(href).path) or link.get("type", "").endswith(("pdf", "document")):
                docs.append(href)
            elif link.get("rel", "alternate") == "alternate":
                pages.append(href)
    return _unique(docs), _unique(p for p in pages if p not in docs)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def page_document_links(html: bytes, base_url: str) -> list[str]:
    """Links to PDF/DOCX files on an item page of a publishing system."""
    parser = _Links()
    parser.feed(html.decode("utf-8", errors="replace"))
    return _unique(urljoin(base_url, h) for h in parser.hrefs if DOC_LINK_RE.search(urlparse(urljoin(base_url, h)).path))


def _unique(items) -> list[str]:
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def collect_candidates(inbox: str | None, url_list: str | None, feeds: list[str],
                       http_settings: HttpSettings) -> list[Candidate]:
    """Everything the sources list now, each source once; feeds are read and their item pages
    searched for documents. A feed or page that fails is a Candidate with its error (so it becomes
    an errors row); one that is read is a Candidate too (so an old error row of it is cleared)."""
    out: list[Candidate] = []
    if inbox:
        out.extend(inbox_candidates(inbox))
    if url_list:
        out.extend(url_list_candidates(url_list))
    if feeds:
        with client(http_settings) as http:
            for feed in feeds:
                out.extend(feed_candidates(http, feed, http_settings))
    seen, unique = set(), []
    for c in out:
        if (c.kind, c.source) not in seen:
            seen.add((c.kind, c.source))
            unique.append(c)
    return unique


def feed_candidates(http, feed: str, http_settings: HttpSettings) -> list[Candidate]:
    """The documents of one feed and of its item pages (at most MAX_PAGES_PER_FEED), after the
    feed's own Candidate; never raises but KeyboardInterrupt."""
    try:
        raw, _ = get_text(http, feed, http_settings)
        docs, pages = feed_links(raw, feed)
    except DocumentError as e:
        log.error("feed %s: %s", feed, e.message)
        return [Candidate(origin=feed, url=feed, kind=FEED, error_type=e.error_type.value, message=e.message)]
    except Exception as e:            # a parser's bug on hostile input: this feed fails, the pass goes on
        log.error("feed %s: %s: %s", feed, type(e).__name__, e)
        return [Candidate(origin=feed, url=feed, kind=FEED, error_type=ErrorType.CORRUPT.value,
                          message=f"{feed} could not be read as RSS/Atom ({type(e).__name__}: {e})")]
    out = [Candidate(origin=feed, url=feed, kind=FEED)]
    out.extend(Candidate(origin=feed, url=u) for u in docs)
    if len(pages) > MAX_PAGES_PER_FEED:
        log.warning("feed %s lists %d item pages: the first %d are searched for documents, %d are left out "
                    "(MAX_PAGES_PER_FEED)", feed, len(pages), MAX_PAGES_PER_FEED, len(pages) - MAX_PAGES_PER_FEED)
    for page in pages[:MAX_PAGES_PER_FEED]:
        out.extend(page_candidates(http, feed, page, http_settings))
    return out


def page_candidates(http, feed: str, page: str, http_settings: HttpSettings) -> list[Candidate]:
    """The documents an item page links to (or the page itself when it is a document)."""
    try:
        html, ctype = get_text(http, page, http_settings)
        if "html" in ctype or html.lstrip()[:1] == b"<":
            links = page_document_links(html, page)
        else:                     # the "page" is itself a document
            return [Candidate(origin=feed, url=page)]
    except DocumentError as e:
        log.warning("item page %s: %s", page, e.message)
        return [Candidate(origin=feed, url=page, kind=PAGE, error_type=e.error_type.value, message=e.message)]
    except Exception as e:
        log.warning("item page %s: %s: %s", page, type(e).__name__, e)
        return [Candidate(origin=feed, url=page, kind=PAGE, error_type=ErrorType.CORRUPT.value,
                          message=f"{page} could not be read as HTML ({type(e).__name__}: {e})")]
    return [Candidate(origin=feed, url=page, kind=PAGE)] + [Candidate(origin=feed, url=u) for u in links]


def take_per_feed(candidates: list[Candidate], rank: Callable[[Candidate], int | None],
                  cap: int = MAX_DOCS_PER_FEED) -> tuple[list[Candidate], dict[str, int]]:
    """At most `cap` requests for documents of each feed per pass, so a feed of thousands of
    links cannot make a pass endless. `rank` says what a document costs: None no request (it is
    skipped anyway), 0 new, 1 known (a revalidation); new ones go first, then known ones, each in
    the feed's order (newest first, as feeds list them). Returns (taken, left for later per feed).
    Documents of the inbox and the URL list, and feed/page entries, are all taken."""
    ranks: dict[int, int | None] = {}
    by_feed: dict[str, list[Candidate]] = {}
    for c in candidates:
        if c.url and c.kind == DOCUMENT and c.origin.startswith(("http://", "https://")):
            ranks[id(c)] = rank(c)
            if ranks[id(c)] is not None:
                by_feed.setdefault(c.origin, []).append(c)
    dropped: set[int] = set()
    left: dict[str, int] = {}
    for feed, docs in by_feed.items():
        ordered = sorted(docs, key=lambda c: ranks[id(c)])        # stable: the feed's order within a rank
        dropped.update(id(c) for c in ordered[cap:])
        if len(ordered) > cap:
            left[feed] = len(ordered) - cap
    return [c for c in candidates if id(c) not in dropped], left
