"""synth.scanlike: scans are a pure function of (seed, level, stem), carry no text layer (so the
pipeline must take the OCR path), keep the gold, and the damage really is on the pages. No OCR
here: it costs seconds per page; the OCR figures are in bench/README.md."""
from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("reportlab")
import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402

from synth.generate import generate  # noqa: E402
from synth.scanlike import LEVELS, draw_damage, scan_dir, scan_pdf  # noqa: E402

FAMILIES = ["dynasty", "assoc"]      # a long municipal minute and a short association one
SEED = 7


@pytest.fixture(scope="module")
def share(tmp_path_factory):
    out = tmp_path_factory.mktemp("share")
    generate(out, "tune", len(FAMILIES), SEED, FAMILIES, ("pdf",))
    return out


def first_page(pdf, dpi=100) -> np.ndarray:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return np.asarray(doc[0].render(scale=dpi / 72.0).to_pil().convert("L"), dtype=np.float32)
    finally:
        doc.close()


def test_same_seed_same_bytes_other_seed_other_bytes(share, tmp_path):
    a = scan_dir(share, tmp_path / "a", "mixed", SEED)
    b = scan_dir(share, tmp_path / "b", "mixed", SEED)
    c = scan_dir(share, tmp_path / "c", "mixed", SEED + 1)
    assert a == b and a != c
    for pdf in sorted(share.glob("*.pdf")):
        assert (tmp_path / "a" / pdf.name).read_bytes() == (tmp_path / "b" / pdf.name).read_bytes()
        assert (tmp_path / "a" / pdf.name).read_bytes() != (tmp_path / "c" / pdf.name).read_bytes()
    assert json.loads((tmp_path / "a" / "damage.json").read_text()) == json.loads(json.dumps(a))


@pytest.mark.parametrize("level", ["clean", "heavy"])
def test_scans_are_image_only_and_keep_the_gold(share, tmp_path, level):
    scan_dir(share, tmp_path, level, SEED)
    for pdf in sorted(share.glob("*.pdf")):
        assert (tmp_path / "gold" / f"{pdf.stem}.json").read_bytes() == (share / "gold" / f"{pdf.stem}.json").read_bytes()
        with pdfplumber.open(pdf) as orig, pdfplumber.open(tmp_path / pdf.name) as scan:
            assert len(scan.pages) == len(orig.pages)
            for page in scan.pages:
                assert not page.chars and not (page.extract_text() or "").strip()
                assert len(page.images) == 1
                assert abs(page.width - orig.pages[0].width) < 1    # same paper size, whatever the dpi


def test_draws_stay_inside_their_level():
    for level, r in LEVELS.items():
        draws = [draw_damage(level, SEED, f"tune-{i:04d}-x") for i in range(40)]
        for d in draws:
            assert r["dpi"][0] <= d.dpi <= r["dpi"][1] and r["quality"][0] <= d.quality <= r["quality"][1]
            assert r["angle"][0] <= abs(d.angle) <= r["angle"][1]
        stamped = sum(d.stamp is not None for d in draws) / len(draws)
        assert abs(stamped - r["stamp"]) < 0.3, (level, stamped)
        assert len({d.angle for d in draws}) > 30        # drawn per document, not once per level


def test_damage_is_on_the_page(share, tmp_path):
    """The degraded page differs from the clean one at the same dpi (skew, noise, tone), the clean
    one only by JPEG rounding; a stamp puts coloured ink on page one."""
    pdf = sorted(share.glob("*.pdf"))[0]
    orig = first_page(pdf)
    clean = first_page(scan_pdf(pdf, tmp_path / "clean.pdf", draw_damage("clean", SEED, pdf.stem, 200)))
    dmg = draw_damage("heavy", SEED, pdf.stem)
    heavy_pdf = scan_pdf(pdf, tmp_path / "heavy.pdf", dmg)
    heavy = first_page(heavy_pdf)
    h, w = (min(a.shape[i] for a in (orig, clean, heavy)) for i in (0, 1))   # a pixel of rounding in the page size
    orig, clean, heavy = (a[:h, :w] for a in (orig, clean, heavy))
    assert np.abs(clean - orig).mean() < 8.0           # resampling only (light damage is ~15)
    assert np.abs(heavy - orig).mean() > 3 * np.abs(clean - orig).mean()
    stamped = next(d for d in (draw_damage("heavy", s, pdf.stem) for s in range(SEED, SEED + 50))
                   if d.stamp and d.stamp["colour"][0] > 150)
    doc = pdfium.PdfDocument(str(scan_pdf(pdf, tmp_path / "stamp.pdf", stamped)))
    rgb = np.asarray(doc[0].render(scale=1).to_pil().convert("RGB"), dtype=np.int16)
    doc.close()
    red = (rgb[..., 0] - rgb[..., 2] > 60).sum()
    assert red > 200, red
