"""The DOCX reader's style cache: python-docx is asked about each style once per document, the
answers are the ones it gives when asked every time, and invalid style XML is still refused."""
import dataclasses
import re
import zipfile
from pathlib import Path

import pytest
from docx.parts.document import DocumentPart

from models.enums import ErrorType
from readers import docx_reader
from readers.docx_reader import read_docx
from models.errors import DocumentError
from models.settings import Settings
from tests.conftest import SAMPLES

SAMPLE_DOCXS = sorted(SAMPLES.glob("*.docx"))


def test_each_style_is_looked_up_once_per_document(monkeypatch):
    real = DocumentPart.get_style
    calls: list[tuple] = []

    def counting(self, style_id, style_type):
        calls.append((id(self), style_id, style_type))
        return real(self, style_id, style_type)
    monkeypatch.setattr(DocumentPart, "get_style", counting)
    for path in SAMPLE_DOCXS:
        calls.clear()
        doc = read_docx(path, "x", Settings())
        assert doc.blocks
        assert calls and len(calls) == len(set(calls)), path.name


def test_cached_styles_read_the_same_as_asking_every_time(monkeypatch):
    cached = [dataclasses.asdict(read_docx(p, "x", Settings())) for p in SAMPLE_DOCXS]
    monkeypatch.setattr(docx_reader._Styles, "_once", lambda self, key, compute: compute())
    uncached = [dataclasses.asdict(read_docx(p, "x", Settings())) for p in SAMPLE_DOCXS]
    assert cached == uncached


def _with_part(src: Path, dest: Path, part: str, edit) -> Path:
    with zipfile.ZipFile(src) as z:
        parts = [(i.filename, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(name, edit(data.decode("utf-8")).encode("utf-8") if name == part else data)
    return dest


def _bold_x_in_default_paragraph_style(xml: str) -> str:
    m = re.search(r'<w:style\b[^>]*w:type="paragraph"[^>]*w:default="1"[^>]*>', xml)
    assert m, "the sample has a default paragraph style"
    return xml[:m.end()] + '<w:rPr><w:b w:val="x"/></w:rPr>' + xml[m.end():]


@pytest.mark.parametrize("part, edit", [
    ("word/styles.xml", _bold_x_in_default_paragraph_style),
    ("word/document.xml", lambda xml: re.sub(r"<w:r>", '<w:r><w:rPr><w:b w:val="x"/></w:rPr>', xml, count=5)),
])
def test_invalid_bold_value_is_still_corrupt(tmp_path, part, edit):
    path = _with_part(SAMPLE_DOCXS[0], tmp_path / "bad_bold.docx", part, edit)
    with pytest.raises(DocumentError) as e:
        read_docx(path, "x", Settings())
    assert e.value.error_type == ErrorType.CORRUPT
    assert "InvalidXmlError" in str(e.value) and "'x'" in str(e.value)
