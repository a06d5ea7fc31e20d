"""One document from file to rows: read it (readers/), then every extractor. Pure of storage and
orchestration; runs in a worker process (runner/workers.py)."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import signal
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import urlparse

from extractors.agenda import extract_agenda_items, extract_sub_items
from extractors.attendance import extract_attendance
from extractors.datetext import first_full_date
from extractors.decisions import extract_decisions, looks_decided
from extractors.disqualifications import extract_disqualifications
from extractors.entities import extract_entities
from extractors.dates import extract_dates
from extractors.metadata import doc_type_from_content, extract_meeting, meeting_date
from extractors.structure import find_structure
from models.document import readable
from models.enums import DocStatus, ErrorType
from models.errors import DocumentError
from models.result import DocumentResult
from models.rows import DocumentRow, ErrorRow
from models.schema import EXTRACTED_TABLES, SCHEMA_VERSION, TABLE_OF_ROW, TABLES
from models.settings import Settings
from models.version import PIPELINE_VERSION
from readers.read import read_document, sha256_file

log = logging.getLogger("minutes")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@contextlib.contextmanager
def time_limit(seconds: float):
    """A hard per-document limit where signals work (a worker's main thread); elsewhere none."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def on_alarm(signum, frame):
        raise DocumentError(ErrorType.TIMEOUT, f"gave up after {seconds:.0f} s")
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def row_id(doc_id: str, table: str, n: int, key: str) -> str:
    """Ids derive from content and position, so a re-run writes the same ids."""
    return hashlib.sha1(f"{doc_id}|{table}|{n}|{key}".encode()).hexdigest()[:16]


def tables_of(doc_id: str, row_lists: list[list]) -> dict[str, list]:
    """Rows into their tables by row type (models/schema.py says which table a row type fills), each
    row with its row_id from the table's declared row_key and its position in the table."""
    tables: dict[str, list] = {name: [] for name in EXTRACTED_TABLES}
    for rows in row_lists:
        for r in rows:
            tables[TABLE_OF_ROW[type(r)]].append(r)
    for name, rows in tables.items():
        key = TABLES[name].row_key
        for n, r in enumerate(rows):
            r.row_id = row_id(doc_id, name, n, getattr(r, key) or "")
    return tables


class _Clock:
    """Seconds spent per stage, so the benchmark can say where time goes."""

    def __init__(self, timings: dict[str, float]):
        self.timings = timings

    @contextlib.contextmanager
    def __call__(self, stage: str):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - t0


def extract_all(doc, settings: Settings, nlp=None,
                timings: dict[str, float] | None = None) -> tuple[DocumentRow, dict[str, list]]:
    """All extractors over one document that was read."""
    clock = _Clock(timings if timings is not None else {})
    with clock("structure"):
        structure = find_structure(doc)
    with clock("metadata"):
        meeting = extract_meeting(doc, structure)
    ref = meeting_date(meeting)
    if meeting.doc_type == "esityslista" and looks_decided(structure):
        meeting.doc_type = "poytakirja"
    with clock("decisions"):
        decisions = extract_decisions(doc, structure, meeting.doc_type, ref)
    if not meeting.doc_type:
        meeting.doc_type = doc_type_from_content(structure, sum(d.stage == "decision" for d in decisions))
    default_year = None
    if ref is None:
        full = first_full_date("\n".join(getattr(u, "text", "") for u in structure.units))
        default_year = full.year if full else None
    with clock("dates"):
        dates, periods = extract_dates(doc.doc_id, structure, ref, default_year)
    with clock("attendance"):
        attendance = extract_attendance(doc, structure, meeting.doc_type)
    with clock("agenda"):
        items, sub_items = extract_agenda_items(doc.doc_id, structure), extract_sub_items(doc.doc_id, structure)
        disqualifications = extract_disqualifications(doc.doc_id, structure)
    with clock("ner"):
        entities = extract_entities(doc.doc_id, structure, nlp) if (settings.entities and nlp is not None) else []
    tables = tables_of(doc.doc_id, [attendance, items, sub_items, decisions, dates, periods, disqualifications,
                                    entities])
    document = DocumentRow(
        doc_id=doc.doc_id, source=doc.source, file_name=doc.file_name, format=doc.format,
        doc_type=meeting.doc_type, organ=meeting.organ, meeting_number=meeting.number,
        meeting_date=meeting.date, start_time=meeting.start_time, end_time=meeting.end_time,
        actual_start=meeting.actual_start, actual_end=meeting.actual_end, place=meeting.place,
        title=meeting.title or doc.title, pages=doc.pages, status=DocStatus.OK.value, ocr=doc.ocr,
        pipeline_version=PIPELINE_VERSION, settings=settings.fingerprint(), schema_version=SCHEMA_VERSION,
        processed_at=_now())
    return document, tables


def error_result(path: Path, doc_id: str, error_type: ErrorType, message: str,
                 settings: Settings | None = None) -> DocumentResult:
    source, name, message = readable(path), readable(path.name), readable(message)
    document = DocumentRow(doc_id=doc_id, source=source, file_name=name,
                           format=path.suffix.lower().lstrip("."), status=DocStatus.ERROR.value,
                           error_type=error_type.value, error=message, pipeline_version=PIPELINE_VERSION,
                           settings=(settings or Settings()).fingerprint(), schema_version=SCHEMA_VERSION,
                           processed_at=_now())
    err = ErrorRow(source=source, file_name=name, error_type=error_type.value, message=message,
                   doc_id=doc_id, at=document.processed_at)
    return DocumentResult(document=document, error=err)


def error_doc_id(path: Path) -> str:
    """A stable id for a file that could not be read: its content hash when it has bytes, else its path."""
    try:
        if path.is_file() and path.stat().st_size > 0:   # every empty file has the same hash
            return sha256_file(path)
    except OSError:
        pass
    return "path:" + hashlib.sha256(os.fsencode(path)).hexdigest()


def process_document(path: str | Path, settings: Settings | None = None, nlp=None,
                     doc_id: str | None = None, source: str | None = None) -> DocumentResult:
    """Never raises for a bad document: failures come back as an error result with a clear message.
    `source` names where the file came from (a URL) when `path` is an archived copy."""
    result = _process(Path(path), settings or Settings(), nlp, doc_id)
    return stamp_source(result, source) if source else result


def stamp_source(result: DocumentResult, source: str) -> DocumentResult:
    """Record where the content came from (a URL, an inbox path); results themselves depend only
    on the bytes, so cached results can be reused for another source."""
    source = readable(source)
    name = Path(urlparse(source).path).name or result.document.file_name
    result.document.source, result.document.file_name = source, name
    if result.error is not None:
        result.error.source, result.error.file_name = source, name
    return result


def _process(path: Path, settings: Settings, nlp, doc_id: str | None) -> DocumentResult:
    timings: dict[str, float] = {}
    try:
        with time_limit(settings.timeout_seconds):
            t0 = time.perf_counter()
            doc = read_document(path, settings, doc_id=doc_id)
            timings["ingest"] = time.perf_counter() - t0
            document, tables = extract_all(doc, settings, nlp, timings)
        return DocumentResult(document=document, tables=tables, timings=timings)
    except DocumentError as e:
        log.warning("%s: %s (%s)", path, e.message, e.error_type.value)
        return error_result(path, doc_id or error_doc_id(path), e.error_type, e.message, settings)
    except MemoryError:
        log.error("%s: out of memory", path)
        return error_result(path, doc_id or error_doc_id(path), ErrorType.TOO_LARGE,
                            f"{path.name} needs more memory than is available: raise the limits only if you trust it",
                            settings)
    except RecursionError as e:
        return error_result(path, doc_id or error_doc_id(path), ErrorType.CORRUPT,
                            f"{path.name} is nested too deeply to parse ({e}): export it again", settings)
    except Exception as e:  # a bug of ours: keep the batch going, say so clearly
        log.error("%s: internal error\n%s", path, traceback.format_exc())
        return error_result(path, doc_id or error_doc_id(path), ErrorType.INTERNAL,
                            f"internal error {type(e).__name__}: {str(e)[:300]}: this is a bug in minutes; "
                            f"please report it with the file", settings)


