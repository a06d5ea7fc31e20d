"""Scheduled ingestion against a real HTTP server on 127.0.0.1: an ISO-8859-1 RSS feed, item
pages, documents with ETags, and the failures the web hands out (404, timeout, HTML instead of
a PDF, a file over the size limit)."""
import hashlib
import shutil
import time
from http.server import BaseHTTPRequestHandler

import duckdb
import pytest

from flows.ingest import ingest_flow
from models.settings import MB, Settings
from tests.conftest import DEVSET, SAMPLES, local_http, needs_shared

DOCS = {
    "/docs/muistio.pdf": DEVSET / "sote-johtoryhma-2017-01-18.pdf",
    "/docs/esityslista.docx": SAMPLES / "esityslista_tekninen_lautakunta_2019-04-09.docx",
    "/docs/ote.pdf": DEVSET / "real" / "r070.pdf",
}


class Site:
    """What the server serves; tests change it between runs."""

    def __init__(self):
        self.files = {path: src.read_bytes() for path, src in DOCS.items()}
        self.requests: list[tuple[str, str]] = []     # (path, If-None-Match)

    def feed(self, port: int) -> bytes:
        items = [("Kokous 18.1.2017 muistio", f"http://127.0.0.1:{port}/docs/muistio.pdf"),
                 ("Tekninen lautakunta esityslista", f"http://127.0.0.1:{port}/docs/esityslista.docx"),
                 ("Talouden seuranta § 73", f"http://127.0.0.1:{port}/item/73"),
                 ("Poistettu pöytäkirja", f"http://127.0.0.1:{port}/docs/poistettu.pdf"),
                 ("Hidas palvelin", f"http://127.0.0.1:{port}/docs/hidas.pdf"),
                 ("Virhesivu", f"http://127.0.0.1:{port}/docs/virhesivu.pdf"),
                 ("Liian suuri", f"http://127.0.0.1:{port}/docs/valtava.pdf")]
        body = "".join(f"<item><title>{t}</title><link>{u}</link><description>Käsittely päättyi</description></item>"
                       for t, u in items)
        xml = (f'<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel>'
               f"<title>Kunnan päätökset – ääkköset</title><link>http://127.0.0.1:{port}/</link>{body}</channel></rss>")
        return xml.encode("iso-8859-1", errors="replace")


def make_handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            site.requests.append((self.path, self.headers.get("If-None-Match", "")))
            port = self.server.server_address[1]
            if self.path == "/feed.xml":
                return self._send(200, site.feed(port), "application/rss+xml; charset=ISO-8859-1")
            if self.path == "/item/73":
                page = '<html><body><a href="/docs/ote.pdf">Pöytäkirjanote (PDF)</a></body></html>'
                return self._send(200, page.encode(), "text/html; charset=utf-8")
            if self.path == "/docs/hidas.pdf":
                time.sleep(2.5)
                return self._send(200, b"%PDF-1.4 late", "application/pdf")
            if self.path == "/docs/virhesivu.pdf":
                return self._send(200, b"<!DOCTYPE html><html><body>Istunto vanhentunut</body></html>", "text/html")
            if self.path == "/docs/valtava.pdf":
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", str(500 * 1024 * 1024))
                self.end_headers()
                return
            data = site.files.get(self.path)
            if data is None:
                return self._send(404, b"not found", "text/plain")
            etag = '"' + hashlib.sha1(data).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self._send(200, data, "application/pdf" if self.path.endswith(".pdf") else "application/octet-stream",
                       {"ETag": etag})

        def _send(self, code, body, ctype, headers=None):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
    return Handler


@pytest.fixture(scope="module")
def site():
    s = Site()
    with local_http(make_handler(s)) as s.url:
        yield s


def _q(out, sql):
    with duckdb.connect(str(out / "minutes.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def first(site, tmp_path_factory, prefect_harness):
    out = tmp_path_factory.mktemp("store")
    summary = ingest_flow(out=str(out), feeds=[site.url + "/feed.xml"], settings=Settings(entities=False, max_file_bytes=50 * MB),
                          http_timeout=1.0, http_retries=1)
    return out, summary


@needs_shared
def test_first_ingest(first):
    out, summary = first
    assert summary.documents_ok == 3
    by_type = {src.rsplit("/", 1)[-1]: etype for src, etype, _ in summary.failed}
    assert by_type == {"poistettu.pdf": "not_found", "hidas.pdf": "timeout",
                       "virhesivu.pdf": "unsupported", "valtava.pdf": "too_large"}
    archived = sorted(p.name for p in (out / "archive").iterdir())
    assert len(archived) == 3 and all(len(n.split(".")[0]) == 64 for n in archived)
    sources = _q(out, "SELECT source, origin, archived_as FROM sources WHERE archived_as <> '' ORDER BY source")
    assert len(sources) == 3 and all(o.endswith("/feed.xml") for _, o, _ in sources)
    assert _q(out, "SELECT count(*) FROM decisions")[0][0] > 0


@needs_shared
def test_unchanged_rerun_processes_nothing(first, site):
    out, _ = first
    before = {t: _q(out, f"SELECT count(*) FROM {t}")[0][0] for t in ("documents", "decisions", "attendance", "dates")}
    site.requests.clear()
    again = ingest_flow(out=str(out), feeds=[site.url + "/feed.xml"], settings=Settings(entities=False, max_file_bytes=50 * MB),
                        http_timeout=1.0, http_retries=1)
    assert again.documents_ok == 0 and again.unchanged == 3
    conditional = [p for p, inm in site.requests if p.startswith("/docs/") and inm]
    assert len(conditional) == 3                    # ETags sent, 304s received
    assert {t: _q(out, f"SELECT count(*) FROM {t}")[0][0] for t in before} == before


@needs_shared
def test_changed_document_replaces_rows_and_keeps_the_version(first, site):
    out, _ = first
    site.files["/docs/muistio.pdf"] = (DEVSET / "real" / "r068.pdf").read_bytes()
    changed = ingest_flow(out=str(out), feeds=[site.url + "/feed.xml"], settings=Settings(entities=False, max_file_bytes=50 * MB),
                          http_timeout=1.0, http_retries=1)
    assert changed.documents_ok == 1
    url = site.url + "/docs/muistio.pdf"
    assert _q(out, f"SELECT count(*) FROM document_versions WHERE source = '{url}'")[0][0] == 1
    assert _q(out, "SELECT count(*) FROM attendance WHERE person = 'Tero Nissinen'")[0][0] == 0
    assert _q(out, f"SELECT file_name, organ FROM documents WHERE source = '{url}'") == [("muistio.pdf", "Kaupunginhallitus")]


@needs_shared
def test_inbox_folder(tmp_path, prefect_harness):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(DEVSET / "real" / "r070.pdf", inbox / "ote.pdf")
    (inbox / "lue-minut.txt").write_text("ei asiakirja")
    out = tmp_path / "store"
    s1 = ingest_flow(out=str(out), inbox=str(inbox), settings=Settings(entities=False))
    s2 = ingest_flow(out=str(out), inbox=str(inbox), settings=Settings(entities=False))
    assert (s1.documents_ok, s2.documents_ok, s2.unchanged) == (1, 0, 1)
    assert len(list((out / "archive").glob("*.pdf"))) == 1


def test_results_are_kept_in_the_store_only(tmp_path, prefect_harness):
    """A pass pickles nothing into Prefect's result storage: the rows live in the store, and a
    copy under PREFECT_HOME (world-readable, kept for days) would be a second, unmanaged one."""
    from prefect.settings import PREFECT_LOCAL_STORAGE_PATH
    storage = PREFECT_LOCAL_STORAGE_PATH.value()
    before = set(storage.rglob("*")) if storage.exists() else set()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "muistio_hyvinvointijohtoryhma_2018-03-14.pdf", inbox / "muistio.pdf")
    summary = ingest_flow(out=str(tmp_path / "store"), inbox=str(inbox), settings=Settings(entities=False), workers=0)
    assert summary.documents_ok == 1
    after = set(storage.rglob("*")) if storage.exists() else set()
    assert after - before == set()
