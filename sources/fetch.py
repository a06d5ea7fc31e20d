"""HTTP for scheduled ingestion: timeouts, retries with backoff, a size limit, content-type and
magic-byte checks, conditional requests (ETag / Last-Modified) and a polite limit per host."""
from __future__ import annotations

import os
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx

from models.enums import ErrorType
from models.errors import DocumentError
from readers.read import sniff

USER_AGENT = "minutes/0.1 (+https://example.invalid/minutes; meeting-document archiver)"
TIMEOUT_SECONDS = 20.0
RETRIES = 3                     # attempts after the first, on connection errors and 5xx/429
BACKOFF_SECONDS = 0.5           # doubled after each failed attempt
MAX_BYTES = 100 * 1024 * 1024
PER_HOST = 2                    # concurrent requests to one host
_host_locks: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(PER_HOST))
_host_guard = threading.Lock()


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


def _host_slot(url: str) -> threading.Semaphore:
    with _host_guard:
        return _host_locks[urlparse(url).netloc]


def client(settings: HttpSettings | None = None) -> httpx.Client:
    s = settings or HttpSettings()
    return httpx.Client(timeout=httpx.Timeout(s.timeout), follow_redirects=True,
                        headers={"User-Agent": USER_AGENT})


def get_text(http: httpx.Client, url: str, settings: HttpSettings | None = None) -> tuple[bytes, str]:
    """A feed or an HTML page: (raw bytes, content type). Encoding is left to the parser."""
    s = settings or HttpSettings()
    resp = _request(http, url, {}, s)
    if resp.status_code >= 400:
        raise DocumentError(ErrorType.NOT_FOUND, f"{url} answered HTTP {resp.status_code}")
    return resp.content[: s.max_bytes], resp.headers.get("content-type", "")


def _request(http: httpx.Client, url: str, headers: dict, s: HttpSettings, stream_to: Path | None = None):
    delay = s.backoff
    last: Exception | None = None
    for attempt in range(s.retries + 1):
        try:
            with _host_slot(url):
                if stream_to is None:
                    resp = http.get(url, headers=headers)
                else:
                    resp = _stream(http, url, headers, s, stream_to)
            if resp.status_code in (429, 500, 502, 503, 504) and attempt < s.retries:
                time.sleep(delay)
                delay *= 2
                continue
            return resp
        except (httpx.TransportError,) as e:   # timeouts, refused connections, resets
            last = e
            if attempt < s.retries:
                time.sleep(delay)
                delay *= 2
    if isinstance(last, httpx.TimeoutException):
        raise DocumentError(ErrorType.TIMEOUT, f"{url} did not answer within {s.timeout:.0f} s ({s.retries + 1} tries)")
    raise DocumentError(ErrorType.NOT_FOUND, f"{url} could not be reached ({type(last).__name__}: {last})")


def _stream(http: httpx.Client, url: str, headers: dict, s: HttpSettings, dest: Path):
    with http.stream("GET", url, headers=headers) as resp:
        if resp.status_code != 200:
            resp.read()
            return resp
        declared = resp.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > s.max_bytes:
            resp.close()
            resp.too_large = True
            return resp
        size = 0
        with open(dest, "wb") as f:
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > s.max_bytes:
                    resp.too_large = True
                    return resp
                f.write(chunk)
        return resp


def fetch_document(http: httpx.Client, url: str, dest_dir: Path, etag: str = "", last_modified: str = "",
                   settings: HttpSettings | None = None) -> Fetched:
    """Download one document into dest_dir (a temporary name); check what really arrived."""
    s = settings or HttpSettings()
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    dest_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".download-", dir=dest_dir)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        resp = _request(http, url, headers, s, stream_to=tmp_path)
    except DocumentError as e:
        tmp_path.unlink(missing_ok=True)
        return Fetched(url, "error", error_type=e.error_type.value, message=e.message)
    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
    if resp.status_code == 304:
        tmp_path.unlink(missing_ok=True)
        return Fetched(url, "not_modified", etag=etag, last_modified=last_modified)
    if getattr(resp, "too_large", False):
        tmp_path.unlink(missing_ok=True)
        return Fetched(url, "error", error_type=ErrorType.TOO_LARGE.value,
                       message=f"{url} is larger than the {s.max_bytes // (1024 * 1024)} MB limit: raise it if you trust the source")
    if resp.status_code >= 400:
        tmp_path.unlink(missing_ok=True)
        return Fetched(url, "error", error_type=ErrorType.NOT_FOUND.value,
                       message=f"{url} answered HTTP {resp.status_code}: check the link or the feed")
    with open(tmp_path, "rb") as f:
        head = f.read(2048)
    kind = sniff(head)
    if kind == "zip":
        kind = "docx"            # a zip that is not Word is refused by ingest with its own message
    if kind not in ("pdf", "docx"):
        tmp_path.unlink(missing_ok=True)
        what = "an HTML page" if kind == "html" else f"content of type {ctype or 'unknown'}"
        return Fetched(url, "error", content_type=ctype, error_type=ErrorType.UNSUPPORTED.value,
                       message=f"{url} returned {what}, not a PDF or DOCX: the link may point to a web page or an error page")
    return Fetched(url, "new", path=tmp_path, etag=resp.headers.get("etag", ""),
                   last_modified=resp.headers.get("last-modified", ""), content_type=ctype, kind=kind)
