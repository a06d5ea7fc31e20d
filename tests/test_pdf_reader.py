"""The PDF reader's two paths: pdfium (default, fast) and pdfminer (pdfplumber alone) must give
the same document: the same lines with the same bold/heading flags, columns and tables. Run on
every PDF layout we have: samples, variant fixtures, imitations of real systems, real originals."""
from pathlib import Path

import pytest

from models.document import Table
from pipeline.errors import DocumentError
from pipeline.pdf import read_pdf
from pipeline.settings import Settings
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
        read_pdf(scan, "x", Settings(pdfium=pdfium))
    assert e.value.error_type == "no_text"
