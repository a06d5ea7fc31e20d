"""Renders a `Spec` as PDF with reportlab platypus: TTF fonts from /usr/share/fonts/truetype,
running headers drawn on every page with "page (pages)", tables with repeated header rows.
No LibreOffice: CI has none, and this is ~20x faster."""
from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from synth.spec import NumList, PageBreak, Para, Signature, Spec, Table, plain
from docgen import ANNOT_RE, TOKEN_RE  # noqa: E402

FONT_DIR = Path("/usr/share/fonts/truetype")
FONTS = {  # family -> (regular, bold) file names
    "DejaVu Sans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    "DejaVu Serif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    "DejaVu Sans Condensed": ("dejavu/DejaVuSansCondensed.ttf", "dejavu/DejaVuSansCondensed-Bold.ttf"),
    "Liberation Sans": ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf"),
    "Liberation Serif": ("liberation/LiberationSerif-Regular.ttf", "liberation/LiberationSerif-Bold.ttf"),
    "Liberation Sans Narrow": ("liberation/LiberationSansNarrow-Regular.ttf",
                               "liberation/LiberationSansNarrow-Bold.ttf"),
}
_registered: set[str] = set()


def _font(family: str) -> tuple[str, str]:
    reg, bold = (family.replace(" ", ""), family.replace(" ", "") + "-Bold")
    if family not in _registered:
        r, b = FONTS[family]
        pdfmetrics.registerFont(TTFont(reg, str(FONT_DIR / r)))
        pdfmetrics.registerFont(TTFont(bold, str(FONT_DIR / b)))
        pdfmetrics.registerFontFamily(reg, normal=reg, bold=bold, italic=reg, boldItalic=bold)
        _registered.add(family)
    return reg, bold


def _markup(text: str) -> str:
    """docgen markup -> reportlab paragraph markup (bold runs, escaped text, dates as printed)."""
    out, bold = [], False
    for tok in TOKEN_RE.split(text):
        if tok == "**":
            out.append("</b>" if bold else "<b>")
            bold = not bold
            continue
        m = ANNOT_RE.match(tok)
        out.append(escape(m.group(1) if m else tok).replace("\t", "\u00a0" * 6))   # a tab: long whitespace
    if bold:
        out.append("</b>")
    return "".join(out)


class _Styles:
    def __init__(self, spec: Spec):
        self.reg, self.bold = _font(spec.font)
        self.size = spec.size

    def para(self, size: float = 0.0, bold: bool = False, indent: float = 0.0, before: float = 0.0,
             first: float = 0.0) -> ParagraphStyle:
        s = self.size + size
        return ParagraphStyle("p", fontName=self.bold if bold else self.reg, fontSize=s, leading=s * 1.22,
                              spaceBefore=before, spaceAfter=s * 0.35, leftIndent=indent * cm,
                              firstLineIndent=first * cm, alignment=TA_LEFT)


def _cell(st: _Styles, c, bold: bool, size: float):
    if isinstance(c, Table):
        return _table(st, c)
    paras = c if isinstance(c, list) else [c]
    return [Paragraph(_markup(x), st.para(size, bold)) for x in paras if x] or ""


def _table(st: _Styles, t: Table) -> RLTable:
    data = [[_cell(st, c, ri < t.header_rows or ci in t.bold_cols, t.size) for ci, c in enumerate(row)]
            for ri, row in enumerate(t.rows)]
    tbl = RLTable(data, colWidths=[w * cm for w in t.widths], repeatRows=t.header_rows, hAlign="LEFT")
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
             ("RIGHTPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 1),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    if t.borders:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    tbl.setStyle(TableStyle(style))
    return tbl


def _numbered_canvas(spec: Spec, st: _Styles):
    """A canvas that draws the running header once the page count is known (for "1 (12)")."""
    top, right, bottom, left = spec.margins

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *a, **kw):
            kw["invariant"] = 1
            super().__init__(*a, **kw)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            n = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(self._pageNumber, n)
                super().showPage()
            super().save()

        def _decorate(self, page: int, pages: int):
            w, h = A4
            size = spec.size - 1
            y = h - (top - 0.6) * cm
            for row in spec.header:
                cells = [plain(c).replace("{PAGE}", str(page)).replace("{NUMPAGES}", str(pages)) for c in row]
                bold_first = True
                xs = _columns(len(cells), left * cm, w - right * cm)
                for i, (text, x) in enumerate(zip(cells, xs)):
                    self.setFont(st.bold if (bold_first and i == 0) else st.reg, size)
                    if i == len(cells) - 1 and len(cells) > 1:
                        self.drawRightString(w - right * cm, y, text)
                    else:
                        self.drawString(x, y, text)
                y -= size * 1.3
            if spec.header:
                self.setLineWidth(0.4)
                self.line(left * cm, y + size * 0.6, w - right * cm, y + size * 0.6)
            fy = (bottom - 0.9) * cm
            for line in spec.footer:
                self.setFont(st.reg, spec.size - 2)
                self.drawString(left * cm, fy, plain(line).replace("{PAGE}", str(page)))
                fy -= spec.size
    return NumberedCanvas


def _columns(n: int, x0: float, x1: float) -> list[float]:
    if n == 3:
        return [x0, x0 + (x1 - x0) * 0.45, x1]
    return [x0 + (x1 - x0) * i / max(n, 1) for i in range(n)]


def render_pdf(spec: Spec, path: Path) -> Path:
    st = _Styles(spec)
    top, right, bottom, left = spec.margins
    story = []
    for b in spec.blocks:
        if isinstance(b, Para):
            if b.heading:
                story.append(Paragraph(_markup(b.text), st.para({1: 4, 2: 2, 3: 1}.get(b.heading, 1), True,
                                                                 before=b.before or 6)))
            else:
                story.append(Paragraph(_markup(b.text) or "&nbsp;",
                                       st.para(b.size, b.bold, b.indent, b.before)))
        elif isinstance(b, Table):
            story.append(_table(st, b))
            story.append(Spacer(1, 4))
        elif isinstance(b, NumList):
            for i, it in enumerate(b.items):
                label = {"bullet": "•", "arrow": "➢"}.get(b.style) or b.fmt.replace("{n}", str(b.start + i))
                text = f"{escape(label)}&nbsp;&nbsp;{_markup(it)}"
                story.append(Paragraph(text, st.para(0, b.bold, b.indent, first=-b.indent * 0.6)))
        elif isinstance(b, PageBreak):
            story.append(RLPageBreak())
        elif isinstance(b, Signature):
            width = 21.0 - left - right
            story.append(Spacer(1, 18))
            story.append(_table(st, Table([list(b.names), list(b.roles)], [width / 2, width / 2])))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(str(path), pagesize=A4, topMargin=top * cm, rightMargin=right * cm,
                            bottomMargin=bottom * cm, leftMargin=left * cm, title="", author="",
                            invariant=1)
    doc.build(story, canvasmaker=_numbered_canvas(spec, st))
    return path
