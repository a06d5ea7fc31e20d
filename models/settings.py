"""Tuning values and limits in one validated settings object."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    max_file_bytes: int = 200 * MB          # larger files are refused (too_large)
    max_pages: int = 2000
    max_docx_uncompressed: int = 500 * MB   # total size of a DOCX's parts once unzipped
    max_docx_ratio: float = 200.0           # compression ratio above which a zip is a bomb
    timeout_seconds: float = 300.0          # per document, then it is given up (timeout)
    max_memory_mb: int = 6144               # address-space cap of a worker process (0: none)
    ocr: bool = True                        # read image-only pages with tesseract (a no_text row where it is missing)
    ocr_lang: str = "fin"
    ocr_dpi: int = 300
    entities: bool = True                   # run spaCy NER
    pdfium: bool = True                     # PDF text via pdfium (fast); False: pdfminer for every page

    def __post_init__(self):
        for name in ("max_file_bytes", "max_pages", "max_docx_uncompressed"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.max_docx_ratio <= 1 or self.timeout_seconds <= 0:
            raise ValueError("max_docx_ratio must be > 1 and timeout_seconds > 0")

    def fingerprint(self) -> str:
        """Part of cache keys: a change of settings that changes output re-processes documents."""
        relevant = {k: v for k, v in asdict(self).items() if k in ("ocr", "ocr_lang", "entities", "pdfium")}
        return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:12]
