"""The PDF reader's two paths: pdfium (default, fast) and pdfminer (pdfplumber alone) must give
the same document: the same lines with the same bold/heading flags, columns and tables. Run on
every PDF layout we have: samples, variant fixtures, imitations of real systems, real originals."""
from pathlib import Path

import pytest

from models.document import Table
from models.errors import DocumentError
from readers.pdf import read_pdf
from models.settings import Settings
from tests.conftest import DEVSET, FIXTURES, SAMPLES

PDFS = sorted(SAMPLES.glob("*.pdf")) + sorted((FIXTURES / "real_layouts").glob("*.pdf")) \
    + sorted(FIXTURES.glob("att_*.pdf"))[:3] + sorted(DEVSET.glob("**/*.pdf"))
SCANS = {"r080.pdf"}          # image-only: both paths refuse it the same way (checked below)


def _signature(doc) -> list:
    """What extractors read from a document; positions to the point (the two parsers round
    differently in the last float digits)."""
    out = [doc.pages, doc.title]
    for b in doc.blocks + [("furniture", f) for f in doc.furniture]:
        if isinstance(b, tuple):
            out.append((b[0], b[1].page, b[1].text))
        elif isinstance(b, Table):
            out.append(("table", b.page, b.rows, b.row_pages))
        else:
            out.append((b.page, b.text, b.bold, b.heading, b.bullet, round(b.x0), [round(x) for x, _ in b.segments]))
    return out


@pytest.mark.parametrize("path", [p for p in PDFS if p.name not in SCANS], ids=lambda p: p.name)
def test_pdfium_reads_what_pdfminer_reads(path: Path):
    fast = read_pdf(path, "x", Settings())
    slow = read_pdf(path, "x", Settings(pdfium=False))
    assert fast.blocks, "no text read"
    assert _signature(fast) == _signature(slow)


def test_segments_are_not_doubled_by_ligatures():
    """pdfminer gives a 'ti' ligature glyph the text 'ti' per character of the pair, and column
    segments came out as 'Hyväksyttittittiin'; pdfium's characters give the word once."""
    doc = read_pdf(SAMPLES / "muistio_hyvinvointijohtoryhma_2018-03-14.pdf", "x", Settings())
    segments = [t for b in doc.blocks if not isinstance(b, Table) for _, t in b.segments]
    assert "Hyväksyttiin." in segments
    assert not [t for t in segments if "titi" in t]


@pytest.mark.parametrize("pdfium", [True, False])
def test_scan_is_refused_the_same_way(pdfium: bool):
    scan = next((p for p in PDFS if p.name in SCANS), None)
    if scan is None:
        pytest.skip("the dev set's scanned record is not here")
    with pytest.raises(DocumentError) as e:
        read_pdf(scan, "x", Settings(pdfium=pdfium, ocr=False))
    assert e.value.error_type == "no_text"


def test_scan_without_tesseract_says_what_to_install(monkeypatch, tmp_path):
    """OCR is on by default; a machine without tesseract gets a no_text row with the install line."""
    from tests.layouts import render, scan_of
    scan = scan_of(render("bare_numbers", tmp_path)["pdf"], tmp_path / "scan.pdf", dpi=100)
    monkeypatch.setenv("PATH", str(tmp_path))          # no tesseract on this PATH
    with pytest.raises(DocumentError) as e:
        read_pdf(scan, "x", Settings())
    assert e.value.error_type == "no_text"
    assert "apt-get install tesseract-ocr tesseract-ocr-fin" in e.value.message


def _pdf_without_space_glyphs(path: Path, words: list[str], gap_pt: float) -> None:
    """A one-page PDF whose words are placed one by one, with no space characters between them,
    as TeX and some report generators write text."""
    x, ops = 72.0, []
    for w in words:
        ops.append(f"BT /F1 12 Tf {x:.2f} 720 Td ({w}) Tj ET")
        x += 12 * 0.6 * len(w) + gap_pt           # Courier: every glyph 0.6 em wide
    content = "\n".join(ops).encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def test_words_placed_without_space_glyphs_keep_their_spaces(tmp_path):
    """pdfium stands a generated space for each gap between separately placed words; pdfminer's
    characters have no space there and, under pdfplumber's 3 pt word tolerance, ran the words
    together ('Kokousalkoikello18.00')."""
    pdf = tmp_path / "no_spaces.pdf"
    _pdf_without_space_glyphs(pdf, ["Kokous", "alkoi", "kello", "18.00"], gap_pt=2.5)
    doc = read_pdf(pdf, "x", Settings())
    assert [b.text for b in doc.blocks] == ["Kokous alkoi kello 18.00"]
