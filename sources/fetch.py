"""HTTP for scheduled ingestion: timeouts, a total deadline per URL, retries with backoff, a size
limit on the decoded body, content-type and magic-byte checks, conditional requests (ETag /
Last-Modified) and a polite limit per host. Whatever a server does, a URL ends as a `Fetched`
(new, not_modified or error) or a `FetchError`; only a shutdown (KeyboardInterrupt) escapes."""
from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import httpcore
import httpx

from models.enums import ErrorType
from models.errors import DocumentError
from readers.read import sniff

USER_AGENT = "minutes/0.1 (+https://example.invalid/minutes; meeting-document archiver)"
TIMEOUT_SECONDS = 20.0          # per connect / read (--http-timeout)
DEADLINE_FACTOR = 6             # a URL's total time (redirects, retries, the whole body): this x the timeout
RETRIES = 3                     # attempts after the first, on connection errors and 5xx/429
BACKOFF_SECONDS = 0.5           # doubled after each failed attempt
MAX_BYTES = 100 * 1024 * 1024   # decoded body, documents and feeds alike
MAX_REDIRECTS = 10
PER_HOST = 2                    # concurrent requests to one host
RETRY_STATUSES = (429, 500, 502, 503, 504)
GONE_STATUSES = (404, 410)      # permanent: ingest asks again only after a back-off
DOWNLOAD_PREFIX = ".download-"  # temporary files of downloads in progress
_host_locks: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(PER_HOST))
_host_guard = threading.Lock()
_stop = threading.Event()
_local = threading.local()     # .end: the deadline (time.monotonic()) of the request this thread makes
_STATUS_MESSAGE = "{url} answered HTTP {status}: check the link or the feed"
_GONE_RE = re.compile(r" answered HTTP (\d{3}): ")


class Shutdown(KeyboardInterrupt):
    """request_stop() was called: HTTP waits end at once and the pass stops like on Ctrl-C."""


def request_stop() -> None:
    """Make every HTTP wait of this process (retry sleeps, body reads between chunks) end now with
    Shutdown; for a signal handler, or a thread that must stop a pass running in another thread."""
    _stop.set()


def clear_stop() -> None:
    """Allow HTTP again (a new pass in the same process)."""
    _stop.clear()


class FetchError(DocumentError):
    """A URL that failed: an error type and a message written for URLs (no file advice appended)."""

    @property
    def message(self) -> str:
        return self.detail

    def __reduce__(self):
        return (FetchError, (self.error_type, self.detail))


@dataclass
class Fetched:
    url: str
    status: str                  # "new" (body saved to path), "not_modified", "error"
    path: Path | None = None
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    kind: str = ""               # "pdf" | "docx" by magic bytes
    error_type: str = ""
    message: str = ""


@dataclass
class HttpSettings:
    timeout: float = TIMEOUT_SECONDS
    retries: int = RETRIES
    backoff: float = BACKOFF_SECONDS
    max_bytes: int = MAX_BYTES
    deadline: float = 0.0        # seconds in all for one URL; 0: DEADLINE_FACTOR x timeout

    def __post_init__(self):
        if self.deadline <= 0:
            self.deadline = DEADLINE_FACTOR * self.timeout


def gone_status(message: str) -> int | None:
    """The HTTP status of an error message written here when it is a permanent one (404, 410)."""
    m = _GONE_RE.search(message)
    return int(m.group(1)) if m and int(m.group(1)) in GONE_STATUSES else None


def remove_stale_downloads(folder: Path, prefixes: tuple[str, ...] = (DOWNLOAD_PREFIX,)) -> int:
    """Temporary files a killed earlier pass left behind; call only while holding the store."""
    removed = 0
    if folder.is_dir():
        for p in folder.iterdir():
            if p.name.startswith(prefixes) and p.is_file():
                p.unlink(missing_ok=True)
                removed += 1
    return removed


def _host_slot(url: httpx.URL) -> threading.Semaphore:
    with _host_guard:
        return _host_locks[url.netloc.decode("ascii", "replace")]


def client(settings: HttpSettings | None = None) -> httpx.Client:
    """An httpx client whose every socket operation ends by the deadline of the request made
    (headers included: a server trickling its status line a byte at a time is cut too)."""
    s = settings or HttpSettings()
    http = httpx.Client(timeout=httpx.Timeout(s.timeout), follow_redirects=False, headers={"User-Agent": USER_AGENT})
    pool = getattr(http._transport, "_pool", None)
    if hasattr(pool, "_network_backend"):   # httpx has no public hook; without it, the body's chunks are still checked
        pool._network_backend = _DeadlineBackend()
    return http


def _capped(timeout: float | None, expired: type[Exception]) -> float | None:
    """A socket timeout that ends by this thread's request deadline."""
    end = getattr(_local, "end", None)
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise expired("the deadline of the request has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _capped(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _capped(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname,
                                                     _capped(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _DeadlineStream(super().connect_tcp(host, port, _capped(timeout, httpcore.ConnectTimeout),
                                                   local_address, socket_options))


class _Deadline:
    def __init__(self, url: str, s: HttpSettings):
        self.url, self.seconds, self.end = url, s.deadline, time.monotonic() + s.deadline

    def left(self) -> float:
        return self.end - time.monotonic()

    def check(self) -> None:
        if _stop.is_set():
            raise Shutdown("HTTP stopped: shutting down")
        if self.left() <= 0:
            raise FetchError(ErrorType.TIMEOUT, f"{self.url} took longer than {self.seconds:g} s in all: the server "
                                                f"sends too slowly or never ends; try again later")

    def sleep(self, seconds: float) -> None:
        """Backoff that a shutdown ends at once and that never outlasts the deadline."""
        if _stop.wait(max(0.0, min(seconds, self.left()))):
            raise Shutdown("HTTP stopped: shutting down")
        self.check()

    def timeout(self, s: HttpSettings) -> httpx.Timeout:
        return httpx.Timeout(max(0.05, min(s.timeout, self.left())))


def _valid_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
        ok = parsed.scheme in ("http", "https") and bool(parsed.host)
    except (httpx.InvalidURL, ValueError, TypeError) as e:
        raise FetchError(ErrorType.NOT_FOUND, f"{url!r} is not a valid URL ({e}): fix the link") from None
    if not ok:
        raise FetchError(ErrorType.NOT_FOUND, f"{url!r} is not an http(s) URL: fix the link")
    return parsed


def _fetch(http: httpx.Client, url: str, headers: dict, s: HttpSettings,
           read_body: Callable[[httpx.Response, _Deadline], object]) -> tuple[httpx.Response, object]:
    """GET with manual redirects, retries and one deadline for all of it; returns the final
    response (closed) and what read_body made of a 2xx body. Raises FetchError, or Shutdown."""
    deadline = _Deadline(url, s)
    _local.end = deadline.end
    try:
        return _attempts(http, url, headers, s, read_body, deadline)
    finally:
        _local.end = None


def _attempts(http, url, headers, s, read_body, deadline):
    delay = s.backoff
    last: Exception | None = None
    for attempt in range(s.retries + 1):
        if attempt:
            deadline.sleep(delay)
            delay *= 2
        try:
            resp, body = _follow(http, _valid_url(url), headers, s, deadline, read_body)
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError) as e:
            last = e                                     # may pass: try again
            continue
        except httpx.DecodingError as e:
            raise FetchError(ErrorType.CORRUPT, f"{url} sent a body that does not decode as its Content-Encoding "
                                                f"says ({e}): the server is broken; try again later") from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.LocalProtocolError, ValueError) as e:
            raise FetchError(ErrorType.NOT_FOUND, f"{url} cannot be requested ({type(e).__name__}: {e}): "
                                                  f"fix the link") from None
        except httpx.HTTPError as e:
            raise FetchError(ErrorType.NOT_FOUND, f"{url} failed ({type(e).__name__}: {e})") from None
        if resp.status_code in RETRY_STATUSES and attempt < s.retries:
            last = None
            continue
        return resp, body
    deadline.check()
    if isinstance(last, httpx.TimeoutException):
        raise FetchError(ErrorType.TIMEOUT, f"{url} did not answer within {s.timeout:g} s ({s.retries + 1} tries): "
                                            f"try again later or raise --http-timeout")
    raise FetchError(ErrorType.NOT_FOUND, f"{url} could not be reached ({type(last).__name__}: {last})")


def _follow(http: httpx.Client, url: httpx.URL, headers: dict, s: HttpSettings, deadline: _Deadline,
            read_body) -> tuple[httpx.Response, object]:
    """One attempt: up to MAX_REDIRECTS hops, each checked against the deadline."""
    for _ in range(MAX_REDIRECTS + 1):
        deadline.check()
        with _host_slot(url):
            with http.stream("GET", url, headers=headers, timeout=deadline.timeout(s)) as resp:
                nxt = resp.next_request if resp.is_redirect else None
                if nxt is None:
                    body = read_body(resp, deadline) if resp.is_success else None
                    return resp, body
        url = _valid_url(str(nxt.url))
    raise FetchError(ErrorType.NOT_FOUND, f"{deadline.url} redirects more than {MAX_REDIRECTS} times (a loop?): "
                                          f"check the link")


def _too_large(url: str, s: HttpSettings) -> FetchError:
    return FetchError(ErrorType.TOO_LARGE, f"{url} is larger than the {s.max_bytes / (1024 * 1024):g} MB limit "
                                           f"(decoded): raise --max-mb if you trust the source")


def _chunks(resp: httpx.Response, deadline: _Deadline, s: HttpSettings):
    """The decoded body chunk by chunk, refused past max_bytes (what arrives, not what is declared:
    a gzip bomb is cut at the cap) and past the deadline."""
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > s.max_bytes:
        raise _too_large(deadline.url, s)
    size = 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > s.max_bytes:
            raise _too_large(deadline.url, s)
        deadline.check()
        yield chunk


def get_text(http: httpx.Client, url: str, settings: HttpSettings | None = None) -> tuple[bytes, str]:
    """A feed or an HTML page: (raw bytes, content type). Encoding is left to the parser.
    Raises FetchError (a DocumentError) for whatever goes wrong."""
    s = settings or HttpSettings()
    resp, body = _fetch(http, url, {}, s, lambda r, d: b"".join(_chunks(r, d, s)))
    if not resp.is_success:
        raise FetchError(ErrorType.NOT_FOUND, _STATUS_MESSAGE.format(url=url, status=resp.status_code))
    return body, resp.headers.get("content-type", "")


def fetch_document(http: httpx.Client, url: str, dest_dir: Path, etag: str = "", last_modified: str = "",
                   settings: HttpSettings | None = None) -> Fetched:
    """Download one document into dest_dir (a temporary name); check what really arrived. Never
    raises but Shutdown (KeyboardInterrupt); the temporary file is gone unless status is "new"."""
    s = settings or HttpSettings()
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    dest_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=DOWNLOAD_PREFIX, dir=dest_dir)
    os.close(fd)
    tmp_path = Path(tmp)
    kept = False
    try:
        got = _download(http, url, headers, s, tmp_path, etag, last_modified)
        kept = got.status == "new"
        return got
    finally:
        if not kept:
            tmp_path.unlink(missing_ok=True)


def _save(dest: Path, s: HttpSettings):
    def read_body(resp: httpx.Response, deadline: _Deadline) -> int:
        size = 0
        with open(dest, "wb") as f:          # "wb": a retried attempt starts the file again
            for chunk in _chunks(resp, deadline, s):
                f.write(chunk)
                size += len(chunk)
        return size
    return read_body


def _download(http: httpx.Client, url: str, headers: dict, s: HttpSettings, tmp_path: Path,
              etag: str, last_modified: str) -> Fetched:
    try:
        resp, size = _fetch(http, url, headers, s, _save(tmp_path, s))
    except FetchError as e:
        return Fetched(url, "error", error_type=e.error_type.value, message=e.message)
    except Exception as e:             # not a known way for a URL to fail: a bug of ours, but one URL's
        return Fetched(url, "error", error_type=ErrorType.INTERNAL.value,
                       message=f"{url} could not be fetched ({type(e).__name__}: {e}): this is a bug in minutes; "
                               f"please report it with the URL")
    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
    if resp.status_code == 304 and (etag or last_modified):
        return Fetched(url, "not_modified", etag=etag, last_modified=last_modified)
    if not resp.is_success:
        return Fetched(url, "error", error_type=ErrorType.NOT_FOUND.value,
                       message=_STATUS_MESSAGE.format(url=url, status=resp.status_code))
    if not size:
        return Fetched(url, "error", content_type=ctype, error_type=ErrorType.EMPTY.value,
                       message=f"{url} answered with an empty body: try again later")
    with open(tmp_path, "rb") as f:
        head = f.read(2048)
    kind = sniff(head)
    if kind == "zip":
        kind = "docx"            # a zip that is not Word is refused by ingest with its own message
    if kind not in ("pdf", "docx"):
        what = "an HTML page" if kind == "html" else f"content of type {ctype or 'unknown'}"
        return Fetched(url, "error", content_type=ctype, error_type=ErrorType.UNSUPPORTED.value,
                       message=f"{url} returned {what}, not a PDF or DOCX: the link may point to a web page or an error page")
    return Fetched(url, "new", path=tmp_path, etag=resp.headers.get("etag", ""),
                   last_modified=resp.headers.get("last-modified", ""), content_type=ctype, kind=kind)
