"""Renders a `Spec` as DOCX with python-docx, through samples/docgen.py's `Doc` (fonts, tables,
page-number fields, Word automatic numbering). Gold is not taken from here: `Spec.finish()` owns it."""
from __future__ import annotations

import io
from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Cm

from synth.spec import NumList, PageBreak, Para, Signature, Spec, Table
from docgen import Doc, _repack_zip  # noqa: E402  (synth.spec put samples/ on the path)


def _table(doc: Doc, t: Table, container=None) -> None:
    """A table whose nested tables (Tweb web export) go into their cells with cell.add_table."""
    flat = [[("" if isinstance(c, Table) else c) for c in row] for row in t.rows]
    dt_ = doc.table(flat, t.widths, header_rows=t.header_rows, repeat_header=t.header_rows > 0,
                    borders=t.borders, size=(doc.size + t.size) if t.size else None,
                    bold_cols=t.bold_cols, cell_after=2, container=container)
    for ri, row in enumerate(t.rows):
        for ci, c in enumerate(row):
            if isinstance(c, Table):
                _table(doc, c, container=dt_.rows[ri].cells[ci])
    if container is None:
        dt_.alignment = WD_TABLE_ALIGNMENT.LEFT


def render_docx(spec: Spec, path: Path) -> Path:
    top, right, bottom, left = spec.margins
    doc = Doc(spec.stem, spec.doc_type, spec.ref.isoformat(), font=spec.font, size=spec.size,
              margins_cm=(top, right, bottom, left), slim=True)
    doc.size = spec.size
    doc._record_dates = lambda display, iso: None   # Spec.finish() owns date gold (it also accepts "kello 18")
    width = 21.0 - left - right
    if spec.header:
        n = max(len(r) for r in spec.header)
        tabs = [(width * (i + 1) / n if i < n - 2 else width, WD_TAB_ALIGNMENT.LEFT if i < n - 2 else WD_TAB_ALIGNMENT.RIGHT)
                for i in range(n - 1)] if n > 1 else []
        if n == 3:
            tabs = [(width * 0.45, WD_TAB_ALIGNMENT.LEFT), (width, WD_TAB_ALIGNMENT.RIGHT)]
        doc.header(["\t".join(r) for r in spec.header], tabs=tabs, size=spec.size - 1, border=True)
    if spec.footer:
        ftr = doc.d.sections[0].footer
        for i, line in enumerate(spec.footer):
            par = ftr.paragraphs[0] if i == 0 else ftr.add_paragraph()
            doc._fill(par, line, size=spec.size - 2)
    auto_ids: dict[int, int] = {}
    for b in spec.blocks:
        if isinstance(b, Para):
            if b.heading:
                doc.p(b.text, style=f"Heading {b.heading}", keep_next=True, before=b.before or None)
            else:
                doc.p(b.text, bold=b.bold, size=(spec.size + b.size) if b.size else None,
                      indent_cm=b.indent or None, before=b.before or None)
        elif isinstance(b, Table):
            _table(doc, b)
            doc.p("", after=0, size=4)
        elif isinstance(b, NumList):
            if b.style == "auto":
                key = id(b)
                label = b.fmt.replace("{n}", "%1")
                auto_ids[key] = doc.numbering(text=label, start=b.start, left_cm=b.indent, bold=b.bold)
                for it in b.items:
                    doc.numbered(it, auto_ids[key], bold=b.bold)
            elif b.style == "arrow":
                nid = doc.numbering(fmt="bullet", text="\uf0d8", font="Wingdings", left_cm=b.indent)
                for it in b.items:
                    doc.numbered(it, nid, bold=b.bold)
            else:
                for it in b.items:
                    doc.p(it, style="List Bullet", bold=b.bold)
        elif isinstance(b, PageBreak):
            doc.page_break()
        elif isinstance(b, Signature):
            t = doc.table([list(b.names), list(b.roles)], [width / 2, width / 2], borders=False, cell_after=0)
            t.alignment = WD_TABLE_ALIGNMENT.LEFT
    cp = doc.d.core_properties
    for k in ("author", "last_modified_by", "title", "comments", "keywords", "subject", "category"):
        setattr(cp, k, "")
    cp.created = cp.modified = cp.last_printed = doc.created
    cp.revision = 1
    doc._slim_styles()
    buf = io.BytesIO()
    doc.d.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    _repack_zip(buf.getvalue(), path)
    return path
