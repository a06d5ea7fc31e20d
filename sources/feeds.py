"""Where scheduled ingestion finds documents: an inbox folder, a text file of URLs, RSS/Atom
feeds of municipal publishing systems (Dynasty's DREQUEST.PHP?page=rss/..., often ISO-8859-1)."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

from models.errors import DocumentError
from sources.discover import discover
from sources.fetch import HttpSettings, client, get_text

DOC_LINK_RE = re.compile(r"\.(pdf|docx)(?:$|[?#])", re.I)
MAX_PAGES_PER_FEED = 200        # item pages followed from one feed per run
log = logging.getLogger("minutes")


@dataclass(frozen=True)
class Candidate:
    """A document to look at: a local file (path) or something to fetch (url)."""
    origin: str                  # the inbox folder, the URL list file or the feed URL
    path: str = ""
    url: str = ""

    @property
    def source(self) -> str:
        return self.url or self.path


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
    searched for documents."""
    out: list[Candidate] = []
    if inbox:
        out.extend(inbox_candidates(inbox))
    if url_list:
        out.extend(url_list_candidates(url_list))
    if feeds:
        with client(http_settings) as http:
            for feed in feeds:
                try:
                    raw, _ = get_text(http, feed, http_settings)
                except DocumentError as e:
                    log.error("feed %s: %s", feed, e.message)
                    continue
                docs, pages = feed_links(raw, feed)
                out.extend(Candidate(origin=feed, url=u) for u in docs)
                for page in pages[:MAX_PAGES_PER_FEED]:
                    try:
                        html, ctype = get_text(http, page, http_settings)
                    except DocumentError as e:
                        log.warning("item page %s: %s", page, e.message)
                        continue
                    if "html" in ctype or html.lstrip()[:1] == b"<":
                        out.extend(Candidate(origin=feed, url=u) for u in page_document_links(html, page))
                    else:                     # the "page" is itself a document
                        out.append(Candidate(origin=feed, url=page))
    seen, unique = set(), []
    for c in out:
        if c.source not in seen:
            seen.add(c.source)
            unique.append(c)
    return unique
