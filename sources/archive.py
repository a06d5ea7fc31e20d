"""The store's archive: every fetched or inbox file kept once, as <doc_id>.<ext>."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from readers.read import sha256_file

ARCHIVE_DIR = "archive"         # under the store's folder


def archive_file(tmp: Path, archive_dir: Path, kind: str) -> tuple[str, Path]:
    """Keep a fetched or inbox file as <doc_id>.<ext>, written atomically (rename in one folder)."""
    doc_id = sha256_file(tmp)
    archive_dir.mkdir(parents=True, exist_ok=True)
    final = archive_dir / f"{doc_id}.{kind}"
    if final.exists():
        if tmp.parent == archive_dir:
            tmp.unlink(missing_ok=True)
        return doc_id, final
    if tmp.parent != archive_dir:
        fd, staged = tempfile.mkstemp(prefix=".archive-", dir=archive_dir)
        os.close(fd)
        with open(tmp, "rb") as src, open(staged, "wb") as dst:
            while block := src.read(1 << 20):
                dst.write(block)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(staged, final)
    else:
        os.replace(tmp, final)
    return doc_id, final
