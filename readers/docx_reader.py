"""DOCX -> Document with python-docx: paragraphs and tables in body order, Word's automatic
list numbers computed from the numbering definitions, headers/footers kept apart."""
from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

import docx
import docx.exceptions
import docx.oxml.exceptions
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.table import _Cell
from lxml import etree
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from models.document import Block, Document, Paragraph, Table, readable
from models.enums import ErrorType
from models.errors import DocumentError
from readers.layout import BULLET_RE, clean_text
from models.settings import Settings

HEADING_STYLE_RE = re.compile(r"^(?:heading|otsikko)\s*(\d)$", re.IGNORECASE)
XML_CHUNK = 16384
# errors that say when a document was read (a time limit, the stack depth of nested tables), not
# what it holds: never remembered by _Styles
TRANSIENT_ERRORS = (RecursionError, MemoryError, DocumentError)


def check_zip(path: Path, settings: Settings) -> None:
    """Refuse zip bombs and XML with DOCTYPEs (entity bombs, XXE) before any XML parser runs."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > settings.max_docx_uncompressed:
                raise DocumentError(ErrorType.TOO_LARGE,
                                    f"{path.name} unpacks to {total / 1e6:.0f} MB, over the "
                                    f"{settings.max_docx_uncompressed / 1e6:.0f} MB limit (zip bomb?)")
            if total / packed > settings.max_docx_ratio and total > 10_000_000:
                raise DocumentError(ErrorType.TOO_LARGE,
                                    f"{path.name} compresses {total / packed:.0f}:1, a zip bomb")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with z.open(info) as f:
                        _refuse_doctype(f, path.name, info.filename)
    except zipfile.BadZipFile as e:
        raise DocumentError(ErrorType.CORRUPT, f"{path.name} is a damaged zip/DOCX ({e})") from e
    except (zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as e:
        # damaged entries, unsupported compression, password-protected zip entries
        raise DocumentError(ErrorType.CORRUPT, f"{path.name} has a damaged part ({type(e).__name__}: {e})") from e


def _refuse_doctype(stream, name: str, part: str) -> None:
    """Parse up to the root element with a parser that resolves nothing; a DTD anywhere before it
    (entity bombs, XXE, whatever the encoding) refuses the file. Word never writes one."""
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, load_dtd=False,
                                 no_network=True, huge_tree=False)
    root = None
    try:
        while root is None and (chunk := stream.read(XML_CHUNK)):
            parser.feed(chunk)
            for _, element in parser.read_events():
                root = element
                break
        if root is None:
            parser.close()
        info = root.getroottree().docinfo if root is not None else None
    except etree.XMLSyntaxError as e:
        raise DocumentError(ErrorType.CORRUPT, f"{name} part {part} is not well-formed XML ({e})") from e
    if info is not None and (info.doctype or info.internalDTD is not None or info.externalDTD is not None):
        raise DocumentError(ErrorType.CORRUPT, f"{name} part {part} declares a DOCTYPE, which Word never "
                                               f"writes (refused as unsafe: entity expansion or external entities)")


def read_docx(path: Path, doc_id: str, settings: Settings) -> Document:
    check_zip(path, settings)
    try:
        d = docx.Document(str(path))
    except DocumentError:
        raise
    except Exception as e:
        raise DocumentError(ErrorType.CORRUPT, f"{path.name} is not a readable DOCX ({type(e).__name__}: {e})") from e
    try:
        styles = _Styles(d)
        numbering = _Numbering(d, styles)
        state = {"page": 1}
        blocks: list[Block] = []
        for el in d.element.body.iterchildren():
            if el.tag == qn("w:p"):
                p = _paragraph(DocxParagraph(el, d), d, styles, numbering, state)
                if p is not None:
                    blocks.append(p)
            elif el.tag == qn("w:tbl"):
                blocks.extend(_table(DocxTable(el, d), d, numbering, state))
    except (docx.exceptions.InvalidXmlError, docx.oxml.exceptions.InvalidXmlError, ValueError, KeyError,
            TypeError, AttributeError) as e:
        # python-docx validates attribute values only when they are read (<w:b w:val="x"/>)
        raise DocumentError(ErrorType.CORRUPT, f"{path.name} has invalid Word XML ({type(e).__name__}: {e})") from e
    furniture = []
    seen = set()
    for section in d.sections:
        for part in (section.header, section.footer):
            try:
                texts = [clean_text(p.text) for p in part.paragraphs]
                texts += [clean_text(_Cell(tc, t).text) for t in part.tables for tr in t._tbl.tr_lst for tc in tr.tc_lst]
            except Exception:
                continue
            for t in texts:
                if t and t not in seen:
                    seen.add(t)
                    furniture.append(Paragraph(text=t, page=1))
    try:
        title = d.core_properties.title or ""
    except Exception:          # a damaged docProps/core.xml costs the title, not the document
        title = ""
    return Document(doc_id=doc_id, source=readable(path), file_name=readable(path.name), format="docx",
                    pages=state["page"], blocks=blocks, furniture=furniture, title=title)


def _page_breaks(el) -> int:
    n = len(el.findall(".//" + qn("w:lastRenderedPageBreak")))
    n += sum(1 for br in el.iter(qn("w:br")) if br.get(qn("w:type")) == "page")
    if el.find(qn("w:pPr") + "/" + qn("w:pageBreakBefore")) is not None:
        n += 1
    return n


def _paragraph(p: DocxParagraph, d, styles: "_Styles", numbering: "_Numbering", state: dict,
               in_cell=False) -> Paragraph | None:
    state["page"] += _page_breaks(p._p)
    text = clean_text(p.text.replace("\t", " "))
    label, level, bullet = numbering.label(p)
    if not text:
        return None
    if label == "➤":           # a decision arrow drawn by the list, not typed
        text, label = f"➤ {text}", ""
    style = styles.name(p._p.style)
    m = HEADING_STYLE_RE.match(style or "")
    heading = int(m.group(1)) if m else (1 if style in ("Title", "Otsikko") else 0)
    if not heading:
        outline = p._p.find(qn("w:pPr") + "/" + qn("w:outlineLvl"))
        if outline is not None and outline.get(qn("w:val"), "9").isdigit() and int(outline.get(qn("w:val"))) < 9:
            heading = int(outline.get(qn("w:val"))) + 1
    if not bullet and BULLET_RE.match(text) and not label:
        bullet = True
    return Paragraph(text=text, page=state["page"], bold=_bold(p, styles), heading=heading,
                     list_level=level, list_label=label, bullet=bullet, in_table_cell=in_cell)


def _style_bold(style) -> bool | None:
    """Bold as a style says, following its base styles; None when none of them says."""
    while style is not None:
        if style.font is not None and style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return None


def _bold(p: DocxParagraph, styles: "_Styles") -> bool:
    para_bold = styles.paragraph_bold(p._p.style)
    total = bold = 0
    for run in p.runs:
        n = len(run.text.strip())
        if not n:
            continue
        b = run.bold
        if b is None:
            b = styles.run_bold(run._r.style)
        if b is None:
            b = para_bold
        total += n
        bold += n if b else 0
    return total > 0 and bold >= 0.6 * total


def _table(t: DocxTable, d, numbering, state) -> list[Block]:
    """A table's rows as cell texts; spanned cells are given once. Nested tables are flattened."""
    rows: list[list[str]] = []
    pages: list[int] = []
    extra: list[Block] = []
    for tr in t._tbl.tr_lst:
        cells = []
        for tc in tr.tc_lst:      # each real cell once; tr.cells repeats spans (gridSpan=99999999 ...)
            cell = _Cell(tc, t)
            parts = []
            for p in cell.paragraphs:
                state["page"] += _page_breaks(p._p)
                label, _, _ = numbering.label(p)
                txt = clean_text(p.text.replace("\t", " "))
                if txt:
                    parts.append(f"{label} {txt}".strip() if label else txt)
            for inner in cell.tables:
                extra.extend(_table(inner, d, numbering, state))
            cells.append("\n".join(parts))
        if any(c.strip() for c in cells):
            rows.append(cells)
            pages.append(state["page"])
    if not rows:
        return extra
    return [Table(rows=rows, page=pages[0], row_pages=pages), *extra]


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _roman(n: int) -> str:
    out = ""
    for v, s in _ROMAN:
        while n >= v:
            out, n = out + s, n - v
    return out


def _letter(n: int) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(97 + r) + s
    return s


def _fmt(n: int, fmt: str) -> str:
    return {"decimal": str(n), "decimalZero": f"{n:02d}", "lowerLetter": _letter(n),
            "upperLetter": _letter(n).upper(), "lowerRoman": _roman(n),
            "upperRoman": _roman(n).upper()}.get(fmt, str(n))


WINGDINGS_ARROWS = {"Ø", "è", "ð", "Ü", "à", "\uf0d8", "\uf0e8", "\uf0f0", "\uf0dc", "\uf0e0"}


def _arrow_bullet(glyph: str, font: str) -> bool:
    """Word stores a ➢ bullet as a Wingdings code point ('Ø' or U+F0D8): the decision marker."""
    g = glyph.strip()
    if g in ("➤", "➢", "►", "▶", "→", "⇒"):
        return True
    return "wingdings" in font.lower() and g in WINGDINGS_ARROWS


class _Styles:
    """What paragraphs and runs inherit from their styles, worked out once per style id.

    python-docx finds `paragraph.style` / `run.style` by scanning styles.xml on every access (all
    of it, for the default style of every paragraph and run without a style of its own): most of
    the DOCX read time. Styles do not change while a document is read, so each answer comes from
    python-docx's own code once and is reused, errors included: an invalid value in a style raises
    the same exception at every use, as it did when each use looked it up."""

    def __init__(self, d):
        self.part = d.part
        self.memo: dict[tuple, tuple[bool, object]] = {}

    def _once(self, key: tuple, compute):
        hit = self.memo.get(key)
        if hit is None:
            try:
                hit = (True, compute())
            except TRANSIENT_ERRORS:
                raise
            except Exception as e:
                hit = (False, e)
            self.memo[key] = hit
        ok, value = hit
        if not ok:
            raise value.with_traceback(None)    # each raise would otherwise add to one traceback
        return value

    def paragraph_style(self, style_id: str | None):
        """`paragraph.style` for a paragraph whose pStyle is style_id (None: the default)."""
        return self._once(("style", style_id), lambda: self.part.get_style(style_id, WD_STYLE_TYPE.PARAGRAPH))

    def name(self, style_id: str | None) -> str | None:
        """`paragraph.style.name`; "" when the document has no paragraph style to give."""
        def compute():
            style = self.paragraph_style(style_id)
            return style.name if style is not None else ""
        return self._once(("name", style_id), compute)

    def paragraph_bold(self, style_id: str | None) -> bool:
        def compute():
            style = self.paragraph_style(style_id)
            return bool(_style_bold(style)) if style is not None else False
        return self._once(("bold", style_id), compute)

    def run_bold(self, style_id: str | None) -> bool | None:
        """Bold as a run's character style says (rStyle style_id, None: the default)."""
        def compute():
            style = self.part.get_style(style_id, WD_STYLE_TYPE.CHARACTER)
            return _style_bold(style) if style is not None else None
        return self._once(("run bold", style_id), compute)

    def num_pr(self, style_id: str | None):
        """The numPr a paragraph style or one of its bases gives, None when none does."""
        def compute():
            style = self.paragraph_style(style_id)
            while style is not None:
                sppr = style.element.pPr
                if sppr is not None and sppr.numPr is not None:
                    return sppr.numPr
                style = style.base_style
            return None
        return self._once(("numPr", style_id), compute)


class _Numbering:
    """Word's list numbering: python-docx exposes numPr but not the number drawn, so count it."""

    def __init__(self, d, styles: _Styles):
        self.styles = styles
        self.nums: dict[str, tuple[str, dict]] = {}       # numId -> (abstractId, {ilvl: start override})
        self.levels: dict[str, dict[int, dict]] = {}      # abstractId -> ilvl -> {start, fmt, text}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = d.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for an in root.findall(qn("w:abstractNum")):
            aid = an.get(qn("w:abstractNumId"))
            lv = {}
            for lvl in an.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                start = lvl.find(qn("w:start"))
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                fonts = lvl.find(qn("w:rPr") + "/" + qn("w:rFonts"))
                font = (fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi")) or "") if fonts is not None else ""
                lv[ilvl] = {"start": int(start.get(qn("w:val"), "1")) if start is not None else 1,
                            "fmt": fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                            "text": text.get(qn("w:val"), "") if text is not None else "", "font": font}
            self.levels[aid] = lv
        for num in root.findall(qn("w:num")):
            nid = num.get(qn("w:numId"))
            an = num.find(qn("w:abstractNumId"))
            overrides = {}
            for o in num.findall(qn("w:lvlOverride")):
                so = o.find(qn("w:startOverride"))
                if so is not None:
                    overrides[int(o.get(qn("w:ilvl"), "0"))] = int(so.get(qn("w:val"), "1"))
            if an is not None:
                self.nums[nid] = (an.get(qn("w:val")), overrides)

    def _num_pr(self, p: DocxParagraph):
        ppr = p._p.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
        return self.styles.num_pr(p._p.style)

    def label(self, p: DocxParagraph) -> tuple[str, int, bool]:
        """(label as drawn, level, is_bullet); ("", -1, False) for a paragraph outside lists."""
        try:
            num_pr = self._num_pr(p)
        except Exception:
            return "", -1, False
        if num_pr is None or num_pr.numId is None:
            return "", -1, False
        nid = str(num_pr.numId.val)
        ilvl = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        if nid == "0" or nid not in self.nums:
            return "", -1, False
        aid, overrides = self.nums[nid]
        levels = self.levels.get(aid, {})
        lvl = levels.get(ilvl, {"start": 1, "fmt": "decimal", "text": f"%{ilvl + 1}."})
        if lvl["fmt"] in ("bullet", "none"):
            arrow = _arrow_bullet(lvl.get("text", ""), lvl.get("font", ""))
            return ("➤" if arrow else ""), ilvl, lvl["fmt"] == "bullet"
        key = nid if overrides else aid   # lists sharing an abstract definition continue each other
        counters = self.counters.setdefault(key, {})
        if ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = overrides.get(ilvl, lvl["start"])
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def repl(m):
            k = int(m.group(1)) - 1
            info = levels.get(k, {"start": 1, "fmt": "decimal"})
            return _fmt(counters.get(k, info["start"]), info["fmt"])
        return re.sub(r"%(\d)", repl, lvl["text"]).strip(), ilvl, False
