"""`minutes ingest` against a hostile web server on 127.0.0.1: a redirect loop, a body that is
not the gzip it says it is, malformed URLs, a body and a header that trickle forever, a gzip-bombed feed,
a feed of hundreds of enclosures and a 404 among one good PDF. Each bad URL must end as its own
error row and the pass must go on: the good PDF is stored. Runs runner.intake, the library the
`minutes ingest` flow calls, without Prefect (whose start would only cost time here)."""
from __future__ import annotations

import concurrent.futures
import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import duckdb
import pytest

from models.settings import MB, Settings
from runner.batch import plain_submit
from runner.intake import GONE_RETRY_HOURS, ingest_candidates
from sources import fetch
from sources.feeds import MAX_DOCS_PER_FEED, MAX_PAGES_PER_FEED, collect_candidates
from sources.fetch import HttpSettings, fetch_document
from tests.conftest import SAMPLES, local_http

ROOT = Path(__file__).resolve().parent.parent
GOOD_PDF = SAMPLES / "poytakirja_perusturvalautakunta_2017-09-12.pdf"
TRICKLE_SECONDS = 0.2           # a byte this often: never a read timeout, never an end
BOMB_MIB = 2048                 # what the bombed feed inflates to (about 2 MB on the wire)
MANY = MAX_DOCS_PER_FEED + 40   # enclosures of the crowded feed
CAP_MB = 1                      # --max-mb of the passes
RSS_BOUND_MB = 1200             # a process that held the decoded bomb would be past 2 GB; httpx decodes a
                                # network read whole, so a loaded machine (bigger reads) peaks higher
PAGES = MAX_PAGES_PER_FEED + 7  # item pages of a feed: 7 over what one pass follows


def gzip_bomb(mib: int = BOMB_MIB) -> bytes:
    """An RSS feed whose gzip body inflates to `mib` MiB of blanks: 1 MiB compressed once after a
    full flush gives identical bytes each time, so the bomb is built by repetition in no time
    (no trailer: a reader that honours its cap never gets there)."""
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    head = c.compress(b'<?xml version="1.0"?><rss version="2.0"><channel><title>pommi</title>') + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(b" " * MB) + c.flush(zlib.Z_FULL_FLUSH)
    return head + block * mib


class Hostile:
    """What the server serves and what it was asked (path -> number of requests)."""

    def __init__(self):
        self.good = GOOD_PDF.read_bytes()
        self.bomb = gzip_bomb()
        self.hits: Counter = Counter()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.trickling = threading.Event()     # set once a trickle has begun
        self.flaky_ok = False                   # /flaky.xml: 503 until a test sets this

    def many_feed(self, base: str) -> bytes:
        items = "".join(f'<item><title>Liite {i}</title>'
                        f'<enclosure url="{base}/many/{i}.pdf" type="application/pdf" length="100"/></item>'
                        for i in range(MANY))
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Paljon</title>{items}</channel></rss>'.encode()

    def pages_feed(self, base: str) -> bytes:
        items = "".join(f"<item><title>Asia {i}</title><link>{base}/page/{i}</link></item>" for i in range(PAGES))
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Sivut</title>{items}</channel></rss>'.encode()


def make_handler(site: Hostile):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            path = self.path.split("?")[0]
            with site.lock:
                site.hits[path] += 1
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if path == "/good.pdf":
                return self._send(200, site.good, "application/pdf")
            if path == "/loop":
                return self._send(302, b"", "text/plain", {"Location": "/loop"})
            if path == "/bad-gzip.pdf":
                return self._send(200, b"this is not gzip " * 200, "application/pdf", {"Content-Encoding": "gzip"})
            if path == "/gone.pdf":
                return self._send(404, b"not here", "text/plain")
            if path == "/trickle.pdf":
                return self._trickle()
            if path == "/slow-headers.pdf":
                return self._slow_headers()
            if path == "/busy.pdf":
                return self._send(503, b"busy", "text/plain")
            if path == "/bomb.xml":            # no Content-Length: only what it inflates to can stop it
                return self._send(200, site.bomb, "application/rss+xml", {"Content-Encoding": "gzip"}, length=False)
            if path == "/flaky.xml":
                if not site.flaky_ok:
                    return self._send(503, b"busy", "text/plain")
                return self._send(200, b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                                       b'</channel></rss>', "application/rss+xml")
            if path == "/pages.xml":
                return self._send(200, site.pages_feed(base), "application/rss+xml")
            if path.startswith("/page/"):
                return self._send(200, b"<html><body>ei liitteita</body></html>", "text/html")
            if path == "/many.xml":
                return self._send(200, site.many_feed(base), "application/rss+xml")
            if path.startswith("/many/"):
                return self._send(200, b"<html>not a pdf</html>", "text/html")
            return self._send(404, b"no such thing", "text/plain")

        def _trickle(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(CAP_MB * MB // 2))   # under the cap: it will never get there
            self.end_headers()
            site.trickling.set()
            try:
                self.wfile.write(b"%PDF-1.4\n")
                while not site.stopping.wait(TRICKLE_SECONDS):
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except OSError:          # the client gave up: what the test wants
                pass
            self.close_connection = True

        def _slow_headers(self):
            """A status line, then one header line that never ends: the read timeout never fires."""
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                while not site.stopping.wait(TRICKLE_SECONDS):
                    self.wfile.write(b"x")
                    self.wfile.flush()
            except OSError:
                pass
            self.close_connection = True

        def _send(self, code, body, ctype, headers=None, length=True):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            if length:
                self.send_header("Content-Length", str(len(body)))
            else:                               # the body ends when the connection does
                self.send_header("Connection", "close")
                self.close_connection = True
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                self.close_connection = True
    return Handler


@pytest.fixture(scope="module")
def site():
    s = Hostile()
    with local_http(make_handler(s)) as s.url:
        yield s
        s.stopping.set()


def http_settings(**kw) -> HttpSettings:
    """Small numbers, so a pass is quick; the trickle needs the deadline, not the read timeout."""
    return HttpSettings(**{"timeout": 1.0, "retries": 1, "backoff": 0.05, "deadline": 1.5,
                           "max_bytes": CAP_MB * MB, **kw})


SETTINGS = Settings(entities=False, max_file_bytes=CAP_MB * MB)


def one_pass(out: Path, urls: list[str], feeds: list[str], hs: HttpSettings | None = None):
    """collect_candidates then ingest_candidates, as flows/ingest.py runs them."""
    url_list = out.parent / f"{out.name}-urls.txt"
    url_list.write_text("\n".join(urls) + "\n", encoding="utf-8")
    hs = hs or http_settings()
    candidates = collect_candidates(None, str(url_list), feeds, hs)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        summary, _ = ingest_candidates(str(out), candidates, SETTINGS, hs, plain_submit(pool, SETTINGS))
    return summary


def q(out: Path, sql: str, *params):
    with duckdb.connect(str(out / "minutes.duckdb"), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


MALFORMED = ["http://[::1", "ftp://127.0.0.1/x.pdf", "ei osoite lainkaan"]


@pytest.fixture(scope="module")
def first(site, tmp_path_factory):
    """One pass over every hostile URL and a good PDF, with a stale temporary file of an earlier,
    killed pass in the archive."""
    out = tmp_path_factory.mktemp("hostile") / "store"
    (out / "archive").mkdir(parents=True)
    (out / "archive" / ".download-killed-earlier").write_bytes(b"%PDF-1.4 half")
    urls = [site.url + p for p in ("/loop", "/bad-gzip.pdf", "/trickle.pdf", "/slow-headers.pdf", "/gone.pdf",
                                   "/good.pdf")] + MALFORMED
    hits_before = Counter(site.hits)
    summary = one_pass(out, urls, [site.url + "/bomb.xml", site.url + "/many.xml"])
    return out, summary, site.hits - hits_before


def test_the_good_pdf_is_stored_among_the_bad(first, site):
    out, summary, _ = first
    assert summary.documents_ok == 1
    assert q(out, "SELECT status FROM documents WHERE source = ?", site.url + "/good.pdf") == [("ok",)]
    assert q(out, "SELECT count(*) FROM agenda_items a JOIN sources s USING (doc_id) WHERE s.source = ?",
             site.url + "/good.pdf")[0][0] > 0


def test_every_bad_url_is_its_own_error_row(first, site):
    out, summary, _ = first
    errors = dict((s, (t, m)) for s, t, m in q(out, "SELECT source, error_type, message FROM errors"))
    expect = {"/loop": ("not_found", "redirects more than"), "/bad-gzip.pdf": ("corrupt", "does not decode"),
              "/trickle.pdf": ("timeout", "in all"), "/slow-headers.pdf": ("timeout", "in all"),
              "/gone.pdf": ("not_found", "HTTP 404"),
              "/bomb.xml": ("too_large", "MB limit")}
    for path, (etype, words) in expect.items():
        assert errors[site.url + path][0] == etype, (path, errors.get(site.url + path))
        assert words in errors[site.url + path][1]
    for url in MALFORMED:
        assert errors[url][0] == "not_found" and "URL" in errors[url][1], errors.get(url)
    failed = {src for src, _, _ in summary.failed}
    assert site.url + "/bomb.xml" in failed and set(MALFORMED) <= failed    # the summary says so too


def test_no_temporary_file_is_left_in_the_archive(first):
    out, _, _ = first
    left = [p.name for p in (out / "archive").iterdir() if p.name.startswith(".")]
    assert left == []
    assert len(list((out / "archive").glob("*.pdf"))) == 1


def test_a_crowded_feed_gives_at_most_the_cap_and_the_rest_next_time(first, site, tmp_path, caplog):
    out, _, hits = first
    asked = {p for p in hits if p.startswith("/many/")}
    assert len(asked) == MAX_DOCS_PER_FEED
    before = Counter(site.hits)
    with caplog.at_level(logging.WARNING, logger="minutes"):
        one_pass(out, [], [site.url + "/many.xml"])
    again = {p for p in site.hits - before if p.startswith("/many/")}
    assert len(again) == MAX_DOCS_PER_FEED
    assert {f"/many/{i}.pdf" for i in range(MANY)} - asked <= again          # the ones left over came first
    assert any(f"{MANY - MAX_DOCS_PER_FEED} document(s) left for a later pass" in r.getMessage()
               for r in caplog.records)


def test_a_404_is_not_asked_again_until_the_back_off_is_over(first, site):
    out, _, hits = first
    assert hits["/gone.pdf"] == 1
    before = site.hits["/gone.pdf"]
    summary = one_pass(out, [site.url + "/gone.pdf"], [])
    assert site.hits["/gone.pdf"] == before                         # remembered: no request
    assert [t for s, t, _ in summary.failed if s.endswith("/gone.pdf")] == ["not_found"]
    assert q(out, "SELECT error_type FROM errors WHERE source = ?", site.url + "/gone.pdf") == [("not_found",)]
    long_ago = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=GONE_RETRY_HOURS + 1)).isoformat(timespec="seconds")
    with duckdb.connect(str(out / "minutes.duckdb")) as con:
        con.execute('UPDATE errors SET "at" = ? WHERE source = ?', [long_ago, site.url + "/gone.pdf"])
    one_pass(out, [site.url + "/gone.pdf"], [])
    assert site.hits["/gone.pdf"] == before + 1                     # the back-off is over: asked again


def test_item_pages_over_the_limit_are_left_with_a_warning(site, caplog):
    before = Counter(site.hits)
    with caplog.at_level(logging.WARNING, logger="minutes"):
        collect_candidates(None, None, [site.url + "/pages.xml"], http_settings())
    assert len([p for p in site.hits - before if p.startswith("/page/")]) == MAX_PAGES_PER_FEED
    assert any(f"{PAGES - MAX_PAGES_PER_FEED} are left out" in r.getMessage() for r in caplog.records)


def test_a_feed_that_fails_is_an_error_row_until_it_is_read_again(site, tmp_path):
    out = tmp_path / "store"
    site.flaky_ok = False
    summary = one_pass(out, [], [site.url + "/flaky.xml"])
    assert [(s, t) for s, t, _ in summary.failed] == [(site.url + "/flaky.xml", "not_found")]
    assert q(out, "SELECT error_type FROM errors WHERE source = ?", site.url + "/flaky.xml") == [("not_found",)]
    site.flaky_ok = True
    one_pass(out, [], [site.url + "/flaky.xml"])
    assert q(out, "SELECT count(*) FROM errors WHERE source = ?", site.url + "/flaky.xml") == [(0,)]


def _child(code: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_gzip_bomb_feed_is_cut_at_the_cap_not_inflated(site):
    """In a process of its own, so its peak memory is the feed's alone: a reader that inflates the
    whole body before applying --max-mb needs more than 2 GB."""
    child = _child(f"""
        import resource
        from sources.feeds import collect_candidates
        from sources.fetch import HttpSettings
        got = collect_candidates(None, None, ["{site.url}/bomb.xml"], HttpSettings(timeout=5, max_bytes={CAP_MB} << 20))
        print(got[0].error_type or "read-whole", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    """)
    stdout, stderr = child.communicate(timeout=300)
    assert child.returncode == 0, stderr
    etype, peak_mb = stdout.split()
    assert etype == "too_large", stdout
    assert int(peak_mb) < RSS_BOUND_MB, f"peak RSS {peak_mb} MB"


@pytest.mark.parametrize("path, settings", [
    ("/trickle.pdf", "HttpSettings(timeout=5, deadline=100_000)"),                       # a long read
    ("/busy.pdf", "HttpSettings(timeout=5, retries=5, backoff=100_000, deadline=1_000_000)"),   # a retry's sleep
])
def test_ctrl_c_ends_a_long_http_wait(site, path, settings, tmp_path):
    """SIGINT (what the CLI turns SIGTERM into: KeyboardInterrupt) ends a download that would
    otherwise go on for a day; nothing of fetch.py swallows it."""
    site.trickling.clear()
    before = site.hits[path]
    child = _child(f"""
        from pathlib import Path
        from sources.fetch import HttpSettings, client, fetch_document
        s = {settings}
        with client(s) as http:
            print("started", flush=True)
            got = fetch_document(http, "{site.url}{path}", Path("{tmp_path}"), settings=s)
        print("returned", got)
    """)
    assert child.stdout.readline().strip() == "started"
    while site.hits[path] == before and child.poll() is None:    # the request has reached the server
        site.stopping.wait(0.05)
    child.send_signal(signal.SIGINT)
    stdout, stderr = child.communicate(timeout=120)             # a safety net: the wait itself is a day long
    assert "KeyboardInterrupt" in stderr and "returned" not in stdout


def test_request_stop_ends_a_download_in_another_thread(site, tmp_path):
    """What a signal handler calls when the pass runs in a thread other than the main one."""
    got: list = []

    def download():
        s = http_settings(deadline=100_000, timeout=5)
        with fetch.client(s) as http:
            try:
                got.append(fetch_document(http, site.url + "/trickle.pdf", tmp_path, settings=s))
            except KeyboardInterrupt as e:
                got.append(e)

    site.trickling.clear()
    t = threading.Thread(target=download)
    t.start()
    try:
        assert site.trickling.wait(60)
        fetch.request_stop()
        t.join(120)
    finally:
        fetch.clear_stop()
    assert not t.is_alive() and isinstance(got[0], fetch.Shutdown)
    assert list(tmp_path.iterdir()) == []                              # its temporary file is gone
