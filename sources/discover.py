"""Which files a run covers: documents under folders, explicit files whatever their name."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DOCUMENT_SUFFIXES = (".pdf", ".docx")


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)     # not documents (.txt, .xlsx, folders named x.pdf)


def discover(paths: list[str | Path]) -> Discovery:
    """Folders are walked (sorted, links to folders not followed); explicit paths are kept as
    given so a missing or odd file becomes an error row rather than vanishing."""
    out = Discovery()
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = str(p)
        if key not in seen:
            seen.add(key)
            out.files.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, names in os.walk(p):
                dirs.sort()
                for d in dirs:
                    if d.lower().endswith(DOCUMENT_SUFFIXES):
                        out.skipped.append(Path(root) / d)
                for name in sorted(names):
                    f = Path(root) / name
                    if name.startswith((".", "~$")):
                        continue                    # hidden files and Word lock files
                    if name.lower().endswith(DOCUMENT_SUFFIXES):
                        add(f)
                    else:
                        out.skipped.append(f)
        else:
            add(p)
    return out
