"""The one exception a document may fail with: an error type from a fixed set and a message
that tells a person what to do."""
from __future__ import annotations

from models.enums import ErrorType

ADVICE = {
    ErrorType.NOT_FOUND: "check the path",
    ErrorType.PERMISSION: "give the user running minutes read access",
    ErrorType.EMPTY: "the file has no content; download it again",
    ErrorType.UNSUPPORTED: "only PDF and DOCX are read; convert the file to one of them",
    ErrorType.CORRUPT: "the file is damaged or truncated; download or export it again",
    ErrorType.ENCRYPTED: "remove the password and run again",
    ErrorType.TOO_LARGE: "raise the limit (see `minutes run --help`) if you trust the file",
    ErrorType.TIMEOUT: "raise --timeout if the document is really this heavy",
    ErrorType.NO_TEXT: "the pages are images (a scan); run with --ocr to read them",
    ErrorType.INTERNAL: "this is a bug in minutes; please report it with the file",
}


class DocumentError(Exception):
    """A document could not be processed; becomes an `errors` row, never stops a batch."""

    def __init__(self, error_type: ErrorType, detail: str):
        self.error_type = ErrorType(error_type)
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.detail}: {ADVICE[self.error_type]}"

    def __reduce__(self):  # picklable across worker processes
        return (DocumentError, (self.error_type, self.detail))
