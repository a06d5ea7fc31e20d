"""Shared helpers for the sample corpus (samples/) and the test fixtures (tests/fixtures/).

A `Doc` wraps a python-docx Document and records gold while it renders, so each gold JSON is
derived from the very strings the document is written from:

* text given to any `Doc` method may carry inline markup:
  ``**bold**`` toggles bold, and ``[[16.4 klo 8-10|2018-04-16 08:00-10:00]]`` is a date mention:
  the part before ``|`` is printed, the part after it is the gold (``;`` separates several dates,
  e.g. a range ``[[13.–14.3.2017|2017-03-13;2017-03-14]]``; times are ``HH:MM``, ``HH:MM-HH:MM``
  or ``HH:MM-``);
* each annotation is checked against its printed form (day, month, year; a year-less date must
  be the occurrence nearest the reference date, i.e. the meeting date);
* after rendering, the whole text (body, tables, page headers) is swept for date-like strings
  that carry no annotation, so a date cannot be printed without being in gold;
* `item()`, `decision()`, `person()` and `meeting()` add gold rows from the same values the
  caller renders.

Gold conventions (see /work/shared/devset/README.md for the format):
* `dates` holds one row per calendar day mentioned (first mention's order; the time comes from the
  mention that has one). Month-only or week references ("6/2020", "viikolla 12", "keväällä 2019")
  are not day dates and are not in gold, as in the devset gold. Clock times without a date
  ("avasi kokouksen klo 9.05") are not in `dates` either.
* a PDF and a DOCX of one document share one gold file (gold is matched by file stem).

Output is deterministic: DOCX zip entries get a fixed timestamp and fixed core properties, and
the PDF's creation date, /ID and /DocChecksum are rewritten in place (same length) from a hash.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

__all__ = ["Doc", "plain", "convert_to_pdf", "check_pdfs", "Cm", "Pt", "WD_ALIGN_PARAGRAPH"]

TOKEN_RE = re.compile(r"(\[\[[^\]]+?\|[^\]]+?\]\]|\*\*)")
ANNOT_RE = re.compile(r"^\[\[([^\]]+?)\|([^\]]+?)\]\]$")
MONTHS = {
    "tammikuuta": 1, "helmikuuta": 2, "maaliskuuta": 3, "huhtikuuta": 4, "toukokuuta": 5,
    "kesäkuuta": 6, "heinäkuuta": 7, "elokuuta": 8, "syyskuuta": 9, "lokakuuta": 10,
    "marraskuuta": 11, "joulukuuta": 12,
}
MASK = "\u2042"  # stands in for an annotated date during the sweep
# a day.month(.year) the sweep insists on seeing annotated
DAYMONTH_RE = re.compile(r"(?<![\d/.,:])(\d{1,2})\.\s?(\d{1,2})\.?(\d{4})?(?![\d/])")
MONTHNAME_RE = re.compile(r"\b\d{1,2}\.\s*(?:" + "|".join(m[:-5] for m in MONTHS) + r")kuuta", re.I)
ISO_RE = re.compile(r"\b(19|20)\d{2}-\d{2}-\d{2}\b")
# mentions that are deliberately not day dates (reported, never gold)
VAGUE_RE = re.compile(r"(?<![\d/.–-])\b(?:\d{1,2}/\d{4}(?:\s*[–-]\s*\d{1,2}/\d{4})?|viikoll?a \d{1,2}|vko \d{1,2})\b", re.I)

FIXED_STAMP = (1980, 1, 1, 0, 0, 0)


def plain(text: str) -> str:
    """The printed form of marked-up text."""
    out = []
    for tok in TOKEN_RE.split(text):
        if tok == "**":
            continue
        m = ANNOT_RE.match(tok)
        out.append(m.group(1) if m else tok)
    return "".join(out)


class GoldError(AssertionError):
    pass


def _parse_time(s: str) -> tuple[str, str]:
    s = s.strip()
    m = re.fullmatch(r"(\d{2}:\d{2})(?:-(\d{2}:\d{2})?)?", s)
    if not m:
        raise GoldError(f"bad time spec {s!r}")
    return m.group(1), m.group(2) or ""


def parse_spec(spec: str) -> list[dict]:
    out = []
    for part in spec.split(";"):
        part = part.strip()
        if " " in part:
            d, t = part.split(" ", 1)
            ts, te = _parse_time(t)
        else:
            d, ts, te = part, "", ""
        dt.date.fromisoformat(d)  # validates
        row = {"date": d}
        if ts:
            row["time_start"] = ts
        if te:
            row["time_end"] = te
        out.append(row)
    return out


def nearest(day: int, month: int, ref: dt.date) -> dt.date:
    cands = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cands.append(dt.date(y, month, day))
        except ValueError:
            pass
    return min(cands, key=lambda d: abs((d - ref).days))


def check_annotation(display: str, rows: list[dict], ref: dt.date | None) -> None:
    """The printed form must carry the annotated day, month and (or the nearest) year."""
    low = display.lower()
    has_year = re.search(r"(?<!\d)(?:19|20)\d{2}(?!\d)", display)
    for r in rows:
        d = dt.date.fromisoformat(r["date"])
        if not re.search(rf"(?<!\d)0?{d.day}(?!\d)", display):
            raise GoldError(f"{display!r}: day of {d} not printed")
        month_ok = re.search(rf"(?<![\d])0?{d.month}(?!\d)", display) or any(
            n in low and v == d.month for n, v in MONTHS.items())
        if not month_ok:
            raise GoldError(f"{display!r}: month of {d} not printed")
        if has_year:
            if str(d.year) not in display:
                raise GoldError(f"{display!r}: year of {d} not printed")
        else:
            if ref is None:
                raise GoldError(f"{display!r}: year-less date needs a reference date")
            n = nearest(d.day, d.month, ref)
            if n != d:
                raise GoldError(f"{display!r}: nearest occurrence to {ref} is {n}, gold says {d}")
            dist = abs((d - ref).days)
            alts = []
            for y in (d.year - 1, d.year + 1):
                try:
                    alts.append(abs((dt.date(y, d.month, d.day) - ref).days))
                except ValueError:
                    pass
            if min(alts) - dist < 20:
                raise GoldError(f"{display!r}: year inference for {d} is too close to call")
        for key in ("time_start", "time_end"):
            if r.get(key):
                hh = int(r[key][:2])
                if not re.search(rf"(?<!\d)0?{hh}(?:[.:]{r[key][3:]})?(?!\d)", display):
                    raise GoldError(f"{display!r}: {key} {r[key]} not printed")
                if "klo" not in low and ":" not in display:
                    raise GoldError(f"{display!r}: a time without 'klo'")


def _set_rfonts(rpr, name: str) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for att in list(rfonts.attrib):
        if att.endswith("Theme"):
            del rfonts.attrib[att]
    for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(a), name)


def _insert_in_order(parent, child, successors: tuple[str, ...]) -> None:
    for s in successors:
        el = parent.find(qn(s))
        if el is not None:
            el.addprevious(child)
            return
    parent.append(child)


class Doc:
    """A Word document being written, plus its gold."""

    def __init__(self, stem: str, doc_type: str, ref_date: str | None, *, font: str = "Calibri",
                 size: float = 11, landscape: bool = False, author: str = "",
                 margins_cm=(2.5, 2.0, 2.0, 2.5), heading_color: str | None = None, slim: bool = False):
        self.stem = stem
        self.slim = slim
        self.ref = dt.date.fromisoformat(ref_date) if ref_date else None
        self.d = Document()
        self.font = font
        self._strip_extras()
        self.author = author
        self.created = dt.datetime.combine(self.ref or dt.date(2019, 1, 1), dt.time(8, 0))
        sec = self.d.sections[0]
        if landscape:
            sec.orientation = WD_ORIENT.LANDSCAPE
            sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
        else:
            sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
        sec.top_margin, sec.right_margin, sec.bottom_margin, sec.left_margin = (Cm(m) for m in margins_cm)
        sec.header_distance = Cm(1.0)
        self.text_width = Emu(sec.page_width - sec.left_margin - sec.right_margin)
        st = self.d.styles
        normal = st["Normal"]
        normal.font.size = Pt(size)
        _set_rfonts(normal.element.get_or_add_rPr(), font)
        normal.paragraph_format.space_after = Pt(4)
        for name in ("Heading 1", "Heading 2", "Heading 3", "Title", "Header", "Footer",
                     "List Bullet", "List Bullet 2", "List Paragraph"):
            s = st[name]
            _set_rfonts(s.element.get_or_add_rPr(), font)
            if heading_color is not None and name.startswith(("Heading", "Title")):
                s.font.color.rgb = RGBColor.from_string(heading_color)
        st["Header"].paragraph_format.tab_stops.clear_all()  # header() sets its own stops
        st["Heading 1"].font.size = Pt(size + 5)
        st["Heading 2"].font.size = Pt(size + 2)
        st["Heading 3"].font.size = Pt(size + 1)
        self.gold = {"document": stem, "doc_type": doc_type, "meeting": {}, "attendance": [],
                     "agenda_items": [], "decisions": [], "dates": []}
        self._dates: dict[str, dict] = {}
        self._masked: list[str] = []
        self._plain: list[str] = []
        self._next_num = 90
        self.header_text: list[str] = []

    # ------------------------------------------------------------------ internals
    def _slim_styles(self) -> None:
        """Keeps only the styles in use (and what they are based on); drops latent styles (~10 kB)."""
        styles = self.d.styles.element
        parts = [self.d.element] + [s.header._element for s in self.d.sections]
        used = set()
        for part in parts:
            for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
                used |= {el.get(qn("w:val")) for el in part.iter(qn(tag))}
        by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
        used |= {sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1"}
        todo = list(used)
        while todo:
            s = by_id.get(todo.pop())
            if s is None:
                continue
            for tag in ("w:basedOn", "w:link", "w:next"):
                el = s.find(qn(tag))
                if el is not None and el.get(qn("w:val")) not in used:
                    used.add(el.get(qn("w:val")))
                    todo.append(el.get(qn("w:val")))
        for sid, s in by_id.items():
            if sid not in used:
                styles.remove(s)
        latent = styles.find(qn("w:latentStyles"))
        if latent is not None:
            styles.remove(latent)

    def _strip_extras(self) -> None:
        """Drop the template's stylesWithEffects part and thumbnail (about 15 kB) from the package."""
        for rid, rel in list(self.d.part.rels.items()):
            if rel.reltype.endswith("/stylesWithEffects"):
                self.d.part.rels.pop(rid)
        pkg = self.d.part.package
        for rid, rel in list(pkg.rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                pkg.rels.pop(rid)

    def plain(self, text: str) -> str:
        """The printed form of marked-up text (no gold side effects)."""
        return plain(text)

    def _record_dates(self, display: str, spec: str) -> None:
        rows = parse_spec(spec)
        check_annotation(display, rows, self.ref)
        for r in rows:
            old = self._dates.get(r["date"])
            if old is None:
                self._dates[r["date"]] = dict(r)
                continue
            for k in ("time_start", "time_end"):
                if r.get(k):
                    if old.get(k) and old[k] != r[k]:
                        raise GoldError(f"{r['date']}: conflicting {k} {old[k]} vs {r[k]}")
                    old[k] = r[k]

    def _fill(self, par, text: str, *, bold: bool = False, italic: bool = False,
              size: float | None = None, font: str | None = None, color: str | None = None):
        """Write marked-up text as runs into a paragraph; records dates and sweep text."""
        b = bold
        masked, plain = [], []
        for tok in TOKEN_RE.split(text):
            if not tok:
                continue
            if tok == "**":
                b = not b
                continue
            m = ANNOT_RE.match(tok)
            shown = tok
            if m:
                shown = m.group(1)
                self._record_dates(shown, m.group(2))
                masked.append(MASK)
            else:
                if "[[" in tok or "]]" in tok or "|" in tok:
                    raise GoldError(f"broken markup in {text!r}")
                masked.append(tok)
            plain.append(shown)
            run = par.add_run(shown)
            run.bold = b or None
            if italic:
                run.italic = True
            if size:
                run.font.size = Pt(size)
            if font:
                run.font.name = font
            if color:
                run.font.color.rgb = RGBColor.from_string(color)
        if b != bold:
            raise GoldError(f"unbalanced ** in {text!r}")
        self._masked.append("".join(masked))
        self._plain.append("".join(plain))
        return par

    # ------------------------------------------------------------------ blocks
    def p(self, text: str = "", *, style: str | None = None, bold: bool = False, italic: bool = False,
          align=None, size: float | None = None, indent_cm: float | None = None,
          first_line_cm: float | None = None, before: float | None = None, after: float | None = None,
          keep_next: bool = False, color: str | None = None, tabs=(), container=None):
        target = container if container is not None else self.d
        par = target.add_paragraph(style=style) if style else target.add_paragraph()
        pf = par.paragraph_format
        if align is not None:
            pf.alignment = align
        if indent_cm is not None:
            pf.left_indent = Cm(indent_cm)
        if first_line_cm is not None:
            pf.first_line_indent = Cm(first_line_cm)
        if before is not None:
            pf.space_before = Pt(before)
        if after is not None:
            pf.space_after = Pt(after)
        if keep_next:
            pf.keep_with_next = True
        for pos, kind, *leader in tabs:
            pf.tab_stops.add_tab_stop(Cm(pos), kind, *(leader or []))
        return self._fill(par, text, bold=bold, italic=italic, size=size, color=color)

    def heading(self, text: str, level: int = 1, **kw):
        return self.p(text, style=f"Heading {level}", keep_next=True, **kw)

    def bullet(self, text: str, level: int = 1, **kw):
        return self.p(text, style="List Bullet" if level == 1 else f"List Bullet {level}", **kw)

    def page_break(self):
        self.d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def blank(self, n: int = 1):
        for _ in range(n):
            self.d.add_paragraph()

    def header(self, lines: list[str], *, tabs=None, page_field: str | None = None, size: float | None = None,
               border: bool = True):
        """Page header lines; `tabs` are (cm, WD_TAB_ALIGNMENT) pairs; in a line, {PAGE} and
        {NUMPAGES} become fields (page_field is a format like 'Sivu {PAGE} ({NUMPAGES})')."""
        hdr = self.d.sections[0].header
        hdr.is_linked_to_previous = False
        first = True
        for line in lines:
            par = hdr.paragraphs[0] if first else hdr.add_paragraph()
            first = False
            par.style = self.d.styles["Header"]
            pf = par.paragraph_format
            pf.tab_stops.clear_all()
            for pos, kind in (tabs or [(self.text_width.cm / 2, WD_TAB_ALIGNMENT.CENTER),
                                       (self.text_width.cm, WD_TAB_ALIGNMENT.RIGHT)]):
                pf.tab_stops.add_tab_stop(Cm(pos), kind)
            parts = re.split(r"(\{PAGE\}|\{NUMPAGES\})", line)
            masked_before = len(self._masked)
            for part in parts:
                if part in ("{PAGE}", "{NUMPAGES}"):
                    self._field(par, part[1:-1], size)
                elif part:
                    self._fill(par, part, size=size)
            # join the header line's pieces into one sweep entry
            joined = "".join(self._masked[masked_before:])
            del self._masked[masked_before:]
            self._masked.append(joined)
            self.header_text.append(self.plain(line))
        if border:
            par = hdr.paragraphs[-1]
            ppr = par._p.get_or_add_pPr()
            pbdr = OxmlElement("w:pBdr")
            bottom = OxmlElement("w:bottom")
            for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "auto")):
                bottom.set(qn(k), v)
            pbdr.append(bottom)
            _insert_in_order(ppr, pbdr, ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing",
                                         "w:ind", "w:jc", "w:rPr"))

    @staticmethod
    def _field(par, instr: str, size=None):
        run = par.add_run()
        if size:
            run.font.size = Pt(size)
        for kind, text in (("begin", None), ("instr", f" {instr} "), ("separate", None), ("text", "1"),
                           ("end", None)):
            if kind == "instr":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            elif kind == "text":
                el = OxmlElement("w:t")
                el.text = text
            else:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            run._r.append(el)

    def table(self, rows: list[list], widths_cm: list[float], *, header_rows: int = 0,
              repeat_header: bool = False, borders: bool = True, size: float | None = None,
              bold_cols=(), cell_after: float = 0, align_cols: dict | None = None, cant_split=False,
              container=None):
        """rows: cells are marked-up strings, lists of them (one paragraph each), or None (empty)."""
        target = container if container is not None else self.d
        t = target.add_table(rows=0, cols=len(widths_cm))
        if borders:
            t.style = self.d.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.LEFT
        t.autofit = False
        tblPr = t._tbl.tblPr
        tblPr.get_or_add_tblLayout().set(qn("w:type"), "fixed")
        tblW = tblPr.find(qn("w:tblW"))
        if tblW is None:
            tblW = OxmlElement("w:tblW")
            _insert_in_order(tblPr, tblW, ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                                           "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"))
        tblW.set(qn("w:type"), "dxa")
        tblW.set(qn("w:w"), str(int(sum(widths_cm) * 567)))
        for gc, w in zip(t._tbl.tblGrid.gridCol_lst, widths_cm):
            gc.w = Cm(w)
        for ri, row in enumerate(rows):
            r = t.add_row()
            if ri < header_rows and repeat_header:
                trPr = r._tr.get_or_add_trPr()
                trPr.append(OxmlElement("w:tblHeader"))
            if cant_split:
                trPr = r._tr.get_or_add_trPr()
                _insert_in_order(trPr, OxmlElement("w:cantSplit"), ("w:trHeight", "w:tblHeader"))
            for ci, (cell, w) in enumerate(zip(r.cells, widths_cm)):
                cell.width = Cm(w)
                content = row[ci] if ci < len(row) else None
                paras = [] if content is None else ([content] if isinstance(content, str) else list(content))
                if not paras:
                    paras = [""]
                for pi, text in enumerate(paras):
                    par = cell.paragraphs[0] if pi == 0 else cell.add_paragraph()
                    par.paragraph_format.space_after = Pt(cell_after)
                    if align_cols and ci in align_cols:
                        par.paragraph_format.alignment = align_cols[ci]
                    self._fill(par, text, bold=(ri < header_rows) or (ci in bold_cols), size=size)
        return t

    # automatic numbering -------------------------------------------------------
    def numbering(self, fmt: str = "decimal", text: str = "%1.", left_cm: float = 0.63,
                  hanging_cm: float = 0.63, bold: bool = False, start: int = 1, font: str | None = None) -> int:
        """Adds an abstractNum + num to numbering.xml; returns the numId. `font`: the label's font
        (a Wingdings bullet stores its glyph as a private-use code point)."""
        numbering = self.d.part.numbering_part.element
        nid = self._next_num
        self._next_num += 1
        an = OxmlElement("w:abstractNum")
        an.set(qn("w:abstractNumId"), str(nid))
        mlt = OxmlElement("w:multiLevelType")
        mlt.set(qn("w:val"), "hybridMultilevel")
        an.append(mlt)
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), "0")
        for tag, val in (("w:start", str(start)), ("w:numFmt", fmt), ("w:lvlText", text), ("w:lvlJc", "left")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            lvl.append(el)
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str(int(left_cm * 567)))
        ind.set(qn("w:hanging"), str(int(hanging_cm * 567)))
        ppr.append(ind)
        lvl.append(ppr)
        if bold or font:
            rpr = OxmlElement("w:rPr")
            if font:
                rf = OxmlElement("w:rFonts")
                for a in ("w:ascii", "w:hAnsi"):
                    rf.set(qn(a), font)
                rf.set(qn("w:hint"), "default")
                rpr.append(rf)
            if bold:
                rpr.append(OxmlElement("w:b"))
            lvl.append(rpr)
        an.append(lvl)
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(an)
        else:
            numbering.append(an)
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(nid))
        ani = OxmlElement("w:abstractNumId")
        ani.set(qn("w:val"), str(nid))
        num.append(ani)
        numbering.append(num)
        return nid

    def numbered(self, text: str, num_id: int, *, style: str | None = "List Paragraph", **kw):
        par = self.p(text, style=style, **kw)
        numPr = par._p.get_or_add_pPr().get_or_add_numPr()
        numPr.get_or_add_ilvl().val = 0
        numPr.get_or_add_numId().val = num_id
        return par

    # ------------------------------------------------------------------ gold
    def meeting(self, **kw):
        for k, v in kw.items():
            if v not in (None, ""):
                self.gold["meeting"][k] = self.plain(v)

    def person(self, first: str, last: str, *, role: str | None = None, organisation: str | None = None,
               status: str = "present", meeting_role: str | None = None, optional: bool = False) -> dict:
        row = {"person": f"{first} {last}"}
        if role:
            row["role"] = role
        if organisation:
            row["organisation"] = organisation
        row["status"] = status
        if meeting_role:
            row["meeting_role"] = meeting_role
        if optional:
            row["optional"] = True
        if any(r["person"] == row["person"] for r in self.gold["attendance"]):
            raise GoldError(f"{row['person']} twice in attendance")
        self.gold["attendance"].append(row)
        return row

    def item(self, no: str, title: str, optional: bool = False):
        row = {"item_no": str(no), "title": self.plain(title).strip()}
        if optional:
            row["optional"] = True
        self.gold["agenda_items"].append(row)

    def decision(self, no: str, text, optional: bool = False):
        if isinstance(text, (list, tuple)):
            text = " ".join(self.plain(t).strip() for t in text if t)
        row = {"item_no": str(no), "text": self.plain(text).strip()}
        if optional:
            row["optional"] = True
        self.gold["decisions"].append(row)

    # ------------------------------------------------------------------ output
    def sweep(self) -> list[str]:
        """Fails on a date-like string that has no annotation; returns the vague mentions."""
        problems, vague = [], []
        for line in self._masked:
            for m in DAYMONTH_RE.finditer(line):
                before = line[max(0, m.start() - 16):m.start()].lower()
                if "klo" in before or "kello" in before:
                    continue  # a clock time (klo 9.00 - 11.30)
                day, month = int(m.group(1)), int(m.group(2))
                if not (1 <= day <= 31 and 1 <= month <= 12):
                    continue
                problems.append(f"unannotated date {m.group(0)!r} in {line!r}")
            for m in MONTHNAME_RE.finditer(line):
                problems.append(f"unannotated date {m.group(0)!r} in {line!r}")
            for m in ISO_RE.finditer(line):
                problems.append(f"unannotated date {m.group(0)!r} in {line!r}")
            vague += [m.group(0) for m in VAGUE_RE.finditer(line)]
        if problems:
            raise GoldError(f"{self.stem}: " + "; ".join(problems))
        return vague

    def finish_gold(self) -> dict:
        self.gold["dates"] = list(self._dates.values())
        return self.gold

    def full_text(self) -> str:
        return "\n".join(self._plain)

    def save(self, outdir: Path, gold_dir: Path) -> Path:
        vague = self.sweep()
        gold = self.finish_gold()
        outdir.mkdir(parents=True, exist_ok=True)
        gold_dir.mkdir(parents=True, exist_ok=True)
        cp = self.d.core_properties
        cp.author = self.author
        cp.last_modified_by = self.author
        cp.created = self.created
        cp.modified = self.created
        cp.last_printed = self.created
        cp.revision = 1
        cp.title = ""
        cp.comments = ""
        cp.keywords = ""
        cp.subject = ""
        cp.category = ""
        if self.slim:
            self._slim_styles()
        buf = io.BytesIO()
        self.d.save(buf)
        path = outdir / f"{self.stem}.docx"
        _repack_zip(buf.getvalue(), path)
        (gold_dir / f"{self.stem}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.vague = vague
        return path


def _repack_zip(data: bytes, path: Path) -> None:
    zin = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_STAMP)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, zin.read(info.filename))


# ---------------------------------------------------------------------- PDF
def convert_to_pdf(docx_paths: list[Path], outdir: Path, stamps: dict[str, str] | None = None) -> list[Path]:
    """DOCX -> PDF with LibreOffice (as the devset PDF was made), then makes the PDF reproducible."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("soffice not found: install LibreOffice Writer "
                         "(apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix="lo_profile_") as prof:
        cmd = [soffice, f"-env:UserInstallation=file://{prof}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docx_paths)]
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=900)
        if res.returncode != 0:
            raise SystemExit(f"soffice failed: {res.stderr.decode(errors='replace')}")
    pdfs = []
    for p in docx_paths:
        pdf = outdir / (p.stem + ".pdf")
        if not pdf.exists():
            raise SystemExit(f"soffice did not write {pdf}")
        _normalise_pdf(pdf, (stamps or {}).get(p.stem, "20190101080000"))
        pdfs.append(pdf)
    return pdfs


def _normalise_pdf(pdf: Path, stamp14: str) -> None:
    """Rewrites volatile bytes in place, keeping every length (so the xref stays valid)."""
    data = pdf.read_bytes()

    def fix_date(m):
        return m.group(1) + stamp14.encode() + m.group(3)

    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{14})([^)]*\))", fix_date, data)
    data = re.sub(rb"(<xmp:\w+Date>)(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)",
                  lambda m: m.group(1) + (f"{stamp14[:4]}-{stamp14[4:6]}-{stamp14[6:8]}T"
                                          f"{stamp14[8:10]}:{stamp14[10:12]}:{stamp14[12:14]}").encode(), data)
    blanked = re.sub(rb"<[0-9A-Fa-f]{32}>", b"<" + b"0" * 32 + b">", data)
    blanked = re.sub(rb"(/DocChecksum\s*/)([0-9A-Fa-f]{32})", lambda m: m.group(1) + b"0" * 32, blanked)
    h = hashlib.md5(blanked).hexdigest().upper().encode()
    data = re.sub(rb"(/ID\s*\[\s*)<[0-9A-Fa-f]{32}>(\s*)<[0-9A-Fa-f]{32}>",
                  lambda m: m.group(1) + b"<" + h + b">" + m.group(2) + b"<" + h + b">", data)
    data = re.sub(rb"(/DocChecksum\s*/)([0-9A-Fa-f]{32})", lambda m: m.group(1) + h, data)
    pdf.write_bytes(data)


def _squash(s: str) -> str:
    return re.sub(r"[\s\-\u00ad]+", "", unicodedata.normalize("NFC", s)).casefold()


def check_pdfs(pdfs: list[Path], docs: list["Doc"] | None = None) -> list[dict]:
    """Opens each PDF with pdfplumber (if installed): it must have a text layer, and every gold
    name part, title, decision and place must be printed in it."""
    try:
        import pdfplumber
    except ImportError:  # checking is optional for regeneration
        return []
    golds = {d.stem: d.gold for d in docs or []}
    rows = []
    for pdf in pdfs:
        with pdfplumber.open(pdf) as doc:
            text = "\n".join(pg.extract_text() or "" for pg in doc.pages)
            rows.append({"file": pdf.name, "pages": len(doc.pages), "chars": len(text)})
        if len(text.strip()) < 100:
            raise SystemExit(f"{pdf.name}: no text layer")
        gold = golds.get(pdf.stem)
        if gold:
            flat = _squash(text)
            want = [p for a in gold["attendance"] for p in a["person"].split()]
            want += [i["title"] for i in gold["agenda_items"]] + [d["text"] for d in gold["decisions"]]
            want += [gold["meeting"]["place"]] if gold["meeting"].get("place") else []
            missing = [w for w in want if _squash(w) not in flat]
            if missing:
                raise SystemExit(f"{pdf.name}: gold strings not found in the PDF text: {missing}")
    return rows


def write_sizes(paths: list[Path]) -> str:
    return "\n".join(f"{p.stat().st_size:>8}  {p.name}" for p in paths)
