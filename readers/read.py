"""read_document(path) -> Document: one PDF or DOCX, whatever its extension says, into one model;
the checks that refuse what is no readable document before any parser sees it."""
from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from models.document import Document
from models.enums import ErrorType
from models.errors import DocumentError
from models.settings import Settings
from readers.docx_reader import read_docx
from readers.pdf import read_pdf

SUPPORTED_SUFFIXES = (".pdf", ".docx")


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def sniff(head: bytes) -> str:
    """The real type by magic bytes: 'pdf', 'zip', 'html', 'ole' (legacy .doc) or 'unknown'."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    low = head[:512].lstrip().lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        return "html"
    return "unknown"


def check_file(path: Path, settings: Settings) -> tuple[str, int]:
    """Refuse what cannot be a readable document before any parser sees it; return (kind, size)."""
    try:
        return _check_file(path, settings)
    except PermissionError as e:
        raise DocumentError(ErrorType.PERMISSION, f"{path.name} cannot be read: permission denied") from e


def _check_file(path: Path, settings: Settings) -> tuple[str, int]:
    if path.is_symlink() and not path.exists():
        raise DocumentError(ErrorType.NOT_FOUND, f"{path.name} is a link to a file that does not exist")
    if not path.exists():
        raise DocumentError(ErrorType.NOT_FOUND, f"{path} does not exist")
    if not path.is_file():
        raise DocumentError(ErrorType.UNSUPPORTED, f"{path.name} is not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(ErrorType.EMPTY, f"{path.name} is empty (0 bytes)")
    if size > settings.max_file_bytes:
        raise DocumentError(ErrorType.TOO_LARGE,
                            f"{path.name} is {size / 1e6:.0f} MB, over the {settings.max_file_bytes / 1e6:.0f} MB limit")
    with open(path, "rb") as f:
        head = f.read(2048)
    kind = sniff(head)
    if kind == "zip":
        kind = _zip_kind(path)
        if kind == "broken":
            raise DocumentError(ErrorType.CORRUPT, f"{path.name} is a damaged or truncated zip/DOCX")
    if kind == "pdf" or kind == "docx":
        return kind, size
    what = {"html": "an HTML/XML page", "ole": "a legacy Word/Excel (.doc/.xls) file",
            "zip": "a zip archive that is not a Word document"}.get(kind, "not a PDF or DOCX")
    etype = ErrorType.UNSUPPORTED
    if kind == "unknown" and path.suffix.lower() in SUPPORTED_SUFFIXES:
        etype = ErrorType.CORRUPT  # named as a document but the bytes are not one
        what = f"not a valid {path.suffix.lower()[1:].upper()} (unrecognised content)"
    raise DocumentError(etype, f"{path.name} is {what}")


def _zip_kind(path: Path) -> str:
    """'docx', 'zip' (a readable zip that is not Word) or 'broken' (not readable as a zip)."""
    try:
        with zipfile.ZipFile(path) as z:
            return "docx" if "word/document.xml" in z.namelist() else "zip"
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return "broken"


def read_document(path: str | Path, settings: Settings | None = None, doc_id: str | None = None) -> Document:
    """Read one file into the document model; raises DocumentError with a clear message."""
    settings = settings or Settings()
    path = Path(path)
    kind, _ = check_file(path, settings)
    doc_id = doc_id or sha256_file(path)
    if kind == "pdf":
        doc = read_pdf(path, doc_id, settings)
    else:
        doc = read_docx(path, doc_id, settings)
    if not any(getattr(b, "text", "").strip() or getattr(b, "rows", None) for b in doc.blocks):
        raise DocumentError(ErrorType.EMPTY, f"{path.name} has no text in its body")
    return doc
