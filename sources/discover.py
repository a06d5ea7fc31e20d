"""Which files a run covers: documents under folders, explicit files whatever their name."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DOCUMENT_SUFFIXES = (".pdf", ".docx")


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)   # (path, why): not documents, hidden files
    unreadable: list[Path] = field(default_factory=list)  # folders that could not be listed (permissions)


def skip_reasons(skipped: list[tuple[Path, str]]) -> dict[str, int]:
    """How many files were skipped for each reason, most common first."""
    counts: dict[str, int] = {}
    for _, why in skipped:
        counts[why] = counts.get(why, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


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
            for root, dirs, names in os.walk(p, onerror=lambda e: out.unreadable.append(Path(e.filename))):
                dirs.sort()
                for d in dirs:
                    if d.lower().endswith(DOCUMENT_SUFFIXES):
                        out.skipped.append((Path(root) / d, "folder named like a document"))
                for name in sorted(names):
                    f = Path(root) / name
                    if name.startswith((".", "~$")):
                        out.skipped.append((f, "hidden or Word lock file"))
                    elif name.lower().endswith(DOCUMENT_SUFFIXES):
                        add(f)
                    else:
                        out.skipped.append((f, f"{f.suffix.lower() or 'no extension'} file"))
        else:
            add(p)
    return out
