"""An abstract meeting document that both renderers (DOCX, PDF) draw from, plus its gold.

Text in blocks may carry docgen's inline markup (samples/docgen.py): ``**`` toggles bold and
``[[printed|ISO]]`` is a date mention whose ISO part becomes gold. Gold dates are therefore
collected from exactly the strings that are printed, and `Spec.finish()` sweeps every printed
string for a date-like token without annotation: such a token is a generator bug.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "samples"))
from docgen import (ANNOT_RE, DAYMONTH_RE, ISO_RE, MONTHNAME_RE, TOKEN_RE,  # noqa: E402
                    GoldError, check_annotation, parse_spec, plain)

__all__ = ["Para", "Table", "NumList", "PageBreak", "Signature", "Spec", "GoldError", "plain", "ann"]


@dataclass
class Para:
    text: str
    bold: bool = False
    size: float = 0.0            # points added to the body size (headings: +2..+5)
    indent: float = 0.0          # cm
    before: float = 0.0          # space before, pt
    heading: int = 0             # 1..3: a Word heading style in DOCX, a bigger bold line in PDF


Cell = Union[str, list, "Table"]   # a string, a list of strings (one paragraph each) or a nested table


@dataclass
class Table:
    rows: list[list[Cell]]
    widths: list[float]          # cm
    header_rows: int = 0         # bold, and repeated on every page the table spans
    borders: bool = False
    bold_cols: tuple = ()
    size: float = 0.0


@dataclass
class NumList:
    items: list[str]
    style: str = "bullet"        # bullet | arrow | auto (Word numbering: the number is not in the text)
    start: int = 1
    fmt: str = "{n}."            # label for auto lists
    bold: bool = False
    indent: float = 0.63


@dataclass
class PageBreak:
    pass


@dataclass
class Signature:
    """Two signers side by side: names on one line, roles under them."""
    names: tuple[str, str]
    roles: tuple[str, str]


Block = Union[Para, Table, NumList, PageBreak, Signature]




def ann(printed: str, iso: str) -> str:
    """Marks up a printed date mention with its gold (ISO date, optional ' HH:MM-HH:MM')."""
    return f"[[{printed}|{iso}]]"


@dataclass
class Spec:
    stem: str
    family: str
    doc_type: str                # poytakirja | muistio | esityslista
    ref: dt.date                 # the meeting date (year-less dates are read against it)
    blocks: list[Block] = field(default_factory=list)
    header: list[list[str]] = field(default_factory=list)   # running header rows of cells; {PAGE} {NUMPAGES}
    footer: list[str] = field(default_factory=list)
    font: str = "DejaVu Sans"
    size: float = 10.0
    margins: tuple = (2.0, 2.0, 2.0, 2.5)                    # top, right, bottom, left (cm)
    meeting: dict = field(default_factory=dict)
    attendance: list[dict] = field(default_factory=list)
    agenda_items: list[dict] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)
    axes: dict = field(default_factory=dict)

    # ------------------------------------------------------------------ building
    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def p(self, text: str, **kw) -> None:
        self.blocks.append(Para(text, **kw))

    def item(self, no: str, title: str, optional: bool = False) -> None:
        row = {"item_no": str(no), "title": plain(title).strip()}
        if optional:
            row["optional"] = True
        self.agenda_items.append(row)

    def decision(self, no: str, text: str, optional: bool = False) -> None:
        row = {"item_no": str(no), "text": plain(text).strip()}
        if optional:
            row["optional"] = True
        self.decisions.append(row)

    def person(self, first: str, last: str, status: str = "present", role: str = "",
               meeting_role: str = "", optional: bool = False) -> None:
        name = f"{first} {last}"
        if any(r["person"] == name for r in self.attendance):
            raise GoldError(f"{self.stem}: {name} twice in attendance")
        row = {"person": name, "status": status}
        if role:
            row["role"] = role
        if meeting_role:
            row["meeting_role"] = meeting_role
        if optional:
            row["optional"] = True
        self.attendance.append(row)

    # ------------------------------------------------------------------ text and gold
    def texts(self) -> list[str]:
        """Every marked-up string the renderers print, in order."""
        out = [c for row in self.header for c in row] + list(self.footer)

        def cell(c):
            if isinstance(c, Table):
                for r in c.rows:
                    for x in r:
                        cell(x)
            elif isinstance(c, list):
                out.extend(c)
            elif c:
                out.append(c)
        for b in self.blocks:
            if isinstance(b, Para):
                out.append(b.text)
            elif isinstance(b, Table):
                cell(b)
            elif isinstance(b, NumList):
                out.extend(b.items)
            elif isinstance(b, Signature):
                out.extend(b.names + b.roles)
        return out

    def plain_text(self) -> str:
        return "\n".join(plain(t.replace("{PAGE}", "1").replace("{NUMPAGES}", "1")) for t in self.texts())

    def _dates(self) -> list[dict]:
        rows: dict[str, dict] = {}
        problems = []
        for text in self.texts():
            masked = []
            for tok in TOKEN_RE.split(text):
                m = ANNOT_RE.match(tok)
                if not m:
                    if "[[" in tok or "]]" in tok:
                        raise GoldError(f"{self.stem}: broken markup in {text!r}")
                    masked.append(tok.replace("**", ""))
                    continue
                masked.append("\u2042")
                shown = m.group(1)
                specs = parse_spec(m.group(2))
                form = shown.replace("kello", "klo")
                if "klo" not in form and re.search(r"\d{4},?\s+\d{1,2}\.\d{2}$", form):
                    form += " klo"      # '07.10.2019 10.45': a bare time after the date (CloudNC), still a time
                check_annotation(form, specs, self.ref)
                for r in specs:
                    old = rows.setdefault(r["date"], {"date": r["date"]})
                    for k in ("time_start", "time_end"):
                        if r.get(k):
                            if old.get(k) and old[k] != r[k]:
                                raise GoldError(f"{self.stem}: {r['date']} {k} {old[k]} vs {r[k]}")
                            old[k] = r[k]
            line = "".join(masked)
            for m in DAYMONTH_RE.finditer(line):
                before = line[max(0, m.start() - 16):m.start()].lower()
                if "klo" in before or "kello" in before:
                    continue
                if 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12:
                    problems.append(m.group(0))
            problems += [m.group(0) for m in MONTHNAME_RE.finditer(line)]
            problems += [m.group(0) for m in ISO_RE.finditer(line)]
        if problems:
            raise GoldError(f"{self.stem}: unannotated dates {problems}")
        return list(rows.values())

    def finish(self) -> dict:
        """The gold JSON (devset format); raises GoldError on an unannotated date."""
        return {"document": self.stem, "doc_type": self.doc_type, "family": self.family,
                "axes": self.axes, "meeting": {k: plain(v) for k, v in self.meeting.items() if v},
                "attendance": self.attendance, "agenda_items": self.agenda_items,
                "decisions": self.decisions, "dates": self._dates()}
